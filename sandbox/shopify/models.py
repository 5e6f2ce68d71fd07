"""State of the emulated Shopify store, and the rules Shopify applies to it.

Everything here is plain Python: records for orders, line items, transactions and
refunds, and :class:`ShopifyBackend`, which owns them behind one lock. The GraphQL
layer (``_views`` and ``app``) only reads records and calls the backend's methods.

Rules applied as Shopify applies them:

- a refund line may not exceed the line's unrefunded quantity;
- refund transactions may not exceed what was captured, less what was refunded,
  in total and per parent transaction;
- a shipping refund may not exceed the shipping charged, less shipping refunded;
- the order's financial status moves to PARTIALLY_REFUNDED or REFUNDED;
- a refund line's restock type follows the line's fulfilment: RETURN for shipped units, CANCEL for
  unshipped ones, NO_RESTOCK for either (shipped first); none given means NO_RESTOCK;
- an order presented in another currency than the shop's keeps its amounts in the presentment
  currency and shows shop money converted at its rate; its refunds must name the presentment
  currency (``RefundInput.currency``).

Violations raise :class:`UserInputError`, whose entries become ``userErrors`` with
field paths such as ``["refundLineItems", "0", "quantity"]``.
"""

from __future__ import annotations

import copy
import itertools
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Iterable

from syncproof.model import MINOR_UNITS

__all__ = [
    "ShopifyBackend", "UserInputError", "OrderRecord", "LineItemRecord", "TaxLineRecord",
    "ShippingLineRecord", "TransactionRecord", "Currencies", "RefundRecord", "RefundLineRecord",
    "RefundShippingRecord", "PricedRefund", "gid", "parse_gid", "DEMO_SHOP_NAME",
]

DEMO_SHOP_NAME = "syncproof demo store"
#: Days of orders an app sees without the ``read_all_orders`` scope.
ORDER_WINDOW_DAYS = 60
CAPTURE_KINDS = ("SALE", "CAPTURE")


def gid(kind: str, number: int) -> str:
    """``gid("Order", 123)`` -> ``"gid://shopify/Order/123"``."""
    return f"gid://shopify/{kind}/{number}"


def parse_gid(value: object, kind: str) -> int | None:
    """The number in a gid of ``kind``, or None when ``value`` is not one."""
    prefix = f"gid://shopify/{kind}/"
    if not isinstance(value, str) or not value.startswith(prefix):
        return None
    number = value[len(prefix):].split("?", 1)[0]
    return int(number) if number.isdigit() else None


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor unit."""
    return amount.quantize(Decimal(1).scaleb(-MINOR_UNITS.get(currency, 2)), rounding=ROUND_HALF_UP)


class UserInputError(Exception):
    """One or more ``userErrors``: ``(field_path, message, code)`` triples."""

    def __init__(self, errors: Iterable[tuple[list[str], str, str | None]]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{'.'.join(f)}: {m}" for f, m, _ in self.errors))


# records -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Currencies:
    """An order's two currencies: the customer's (presentment), in which its amounts are kept, and the
    shop's, with the rate Shopify converted at (shop money per unit of presentment money)."""

    presentment: str
    shop: str
    rate: Decimal = Decimal(1)

    def shop_amount(self, amount: Decimal) -> Decimal:
        """``amount`` in shop money, rounded to the shop currency's minor unit."""
        return amount if self.shop == self.presentment else quantize(amount * self.rate, self.shop)


@dataclass
class TaxLineRecord:
    title: str
    rate: Decimal
    price: Decimal


@dataclass
class LineItemRecord:
    id: int
    title: str
    sku: str | None
    quantity: int
    price: Decimal  # unit price before discount and tax
    tax_lines: list[TaxLineRecord]
    discount: Decimal = Decimal(0)  # discount allocated to the whole line
    requires_shipping: bool = True
    refunded_quantity: int = 0
    refunded_subtotal: Decimal = Decimal(0)
    refunded_tax: Decimal = Decimal(0)
    fulfilled_quantity: int = 0  # units shipped
    returned_quantity: int = 0  # shipped units refunded (RETURN, or NO_RESTOCK of shipped units)
    cancelled_quantity: int = 0  # unshipped units refunded (CANCEL, or NO_RESTOCK of unshipped units)

    @property
    def original_total(self) -> Decimal:
        return self.price * self.quantity

    @property
    def net_total(self) -> Decimal:
        return self.original_total - self.discount

    @property
    def tax(self) -> Decimal:
        return sum((t.price for t in self.tax_lines), Decimal(0))

    @property
    def refundable_quantity(self) -> int:
        return self.quantity - self.refunded_quantity

    @property
    def unfulfilled_quantity(self) -> int:
        """Units neither shipped nor refunded (GraphQL ``LineItem.unfulfilledQuantity``)."""
        return self.quantity - self.fulfilled_quantity - self.cancelled_quantity

    @property
    def returnable_quantity(self) -> int:
        """Shipped units not yet refunded."""
        return self.fulfilled_quantity - self.returned_quantity


@dataclass
class ShippingLineRecord:
    id: int
    title: str
    code: str | None
    price: Decimal
    tax_lines: list[TaxLineRecord]
    refunded_amount: Decimal = Decimal(0)
    refunded_tax: Decimal = Decimal(0)

    @property
    def tax(self) -> Decimal:
        return sum((t.price for t in self.tax_lines), Decimal(0))


@dataclass
class TransactionRecord:
    id: int
    kind: str
    status: str
    gateway: str
    amount: Decimal
    created_at: str
    parent_id: int | None = None
    test: bool = False


@dataclass
class RefundLineRecord:
    id: int
    line_item_id: int
    quantity: int
    restock_type: str
    unit_price: Decimal
    subtotal: Decimal  # net of discount, before tax
    tax: Decimal


@dataclass
class RefundShippingRecord:
    id: int
    shipping_line_id: int
    subtotal: Decimal
    tax: Decimal


@dataclass
class RefundRecord:
    id: int
    order_id: int
    note: str | None
    created_at: str
    lines: list[RefundLineRecord] = field(default_factory=list)
    shipping: list[RefundShippingRecord] = field(default_factory=list)
    transaction_ids: list[int] = field(default_factory=list)


@dataclass
class OrderRecord:
    id: int
    number: int
    currency: str
    created_at: str
    updated_at: str
    processed_at: str
    lines: list[LineItemRecord]
    shipping_line: ShippingLineRecord | None = None
    transactions: list[TransactionRecord] = field(default_factory=list)
    refunds: list[RefundRecord] = field(default_factory=list)
    email: str | None = None
    note: str | None = None
    test: bool = False
    discount_code: str | None = None
    shop_currency: str = ""  # empty: the order's currency (a single-currency order)
    exchange_rate: Decimal = Decimal(1)  # shop money per unit of the order's (presentment) money

    @property
    def currencies(self) -> Currencies:
        return Currencies(self.currency, self.shop_currency or self.currency, self.exchange_rate)

    @property
    def name(self) -> str:
        return f"#{self.number}"

    # amounts -----------------------------------------------------------------------
    def q(self, amount: Decimal) -> Decimal:
        return quantize(amount, self.currency)

    @property
    def line_items_total(self) -> Decimal:
        return sum((line.original_total for line in self.lines), Decimal(0))

    @property
    def total_discounts(self) -> Decimal:
        return sum((line.discount for line in self.lines), Decimal(0))

    @property
    def subtotal(self) -> Decimal:
        """Line items after discounts, before shipping and tax (REST ``subtotal_price``)."""
        return self.line_items_total - self.total_discounts

    @property
    def shipping_price(self) -> Decimal:
        return self.shipping_line.price if self.shipping_line else Decimal(0)

    @property
    def total_tax(self) -> Decimal:
        tax = sum((line.tax for line in self.lines), Decimal(0))
        return tax + (self.shipping_line.tax if self.shipping_line else Decimal(0))

    @property
    def total_price(self) -> Decimal:
        return self.subtotal + self.shipping_price + self.total_tax

    def successful(self, *kinds: str) -> list[TransactionRecord]:
        return [t for t in self.transactions if t.kind in kinds and t.status == "SUCCESS"]

    @property
    def total_received(self) -> Decimal:
        return sum((t.amount for t in self.successful(*CAPTURE_KINDS)), Decimal(0))

    @property
    def total_refunded(self) -> Decimal:
        return sum((t.amount for t in self.successful("REFUND")), Decimal(0))

    @property
    def refunded_shipping(self) -> Decimal:
        return self.shipping_line.refunded_amount if self.shipping_line else Decimal(0)

    @property
    def refunded_line_subtotal(self) -> Decimal:
        return sum((line.refunded_subtotal for line in self.lines), Decimal(0))

    @property
    def refunded_tax(self) -> Decimal:
        tax = sum((line.refunded_tax for line in self.lines), Decimal(0))
        return tax + (self.shipping_line.refunded_tax if self.shipping_line else Decimal(0))

    @property
    def refundable_amount(self) -> Decimal:
        return self.total_received - self.total_refunded

    def refundable_on(self, parent: TransactionRecord) -> Decimal:
        refunded = sum((t.amount for t in self.successful("REFUND") if t.parent_id == parent.id), Decimal(0))
        return parent.amount - refunded

    @property
    def financial_status(self) -> str:
        received, refunded = self.total_received, self.total_refunded
        if received == 0:
            return "AUTHORIZED" if self.successful("AUTHORIZATION") else "PENDING"
        if refunded == 0:
            return "PAID" if received >= self.total_price else "PARTIALLY_PAID"
        return "REFUNDED" if refunded >= received else "PARTIALLY_REFUNDED"


@dataclass
class PricedRefundLine:
    line: LineItemRecord
    quantity: int
    restock_type: str
    subtotal: Decimal
    tax: Decimal
    discount: Decimal
    shipped: int = 0  # of ``quantity``, units that had been shipped (the rest had not)


@dataclass
class PricedRefund:
    """What a refund of some lines and shipping is worth, before it is recorded."""

    order: OrderRecord
    lines: list[PricedRefundLine]
    shipping: Decimal
    shipping_tax: Decimal
    shipping_refundable: Decimal

    @property
    def subtotal(self) -> Decimal:  # before discounts
        return sum((p.line.price * p.quantity for p in self.lines), Decimal(0))

    @property
    def discounted_subtotal(self) -> Decimal:
        return sum((p.subtotal for p in self.lines), Decimal(0))

    @property
    def cart_discount(self) -> Decimal:
        return sum((p.discount for p in self.lines), Decimal(0))

    @property
    def tax(self) -> Decimal:
        return sum((p.tax for p in self.lines), Decimal(0)) + self.shipping_tax

    @property
    def amount(self) -> Decimal:
        return min(self.discounted_subtotal + self.tax + self.shipping, self.order.refundable_amount)

    def suggested_transactions(self) -> list[tuple[TransactionRecord, Decimal, Decimal]]:
        """``(parent, amount, maximum_refundable)`` per capture, oldest first, covering ``amount``."""
        left = self.amount
        result = []
        for parent in self.order.successful(*CAPTURE_KINDS):
            room = self.order.refundable_on(parent)
            if room <= 0 or left <= 0:
                continue
            take = min(room, left)
            result.append((parent, take, room))
            left -= take
        return result


# the backend -------------------------------------------------------------------------

def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class ShopifyBackend:
    """The emulated store: thread-safe state plus Shopify's order and refund rules.

        >>> backend = ShopifyBackend()
        >>> order = backend.create_order({"lineItems": [{"sku": "A", "quantity": 1,
        ...     "priceSet": {"shopMoney": {"amount": "10.00", "currencyCode": "USD"}}}]})
        >>> order.name
        '#1001'
    """

    def __init__(self, shop_name: str = DEMO_SHOP_NAME, currency: str = "USD",
                 domain: str = "syncproof-demo.myshopify.com",
                 clock: Callable[[], datetime] = _utcnow) -> None:
        self.shop_name = shop_name
        self.currency = currency
        self.domain = domain
        self.clock = clock
        self.lock = threading.RLock()
        self.reset()

    # sandbox helpers ---------------------------------------------------------------
    def reset(self) -> None:
        """Forget every order, refund and transaction."""
        with self.lock:
            self.orders: dict[int, OrderRecord] = {}
            self.refund_orders: dict[int, int] = {}  # refund id -> order id
            self.revision = 0
            self._derived: dict = {}
            self.idempotency_keys: dict[str, tuple[int, int]] = {}  # key -> (order id, refund id)
            self._ids = itertools.count(5_000_000_001)
            self._numbers = itertools.count(1001)

    def changed(self) -> None:
        """Note a change of state: what was worked out from the old state (searches) is dropped."""
        with self.lock:
            self.revision += 1
            self._derived = {}

    def derived(self) -> dict:
        """Values worked out from the current state (e.g. an order search), kept until it changes."""
        return self._derived

    def snapshot(self) -> dict:
        """The raw state as JSON-ready data (amounts as strings)."""
        with self.lock:
            return {"shop": {"name": self.shop_name, "currency": self.currency},
                    "orders": [_jsonable(asdict(o)) for o in self.orders.values()]}

    def add_transaction(self, order_id: int, kind: str, amount: Decimal | str, gateway: str = "manual",
                        status: str = "SUCCESS") -> TransactionRecord:
        """Sandbox only: record a payment transaction (e.g. a fixture's sale) on an order."""
        with self.lock:
            order = self.orders[order_id]
            tx = TransactionRecord(self.next_id(), kind, status, gateway, Decimal(str(amount)), self.now())
            order.transactions.append(tx)
            self.changed()
            return tx

    def fulfil(self, order_id: int, quantities: dict[int, int]) -> None:
        """Sandbox only: ship ``{line id: units}`` of an order (a fulfillment made in the admin)."""
        with self.lock:
            order = self.orders[order_id]
            for line in order.lines:
                units = quantities.get(line.id, 0)
                if units < 0 or units > line.unfulfilled_quantity:
                    raise ValueError(f"line {line.id} has {line.unfulfilled_quantity} unit(s) to ship, not {units}")
                line.fulfilled_quantity += units
            self.changed()

    def now(self) -> str:
        return _iso(self.clock())

    def next_id(self) -> int:
        return next(self._ids)

    # reads -------------------------------------------------------------------------
    def order(self, order_id: int) -> OrderRecord | None:
        with self.lock:
            return self.orders.get(order_id)

    def list_orders(self) -> list[OrderRecord]:
        with self.lock:
            return list(self.orders.values())

    def visible(self, order: OrderRecord | None, scopes: Iterable[str]) -> bool:
        """Whether the app sees ``order``: without ``read_all_orders`` only orders created in the
        last 60 days are accessible (shopify.dev, GraphQL Admin ``Order`` object)."""
        if order is None:
            return False
        if "read_all_orders" in set(scopes):
            return True
        created = datetime.fromisoformat(order.created_at.replace("Z", "+00:00"))
        return created >= self.clock() - timedelta(days=ORDER_WINDOW_DAYS)

    def find_refund(self, refund_id: int) -> tuple[OrderRecord, RefundRecord] | None:
        """The refund ``refund_id`` and its order, or None."""
        with self.lock:
            order = self.orders.get(self.refund_orders.get(refund_id, -1))
            refund = next((r for r in order.refunds if r.id == refund_id), None) if order else None
            return (order, refund) if order and refund else None

    def find_line(self, line_id: int) -> tuple[OrderRecord, LineItemRecord] | None:
        with self.lock:
            for order in self.orders.values():
                for line in order.lines:
                    if line.id == line_id:
                        return order, line
        return None

    def find_transaction(self, transaction_id: int) -> TransactionRecord | None:
        with self.lock:
            for order in self.orders.values():
                for tx in order.transactions:
                    if tx.id == transaction_id:
                        return tx
        return None

    # orderCreate -------------------------------------------------------------------
    def create_order(self, data: dict, *, order_id: int | None = None,
                     line_ids: list[int] | None = None) -> OrderRecord:
        """Create an order from ``OrderCreateOrderInput`` data (amounts as Decimal or str).

        ``order_id`` and ``line_ids`` (sandbox only) seed known ids, e.g. a fixture's.
        """
        with self.lock:
            # ``currency`` is the shop's side, ``presentmentCurrency`` the customer's (OrderCreateOrderInput)
            shop_currency = data.get("currency") or self.currency
            pair = Currencies(data.get("presentmentCurrency") or shop_currency, shop_currency)
            currency = pair.presentment
            rates: list[Decimal] = []  # shop / presentment of each amount given in both
            errors: list[tuple[list[str], str, str | None]] = []
            items = data.get("lineItems") or []
            if not items:
                errors.append((["order", "lineItems"], "Line items must have at least one line item", "REQUIRED"))
            lines = []
            for i, item in enumerate(items):
                where = ["order", "lineItems", str(i)]
                if item.get("quantity", 0) < 1:
                    errors.append((where + ["quantity"], "Quantity must be greater than or equal to 1", "INVALID"))
                price = _money_input(item.get("priceSet"), pair, where + ["priceSet"], errors, rates)
                taxes = self._tax_lines(item.get("taxLines") or [], pair, where + ["taxLines"], errors)
                lines.append(
                    LineItemRecord(
                        id=line_ids[i] if line_ids and i < len(line_ids) else self.next_id(),
                        title=item.get("title") or item.get("sku") or "Custom item",
                        sku=item.get("sku"),
                        quantity=int(item.get("quantity", 0)),
                        price=price or Decimal(0),
                        tax_lines=taxes,
                        requires_shipping=item.get("requiresShipping", True) is not False,
                    )
                )
            shipping = None
            for i, ship in enumerate(data.get("shippingLines") or []):
                where = ["order", "shippingLines", str(i)]
                price = _money_input(ship.get("priceSet"), pair, where + ["priceSet"], errors, rates)
                taxes = self._tax_lines(ship.get("taxLines") or [], pair, where + ["taxLines"], errors)
                if shipping is None:
                    shipping = ShippingLineRecord(self.next_id(), ship.get("title") or "Shipping",
                                                  ship.get("code"), price or Decimal(0), taxes)
                else:  # several shipping lines are merged into one, as a single charge
                    shipping.price += price or Decimal(0)
                    shipping.tax_lines.extend(taxes)
            code = self._apply_discount(data.get("discountCode"), lines, pair, errors)
            _mark_fulfilled(lines, data.get("fulfillmentStatus"))
            if errors:
                raise UserInputError(errors)
            now = self.now()
            moment = data.get("processedAt") or now
            if order_id is not None and order_id in self.orders:
                raise UserInputError([(["order", "id"], f"Order {order_id} already exists", "INVALID")])
            order = OrderRecord(
                id=order_id if order_id is not None else self.next_id(), number=next(self._numbers), currency=currency,
                created_at=now, updated_at=now, processed_at=moment,
                lines=lines, shipping_line=shipping, email=data.get("email"), note=data.get("note"),
                test=bool(data.get("test")), discount_code=code,
                shop_currency=pair.shop if pair.shop != pair.presentment else "",
                exchange_rate=rates[0] if rates and pair.shop != pair.presentment else Decimal(1))
            for i, tx in enumerate(data.get("transactions") or []):
                where = ["order", "transactions", str(i), "amountSet"]
                amount = _money_input(tx.get("amountSet"), pair, where, errors)
                order.transactions.append(TransactionRecord(
                    id=self.next_id(), kind=tx.get("kind") or "SALE", status=tx.get("status") or "SUCCESS",
                    gateway=tx.get("gateway") or "manual", amount=amount or Decimal(0),
                    created_at=now, test=bool(tx.get("test"))))
            if errors:
                raise UserInputError(errors)
            self.orders[order.id] = order
            self.changed()
            return order

    def _tax_lines(self, raw: list[dict], currency: Currencies, where: list[str], errors) -> list[TaxLineRecord]:
        result = []
        for i, tax in enumerate(raw):
            price = _money_input(tax.get("priceSet"), currency, where + [str(i), "priceSet"], errors)
            result.append(TaxLineRecord(tax.get("title") or "Tax", Decimal(str(tax.get("rate", 0))),
                                        price or Decimal(0)))
        return result

    @staticmethod
    def _apply_discount(raw: dict | None, lines: list[LineItemRecord], pair: Currencies, errors) -> str | None:
        """Allocate one discount code across the lines in proportion to their price."""
        if not raw:
            return None
        currency = pair.presentment
        gross = sum((line.original_total for line in lines), Decimal(0))
        if fixed := raw.get("itemFixedDiscountCode"):
            amount = _money_input(fixed.get("amountSet"), pair,
                                  ["order", "discountCode", "itemFixedDiscountCode", "amountSet"], errors) or Decimal(0)
            code = fixed.get("code")
        elif pct := raw.get("itemPercentageDiscountCode"):
            amount = quantize(gross * Decimal(str(pct.get("percentage") or 0)) / 100, currency)
            code = pct.get("code")
        else:
            return None
        if amount > gross:
            errors.append((["order", "discountCode"], "Discount cannot exceed the line items' total", "INVALID"))
            return code
        left = amount
        for i, line in enumerate(lines):
            share = left if i == len(lines) - 1 else quantize(amount * line.original_total / gross, currency)
            line.discount = share
            left -= share
        return code

    # suggestedRefund / refundCreate -------------------------------------------------
    def price_refund(self, order: OrderRecord, line_inputs: list[dict], shipping: dict | None,
                     *, clamp: bool = False, full: bool = False) -> PricedRefund:
        """Work out a refund's lines, tax and shipping; refuse what Shopify would refuse.

        ``clamp`` (used by ``suggestedRefund``) caps quantities at what is refundable
        instead of refusing; ``full`` suggests every unrefunded unit and all shipping.
        """
        errors: list[tuple[list[str], str, str | None]] = []
        if full:
            line_inputs = [{"lineItemId": gid("LineItem", line.id), "quantity": line.refundable_quantity}
                           for line in order.lines if line.refundable_quantity > 0]
            shipping = {"fullRefund": True}
        priced: list[PricedRefundLine] = []
        asked: dict[int, int] = {}
        shipped_asked: dict[int, int] = {}
        for i, raw in enumerate(line_inputs or []):
            where = ["refundLineItems", str(i)]
            number = parse_gid(raw.get("lineItemId"), "LineItem")
            line = next((ln for ln in order.lines if ln.id == number), None)
            if line is None:
                errors.append(
                    (
                        where + ["lineItemId"],
                        f"Line item {raw.get('lineItemId')} does not belong to order {gid('Order', order.id)}",
                        None,
                    )
                )
                continue
            if raw.get("restockType") == "LEGACY_RESTOCK" and not clamp:
                # shopify.dev, RefundLineItemRestockType: "not accepted when creating new refunds"
                errors.append((where + ["restockType"],
                               "LEGACY_RESTOCK is not accepted when creating new refunds", None))
                continue
            restock = raw.get("restockType") or "NO_RESTOCK"  # the schema declares no default
            quantity = int(raw.get("quantity", 0))
            available = line.refundable_quantity - asked.get(line.id, 0)
            if quantity < 0 or (quantity == 0 and not clamp):
                errors.append((where + ["quantity"], "Quantity must be greater than 0", None))
                continue
            if quantity > available:
                if not clamp:
                    errors.append((where + ["quantity"],
                                   f"Quantity cannot refund more items than were purchased: {quantity} requested "
                                   f"for line item {line.sku or line.id}, {available} refundable", None))
                    continue
                quantity = available
            shipped = _shipped_units(line, restock, quantity, shipped_asked.get(line.id, 0),
                                     asked.get(line.id, 0) - shipped_asked.get(line.id, 0))
            if isinstance(shipped, str):
                if not clamp:  # suggestedRefund adjusts restock instructions instead of refusing them
                    errors.append((where + ["restockType"], shipped, None))
                    continue
                shipped = max(0, min(quantity, line.returnable_quantity - shipped_asked.get(line.id, 0)))
            asked[line.id] = asked.get(line.id, 0) + quantity
            shipped_asked[line.id] = shipped_asked.get(line.id, 0) + shipped
            priced_line = self._price_line(order, line, quantity, restock, already=asked[line.id] - quantity)
            priced_line.shipped = shipped
            priced.append(priced_line)
        ship_amount, ship_tax, ship_room = self._price_shipping(order, shipping, errors)
        if errors:
            raise UserInputError(errors)
        return PricedRefund(order, priced, ship_amount, ship_tax, ship_room)

    @staticmethod
    def _price_line(order: OrderRecord, line: LineItemRecord, quantity: int, restock: str,
                    already: int) -> PricedRefundLine:
        """Prorate the line's net total and tax; the last units take the remainder, to the cent."""
        done = line.refunded_quantity + already
        if done + quantity == line.quantity:  # refunding every remaining unit
            before_sub = order.q(line.net_total * done / line.quantity) if already else line.refunded_subtotal
            before_tax = order.q(line.tax * done / line.quantity) if already else line.refunded_tax
            subtotal, tax = line.net_total - before_sub, line.tax - before_tax
        else:
            subtotal = order.q(line.net_total * quantity / line.quantity)
            tax = order.q(line.tax * quantity / line.quantity)
        discount = line.price * quantity - subtotal
        return PricedRefundLine(line, quantity, restock, subtotal, tax, discount)

    @staticmethod
    def _price_shipping(order: OrderRecord, shipping: dict | None, errors) -> tuple[Decimal, Decimal, Decimal]:
        line = order.shipping_line
        room = (line.price - line.refunded_amount) if line else Decimal(0)
        if not shipping:
            return Decimal(0), Decimal(0), room
        tax_room = (line.tax - line.refunded_tax) if line else Decimal(0)
        if shipping.get("fullRefund"):
            return room, tax_room, room
        amount = shipping.get("amount")
        if amount is None:
            return Decimal(0), Decimal(0), room
        amount = Decimal(str(amount))
        if amount < 0:
            errors.append((["shipping", "amount"], "Shipping refund amount must be positive", None))
            return Decimal(0), Decimal(0), room
        if amount > room:
            errors.append(
                (
                    ["shipping", "amount"],
                    f"Shipping refund amount {amount} is greater than the refundable shipping amount {room}",
                    None,
                )
            )
            return Decimal(0), Decimal(0), room
        tax = (
            tax_room
            if amount == room
            else (order.q(line.tax * amount / line.price) if line and line.price else Decimal(0))
        )
        return amount, tax, room

    def create_refund(self, data: dict, idempotency_key: str | None = None) -> RefundRecord:
        """Record a refund from ``RefundInput`` data, or raise :class:`UserInputError`.

        With ``idempotency_key`` (the ``@idempotent`` directive), a key seen before
        returns the refund it created, whoever sends it.
        """
        with self.lock:
            if idempotency_key and idempotency_key in self.idempotency_keys:
                order_id, refund_id = self.idempotency_keys[idempotency_key]
                return next(r for r in self.orders[order_id].refunds if r.id == refund_id)
            refund = self._create_refund(data)
            if idempotency_key:
                self.idempotency_keys[idempotency_key] = (refund.order_id, refund.id)
            return refund

    def _create_refund(self, data: dict) -> RefundRecord:
        with self.lock:
            number = parse_gid(data.get("orderId"), "Order")
            order = self.orders.get(number) if number else None
            if order is None:
                raise UserInputError([(["orderId"], "Order does not exist", None)])
            _check_refund_currency(order, data.get("currency"))
            priced = self.price_refund(order, data.get("refundLineItems") or [], data.get("shipping"))
            new_tx = self._refund_transactions(order, data.get("transactions") or [])
            now = self.now()
            refund = RefundRecord(id=self.next_id(), order_id=order.id, note=data.get("note"), created_at=now)
            for p in priced.lines:
                p.line.refunded_quantity += p.quantity
                p.line.returned_quantity += p.shipped
                p.line.cancelled_quantity += p.quantity - p.shipped
                p.line.refunded_subtotal += p.subtotal
                p.line.refunded_tax += p.tax
                refund.lines.append(RefundLineRecord(self.next_id(), p.line.id, p.quantity, p.restock_type,
                                                     p.line.price, p.subtotal, p.tax))
            if priced.shipping or priced.shipping_tax:
                ship = order.shipping_line
                assert ship is not None, "shipping is priced only on an order with a shipping line"
                ship.refunded_amount += priced.shipping
                ship.refunded_tax += priced.shipping_tax
                refund.shipping.append(RefundShippingRecord(self.next_id(), ship.id, priced.shipping,
                                                            priced.shipping_tax))
            for tx in new_tx:
                tx.created_at = now
                order.transactions.append(tx)
                refund.transaction_ids.append(tx.id)
            order.refunds.append(refund)
            order.updated_at = now
            self.refund_orders[refund.id] = order.id
            self.changed()
            return refund

    def _refund_transactions(self, order: OrderRecord, raw: list[dict]) -> list[TransactionRecord]:
        errors: list[tuple[list[str], str, str | None]] = []
        result: list[TransactionRecord] = []
        per_parent: dict[int, Decimal] = {}
        total = Decimal(0)
        for i, tx in enumerate(raw):
            where = ["transactions", str(i)]
            if tx.get("kind") != "REFUND":
                errors.append((where + ["kind"], f"Transaction kind must be REFUND, not {tx.get('kind')}", None))
                continue
            if parse_gid(tx.get("orderId"), "Order") != order.id:
                errors.append((where + ["orderId"], "Transaction order does not match the refunded order", None))
                continue
            amount = Decimal(str(tx.get("amount")))
            if amount <= 0:
                errors.append((where + ["amount"], "Amount must be greater than 0", None))
                continue
            parent = None
            if tx.get("parentId") is not None:
                pid = parse_gid(tx.get("parentId"), "OrderTransaction")
                parent = next((t for t in order.successful(*CAPTURE_KINDS) if t.id == pid), None)
                if parent is None:
                    errors.append(
                        (
                            where + ["parentId"],
                            "Parent transaction is not a successful capture or sale on this order",
                            None,
                        )
                    )
                    continue
                per_parent[parent.id] = per_parent.get(parent.id, Decimal(0)) + amount
                if per_parent[parent.id] > order.refundable_on(parent):
                    errors.append((where + ["amount"],
                                   f"Refund amount {amount} exceeds the {order.refundable_on(parent)} refundable on "
                                   f"transaction {tx.get('parentId')}", None))
                    continue
            total += amount
            if total > order.refundable_amount:
                errors.append(
                    (
                        where + ["amount"],
                        f"Refund amount {total} exceeds the {order.refundable_amount} captured and not yet refunded",
                        None,
                    )
                )
                continue
            result.append(TransactionRecord(self.next_id(), "REFUND", "SUCCESS", tx.get("gateway") or "manual",
                                            amount, "", parent.id if parent else None))
        if errors:
            raise UserInputError(errors)
        return result


def _check_refund_currency(order: OrderRecord, given: str | None) -> None:
    """shopify.dev, ``RefundInput.currency``: "The currency that is used to refund the order. This must
    be the presentment currency, which is the currency used by the customer. This is a required field
    for orders where the currency and presentment currency differ." (The wording of the refusals is
    the emulator's.)"""
    pair = order.currencies
    if given is None and pair.presentment != pair.shop:
        raise UserInputError([(["currency"], f"Currency is required: order {order.name} was presented in "
                               f"{pair.presentment} and the shop's currency is {pair.shop}", None)])
    if given is not None and given != pair.presentment:
        raise UserInputError([(["currency"], f"Currency {given} is not the presentment currency "
                               f"{pair.presentment} of order {order.name}", None)])


def _mark_fulfilled(lines: list[LineItemRecord], status: str | None) -> None:
    """``OrderCreateOrderInput.fulfillmentStatus`` (shopify.dev, ``OrderCreateFulfillmentStatus``):
    FULFILLED "Every line item in the order has been fulfilled"; PARTIAL "At least one line item in the
    order has been fulfilled" (the emulator ships the first line); otherwise nothing is shipped."""
    shipped = lines if status == "FULFILLED" else lines[:1] if status == "PARTIAL" else []
    for line in shipped:
        line.fulfilled_quantity = line.quantity


def _shipped_units(line: LineItemRecord, restock: str, quantity: int, shipped_asked: int,
                   unshipped_asked: int) -> int | str:
    """How many of ``quantity`` refunded units had shipped, or why ``restock`` cannot refund them.

    shopify.dev, ``RefundLineItemRestockType``: RETURN "Use this when restocking line items that
    were fulfilled", CANCEL "Use this when restocking unfulfilled line items"; NO_RESTOCK refunds
    shipped units first, then unshipped ones.
    """
    shipped_room = line.returnable_quantity - shipped_asked
    unshipped_room = line.unfulfilled_quantity - unshipped_asked
    name = line.sku or line.id
    if restock == "RETURN":
        if quantity > shipped_room:
            return (f"Restock type RETURN is for fulfilled items: line item {name} has {shipped_room} fulfilled "
                    f"unit(s) left to refund, {quantity} requested; refund unfulfilled units with CANCEL")
        return quantity
    if restock == "CANCEL":
        if quantity > unshipped_room:
            return (f"Restock type CANCEL is for unfulfilled items: line item {name} has {unshipped_room} unfulfilled "
                    f"unit(s) left to refund, {quantity} requested; refund fulfilled units with RETURN")
        return 0
    return min(quantity, max(shipped_room, 0))


def _money_input(bag: dict | None, pair: Currencies, where: list[str], errors,
                 rates: list[Decimal] | None = None) -> Decimal | None:
    """The order-currency amount of a ``MoneyBagInput``, checking its currencies.

    shopify.dev, ``MoneyBagInput``: ``shopMoney`` "Amount in shop currency" is required;
    ``presentmentMoney`` "Amount in presentment currency. If this isn't given then we assume that
    the presentment currency is the same as the shop's currency." So an order presented in another
    currency than the shop's needs both, and its amounts are the presentment ones.
    """
    if not bag or not bag.get("shopMoney"):
        errors.append((where, "Price is required", "REQUIRED"))
        return None
    money = bag["shopMoney"]
    if money.get("currencyCode") and money["currencyCode"] != pair.shop:
        errors.append((where, f"Currency {money['currencyCode']} does not match the order currency {pair.shop}",
                       "CURRENCY_MISMATCH"))
        return None
    if pair.presentment == pair.shop:
        return Decimal(str(money.get("amount")))
    shown = bag.get("presentmentMoney")
    if not shown or shown.get("currencyCode") != pair.presentment:
        errors.append((where + ["presentmentMoney"],
                       f"Presentment money in {pair.presentment} is required: the order is presented in "
                       f"{pair.presentment} and the shop's currency is {pair.shop}", "CURRENCY_MISMATCH"))
        return None
    amount = Decimal(str(shown.get("amount")))
    if rates is not None and amount:
        rates.append(Decimal(str(money.get("amount"))) / amount)
    return amount


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return copy.copy(value)
