"""What each settlement amount is: order item, order fee, refund, refund fee, or non-order.

Pure: a row's transaction-type, amount-type and amount-description decide its
:class:`SettlementCategory` and a stable key (``order_item.principal``,
``refund_fee.refund_commission``, ``reserve.current``). Text is compared
without surrounding spaces and case. An unknown combination is never guessed:
it goes to ``OTHER`` and its key keeps the text as written
(``other:FBAFees|other-transaction|New fee``).

    >>> classify_row(row)
    Classification(category=<SettlementCategory.ORDER_FEE: 'order_fee'>, key='order_fee.commission')
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

__all__ = ["SettlementCategory", "Classification", "classify", "classify_row", "CATEGORY_GROUPS"]


class SettlementCategory(str, enum.Enum):
    """Where an amount belongs when the settlement is posted."""

    ORDER_ITEM = "order_item"  # principal, tax, shipping, shipping tax, promotions, gift wrap
    ORDER_FEE = "order_fee"  # Commission, FBAPerUnitFulfillmentFee, ...
    REFUND = "refund"  # refunded principal, tax, shipping, promotions
    REFUND_FEE = "refund_fee"  # RefundCommission, commission given back, ...
    RESERVE = "reserve"
    STORAGE = "storage"
    SUBSCRIPTION = "subscription"
    ADVERTISING = "advertising"
    REIMBURSEMENT = "reimbursement"
    REMOVAL = "removal"
    LIQUIDATION = "liquidation"
    OTHER = "other"

    @property
    def group(self) -> str:
        """``order``, ``refund`` or ``non_order``."""
        return CATEGORY_GROUPS[self]


CATEGORY_GROUPS = {
    SettlementCategory.ORDER_ITEM: "order",
    SettlementCategory.ORDER_FEE: "order",
    SettlementCategory.REFUND: "refund",
    SettlementCategory.REFUND_FEE: "refund",
}
for _category in SettlementCategory:
    CATEGORY_GROUPS.setdefault(_category, "non_order")


@dataclass(frozen=True, slots=True)
class Classification:
    """A category and a stable key naming the amount within it."""

    category: SettlementCategory
    key: str


class _RowLike(Protocol):
    transaction_type: str
    amount_type: str
    amount_description: str


# order and refund vocabulary --------------------------------------------------
_ORDER_TYPES = {"order"}
_REFUND_TYPES = {"refund", "chargeback refund", "a-to-z guarantee refund", "guarantee claim refund",
                 "safe-t refund"}

#: ItemPrice descriptions -> key suffix.
_ITEM_PRICE = {
    "principal": "principal",
    "tax": "tax",
    "shipping": "shipping",
    "shippingtax": "shipping_tax",
    "giftwrap": "gift_wrap",
    "giftwraptax": "gift_wrap_tax",
    "restockingfee": "restocking_fee",
    "goodwill": "goodwill",
    "returnshipping": "return_shipping",
    "codfee": "cod_fee",
    "exportcharge": "export_charge",
}
#: Promotion descriptions -> key suffix.
_PROMOTION = {
    "principal": "promotion_principal",
    "shipping": "promotion_shipping",
    "tax": "promotion_tax",
    "shippingtax": "promotion_shipping_tax",
    "giftwrap": "promotion_gift_wrap",
}
#: ItemFees descriptions -> key suffix.
_ITEM_FEES = {
    "commission": "commission",
    "refundcommission": "refund_commission",
    "fbaperunitfulfillmentfee": "fba_per_unit_fulfillment_fee",
    "fbaperorderfulfillmentfee": "fba_per_order_fulfillment_fee",
    "fbaweightbasedfee": "fba_weight_based_fee",
    "variableclosingfee": "variable_closing_fee",
    "fixedclosingfee": "fixed_closing_fee",
    "shippingchargeback": "shipping_chargeback",
    "giftwrapchargeback": "gift_wrap_chargeback",
    "shippinghb": "shipping_holdback",
    "salestaxcollectionfee": "sales_tax_collection_fee",
    "digitalservicesfee": "digital_services_fee",
    "digitalservicesfeefba": "digital_services_fee_fba",
    "highvolumelistingfee": "high_volume_listing_fee",
    "renewedprogramfee": "renewed_program_fee",
    "technologyfee": "technology_fee",
    "pointsgranted": "points_granted",
}
_WITHHELD_TAX = "itemwithheldtax"


# non-order vocabulary: (normalised text found in type or description, category, key)
_RESERVE = {
    "current reserve amount": "reserve.current",
    "previous reserve amount balance": "reserve.previous",
}
_NON_ORDER_EXACT = {
    "cost of advertising": (SettlementCategory.ADVERTISING, "advertising"),
    "subscription fee": (SettlementCategory.SUBSCRIPTION, "subscription"),
    "storage fee": (SettlementCategory.STORAGE, "storage"),
    "storagefee": (SettlementCategory.STORAGE, "storage"),
    "fba storage fee": (SettlementCategory.STORAGE, "storage"),
    "fba long-term storage fee": (SettlementCategory.STORAGE, "storage.long_term"),
    "fba long-term storage": (SettlementCategory.STORAGE, "storage.long_term"),
    "storage renewal billing": (SettlementCategory.STORAGE, "storage.renewal"),
    "fba inventory reimbursement": (SettlementCategory.REIMBURSEMENT, "reimbursement.fba_inventory"),
    "reversal_reimbursement": (SettlementCategory.REIMBURSEMENT, "reimbursement.reversal"),
    "safe-t reimbursement": (SettlementCategory.REIMBURSEMENT, "reimbursement.safe_t"),
    "removalcomplete": (SettlementCategory.REMOVAL, "removal"),
    "disposalcomplete": (SettlementCategory.REMOVAL, "removal.disposal"),
    "fba removal fee": (SettlementCategory.REMOVAL, "removal"),
    "fbaremovalfee": (SettlementCategory.REMOVAL, "removal"),
    "fba disposal fee": (SettlementCategory.REMOVAL, "removal.disposal"),
    "fbadisposalfee": (SettlementCategory.REMOVAL, "removal.disposal"),
    "liquidations": (SettlementCategory.LIQUIDATION, "liquidation"),
    "liquidationsbrokeragefee": (SettlementCategory.LIQUIDATION, "liquidation.brokerage_fee"),
    "liquidations brokerage fee": (SettlementCategory.LIQUIDATION, "liquidation.brokerage_fee"),
}


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def _squash(text: str) -> str:
    return "".join(text.split()).lower()


def classify_row(row: _RowLike) -> Classification:
    """Classify a :class:`~connectors.settlement_file.SettlementRow` (or anything with its three fields)."""
    return classify(row.transaction_type, row.amount_type, row.amount_description)


@lru_cache(maxsize=8192)
def classify(transaction_type: str, amount_type: str, amount_description: str) -> Classification:
    """Classify one amount by its three texts (cached: files repeat few combinations)."""
    tt, at, desc = _norm(transaction_type), _norm(amount_type), _norm(amount_description)
    at_key, desc_key = _squash(amount_type), _squash(amount_description)

    if desc in _RESERVE:
        return Classification(SettlementCategory.RESERVE, _RESERVE[desc])

    if tt in _ORDER_TYPES or tt in _REFUND_TYPES:
        refund = tt in _REFUND_TYPES
        found = _order_amount(at_key, desc_key, refund)
        if found is not None:
            return found

    for text in (desc, at, tt):
        hit = _NON_ORDER_EXACT.get(text) or _NON_ORDER_EXACT.get(text.replace(" ", ""))
        if hit is not None:
            return Classification(hit[0], hit[1])
    if at == "fba inventory reimbursement" or "reimbursement" in desc or "reimbursement" in at:
        return Classification(SettlementCategory.REIMBURSEMENT, "reimbursement." + (_slug(desc) or "other"))
    if "storage" in desc and "fee" in desc:
        return Classification(SettlementCategory.STORAGE, "storage." + _slug(desc))
    if tt.startswith("liquidation"):
        return Classification(SettlementCategory.LIQUIDATION, "liquidation." + (_slug(desc) or "other"))
    return Classification(SettlementCategory.OTHER,
                          f"other:{transaction_type.strip()}|{amount_type.strip()}|{amount_description.strip()}")


def _order_amount(at_key: str, desc_key: str, refund: bool) -> Classification | None:
    item, fee = (SettlementCategory.REFUND, SettlementCategory.REFUND_FEE) if refund else \
        (SettlementCategory.ORDER_ITEM, SettlementCategory.ORDER_FEE)
    if at_key == "itemprice" and desc_key in _ITEM_PRICE:
        return Classification(item, f"{item.value}.{_ITEM_PRICE[desc_key]}")
    if at_key == "promotion" and desc_key in _PROMOTION:
        return Classification(item, f"{item.value}.{_PROMOTION[desc_key]}")
    if at_key == _WITHHELD_TAX and desc_key.startswith("marketplacefacilitator"):
        suffix = desc_key.removeprefix("marketplacefacilitatortax-").removeprefix("marketplacefacilitator")
        return Classification(item, f"{item.value}.withheld_tax.{_slug(suffix) or 'other'}")
    if at_key in ("itemfees", "shipmentfees", "orderfees") and desc_key in _ITEM_FEES:
        return Classification(fee, f"{fee.value}.{_ITEM_FEES[desc_key]}")
    return None


def _slug(text: str) -> str:
    out = []
    for ch in text.lower():
        out.append(ch if ch.isascii() and ch.isalnum() else "_")
    return "_".join(part for part in "".join(out).split("_") if part)
