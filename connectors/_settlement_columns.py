"""Column layouts of the two settlement flat files and how a header is recognised.

``GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2`` has one amount per row in three
general columns (amount-type, amount-description, amount). Amazon's attribute
list stops at ``quantity-purchased`` (23 columns); files seen in the field add
``promotion-id`` (24). Both are accepted.

The legacy ``GET_FLAT_FILE_PAYMENT_SETTLEMENT_DATA`` file spreads amounts over
typed column pairs; some files lack the three promotion columns. Each
non-empty amount column becomes one row, with an amount-type equivalent from
:data:`LEGACY_AMOUNTS`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["V2_COLUMNS", "LEGACY_COLUMNS", "LEGACY_AMOUNTS", "Layout", "detect_layout"]

V2_COLUMNS: tuple[str, ...] = (
    "settlement-id", "settlement-start-date", "settlement-end-date", "deposit-date",
    "total-amount", "currency", "transaction-type", "order-id", "merchant-order-id",
    "adjustment-id", "shipment-id", "marketplace-name", "amount-type", "amount-description",
    "amount", "fulfillment-id", "posted-date", "posted-date-time", "order-item-code",
    "merchant-order-item-id", "merchant-adjustment-item-id", "sku", "quantity-purchased",
    "promotion-id",
)

LEGACY_COLUMNS: tuple[str, ...] = (
    "settlement-id", "settlement-start-date", "settlement-end-date", "deposit-date",
    "total-amount", "currency", "transaction-type", "order-id", "merchant-order-id",
    "adjustment-id", "shipment-id", "marketplace-name", "shipment-fee-type",
    "shipment-fee-amount", "order-fee-type", "order-fee-amount", "fulfillment-id",
    "posted-date", "order-item-code", "merchant-order-item-id", "merchant-adjustment-item-id",
    "sku", "quantity-purchased", "price-type", "price-amount", "item-related-fee-type",
    "item-related-fee-amount", "misc-fee-amount", "other-fee-amount",
    "other-fee-reason-description", "promotion-id", "promotion-type", "promotion-amount",
    "direct-payment-type", "direct-payment-amount", "other-amount",
)

_LEGACY_PROMOTION = ("promotion-id", "promotion-type", "promotion-amount")
LEGACY_COLUMNS_NO_PROMOTION: tuple[str, ...] = tuple(c for c in LEGACY_COLUMNS if c not in _LEGACY_PROMOTION)

#: legacy amount column -> (its type column or None, the V2 amount-type it stands for).
#: Without a type column the description is the transaction type.
LEGACY_AMOUNTS: dict[str, tuple[str | None, str]] = {
    "price-amount": ("price-type", "ItemPrice"),
    "item-related-fee-amount": ("item-related-fee-type", "ItemFees"),
    "promotion-amount": ("promotion-type", "Promotion"),
    "shipment-fee-amount": ("shipment-fee-type", "ShipmentFees"),
    "order-fee-amount": ("order-fee-type", "OrderFees"),
    "direct-payment-amount": ("direct-payment-type", "DirectPayment"),
    "misc-fee-amount": (None, "MiscFee"),
    "other-fee-amount": ("other-fee-reason-description", "other-transaction"),
    "other-amount": (None, "other-transaction"),
}


@dataclass(frozen=True)
class Layout:
    """A recognised header: the format, its columns, and a column -> index map."""

    format: str  # "v2" | "legacy"
    columns: tuple[str, ...]
    index: dict[str, int]


def _layout(fmt: str, columns: tuple[str, ...]) -> Layout:
    return Layout(fmt, columns, {name: i for i, name in enumerate(columns)})


_KNOWN = (
    _layout("v2", V2_COLUMNS),
    _layout("v2", V2_COLUMNS[:-1]),
    _layout("legacy", LEGACY_COLUMNS),
    _layout("legacy", LEGACY_COLUMNS_NO_PROMOTION),
)


def detect_layout(header: list[str]) -> Layout:
    """Return the layout a header row matches, or raise ``ValueError(column_index, message)``.

    Names are compared without surrounding spaces and case; trailing empty
    header cells are ignored.
    """
    names = [h.strip().lower() for h in header]
    while names and not names[-1]:
        names.pop()
    for layout in _KNOWN:
        if tuple(names) == layout.columns:
            return layout
    # Explain the first difference against the closest layout.
    if "price-type" in names:
        best = _KNOWN[2] if "promotion-id" in names else _KNOWN[3]
    else:
        best = _KNOWN[0]
    for i, expected in enumerate(best.columns):
        if i >= len(names):
            raise ValueError(i, f"the header stops after {len(names)} columns; expected {expected!r} next")
        if names[i] != expected:
            raise ValueError(i, f"expected the column {expected!r} here")
    raise ValueError(len(best.columns), f"the header has {len(names)} columns; expected {len(best.columns)}")
