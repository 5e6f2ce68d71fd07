"""The check ids of the design's traceability matrix, and how tags map onto them.

The rows of the report's traceability matrix are :data:`CHECK_IDS`, in the
order of ``DESIGN.md``; a scenario proves the ids it is tagged with
(``@RS-MN-2``). Tags are matched case-insensitively and normalised to the
canonical spelling.

    >>> check_ids_from_tags({"RS-MN-2", "shopify", "kc-1"})
    ['RS-MN-2', 'KC-1']
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator, Mapping, Sequence

__all__ = ["CHECK_IDS", "CHECK_TITLES", "CHECK_DESCRIPTIONS", "readme_table",
           "CHANNELS", "check_ids_from_tags", "channel_of", "is_check_id"]

#: Check id -> what it proves (from DESIGN.md), in matrix order.
CHECK_TITLES: dict[str, str] = {
    "RS-NM-1": "A refund created in NetSuite is linked to the correct order.",
    "RS-NM-2": "The order is updated in the connector and the refund is synced to the marketplace or cart.",
    "RS-NM-3": "The refund is posted correctly in the marketplace or cart: lines, quantities, shipping, tax, total, "
               "to the cent.",
    "RS-MN-1": "A refund processed in the marketplace updates the order in the connector and posts a refund "
               "to NetSuite.",
    "RS-MN-2": "The NetSuite transaction type created is the one the refund settings call for.",
    "RS-MN-3": "The NetSuite refund's amounts, quantities and SKUs match the marketplace refund.",
    "RS-SET-1": "Refund settings can be read and changed, a change governs the next sync, and invalid settings "
                "are refused.",
    "AS-1": "Settlement testing uses orders the connector synced earlier; rows for unsynced orders are exceptions.",
    "AS-2": "Settlement testing runs on a settlement whose period starts the configured weeks after go-live.",
    "AS-3": "A settlement balances: the rows sum to the summary row's total-amount, per currency.",
    "AS-4": "Every settlement row is posted in NetSuite or listed as an exception; what is posted equals the deposit.",
    "KC-1": "Refunds are always linked to their originals.",
    "KC-2": "Transaction types are re-checked on every regression run.",
    "KC-3": "Every integration is covered.",
}
CHECK_IDS: tuple[str, ...] = tuple(CHECK_TITLES)
#: Check id -> the longer statement of it the README's table shows, in matrix order.
CHECK_DESCRIPTIONS: dict[str, str] = {
    "RS-NM-1": "A refund created in NetSuite is linked to the correct order (its `createdFrom` chain ends at the "
        "sales order carrying the marketplace order id).",
    "RS-NM-2": "The order is updated in the connector and the refund is synced to the marketplace or cart.",
    "RS-NM-3": "The refund is posted correctly in the marketplace or cart: lines, quantities, shipping, tax, total, "
        "to the cent.",
    "RS-MN-1": "A refund processed in the marketplace updates the order in the connector and posts a refund to "
        "NetSuite.",
    "RS-MN-2": "The NetSuite transaction type created is the one the refund settings call for.",
    "RS-MN-3": "The NetSuite refund's amounts, quantities and SKUs match the marketplace refund.",
    "RS-SET-1": "Refund settings can be read and changed, a change governs the next sync, invalid settings are "
        "refused.",
    "AS-1": "Settlement testing uses orders the connector synced; rows for other orders are exceptions.",
    "AS-2": "Settlement testing runs on a settlement starting the configured number of weeks after go-live.",
    "AS-3": "A settlement balances: its rows sum to the summary row's total-amount, per currency.",
    "AS-4": "Every settlement row is posted in NetSuite or listed as an exception; what is posted equals the deposit.",
    "KC-1": "Refunds are always linked to their originals.",
    "KC-2": "Transaction types are re-checked on every regression run.",
    "KC-3": "Every integration is covered.",
}
_BY_UPPER = {cid.upper(): cid for cid in CHECK_IDS}
_ID_SHAPE = re.compile(r"^(RS-(NM|MN)-\d+|RS-SET-\d+|AS-\d+|KC-\d+)$", re.IGNORECASE)

class _Channels(Sequence[str]):
    """The registered channels' names (:mod:`syncproof.channels`), read each time."""

    def _names(self) -> tuple[str, ...]:
        from ..channels import names

        return names()

    def __getitem__(self, index):
        return self._names()[index]

    def __len__(self) -> int:
        return len(self._names())

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())


#: Tags (and ``channel`` outline values) that name a marketplace or cart: every registered channel.
CHANNELS: Sequence[str] = _Channels()


def readme_table() -> str:
    """The README's "What it checks" table, generated from this catalogue (a test keeps them equal)."""
    rows = ["| id | check |", "|---|---|"] + [f"| {cid} | {CHECK_DESCRIPTIONS[cid]} |" for cid in CHECK_IDS]
    return "\n".join(rows)


def is_check_id(tag: str) -> bool:
    """Whether ``tag`` has the shape of a check id (known to the design or not)."""
    return bool(_ID_SHAPE.match(tag.lstrip("@")))


def check_ids_from_tags(tags: Iterable[str]) -> list[str]:
    """The check ids among ``tags``: known ids in matrix order, then unknown id-shaped tags sorted."""
    found = {t.lstrip("@").upper() for t in tags if is_check_id(t)}
    known = [cid for cid in CHECK_IDS if cid.upper() in found]
    unknown = sorted(t for t in found if t not in _BY_UPPER)
    return known + unknown


def channel_of(tags: Iterable[str], example: Mapping[str, str] | None = None) -> str | None:
    """The channel a scenario runs against: an outline ``channel`` parameter, else a channel's tag."""
    if example:
        for key, value in example.items():
            if key.lower() == "channel" and value:
                return str(value).strip().lower()
    lowered = {t.lstrip("@").lower() for t in tags}
    for channel in CHANNELS:
        if channel in lowered:
            return channel
    return None
