"""Realistic Amazon settlement flat files, of any size, for tests and benchmarks.

Files are written as a stream (constant memory): the summary row needs the
rows' total first, so rows are generated twice from the same seed, once to sum
and once to write. The same seed and options always give the same bytes.

    >>> result = write_settlement(path, GeneratorOptions(rows=10_000, seed=7))
    >>> result.row_count, result.total
    (10000, Decimal('...'))

Orders the suite synced can be put in the file (:class:`SettlementOrder`, with
their refunds); random orders, refunds and non-order amounts fill the rest.
Each real-file quirk has an option; with an option on, the quirk occurs at
least once.

US files carry the marketplace facilitator tax Amazon collects and remits itself: each
taxed order row ``ItemPrice``/``Tax`` (and ``ShippingTax``) is matched by an
``ItemWithheldTax`` row ``MarketplaceFacilitatorTax-Principal`` (``-Shipping``) of the
opposite sign, and a refund gives both back (financesV0.json, ``ChargeComponent``:
"MarketplaceFacilitatorTax-Principal: The tax that is withheld on the principal",
"MarketplaceFacilitatorTax-Shipping: The tax that is withheld on the ShippingCharge").
``withheld_tax`` (default: on for V2 files of Amazon.com in USD) writes them.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, BinaryIO, Iterable, Iterator, Sequence

from faker import Faker

from syncproof.model import MINOR_UNITS, Order, Refund

__all__ = [
    "GeneratorOptions",
    "SettlementItem",
    "SettlementRefund",
    "SettlementOrder",
    "GeneratedSettlement",
    "write_settlement",
    "settlement_bytes",
    "V2_HEADER",
    "LEGACY_HEADER",
]

V2_HEADER = (
    "settlement-id", "settlement-start-date", "settlement-end-date", "deposit-date", "total-amount",
    "currency", "transaction-type", "order-id", "merchant-order-id", "adjustment-id", "shipment-id",
    "marketplace-name", "amount-type", "amount-description", "amount", "fulfillment-id", "posted-date",
    "posted-date-time", "order-item-code", "merchant-order-item-id", "merchant-adjustment-item-id", "sku",
    "quantity-purchased", "promotion-id",
)
LEGACY_HEADER = (
    "settlement-id", "settlement-start-date", "settlement-end-date", "deposit-date", "total-amount",
    "currency", "transaction-type", "order-id", "merchant-order-id", "adjustment-id", "shipment-id",
    "marketplace-name", "shipment-fee-type", "shipment-fee-amount", "order-fee-type", "order-fee-amount",
    "fulfillment-id", "posted-date", "order-item-code", "merchant-order-item-id",
    "merchant-adjustment-item-id", "sku", "quantity-purchased", "price-type", "price-amount",
    "item-related-fee-type", "item-related-fee-amount", "misc-fee-amount", "other-fee-amount",
    "other-fee-reason-description", "promotion-id", "promotion-type", "promotion-amount",
    "direct-payment-type", "direct-payment-amount", "other-amount",
)
_LEGACY_PROMOTION = ("promotion-id", "promotion-type", "promotion-amount")

_ZERO = Decimal(0)
_COMMISSION_RATE = Decimal("0.15")


# inputs -------------------------------------------------------------------
@dataclass(frozen=True)
class SettlementItem:
    """One order item as it settles: Decimal amounts as the buyer paid them (positive).

    ``commission`` defaults to 15 % of the principal; fees are written negative.
    """

    sku: str
    quantity: int
    principal: Decimal
    tax: Decimal = _ZERO
    shipping: Decimal = _ZERO
    shipping_tax: Decimal = _ZERO
    promotion: Decimal = _ZERO  # discount given, positive; written as a negative Promotion row
    commission: Decimal | None = None
    fba_fee: Decimal = _ZERO
    order_item_code: str = ""


@dataclass(frozen=True)
class SettlementRefund:
    """A refund of one item: amounts refunded to the buyer, positive (written negative)."""

    sku: str
    quantity: int
    principal: Decimal
    tax: Decimal = _ZERO
    shipping: Decimal = _ZERO
    shipping_tax: Decimal = _ZERO
    commission_refund: Decimal | None = None  # commission Amazon gives back; default 15 % of principal
    refund_commission: Decimal | None = None  # Amazon's fee for the refund; default 20 % of that, max 5
    adjustment_id: str = ""
    transaction_type: str = "Refund"


@dataclass(frozen=True)
class SettlementOrder:
    """An order (and its refunds) to include in a generated settlement."""

    order_id: str
    items: tuple[SettlementItem, ...]
    refunds: tuple[SettlementRefund, ...] = ()
    merchant_order_id: str = ""
    marketplace: str = ""
    fulfillment: str = "AFN"

    @classmethod
    def from_order(cls, order: Order, refunds: Sequence[Refund] = ()) -> "SettlementOrder":
        """Build from the domain model: principal is gross, discount a promotion, shipping on item 1."""
        items = []
        for index, line in enumerate(order.lines):
            shipping = order.shipping if index == 0 and order.shipping else None
            items.append(SettlementItem(
                sku=line.sku, quantity=line.quantity, principal=line.gross.amount, tax=line.tax.amount,
                shipping=shipping.amount.amount if shipping else _ZERO,
                shipping_tax=shipping.tax.amount if shipping else _ZERO,
                promotion=line.discount.amount, order_item_code=line.line_id))
        settled_refunds = []
        for refund in refunds:
            for index, rline in enumerate(refund.lines):
                first = index == 0
                settled_refunds.append(SettlementRefund(
                    sku=rline.sku, quantity=rline.quantity, principal=rline.amount.amount, tax=rline.tax.amount,
                    shipping=refund.shipping.amount if first and refund.shipping else _ZERO,
                    shipping_tax=refund.shipping_tax.amount if first and refund.shipping_tax else _ZERO,
                    adjustment_id=refund.refund_id))
        return cls(order.channel_order_id, tuple(items), tuple(settled_refunds))


@dataclass(frozen=True)
class GeneratorOptions:
    """What to generate. Every quirk is off by default; each one on occurs at least once."""

    rows: int = 1000  # random amount rows, in addition to the given orders' rows
    seed: int = 0
    format: str = "v2"  # "v2" | "legacy"
    currency: str = "USD"
    marketplace: str = "Amazon.com"
    settlement_id: str | None = None
    start: datetime | None = None
    promotion_id_column: bool = True  # V2: 24 columns (False: Amazon's documented 23)
    legacy_promotion_columns: bool = True  # legacy: 36 columns (False: 33)
    decimal_comma: bool = False
    thousands_separator: bool = False
    eu_dates: bool = False
    iso_dates: bool = False  # ISO 8601 with an offset for the summary and posted-date-time
    bom: bool = False
    crlf: bool = False
    trailing_blank_line: bool = False
    missing_trailing_column: bool = False
    trailing_spaces: bool = False
    non_utf8_description: bool = False
    non_order_ids: bool = False
    reserve_rows: bool = False
    other_transaction_types: bool = False
    empty_marketplace: bool = False
    unbalance: Decimal | None = None  # added to the summary total only
    #: rows written after the given orders: (transaction-type, amount-type, description, amount, days after start)
    extra_rows: tuple[tuple[str, str, str, Decimal, int], ...] = ()
    #: ItemWithheldTax rows for the marketplace facilitator tax (None: as US files do, V2 Amazon.com USD)
    withheld_tax: bool | None = None

    @property
    def writes_withheld_tax(self) -> bool:
        if self.withheld_tax is not None:
            return self.withheld_tax
        return self.format == "v2" and self.currency.upper() == "USD" and self.marketplace == "Amazon.com"

    def __post_init__(self) -> None:
        if self.format not in ("v2", "legacy"):
            raise ValueError(f"format must be 'v2' or 'legacy', not {self.format!r}")
        if self.rows < 0:
            raise ValueError("rows must not be negative")
        if isinstance(self.unbalance, float):
            raise ValueError("unbalance must be a Decimal, not a float")


@dataclass(frozen=True)
class GeneratedSettlement:
    """What was written: the summary's values and the rows' count and sum."""

    settlement_id: str
    currency: str
    start: datetime
    end: datetime
    deposit_date: datetime
    total: Decimal
    rows_sum: Decimal
    row_count: int
    order_ids: tuple[str, ...] = field(default=())
    #: the statement view the generator meant to write: statement line -> amount (see INTENDED_LINES)
    statement: dict[str, Decimal] = field(default_factory=dict)


#: Where the generator means each amount it writes to appear on Seller Central's statement view:
#: (refund?, amount-type, amount-description) -> statement line. Written from the generator's side,
#: so a test can hold the statement computed from the file against it.
INTENDED_LINES: dict[tuple[bool, str, str], str] = {
    (False, "ItemPrice", "Principal"): "sales.product_charges",
    (False, "ItemPrice", "Tax"): "sales.tax_collected",
    (False, "ItemPrice", "Shipping"): "sales.shipping_credits",
    (False, "ItemPrice", "ShippingTax"): "sales.tax_collected",
    (False, "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal"): "sales.marketplace_facilitator_tax",
    (False, "ItemWithheldTax", "MarketplaceFacilitatorTax-Shipping"): "sales.marketplace_facilitator_tax",
    (True, "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal"): "sales.marketplace_facilitator_tax",
    (True, "ItemWithheldTax", "MarketplaceFacilitatorTax-Shipping"): "sales.marketplace_facilitator_tax",
    (False, "Promotion", "Principal"): "promotional_rebates",
    (False, "ItemFees", "Commission"): "expenses.amazon_fees",
    (False, "ItemFees", "FBAPerUnitFulfillmentFee"): "expenses.amazon_fees",
    (True, "ItemPrice", "Principal"): "refunds.refunded_sales",
    (True, "ItemPrice", "Tax"): "refunds.refunded_sales",
    (True, "ItemPrice", "Shipping"): "refunds.refunded_sales",
    (True, "ItemPrice", "ShippingTax"): "refunds.refunded_sales",
    (True, "ItemFees", "Commission"): "refunds.refunded_expenses",
    (True, "ItemFees", "RefundCommission"): "expenses.amazon_fees",
    (False, "Cost of Advertising", "TransactionTotalAmount"): "expenses.advertising",
    (False, "other-transaction", "Subscription Fee"): "expenses.subscription",
    (False, "FBA Inventory Reimbursement", "WAREHOUSE_DAMAGE"): "reimbursements",
    (False, "other-transaction", "Storage Fee"): "expenses.storage",
    (False, "other-transaction", "FBA Inbound Placement Service Fee"): "expenses.fba_fees",
    (False, "other-transaction", "Shipping label purchase"): "expenses.other",
    (False, "other-transaction", "Liquidations"): "sales.liquidation_proceeds",
    (False, "other-transaction", "RemovalComplete"): "expenses.fba_fees",
    (False, "other-transaction", "Previous Reserve Amount Balance"): "beginning_balance",
    (False, "other-transaction", "Current Reserve Amount"): "account_level_reserve",
}


def _intended_line(record: "_Record") -> str:
    refund = "Refund" in record.transaction_type
    return INTENDED_LINES.get((refund, record.amount_type, record.description), "unknown")


# records --------------------------------------------------------------------
# A record is one amount in V2 terms; the writers turn it into a V2 or legacy line.
@dataclass(slots=True)
class _Record:
    transaction_type: str
    order_id: str
    amount_type: str
    description: str
    amount: Decimal
    posted: datetime
    merchant_order_id: str = ""
    adjustment_id: str = ""
    shipment_id: str = ""
    marketplace: str = ""
    fulfillment_id: str = ""
    order_item_code: str = ""
    sku: str = ""
    quantity: int | None = None
    promotion_id: str = ""
    cp1252: bool = False


class _Source:
    """Deterministic record source: the same options give the same records."""

    def __init__(self, options: GeneratorOptions, orders: Sequence[SettlementOrder]) -> None:
        self.options = options
        self.orders = orders
        self.rng = random.Random(options.seed)
        fake = Faker()
        fake.seed_instance(options.seed)
        self.skus = [fake.bothify("??-####-???").upper() for _ in range(300)]
        self.exp = MINOR_UNITS.get(options.currency.upper(), 2)
        self.quantum = Decimal(1).scaleb(-self.exp)
        self.start = options.start or datetime(2024, 10, 1, 7, 49, 55, tzinfo=timezone.utc)
        self.end = self.start + timedelta(days=14)
        self.deposit = self.end + timedelta(days=2)
        self.span = int((self.end - self.start).total_seconds())
        self.settlement_id = options.settlement_id or str(10_000_000_000 + self.rng.randrange(10**10))

    # helpers --------------------------------------------------------------
    def money(self, low: int, high: int) -> Decimal:
        """Random amount in [low, high] minor units."""
        return Decimal(self.rng.randint(low, high)).scaleb(-self.exp)

    def posted(self) -> datetime:
        return self.start + timedelta(seconds=self.rng.randrange(self.span))

    def order_id(self) -> str:
        r = self.rng
        prefix = r.choice((111, 112, 113, 114, 202, 205, 302, 303, 402, 403, 503, 701))
        return f"{prefix:03d}-{r.randrange(10**7):07d}-{r.randrange(10**7):07d}"

    def round(self, value: Decimal) -> Decimal:
        return value.quantize(self.quantum, rounding=ROUND_HALF_UP)

    def marketplace(self) -> str:
        if self.options.empty_marketplace and self.rng.random() < 0.05:
            return ""
        return self.options.marketplace

    # streams ----------------------------------------------------------------
    def records(self) -> Iterator[_Record]:
        o = self.options
        if o.reserve_rows:
            yield _Record("other-transaction", "", "other-transaction", "Previous Reserve Amount Balance",
                          self.money(1000, 50000), self.start)
        for order in self.orders:
            yield from self._given(order)
        for transaction, kind, description, amount, days in o.extra_rows:
            yield _Record(transaction, "", kind, description, amount, self.start + timedelta(days=days, hours=1))
        produced = 0
        quirks = list(self._quirk_records())
        for record in quirks:
            if produced >= o.rows:
                break
            yield record
            produced += 1
        while produced < o.rows:
            for record in self._random_event():
                if produced >= o.rows:
                    break
                yield record
                produced += 1
        if o.reserve_rows:
            yield _Record("other-transaction", "", "other-transaction", "Current Reserve Amount",
                          -self.money(1000, 50000), self.end)

    def _given(self, order: SettlementOrder) -> Iterator[_Record]:
        posted = self.posted()
        marketplace = order.marketplace or self.options.marketplace
        shipment = f"S{self.rng.randrange(10**9):09d}"
        base: dict[str, Any] = dict(order_id=order.order_id, merchant_order_id=order.merchant_order_id,
                                    shipment_id=shipment, marketplace=marketplace, fulfillment_id=order.fulfillment)
        for item in order.items:
            code = item.order_item_code or f"{self.rng.randrange(10**14):014d}"
            common: dict[str, Any] = dict(base, order_item_code=code, sku=item.sku, quantity=item.quantity)
            commission = (
                item.commission if item.commission is not None else self.round(item.principal * _COMMISSION_RATE)
            )
            parts = [("ItemPrice", "Principal", item.principal), ("ItemPrice", "Tax", item.tax),
                     ("ItemPrice", "Shipping", item.shipping), ("ItemPrice", "ShippingTax", item.shipping_tax),
                     *self._withheld(-item.tax, -item.shipping_tax),
                     ("Promotion", "Principal", -item.promotion), ("ItemFees", "Commission", -commission),
                     ("ItemFees", "FBAPerUnitFulfillmentFee", -item.fba_fee)]
            for kind, description, amount in parts:
                if amount or description == "Principal" and kind == "ItemPrice":
                    yield _Record("Order", amount_type=kind, description=description, amount=amount,
                                  posted=posted, **common)
        for refund in order.refunds:
            refunded = self.posted()
            adjustment = refund.adjustment_id or f"{self.rng.randrange(10**14):014d}"
            common = dict(base, shipment_id="", adjustment_id=adjustment, sku=refund.sku, quantity=refund.quantity)
            back = (
                refund.commission_refund
                if refund.commission_refund is not None
                else self.round(refund.principal * _COMMISSION_RATE)
            )
            fee = (
                refund.refund_commission
                if refund.refund_commission is not None
                else min(self.round(back * Decimal("0.2")), Decimal(5))
            )
            parts = [("ItemPrice", "Principal", -refund.principal), ("ItemPrice", "Tax", -refund.tax),
                     ("ItemPrice", "Shipping", -refund.shipping), ("ItemPrice", "ShippingTax", -refund.shipping_tax),
                     *self._withheld(refund.tax, refund.shipping_tax),
                     ("ItemFees", "Commission", back), ("ItemFees", "RefundCommission", -fee)]
            for kind, description, amount in parts:
                if amount or description == "Principal":
                    yield _Record(refund.transaction_type, amount_type=kind, description=description,
                                  amount=amount, posted=refunded, **common)

    def _withheld(self, principal_tax: Decimal, shipping_tax: Decimal) -> list[tuple[str, str, Decimal]]:
        """The ItemWithheldTax rows matching an item's tax (signed as written), when the file has them."""
        if not self.options.writes_withheld_tax:
            return []
        return [("ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", principal_tax),
                ("ItemWithheldTax", "MarketplaceFacilitatorTax-Shipping", shipping_tax)]

    def _random_event(self) -> Iterator[_Record]:
        r = self.rng.random()
        o = self.options
        if o.other_transaction_types and r < 0.08:
            yield from self._other_event()
        elif o.non_order_ids and r < 0.12:
            yield from self._non_order_event()
        elif r < 0.82:
            yield from self._order_event()
        else:
            yield from self._refund_event()

    def _order_event(self) -> Iterator[_Record]:
        rng = self.rng
        quantity = rng.choice((1, 1, 1, 2, 3))
        principal = self.money(499, 25000) * quantity
        tax = self.round(principal * Decimal("0.08")) if rng.random() < 0.6 else _ZERO
        shipping = self.money(299, 999) if rng.random() < 0.3 else _ZERO
        promotion = self.money(100, 500) if rng.random() < 0.1 else _ZERO
        fulfillment = "AFN" if rng.random() < 0.7 else "MFN"
        item = SettlementItem(rng.choice(self.skus), quantity, principal, tax, shipping,
                              self.round(shipping * Decimal("0.08")) if shipping else _ZERO, promotion,
                              fba_fee=self.money(250, 900) if fulfillment == "AFN" else _ZERO)
        yield from self._given(SettlementOrder(self.order_id(), (item,), fulfillment=fulfillment,
                                               marketplace=self.marketplace() or "\0"))

    def _refund_event(self) -> Iterator[_Record]:
        rng = self.rng
        principal = self.money(499, 15000)
        refund = SettlementRefund(rng.choice(self.skus), 1, principal,
                                  self.round(principal * Decimal("0.08")) if rng.random() < 0.6 else _ZERO)
        yield from self._given(SettlementOrder(self.order_id(), (), (refund,)))

    _OTHER = (
        ("ServiceFee", "Cost of Advertising", "TransactionTotalAmount", -1),
        ("other-transaction", "other-transaction", "Subscription Fee", -1),
        ("other-transaction", "FBA Inventory Reimbursement", "WAREHOUSE_DAMAGE", 1),
        ("other-transaction", "other-transaction", "Storage Fee", -1),
        ("Chargeback Refund", "ItemPrice", "Principal", -1),
        ("A-to-z Guarantee Refund", "ItemPrice", "Principal", -1),
        ("FBAFees", "other-transaction", "FBA Inbound Placement Service Fee", -1),
        ("other-transaction", "other-transaction", "Shipping label purchase", -1),
        ("Liquidations", "other-transaction", "Liquidations", 1),
    )

    def _other_event(self) -> Iterator[_Record]:
        transaction, kind, description, sign = self.rng.choice(self._OTHER)
        order_id = self.order_id() if "Refund" in transaction else ""
        yield _Record(transaction, order_id, kind, description, self.money(100, 20000) * sign, self.posted(),
                      marketplace=self.options.marketplace if order_id else "")

    def _non_order_event(self) -> Iterator[_Record]:
        rng = self.rng
        choice = rng.randrange(4)
        if choice == 0:
            order_id = "FBA15" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(5))
            yield _Record("other-transaction", order_id, "other-transaction", "FBA Inbound Placement Service Fee",
                          -self.money(100, 9000), self.posted())
        elif choice == 1:
            order_id = f"RMV{rng.randrange(10**9):09d}"
            yield _Record("other-transaction", order_id, "other-transaction", "RemovalComplete",
                          -self.money(50, 2000), self.posted(), sku=rng.choice(self.skus), quantity=1)
        elif choice == 2:
            order_id = f"S01-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"
            yield _Record("Order", order_id, "ItemFees", "FBAPerUnitFulfillmentFee", -self.money(250, 900),
                          self.posted(), marketplace="", sku=rng.choice(self.skus), quantity=1, fulfillment_id="AFN")
        else:
            order_id = f"{rng.randrange(10**9):09d}"
            yield _Record("Liquidations", order_id, "other-transaction", "Liquidations",
                          self.money(100, 9000), self.posted())

    def _quirk_records(self) -> Iterator[_Record]:
        o = self.options
        if o.non_utf8_description:
            yield _Record("other-transaction", "", "other-transaction", "Rückerstattung für beschädigte Ware",
                          self.money(100, 5000), self.posted(), cp1252=True)
        if o.other_transaction_types:
            for transaction, kind, description, sign in self._OTHER:
                yield _Record(transaction, "", kind, description, self.money(100, 5000) * sign, self.posted())
        if o.non_order_ids:
            for _ in range(4):
                yield from self._non_order_event()
        if o.empty_marketplace:
            yield _Record("Order", self.order_id(), "ItemPrice", "Principal", self.money(100, 5000), self.posted(),
                          marketplace="", sku=self.skus[0], quantity=1)
        if o.thousands_separator:
            yield _Record("Order", self.order_id(), "ItemPrice", "Principal", self.money(100_000, 500_000),
                          self.posted(), marketplace=o.marketplace, sku=self.skus[0], quantity=1)


# formatting -----------------------------------------------------------------
class _Formatter:
    def __init__(self, options: GeneratorOptions, exp: int) -> None:
        self.o = options
        self.exp = exp

    def amount(self, value: Decimal) -> str:
        o = self.o
        text = f"{value:,.{self.exp}f}" if o.thousands_separator and abs(value) >= 1000 else f"{value:.{self.exp}f}"
        if o.decimal_comma:
            text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
        return text

    def moment(self, value: datetime) -> str:
        if self.o.iso_dates:
            return value.isoformat()
        if self.o.eu_dates:
            return value.strftime("%d.%m.%Y %H:%M:%S UTC")
        return value.strftime("%Y-%m-%d %H:%M:%S UTC")

    def day(self, value: datetime) -> str:
        return value.strftime("%d.%m.%Y" if self.o.eu_dates else "%Y-%m-%d")


def _v2_line(record: _Record, settlement_id: str, fmt: _Formatter) -> list[str]:
    marketplace = record.marketplace
    if marketplace == "\0":
        marketplace = ""
    return [settlement_id, "", "", "", "", "", record.transaction_type, record.order_id, record.merchant_order_id,
            record.adjustment_id, record.shipment_id, marketplace, record.amount_type, record.description,
            fmt.amount(record.amount), record.fulfillment_id, fmt.day(record.posted), fmt.moment(record.posted),
            record.order_item_code, "", "", record.sku, "" if record.quantity is None else str(record.quantity),
            record.promotion_id]


_LEGACY_TYPE_COLUMNS = {
    "ItemPrice": ("price-type", "price-amount"),
    "ItemFees": ("item-related-fee-type", "item-related-fee-amount"),
    "Promotion": ("promotion-type", "promotion-amount"),
}


def _legacy_line(record: _Record, settlement_id: str, fmt: _Formatter, index: dict[str, int]) -> list[str]:
    fields = [""] * len(index)
    marketplace = "" if record.marketplace == "\0" else record.marketplace
    for column, value in (("settlement-id", settlement_id), ("transaction-type", record.transaction_type),
                          ("order-id", record.order_id), ("merchant-order-id", record.merchant_order_id),
                          ("adjustment-id", record.adjustment_id), ("shipment-id", record.shipment_id),
                          ("marketplace-name", marketplace), ("fulfillment-id", record.fulfillment_id),
                          ("posted-date", fmt.day(record.posted)), ("order-item-code", record.order_item_code),
                          ("sku", record.sku),
                          ("quantity-purchased", "" if record.quantity is None else str(record.quantity))):
        fields[index[column]] = value
    columns = _LEGACY_TYPE_COLUMNS.get(record.amount_type)
    if columns and columns[0] not in index:  # promotion without promotion columns
        columns = None
    if columns:
        fields[index[columns[0]]] = record.description
        fields[index[columns[1]]] = fmt.amount(record.amount)
    elif record.description and record.description != record.transaction_type:
        fields[index["other-fee-reason-description"]] = record.description
        fields[index["other-fee-amount"]] = fmt.amount(record.amount)
    else:
        fields[index["other-amount"]] = fmt.amount(record.amount)
    return fields


# writing --------------------------------------------------------------------
def write_settlement(target: str | os.PathLike[str] | BinaryIO, options: GeneratorOptions | None = None,
                     orders: Iterable[SettlementOrder] = ()) -> GeneratedSettlement:
    """Write a settlement file to a path or binary stream; return what it holds.

    ``orders`` come first, then ``options.rows`` random amount rows (plus the
    reserve rows when asked). The summary's total-amount is the rows' sum, plus
    ``options.unbalance`` when given.
    """
    options = options or GeneratorOptions()
    orders = tuple(orders)
    # pass 1: sum
    source = _Source(options, orders)
    rows_sum, count = _ZERO, 0
    statement: dict[str, Decimal] = {}
    for record in source.records():
        rows_sum += record.amount
        count += 1
        line = _intended_line(record)
        statement[line] = statement.get(line, _ZERO) + record.amount
    total = rows_sum + (options.unbalance or _ZERO)
    # pass 2: write
    source = _Source(options, orders)
    if isinstance(target, (str, os.PathLike)):
        with open(target, "wb") as stream:
            _write(stream, source, total)
    else:
        _write(target, source, total)
    return GeneratedSettlement(source.settlement_id, options.currency, source.start, source.end, source.deposit,
                               total, rows_sum, count, tuple(order.order_id for order in orders), statement)


def settlement_bytes(options: GeneratorOptions | None = None, orders: Iterable[SettlementOrder] = ()) -> bytes:
    """The file :func:`write_settlement` would write, as bytes (for small files)."""
    import io

    buffer = io.BytesIO()
    write_settlement(buffer, options, orders)
    return buffer.getvalue()


def _write(stream: BinaryIO, source: _Source, total: Decimal) -> None:
    o = source.options
    fmt = _Formatter(o, source.exp)
    newline = "\r\n" if o.crlf else "\n"
    if o.format == "v2":
        header = list(V2_HEADER if o.promotion_id_column else V2_HEADER[:-1])
    else:
        header = [c for c in LEGACY_HEADER if o.legacy_promotion_columns or c not in _LEGACY_PROMOTION]
    index = {name: i for i, name in enumerate(header)}
    width = len(header)
    summary = [""] * width
    summary[0] = source.settlement_id
    if o.format == "v2":
        dates = [fmt.moment(source.start), fmt.moment(source.end), fmt.moment(source.deposit)]
    else:
        dates = [source.start.isoformat(), source.end.isoformat(), source.deposit.isoformat()]
    summary[1:4] = dates
    summary[4] = fmt.amount(total)
    summary[5] = o.currency
    out: list[bytes] = []
    head = "\t".join(header) + newline
    out.append(("\ufeff" + head if o.bom else head).encode("utf-8"))
    out.append(("\t".join(summary) + newline).encode("utf-8"))
    dropped = False
    for n, record in enumerate(source.records()):
        fields = _v2_line(record, source.settlement_id, fmt) if o.format == "v2" else \
            _legacy_line(record, source.settlement_id, fmt, index)
        if o.format == "v2" and not o.promotion_id_column:
            fields.pop()
        if o.trailing_spaces and n % 7 == 0:
            amount_index = index.get("amount", index.get("price-amount"))
            if amount_index is not None and fields[amount_index]:
                fields[amount_index] += " "
        if o.missing_trailing_column and (n % 10 == 3 or not dropped) and not fields[-1]:
            fields.pop()
            dropped = True
        line = "\t".join(fields) + newline
        out.append(line.encode("cp1252") if record.cp1252 else line.encode("utf-8"))
        if len(out) >= 2000:
            stream.write(b"".join(out))
            out.clear()
    if o.trailing_blank_line:
        out.append(newline.encode())
    stream.write(b"".join(out))
