"""``syncproof cleanup --run TAG``: delete what a live run created, where the APIs allow it.

A live run writes its tag into the memo of every NetSuite record it makes and into the
external ids and notes of its test data. Cleanup finds those records (one SuiteQL query
each for transactions and customers) and deletes them newest first (refunds before billing
records before sales orders); what NetSuite refuses to delete is listed with its reason.
Marketplace orders are not deleted (Shopify does not delete paid orders through the Admin
API and Amazon offers no API for it): each channel's spec says where to remove them
(``cleanup_note``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from connectors import ConnectorError
from connectors.netsuite import NetSuiteRecords

from . import channels as channel_registry
from .errors import SyncproofError
from .model import TransactionType

__all__ = ["CleanupReport", "cleanup"]

_TAG = re.compile(r"^sp[0-9]{14}-[0-9a-f]{4}$")


@dataclass
class CleanupReport:
    """What was deleted, what was refused or failed (``kept``: the command then exits 1), and notes."""

    deleted: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def cleanup(netsuite: Any, run_tag: str, *, dry_run: bool = False,
            channels: Iterable[str] | None = None) -> CleanupReport:
    """Delete the NetSuite records tagged with ``run_tag``; return what was deleted, what was kept, and the
    channel orders (of ``channels``, default every channel) left to remove by hand."""
    if not _TAG.match(run_tag):
        raise SyncproofError(f"{run_tag!r} is not a syncproof run tag",
                             "copy the tag a live run printed (like sp20261126093000-1a2b); it is also in the report")
    report = CleanupReport()
    books = NetSuiteRecords(netsuite)
    rows, customers = books.tagged_records(run_tag)
    items = books.tagged_items(run_tag)
    targets = [(TransactionType(str(r["type"])).record_type, str(r["id"]),
                f"{TransactionType(str(r['type'])).label} {r.get('tranid') or r['id']}") for r in rows]
    targets += [("customer", str(c["id"]), f"customer {c.get('entityid') or c['id']}") for c in customers]
    for record_type, record_id, label in targets:
        if dry_run:
            report.deleted.append(f"{label} (would delete)")
            continue
        try:
            netsuite.delete(record_type, record_id)
            report.deleted.append(label)
        except ConnectorError as exc:
            report.kept.append(f"{label}: {exc}")
    if items:
        report.notes.append("items the run's records used, made by syncproof and shared with later runs (kept; "
                            "delete them in NetSuite when no run needs them): "
                            + ", ".join(str(i.get("itemid") or i["id"]) for i in items))
    specs = [channel_registry.get(name) for name in (channel_registry.names() if channels is None else channels)]
    if specs:
        report.notes.append(" and ".join(s.title for s in specs) + " orders of the run are not deleted: "
                            + "; ".join(s.cleanup_note.format(tag=run_tag, title=s.title) for s in specs))
    return report
