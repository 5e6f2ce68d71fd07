"""The WooCommerce emulator's state: products, tax rates, orders with their items, refunds.

Rules it follows, each tested against its source in ``tests/woocommerce/test_emulator_rules.py``:

- an order's taxes come from the store's tax rates, per item (``taxes`` by rate id), with
  an order-level ``tax_lines`` summary per rate; coupons' discounts are ``subtotal - total``;
- ``POST /orders/<id>/refunds`` follows ``WC_REST_Order_Refunds_Controller`` and
  ``wc_create_refund``: a missing ``amount`` is the sum of the items' ``refund_total`` and
  ``refund_tax``; a negative amount is refused (400 ``woocommerce_rest_invalid_order_refund``),
  an amount above what the order has left is refused (500
  ``woocommerce_rest_cannot_create_order_refund``, "Invalid refund amount."); a quantity
  above what is left of the item is refused (400 ``woocommerce_rest_invalid_line_item``);
  ``api_refund`` (default true) asks the order's payment gateway, refused when the gateway
  does not support refunds; refunded items are negative copies naming the order item in
  ``_refunded_item_id``;
- every amount is written with the store's "Number of decimals" (``woocommerce_price_num_decimals``, 2
  unless set; ``wc_get_price_decimals``), or with the request's ``dp`` when it names one: the orders and
  refunds controllers' ``prepare_object_for_response`` pass it to ``wc_format_decimal``, whose
  ``number_format`` writes exactly that many decimals, rounded half away from zero; what an order has left to
  refund is rounded to the store's decimals too (``WC_Order::get_remaining_refund_amount``). The setting need
  not be the currency's ISO 4217 minor unit;
- an item's taxes per rate are stored as ``WC_Tax::calc_tax`` works them out, rounded only to
  ``wc_get_rounding_precision()`` (the store's decimals + 2, at least ``WC_ROUNDING_PRECISION``, 6): 8% of
  3.26 is 0.2608. ``get_order_item_data`` writes them as stored (``'total' => $tax``, ``'subtotal'``, on the
  line's subtotal before discounts), unformatted; the item's ``total_tax`` and ``subtotal_tax`` are the sums of
  its rates' taxes each rounded to the store's decimals (``set_taxes`` with ``wc_round_tax_total``), and so are
  an order's ``tax_lines`` (``update_taxes``), ``cart_tax``, ``shipping_tax`` and ``total``.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Callable

from syncproof.model import round_half_up

__all__ = ["WooBackend", "WooError", "DEMO_KEY", "DEMO_SECRET", "GATEWAYS", "DEFAULT_PRICE_DECIMALS"]

DEMO_KEY = "ck_syncproof_sandbox_not_a_real_key"
DEMO_SECRET = "cs_syncproof_sandbox_not_a_real_secret"
#: WooCommerce's default "Number of decimals" (``get_option( 'woocommerce_price_num_decimals', 2 )``)
DEFAULT_PRICE_DECIMALS = 2
#: WooCommerce's ``WC_ROUNDING_PRECISION``: the fewest decimals ``wc_get_rounding_precision()`` rounds taxes to
ROUNDING_PRECISION = 6
#: payment gateways and whether each supports refunds through its API (WC_Payment_Gateway::supports('refunds'))
GATEWAYS = {"bacs": ("Direct bank transfer", False), "cheque": ("Check payments", False),
            "cod": ("Cash on delivery", False), "stripe": ("Credit card (Stripe)", True)}


class WooError(Exception):
    """A refusal in WooCommerce's shape: ``{"code", "message", "data": {"status"}}``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "data": {"status": self.status}}


def _d(value: Any, default: str = "0") -> Decimal:
    if value is None or value == "":
        return Decimal(default)
    if isinstance(value, float):
        value = repr(value)
    try:
        return Decimal(str(value))
    except ArithmeticError:
        raise WooError(400, "rest_invalid_param", f"Invalid parameter(s): {value!r} is not a number.") from None


def _money(value: Decimal, dp: int) -> str:
    """``wc_format_decimal( $value, $dp )``: ``number_format`` with exactly ``dp`` decimals."""
    return str(round_half_up(value, dp))


def _stored(value: Decimal) -> str:
    """An amount as WooCommerce stores it (``wc_format_decimal`` without ``dp``): every decimal it has, no trailing
    zeros (0.2608, 2.32, 120, 0)."""
    return "0" if value == 0 else format(value.normalize(), "f")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


@dataclass
class TaxRate:
    id: int
    rate: Decimal  # percent
    label: str = "Tax"
    shipping: bool = True

    def tax(self, base: Decimal, dp: int) -> Decimal:
        """``WC_Tax::calc_exclusive_tax`` then ``WC_Tax::round``: to ``wc_get_rounding_precision()``, not to ``dp``."""
        return round_half_up(base * self.rate / 100, max(dp + 2, ROUNDING_PRECISION))


@dataclass
class Item:
    """An order item: a product line (``line_item``), a shipping line or a fee."""

    id: int
    kind: str  # line_item | shipping | fee
    name: str
    total: Decimal
    taxes: dict[int, Decimal]  # per rate id, as stored (unrounded)
    quantity: int = 1
    subtotal: Decimal = Decimal(0)
    product_id: int = 0
    sku: str = ""
    method_id: str = ""
    refunded_item: int | None = None  # on refunds: the order item this refunds
    subtotal_taxes: dict[int, Decimal] | None = None  # line items: the taxes on the subtotal (before discounts)
    tax_decimals: int = DEFAULT_PRICE_DECIMALS  # the store's, which wc_round_tax_total rounds each rate's tax to

    def rounded_tax(self, rate: int) -> Decimal:
        """``wc_round_tax_total``: the item's tax at ``rate``, to the store's decimals."""
        return round_half_up(self.taxes.get(rate, Decimal(0)), self.tax_decimals)

    @property
    def total_tax(self) -> Decimal:
        """``set_taxes``: the sum of the rates' taxes, each rounded to the store's decimals."""
        return sum((self.rounded_tax(rate) for rate in self.taxes), Decimal(0))

    @property
    def subtotal_tax(self) -> Decimal:
        taxes = self.taxes if self.subtotal_taxes is None else self.subtotal_taxes
        return sum((round_half_up(value, self.tax_decimals) for value in taxes.values()), Decimal(0))

    def to_json(self, dp: int) -> dict[str, Any]:
        subtotals = self.taxes if self.subtotal_taxes is None else self.subtotal_taxes
        taxes = [{"id": rate, "total": _stored(value),
                  "subtotal": _stored(subtotals.get(rate, value)) if self.kind == "line_item" else ""}
                 for rate, value in self.taxes.items()]
        meta = ([{"id": self.id * 10, "key": "_refunded_item_id", "value": str(self.refunded_item)}]
                if self.refunded_item is not None else [])
        if self.kind == "shipping":
            return {"id": self.id, "method_title": self.name, "method_id": self.method_id, "instance_id": "",
                    "total": _money(self.total, dp), "total_tax": _money(self.total_tax, dp), "taxes": taxes,
                    "meta_data": meta}
        if self.kind == "fee":
            return {"id": self.id, "name": self.name, "tax_class": "", "tax_status": "taxable",
                    "total": _money(self.total, dp), "total_tax": _money(self.total_tax, dp), "taxes": taxes,
                    "meta_data": meta}
        price = (self.subtotal / self.quantity) if self.quantity else Decimal(0)
        return {"id": self.id, "name": self.name, "product_id": self.product_id, "variation_id": 0,
                "quantity": self.quantity, "tax_class": "", "subtotal": _money(self.subtotal, dp),
                "subtotal_tax": _money(self.subtotal_tax, dp), "total": _money(self.total, dp),
                "total_tax": _money(self.total_tax, dp), "taxes": taxes, "meta_data": meta, "sku": self.sku,
                "price": round_half_up(price, dp)}


@dataclass
class RefundRecord:
    id: int
    order_id: int
    amount: Decimal
    reason: str
    created: datetime
    refunded_payment: bool
    items: list[Item] = field(default_factory=list)

    def to_json(self, dp: int) -> dict[str, Any]:
        return {"id": self.id, "date_created": _stamp(self.created), "date_created_gmt": _stamp(self.created),
                "amount": _money(self.amount, dp), "reason": self.reason, "refunded_by": 1,
                "refunded_payment": self.refunded_payment, "meta_data": [],
                "line_items": [i.to_json(dp) for i in self.items if i.kind == "line_item"],
                "shipping_lines": [i.to_json(dp) for i in self.items if i.kind == "shipping"],
                "fee_lines": [i.to_json(dp) for i in self.items if i.kind == "fee"],
                "tax_lines": []}


@dataclass
class OrderRecord:
    id: int
    currency: str
    status: str
    created: datetime
    modified: datetime
    payment_method: str
    billing: dict[str, str]
    customer_note: str
    items: list[Item]
    coupons: list[dict[str, Any]]
    refunds: list[RefundRecord] = field(default_factory=list)

    def of(self, kind: str) -> list[Item]:
        return [i for i in self.items if i.kind == kind]

    @property
    def total(self) -> Decimal:
        return sum((i.total + i.total_tax for i in self.items), Decimal(0))

    @property
    def refunded(self) -> Decimal:
        return sum((r.amount for r in self.refunds), Decimal(0))

    def refunded_quantity(self, item_id: int) -> int:
        return sum(-i.quantity for r in self.refunds for i in r.items if i.refunded_item == item_id)

    def to_json(self, rates: dict[int, TaxRate], dp: int) -> dict[str, Any]:
        lines, ships, fees = self.of("line_item"), self.of("shipping"), self.of("fee")
        tax_lines = []
        for rate_id in sorted({r for i in self.items for r in i.taxes}):
            rate = rates.get(rate_id)
            tax_lines.append({"id": 900 + rate_id, "rate_code": f"US-TAX-{rate_id}", "rate_id": rate_id,
                              "label": rate.label if rate else "Tax", "compound": False,
                              "tax_total": _money(sum((i.rounded_tax(rate_id) for i in lines + fees if rate_id
                                                       in i.taxes), Decimal(0)), dp),
                              "shipping_tax_total": _money(sum((i.rounded_tax(rate_id) for i in ships
                                                                if rate_id in i.taxes), Decimal(0)), dp),
                              "rate_percent": rate.rate.normalize() if rate else Decimal(0)})
        discount = sum((i.subtotal - i.total for i in lines), Decimal(0))
        title, _ = GATEWAYS.get(self.payment_method, (self.payment_method, False))
        return {
            "id": self.id, "parent_id": 0, "number": str(self.id), "order_key": f"wc_order_{self.id}",
            "created_via": "rest-api", "version": "9.9.0", "status": self.status, "currency": self.currency,
            "date_created": _stamp(self.created), "date_created_gmt": _stamp(self.created),
            "date_modified": _stamp(self.modified), "date_modified_gmt": _stamp(self.modified),
            "discount_total": _money(discount, dp), "discount_tax": _money(Decimal(0), dp),
            "shipping_total": _money(sum((i.total for i in ships), Decimal(0)), dp),
            "shipping_tax": _money(sum((i.total_tax for i in ships), Decimal(0)), dp),
            "cart_tax": _money(sum((i.total_tax for i in lines + fees), Decimal(0)), dp),
            "total": _money(self.total, dp),
            "total_tax": _money(sum((i.total_tax for i in self.items), Decimal(0)), dp),
            "prices_include_tax": False, "customer_id": 0, "customer_note": self.customer_note,
            "billing": dict(self.billing), "shipping": {},
            "payment_method": self.payment_method, "payment_method_title": title, "transaction_id": "",
            "date_paid_gmt": _stamp(self.created),
            "line_items": [i.to_json(dp) for i in lines], "tax_lines": tax_lines,
            "shipping_lines": [i.to_json(dp) for i in ships], "fee_lines": [i.to_json(dp) for i in fees],
            "coupon_lines": [{**c, "discount": _money(c["discount"], dp), "discount_tax": _money(Decimal(0), dp)}
                             for c in self.coupons],
            "refunds": [{"id": r.id, "reason": r.reason, "total": _money(-r.amount, dp)} for r in self.refunds],
        }


class WooBackend:
    """The store: one currency, its "Number of decimals", tax rates, products, orders and their refunds."""

    def __init__(self, *, currency: str = "USD", price_decimals: int = DEFAULT_PRICE_DECIMALS,
                 clock: Callable[[], datetime] | None = None,
                 consumer_key: str = DEMO_KEY, consumer_secret: str = DEMO_SECRET) -> None:
        self.currency = currency
        if price_decimals < 0:
            raise ValueError(f"a store's number of decimals is 0 or more, not {price_decimals}")
        self.price_decimals = price_decimals
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.consumer_key, self.consumer_secret = consumer_key, consumer_secret
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.rates: dict[int, TaxRate] = {1: TaxRate(1, Decimal("8.0000"), "Tax")}
            self.products: dict[int, dict[str, Any]] = {}
            self.orders: dict[int, OrderRecord] = {}
            self._posts = itertools.count(7001)  # orders, refunds and products share WordPress post ids
            self._items = itertools.count(101)  # order items have their own table
            self._last = datetime.min.replace(tzinfo=timezone.utc)

    def now(self) -> datetime:
        """The clock, never going back and moving on at least a second per change (GMT dates have seconds)."""
        moment = self.clock().replace(microsecond=0)
        if moment <= self._last:
            moment = self._last + timedelta(seconds=1)
        self._last = moment
        return moment

    # --- products ----------------------------------------------------------------------------
    def create_product(self, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            sku = str(body.get("sku") or "")
            if sku and any(p["sku"] == sku for p in self.products.values()):
                raise WooError(400, "product_invalid_sku", "Invalid or duplicated SKU.")
            product_id = next(self._posts)
            product: dict[str, Any] = {"id": product_id, "name": str(body.get("name") or sku), "sku": sku,
                       "type": str(body.get("type") or "simple"), "regular_price": str(body.get("regular_price") or ""),
                       "price": str(body.get("regular_price") or ""), "status": "publish"}
            self.products[product_id] = product
            return dict(product)

    def find_products(self, sku: str | None) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(p) for p in self.products.values() if sku is None or p["sku"] == sku]

    # --- orders ------------------------------------------------------------------------------
    def _taxes(self, base: Decimal, *, shipping: bool = False) -> dict[int, Decimal]:
        return {rate.id: rate.tax(base, self.price_decimals) for rate in self.rates.values()
                if not shipping or rate.shipping}

    def create_order(self, body: dict[str, Any]) -> OrderRecord:
        with self.lock:
            currency = str(body.get("currency") or self.currency)
            items: list[Item] = []
            for posted in body.get("line_items") or ():
                product = self.products.get(int(posted.get("product_id") or 0))
                if product is None:
                    raise WooError(400, "woocommerce_rest_invalid_product_id", "Product ID provided is invalid.")
                quantity = int(posted.get("quantity") or 1)
                price = _d(product.get("price"))
                subtotal = _d(posted.get("subtotal"), str(price * quantity))
                total = _d(posted.get("total"), str(subtotal))
                items.append(Item(next(self._items), "line_item", product["name"], total, self._taxes(total),
                                  quantity=quantity, subtotal=subtotal, product_id=product["id"], sku=product["sku"],
                                  subtotal_taxes=self._taxes(subtotal), tax_decimals=self.price_decimals))
            for posted in body.get("shipping_lines") or ():
                if not posted.get("method_id"):
                    raise WooError(400, "woocommerce_rest_invalid_shipping_item", "Shipping method ID is required.")
                total = _d(posted.get("total"))
                items.append(Item(next(self._items), "shipping", str(posted.get("method_title") or "Shipping"), total,
                                  self._taxes(total, shipping=True), method_id=str(posted["method_id"]),
                                  tax_decimals=self.price_decimals))
            for posted in body.get("fee_lines") or ():
                if not posted.get("name"):
                    raise WooError(400, "woocommerce_rest_invalid_fee_item", "Fee name is required.")
                total = _d(posted.get("total"))
                taxable = str(posted.get("tax_status") or "taxable") == "taxable"
                items.append(Item(next(self._items), "fee", str(posted["name"]), total,
                                  self._taxes(total) if taxable else {}, tax_decimals=self.price_decimals))
            coupons = []
            for posted in body.get("coupon_lines") or ():
                if not str(posted.get("code") or "").strip():
                    raise WooError(400, "woocommerce_rest_invalid_coupon_coupon", "Coupon code is required.")
                coupons.append({"id": next(self._items), "code": str(posted["code"]),
                                "discount": _d(posted.get("discount"))})
            method = str(body.get("payment_method") or "bacs")
            now = self.now()
            order = OrderRecord(next(self._posts), currency, "processing" if body.get("set_paid") else "pending",
                                now, now, method, {k: str(v) for k, v in (body.get("billing") or {}).items()},
                                str(body.get("customer_note") or ""), items, coupons)
            self.orders[order.id] = order
            return order

    def order(self, order_id: int) -> OrderRecord:
        order = self.orders.get(order_id)
        if order is None:
            raise WooError(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        return order

    def list_orders(self, modified_after: datetime | None = None, after: datetime | None = None) -> list[OrderRecord]:
        with self.lock:
            found = [o for o in self.orders.values()
                     if (modified_after is None or o.modified > modified_after)
                     and (after is None or o.created > after)]
            return found

    # --- refunds -----------------------------------------------------------------------------
    def create_refund(self, order_id: int, body: dict[str, Any]) -> RefundRecord:
        """``WC_REST_Order_Refunds_Controller::prepare_object_for_database`` with ``wc_create_refund``."""
        with self.lock:
            order = self.orders.get(order_id)
            if order is None:
                raise WooError(404, "woocommerce_rest_invalid_order_id", "Invalid order ID.")
            posted = {int(e["id"]): e for e in body.get("line_items") or () if isinstance(e, dict) and "id" in e}
            if body.get("amount") in (None, ""):  # RestApiUtil: the amount is the items' totals and taxes
                if posted and all("refund_total" in e for e in posted.values()):
                    amount = sum((_d(e["refund_total"]) + sum((_d(t.get("refund_total")) for t in e.get("refund_tax")
                                                               or ()), Decimal(0)) for e in posted.values()),
                                 Decimal(0))
                else:
                    amount = Decimal(0)
            else:
                amount = _d(body["amount"])
            if amount < 0:
                raise WooError(400, "woocommerce_rest_invalid_order_refund", "Refund amount must be greater than zero.")
            remaining = round_half_up(order.total - order.refunded, self.price_decimals)  # get_remaining_refund_amount
            if amount > remaining:
                raise WooError(500, "woocommerce_rest_cannot_create_order_refund", "Invalid refund amount.")
            refunded: list[Item] = []
            for item in order.items:
                entry = posted.get(item.id)
                if entry is None:
                    continue
                qty = int(entry.get("quantity") or entry.get("qty") or 0)
                left = item.quantity - order.refunded_quantity(item.id) if item.kind == "line_item" else 0
                if item.kind == "line_item" and qty > left:
                    raise WooError(400, "woocommerce_rest_invalid_line_item",
                                   f"Line item quantity cannot be greater than the item quantity ({left}).")
                total = _d(entry.get("refund_total"))
                taxes = {int(t["id"]): _d(t.get("refund_total")) for t in entry.get("refund_tax") or ()
                         if isinstance(t, dict) and "id" in t}
                if not qty and not total and not taxes:
                    continue
                refunded.append(Item(next(self._items), item.kind, item.name, -total,
                                     {rate: -value for rate, value in taxes.items()},
                                     quantity=-qty if item.kind == "line_item" else 0, subtotal=-total,
                                     product_id=item.product_id, sku=item.sku, method_id=item.method_id,
                                     refunded_item=item.id, tax_decimals=self.price_decimals))
            api_refund = body.get("api_refund")
            api_refund = api_refund if isinstance(api_refund, bool) else True
            if api_refund and not GATEWAYS.get(order.payment_method, ("", False))[1]:
                raise WooError(500, "woocommerce_rest_cannot_create_order_refund",
                               "The payment gateway for this order does not support automatic refunds.")
            reason = body.get("reason")
            refund = RefundRecord(next(self._posts), order.id, amount, str(reason) if reason else "", self.now(),
                                  api_refund, refunded)
            order.refunds.append(refund)
            order.modified = self.now()
            if order.total - order.refunded <= 0:
                order.status = "refunded"
            return refund
