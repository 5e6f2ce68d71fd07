"""What each settlement amount is: one table, read by the statement view and by posting.

A settlement row is named by three texts: its transaction-type, amount-type and
amount-description (legacy flat-file rows are first normalised to the same three,
see :mod:`connectors.settlement_file`). :data:`MAPPING` maps them to

* the line of Seller Central's statement view the amount is shown on
  (:class:`StatementLine`: beginning balance, sales, promotional rebates, refunds,
  expenses, reimbursements, account-level reserve, transfers);
* the :class:`SettlementCategory` settlement posting uses to choose the NetSuite
  account and, in the NetSuite Connector's model, whether the amount is an order
  modification (a line on the order's billed record), a refund, or a non-order
  modification (summed into one summary transaction);
* a stable key naming the amount (``order_fee.commission``, ``reserve.previous``),
  which is also the fee type shown under "Amazon fees".

Text is compared without spaces and case. A combination the table does not hold
is never guessed: it is classified :attr:`StatementLine.UNKNOWN` (posted to the
``other`` category) and its key keeps the text as written
(``other:FBAFees|other-transaction|New fee``).

    >>> classify("Order", "ItemFees", "Commission")
    Classification(category=<SettlementCategory.ORDER_FEE: 'order_fee'>, key='order_fee.commission', line=...)
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, Protocol

__all__ = ["SettlementCategory", "StatementLine", "Classification", "Rule", "MAPPING", "classify",
           "classify_row", "CATEGORY_GROUPS", "transaction_group"]


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


class StatementLine(str, enum.Enum):
    """A line of Seller Central's statement view (Payments > Statement view), in its order."""

    BEGINNING_BALANCE = "beginning_balance"  # the previous reserve released into this period
    PRODUCT_CHARGES = "sales.product_charges"
    SHIPPING_CREDITS = "sales.shipping_credits"
    GIFT_WRAP_CREDITS = "sales.gift_wrap_credits"
    TAX_COLLECTED = "sales.tax_collected"
    MARKETPLACE_FACILITATOR_TAX = "sales.marketplace_facilitator_tax"  # tax Amazon collects and remits
    LIQUIDATION_PROCEEDS = "sales.liquidation_proceeds"
    SALES_OTHER = "sales.other"
    PROMOTIONAL_REBATES = "promotional_rebates"
    REFUNDED_SALES = "refunds.refunded_sales"
    REFUNDED_EXPENSES = "refunds.refunded_expenses"
    AMAZON_FEES = "expenses.amazon_fees"  # broken down by fee type (the key)
    FBA_FEES = "expenses.fba_fees"
    ADVERTISING = "expenses.advertising"
    STORAGE = "expenses.storage"
    SUBSCRIPTION = "expenses.subscription"
    LIQUIDATION_FEES = "expenses.liquidation_fees"
    EXPENSES_OTHER = "expenses.other"
    REIMBURSEMENTS = "reimbursements"
    ACCOUNT_LEVEL_RESERVE = "account_level_reserve"  # the reserve held back at the close
    TRANSFERS = "transfers"
    UNKNOWN = "unknown"  # never seen: counted and listed, never guessed

    @property
    def section(self) -> str:
        """The statement's section: ``sales``, ``refunds``, ``expenses`` or the line itself."""
        return self.value.split(".", 1)[0]

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    StatementLine.BEGINNING_BALANCE: "Beginning balance (previous reserve)",
    StatementLine.PRODUCT_CHARGES: "Sales: product charges",
    StatementLine.SHIPPING_CREDITS: "Sales: shipping credits",
    StatementLine.GIFT_WRAP_CREDITS: "Sales: gift wrap credits",
    StatementLine.TAX_COLLECTED: "Sales: tax collected",
    StatementLine.MARKETPLACE_FACILITATOR_TAX: "Sales: marketplace facilitator tax withheld",
    StatementLine.LIQUIDATION_PROCEEDS: "Sales: liquidation proceeds",
    StatementLine.SALES_OTHER: "Sales: other",
    StatementLine.PROMOTIONAL_REBATES: "Promotional rebates",
    StatementLine.REFUNDED_SALES: "Refunds: refunded sales",
    StatementLine.REFUNDED_EXPENSES: "Refunds: refunded expenses",
    StatementLine.AMAZON_FEES: "Expenses: Amazon fees",
    StatementLine.FBA_FEES: "Expenses: FBA fees",
    StatementLine.ADVERTISING: "Expenses: cost of advertising",
    StatementLine.STORAGE: "Expenses: storage",
    StatementLine.SUBSCRIPTION: "Expenses: subscription",
    StatementLine.LIQUIDATION_FEES: "Expenses: liquidation fees",
    StatementLine.EXPENSES_OTHER: "Expenses: other",
    StatementLine.REIMBURSEMENTS: "Reimbursements",
    StatementLine.ACCOUNT_LEVEL_RESERVE: "Account-level reserve (closing)",
    StatementLine.TRANSFERS: "Transfers",
    StatementLine.UNKNOWN: "Unknown (not in the mapping table)",
}


@dataclass(frozen=True, slots=True)
class Classification:
    """A posting category, a stable key naming the amount, and its statement line."""

    category: SettlementCategory
    key: str
    line: StatementLine = StatementLine.UNKNOWN

    @property
    def known(self) -> bool:
        return self.line is not StatementLine.UNKNOWN


class Rule(NamedTuple):
    """One row of :data:`MAPPING`. ``*`` matches any text; ``transactions`` is a group or a type."""

    transactions: str  # "order" | "refund" | "*" | a transaction type, squashed ("servicefee")
    amount_type: str  # squashed ("itemprice") or "*"
    description: str  # squashed ("principal") or "*"
    line: StatementLine
    category: SettlementCategory
    key: str  # for order and refund rules: the suffix after "order_item." / "refund."...


class _RowLike(Protocol):
    transaction_type: str
    amount_type: str
    amount_description: str


#: Transaction types whose rows are refunds of an order.
REFUND_TYPES = frozenset({"refund", "chargebackrefund", "a-to-zguaranteerefund", "guaranteeclaimrefund",
                          "safe-trefund"})
#: Transaction types whose rows are order amounts.
ORDER_TYPES = frozenset({"order", "orderretrocharge"})

L, C = StatementLine, SettlementCategory

# Order item amounts: (description, key, line on an order, line on a refund).
_ITEM_PRICE = (
    ("principal", "principal", L.PRODUCT_CHARGES, L.REFUNDED_SALES),
    ("tax", "tax", L.TAX_COLLECTED, L.REFUNDED_SALES),
    ("shipping", "shipping", L.SHIPPING_CREDITS, L.REFUNDED_SALES),
    ("shippingtax", "shipping_tax", L.TAX_COLLECTED, L.REFUNDED_SALES),
    ("giftwrap", "gift_wrap", L.GIFT_WRAP_CREDITS, L.REFUNDED_SALES),
    ("giftwraptax", "gift_wrap_tax", L.TAX_COLLECTED, L.REFUNDED_SALES),
    ("restockingfee", "restocking_fee", L.SALES_OTHER, L.REFUNDED_SALES),
    ("goodwill", "goodwill", L.SALES_OTHER, L.REFUNDED_SALES),
    ("returnshipping", "return_shipping", L.SALES_OTHER, L.REFUNDED_SALES),
    ("codfee", "cod_fee", L.SALES_OTHER, L.REFUNDED_SALES),
    ("codfeetax", "cod_fee_tax", L.TAX_COLLECTED, L.REFUNDED_SALES),
    ("exportcharge", "export_charge", L.SALES_OTHER, L.REFUNDED_SALES),
    ("regulatoryfee", "regulatory_fee", L.SALES_OTHER, L.REFUNDED_SALES),
    ("regulatoryfeetax", "regulatory_fee_tax", L.TAX_COLLECTED, L.REFUNDED_SALES),
)
# Promotion amounts (rebates on an order, given back as refunded expenses on a refund).
_PROMOTION = (
    ("principal", "promotion_principal"),
    ("shipping", "promotion_shipping"),
    ("tax", "promotion_tax"),
    ("taxdiscount", "promotion_tax_discount"),
    ("shippingtax", "promotion_shipping_tax"),
    ("giftwrap", "promotion_gift_wrap"),
)
# Fees Amazon charges per order (and gives back, in part, on a refund), by fee type.
_ORDER_FEES = (
    ("commission", "commission"),
    ("refundcommission", "refund_commission"),
    ("fbaperunitfulfillmentfee", "fba_per_unit_fulfillment_fee"),
    ("fbaperorderfulfillmentfee", "fba_per_order_fulfillment_fee"),
    ("fbaweightbasedfee", "fba_weight_based_fee"),
    ("fbatransportationfee", "fba_transportation_fee"),  # multi-channel orders, legacy shipment-fee-type
    ("variableclosingfee", "variable_closing_fee"),
    ("fixedclosingfee", "fixed_closing_fee"),
    ("shippingchargeback", "shipping_chargeback"),
    ("giftwrapchargeback", "gift_wrap_chargeback"),
    ("shippinghb", "shipping_holdback"),
    ("salestaxcollectionfee", "sales_tax_collection_fee"),
    ("digitalservicesfee", "digital_services_fee"),
    ("digitalservicesfeefba", "digital_services_fee_fba"),
    ("highvolumelistingfee", "high_volume_listing_fee"),
    ("renewedprogramfee", "renewed_program_fee"),
    ("technologyfee", "technology_fee"),
    ("pointsgranted", "points_granted"),
    ("paymentmethodfee", "payment_method_fee"),
    ("codchargeback", "cod_chargeback"),
)
_FEE_TYPES = ("itemfees", "shipmentfees", "orderfees", "itemrelatedfees")
_WITHHELD = (
    ("marketplacefacilitatortax-principal", "withheld_tax.principal"),
    ("marketplacefacilitatortax-shipping", "withheld_tax.shipping"),
    ("marketplacefacilitatortax-giftwrap", "withheld_tax.gift_wrap"),
    ("marketplacefacilitatortax-other", "withheld_tax.other"),
    ("marketplacefacilitatortax-restockingfee", "withheld_tax.restocking_fee"),
    ("marketplacefacilitatorvat-principal", "withheld_vat.principal"),
    ("marketplacefacilitatorvat-shipping", "withheld_vat.shipping"),
    ("lowvaluegoodstax-principal", "low_value_goods_tax.principal"),
    ("lowvaluegoodstax-shipping", "low_value_goods_tax.shipping"),
)


def _order_and_refund_rules() -> list[Rule]:
    rules = []
    for desc, key, on_order, on_refund in _ITEM_PRICE:
        rules.append(Rule("order", "itemprice", desc, on_order, C.ORDER_ITEM, f"order_item.{key}"))
        rules.append(Rule("refund", "itemprice", desc, on_refund, C.REFUND, f"refund.{key}"))
    for desc, key in _PROMOTION:
        rules.append(Rule("order", "promotion", desc, L.PROMOTIONAL_REBATES, C.ORDER_ITEM, f"order_item.{key}"))
        rules.append(Rule("refund", "promotion", desc, L.REFUNDED_EXPENSES, C.REFUND, f"refund.{key}"))
    for amount_type in _FEE_TYPES:
        for desc, key in _ORDER_FEES:
            rules.append(Rule("order", amount_type, desc, L.AMAZON_FEES, C.ORDER_FEE, f"order_fee.{key}"))
            # a fee Amazon gives back on a refund is a refunded expense; its own refund fee is an expense
            line = L.AMAZON_FEES if desc == "refundcommission" else L.REFUNDED_EXPENSES
            rules.append(Rule("refund", amount_type, desc, line, C.REFUND_FEE, f"refund_fee.{key}"))
    # tax Amazon withholds (and remits) is not on the order's own lines: it posts like a fee
    for desc, key in _WITHHELD:
        rules.append(Rule("order", "itemwithheldtax", desc, L.MARKETPLACE_FACILITATOR_TAX, C.ORDER_FEE,
                          f"order_fee.{key}"))
        rules.append(Rule("refund", "itemwithheldtax", desc, L.MARKETPLACE_FACILITATOR_TAX, C.REFUND_FEE,
                          f"refund_fee.{key}"))
    return rules


_NON_ORDER: tuple[Rule, ...] = (
    # reserves: the previous one opens the statement, the current one closes it
    Rule("*", "*", "previousreserveamountbalance", L.BEGINNING_BALANCE, C.RESERVE, "reserve.previous"),
    Rule("*", "*", "currentreserveamount", L.ACCOUNT_LEVEL_RESERVE, C.RESERVE, "reserve.current"),
    Rule("*", "*", "failedcharge", L.BEGINNING_BALANCE, C.OTHER, "beginning.failed_charge"),
    Rule("*", "*", "faileddisbursement", L.BEGINNING_BALANCE, C.OTHER, "beginning.failed_disbursement"),
    # transfers between the seller's account and Amazon
    Rule("*", "*", "payabletoamazon", L.TRANSFERS, C.OTHER, "transfer.payable_to_amazon"),
    Rule("*", "*", "successfulcharge", L.TRANSFERS, C.OTHER, "transfer.successful_charge"),
    Rule("transfer", "*", "*", L.TRANSFERS, C.OTHER, "transfer"),
    # advertising, subscription, storage
    Rule("*", "costofadvertising", "*", L.ADVERTISING, C.ADVERTISING, "advertising"),
    Rule("*", "*", "costofadvertising", L.ADVERTISING, C.ADVERTISING, "advertising"),
    Rule("*", "*", "subscriptionfee", L.SUBSCRIPTION, C.SUBSCRIPTION, "subscription"),
    Rule("*", "*", "subscription", L.SUBSCRIPTION, C.SUBSCRIPTION, "subscription"),
    Rule("*", "*", "storagefee", L.STORAGE, C.STORAGE, "storage"),
    Rule("*", "*", "fbastoragefee", L.STORAGE, C.STORAGE, "storage"),
    Rule("*", "*", "storagerenewalbilling", L.STORAGE, C.STORAGE, "storage.renewal"),
    Rule("*", "*", "fbalong-termstoragefee", L.STORAGE, C.STORAGE, "storage.long_term"),
    Rule("*", "*", "fbalong-termstorage", L.STORAGE, C.STORAGE, "storage.long_term"),
    Rule("*", "*", "storageutilizationsurcharge", L.STORAGE, C.STORAGE, "storage.utilization_surcharge"),
    # FBA fees that belong to no order
    Rule("*", "*", "fbainboundplacementservicefee", L.FBA_FEES, C.OTHER, "fba.inbound_placement"),
    Rule("*", "*", "fbainboundtransportationcharge", L.FBA_FEES, C.OTHER, "fba.inbound_transportation"),
    Rule("*", "*", "inboundtransportationfee", L.FBA_FEES, C.OTHER, "fba.inbound_transportation"),
    Rule("*", "*", "fbainboundconveniencefee", L.FBA_FEES, C.OTHER, "fba.inbound_convenience"),
    Rule("*", "*", "fbaremovalfee", L.FBA_FEES, C.REMOVAL, "removal"),
    Rule("*", "*", "removalcomplete", L.FBA_FEES, C.REMOVAL, "removal"),
    Rule("*", "*", "fbadisposalfee", L.FBA_FEES, C.REMOVAL, "removal.disposal"),
    Rule("*", "*", "disposalcomplete", L.FBA_FEES, C.REMOVAL, "removal.disposal"),
    Rule("*", "*", "fbacustomerreturnperunitfee", L.FBA_FEES, C.OTHER, "fba.customer_return_per_unit"),
    Rule("*", "*", "fbacustomerreturnperorderfee", L.FBA_FEES, C.OTHER, "fba.customer_return_per_order"),
    Rule("*", "*", "fbacustomerreturnweightbasedfee", L.FBA_FEES, C.OTHER, "fba.customer_return_weight_based"),
    Rule("*", "*", "labelingfee", L.FBA_FEES, C.OTHER, "fba.prep.labeling"),
    Rule("*", "*", "polybaggingfee", L.FBA_FEES, C.OTHER, "fba.prep.polybagging"),
    Rule("fbafees", "*", "*", L.FBA_FEES, C.OTHER, "fba.other"),
    # reimbursements for stock Amazon lost or damaged, and their reversals
    Rule("*", "fbainventoryreimbursement", "warehouse_damage", L.REIMBURSEMENTS, C.REIMBURSEMENT,
         "reimbursement.warehouse_damage"),
    Rule("*", "fbainventoryreimbursement", "warehouse_lost", L.REIMBURSEMENTS, C.REIMBURSEMENT,
         "reimbursement.warehouse_lost"),
    Rule("*", "fbainventoryreimbursement", "reversal_reimbursement", L.REIMBURSEMENTS, C.REIMBURSEMENT,
         "reimbursement.reversal"),
    Rule("*", "fbainventoryreimbursement", "customer_return", L.REIMBURSEMENTS, C.REIMBURSEMENT,
         "reimbursement.customer_return"),
    Rule("*", "fbainventoryreimbursement", "customerreturn", L.REIMBURSEMENTS, C.REIMBURSEMENT,
         "reimbursement.customer_return"),
    Rule("*", "fbainventoryreimbursement", "missing_from_inbound", L.REIMBURSEMENTS, C.REIMBURSEMENT,
         "reimbursement.missing_from_inbound"),
    Rule("*", "fbainventoryreimbursement", "free_replacement_refund_items", L.REIMBURSEMENTS, C.REIMBURSEMENT,
         "reimbursement.free_replacement"),
    Rule("*", "fbainventoryreimbursement", "incorrect_fees_items", L.REIMBURSEMENTS, C.REIMBURSEMENT,
         "reimbursement.incorrect_fees"),
    Rule("*", "fbainventoryreimbursement", "*", L.REIMBURSEMENTS, C.REIMBURSEMENT, "reimbursement.fba_inventory"),
    Rule("*", "*", "warehouse_damage", L.REIMBURSEMENTS, C.REIMBURSEMENT, "reimbursement.warehouse_damage"),
    Rule("*", "*", "warehouse_lost", L.REIMBURSEMENTS, C.REIMBURSEMENT, "reimbursement.warehouse_lost"),
    Rule("*", "*", "reversal_reimbursement", L.REIMBURSEMENTS, C.REIMBURSEMENT, "reimbursement.reversal"),
    Rule("*", "*", "fbainventoryreimbursement", L.REIMBURSEMENTS, C.REIMBURSEMENT, "reimbursement.fba_inventory"),
    Rule("*", "*", "safe-treimbursement", L.REIMBURSEMENTS, C.REIMBURSEMENT, "reimbursement.safe_t"),
    Rule("*", "*", "refundreimbursal", L.REIMBURSEMENTS, C.REIMBURSEMENT, "reimbursement.refund_reimbursal"),
    # liquidations: proceeds on their own line, the brokerage fee an expense
    Rule("*", "*", "liquidations", L.LIQUIDATION_PROCEEDS, C.LIQUIDATION, "liquidation.proceeds"),
    Rule("*", "*", "liquidationsproceeds", L.LIQUIDATION_PROCEEDS, C.LIQUIDATION, "liquidation.proceeds"),
    Rule("*", "*", "liquidationsbrokeragefee", L.LIQUIDATION_FEES, C.LIQUIDATION, "liquidation.brokerage_fee"),
    Rule("*", "*", "liquidationsadjustments", L.LIQUIDATION_PROCEEDS, C.LIQUIDATION, "liquidation.adjustment"),
    # service fees: the fee itself names the line; V1 files give the tax on it as TaxAmount
    Rule("servicefee", "costofadvertising", "taxamount", L.ADVERTISING, C.ADVERTISING, "advertising.tax"),
    Rule("servicefee", "*", "taxamount", L.AMAZON_FEES, C.OTHER, "service_fee.tax"),
    Rule("servicefee", "*", "transactiontotalamount", L.AMAZON_FEES, C.OTHER, "service_fee"),
    # miscellaneous charges Seller Central shows as "other" expenses
    Rule("*", "*", "shippinglabelpurchase", L.EXPENSES_OTHER, C.OTHER, "other.shipping_label"),
    Rule("*", "*", "shippinglabelpurchaseforreturn", L.EXPENSES_OTHER, C.OTHER, "other.return_shipping_label"),
    Rule("*", "*", "shippingservicesrefund", L.EXPENSES_OTHER, C.OTHER, "other.shipping_label_refund"),
    Rule("*", "*", "couponredemptionfee", L.EXPENSES_OTHER, C.OTHER, "other.coupon_redemption"),
    Rule("*", "*", "lightningdealfee", L.EXPENSES_OTHER, C.OTHER, "other.lightning_deal"),
    Rule("*", "*", "vinefee", L.EXPENSES_OTHER, C.OTHER, "other.vine"),
    Rule("*", "*", "amazonlendingloanrepayment", L.EXPENSES_OTHER, C.OTHER, "other.lending_repayment"),
    Rule("*", "*", "balanceadjustment", L.EXPENSES_OTHER, C.OTHER, "other.balance_adjustment"),
    Rule("*", "*", "miscadjustment", L.EXPENSES_OTHER, C.OTHER, "other.misc_adjustment"),
)

#: The one row-to-line table: every amount Amazon documents or real files show.
MAPPING: tuple[Rule, ...] = (*_order_and_refund_rules(), *_NON_ORDER)

_INDEX: dict[tuple[str, str, str], Rule] = {}
for _rule in MAPPING:
    _INDEX.setdefault((_rule.transactions, _rule.amount_type, _rule.description), _rule)


def _squash(text: str) -> str:
    return "".join(text.split()).lower()


def transaction_group(transaction_type: str) -> str:
    """``order``, ``refund``, or the squashed transaction type itself."""
    tt = _squash(transaction_type)
    if tt in ORDER_TYPES:
        return "order"
    if tt in REFUND_TYPES:
        return "refund"
    return tt


def classify_row(row: _RowLike) -> Classification:
    """Classify a :class:`~connectors.settlement_file.SettlementRow` (or anything with its three fields)."""
    return classify(row.transaction_type, row.amount_type, row.amount_description)


@lru_cache(maxsize=8192)
def classify(transaction_type: str, amount_type: str, amount_description: str) -> Classification:
    """Classify one amount by its three texts (cached: files repeat few combinations).

    The most specific rule wins: amount type and description before the amount
    type alone, before the description alone; within each, the transaction's own
    group before any transaction; a rule on the transaction type alone
    (``FBAFees``, ``Transfer``) comes last.
    """
    tt, raw_tt = transaction_group(transaction_type), _squash(transaction_type)
    at, desc = _squash(amount_type), _squash(amount_description)
    for key in ((tt, at, desc), ("*", at, desc), (tt, at, "*"), ("*", at, "*"), (tt, "*", desc),
                ("*", "*", desc), ("*", "*", raw_tt), (raw_tt, "*", "*")):
        rule = _INDEX.get(key)
        if rule is not None:
            return Classification(rule.category, rule.key, rule.line)
    return Classification(SettlementCategory.OTHER,
                          f"other:{transaction_type.strip()}|{amount_type.strip()}|{amount_description.strip()}",
                          StatementLine.UNKNOWN)
