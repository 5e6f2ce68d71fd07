"""The eBay emulator's state: keyset and tokens, orders, buyer requests, refunds, finance transactions, payouts.

:class:`EbayBackend` is thread-safe (one lock around all state); the HTTP app and tests
both talk to it::

    >>> backend = EbayBackend()
    >>> order = backend.create_order([{"sku": "MUG-1", "quantity": 2, "unit_price": "14.50", "tax": "2.32"}])
    >>> backend.request_return(order["orderId"], {order["lineItems"][0]["lineItemId"]: 1})
    >>> backend.issue_refund(order["orderId"], {"reasonForRefund": "BUYER_RETURN", "refundItems": [...]})

Orders are seeded (eBay has no API that makes a buyer's order); each adds its ``SALE``
transaction to Finances. The seller is paid out in one currency (``payout_currency``,
USD by default): a transaction of a sale in another currency carries the converted amount
in ``value``/``currency`` and the sale's own in ``convertedFromValue``/``convertedFromCurrency``
with the ``exchangeRate`` (fixed demo rates, :data:`DEMO_RATES`); the Fulfillment API shows
each order in its listing's currency. A refund is issued through ``issueRefund`` as a seller would,
and adds a ``REFUND`` transaction. A refund answering a buyer's request (a return the
buyer opened, seeded with :meth:`request_return`) is listed on the order under its
``refundId``; one issued without a buyer's request is an external transaction: the money
moves (Finances lists the ``REFUND``, ``paymentSummary.refunds`` its amount) but the
order lists no ``refundId`` for it.
"""

from __future__ import annotations

import random
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable

from ._errors import OAuthError, SellApiError, finances_error, fulfillment_error
from ._filters import in_range, page, parse_filter

__all__ = ["EbayBackend", "EbayKeyset", "DEMO_KEYSET", "SCOPES", "MARKETPLACE_CURRENCY", "REFUND_REASONS"]

SCOPE_ROOT = "https://api.ebay.com/oauth/api_scope"
SCOPES = {"fulfillment": f"{SCOPE_ROOT}/sell.fulfillment", "finances": f"{SCOPE_ROOT}/sell.finances"}
TOKEN_LIFETIME = 7200
#: eBay marketplaces and their currencies (MarketplaceIdEnum)
MARKETPLACE_CURRENCY = {"EBAY_US": "USD", "EBAY_GB": "GBP", "EBAY_DE": "EUR", "EBAY_CA": "CAD", "EBAY_AU": "AUD"}
REFUND_REASONS = ("BUYER_CANCEL", "SELLER_CANCEL", "ITEM_NOT_RECEIVED", "BUYER_RETURN", "ITEM_NOT_AS_DESCRIBED",
                  "OTHER_ADJUSTMENT", "SHIPPING_DISCOUNT")
ORDERS_MAX, ORDERS_DEFAULT = 1000, 50
TRANSACTIONS_MAX, TRANSACTIONS_DEFAULT = 1000, 20
PAYOUTS_MAX, PAYOUTS_DEFAULT = 200, 20
ORDER_IDS_MAX = 50
COMMENT_MAX = 1000
FEE_RATE = Decimal("0.1325")
#: what one unit of a sale's currency pays out in the seller's currency (fixed demo rates, not market rates)
DEMO_RATES = {("EUR", "USD"): Decimal("1.0825"), ("GBP", "USD"): Decimal("1.2650"), ("CAD", "USD"): Decimal("0.7150"),
              ("AUD", "USD"): Decimal("0.6550"), ("JPY", "USD"): Decimal("0.0067")}
#: PayoutStatusEnum and each status's payoutStatusDescription (Payout.payoutStatusDescription)
PAYOUT_STATUS = {"INITIATED": "Preparing to send", "SUCCEEDED": "Funds sent", "RETRYABLE_FAILED": "Waiting to retry",
                 "TERMINAL_FAILED": "Payout failed", "REVERSED": "Waiting to retry : Money rejected by seller's bank"}
#: the transactionStatus values of money not yet paid out (TransactionStatusEnum)
NOT_PAID_OUT = ("FUNDS_ON_HOLD", "FUNDS_PROCESSING", "FUNDS_AVAILABLE_FOR_PAYOUT")
#: getTransactions filters that make eBay ignore ``limit`` (and the 90-day default window)
WHOLE_FILTERS = ("orderId", "transactionId", "payoutId")


@dataclass(frozen=True)
class EbayKeyset:
    """An application's keyset and the refresh token one seller granted it (with the scopes granted)."""

    client_id: str
    client_secret: str
    refresh_token: str
    scopes: tuple[str, ...] = tuple(SCOPES.values())


#: Obviously fake credentials the emulator accepts out of the box.
DEMO_KEYSET = EbayKeyset(client_id="SyncProo-demo-SBX-0000000000-00000000",
                         client_secret="SBX-syncproof-demo-cert-not-real",
                         refresh_token="v^1.1#i^1#r^1#syncproof-demo-refresh-token-not-real")


def _dec(value: Any) -> Decimal:
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, float):
        raise TypeError("amounts must be strings or Decimals, not floats")
    amount = getattr(value, "amount", None)
    return amount if isinstance(amount, Decimal) else Decimal(str(value))


def _cents(value: Decimal, currency: str) -> Decimal:
    places = 0 if currency in ("JPY", "KRW") else 2
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def iso(moment: datetime) -> str:
    """``2026-11-02T08:25:43.511Z``: UTC with milliseconds, as eBay writes instants."""
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class Clock:
    """Wall-clock time plus an offset tests can move forward."""

    def __init__(self) -> None:
        self._offset = 0.0

    def now(self) -> datetime:
        return datetime.fromtimestamp(time.time() + self._offset, tz=timezone.utc)

    def advance(self, seconds: float) -> None:
        self._offset += seconds


@dataclass
class _Line:
    line_item_id: str
    sku: str
    title: str
    quantity: int
    unit_price: Decimal
    tax: Decimal
    discount: Decimal
    shipping: Decimal = Decimal(0)

    @property
    def cost(self) -> Decimal:
        return self.unit_price * self.quantity

    @property
    def total(self) -> Decimal:
        return self.cost - self.discount + self.tax + self.shipping


@dataclass
class _Refund:
    refund_id: str
    reference_id: str  # the Finances REFUND transaction's id
    level: str  # "line" or "order"
    amounts: dict[str, Decimal]  # lineItemId -> amount ("order" level: {"": amount})
    date: datetime
    external: bool

    @property
    def amount(self) -> Decimal:
        return sum(self.amounts.values(), Decimal(0))


@dataclass
class _Order:
    order_id: str
    legacy_id: str
    created: datetime
    modified: datetime
    currency: str
    marketplace_id: str
    lines: list[_Line]
    shipping: Decimal
    shipping_tax: Decimal
    buyer: dict[str, Any]
    requests: dict[str, int] = field(default_factory=dict)  # lineItemId ("" = whole order) -> quantity asked back
    refunds: list[_Refund] = field(default_factory=list)

    @property
    def tax(self) -> Decimal:
        return sum((line.tax for line in self.lines), Decimal(0)) + self.shipping_tax

    @property
    def total(self) -> Decimal:
        lines = sum((line.cost - line.discount + line.tax for line in self.lines), Decimal(0))
        return lines + self.shipping + self.shipping_tax

    def refunded(self, line_item_id: str | None = None) -> Decimal:
        return sum((amount for r in self.refunds for lid, amount in r.amounts.items()
                    if line_item_id is None or lid == line_item_id), Decimal(0))


class EbayBackend:
    """All emulated eBay state for one seller."""

    def __init__(self, keyset: EbayKeyset = DEMO_KEYSET, *, seller_id: str = "syncproof-demo-seller",
                 seed: int | None = 7, token_lifetime: int = TOKEN_LIFETIME, payout_currency: str = "USD") -> None:
        self.keyset = keyset
        self.seed = seed  # order and line ids are drawn from it: the same again after every reset
        self.seller_id = seller_id
        self.payout_currency = payout_currency
        self.token_lifetime = token_lifetime
        self.clock = Clock()
        self._random = random.Random(seed)
        self._lock = threading.RLock()
        self._tokens: dict[str, tuple[float, frozenset[str]]] = {}
        self.orders: dict[str, _Order] = {}
        self.transactions: list[dict[str, Any]] = []
        self.payouts: list[dict[str, Any]] = []
        self.requests_seen: list[tuple[str, str]] = []

    def reset(self) -> None:
        with self._lock:
            type(self).__init__(self, self.keyset, seller_id=self.seller_id, seed=self.seed,
                                token_lifetime=self.token_lifetime, payout_currency=self.payout_currency)

    # --- identity ---------------------------------------------------------------------------
    def issue_token(self, basic: tuple[str, str] | None, form: dict[str, str]) -> dict[str, Any]:
        """``POST /identity/v1/oauth2/token`` with the refresh_token grant."""
        if basic is None or basic != (self.keyset.client_id, self.keyset.client_secret):
            raise OAuthError(401, "invalid_client", "client authentication failed")
        if form.get("grant_type") != "refresh_token":
            raise OAuthError(400, "unsupported_grant_type", "grant type in request is not supported by the "
                             "authorization server")
        if form.get("refresh_token") != self.keyset.refresh_token:
            raise OAuthError(400, "invalid_grant", "the provided authorization refresh token is invalid or was "
                             "issued to another client")
        asked = set((form.get("scope") or "").split()) or set(self.keyset.scopes)
        if not asked <= set(self.keyset.scopes):
            raise OAuthError(400, "invalid_scope", "the requested scope is invalid, unknown, malformed, or exceeds "
                             "the scope granted to the client")
        token = "v^1.1#i^1#p^3#r^1#" + secrets.token_urlsafe(48)
        with self._lock:
            self._tokens[token] = (self.clock.now().timestamp() + self.token_lifetime, frozenset(asked))
        return {"access_token": token, "expires_in": self.token_lifetime, "token_type": "User Access Token"}

    def authorize(self, header: str | None, scope: str) -> None:
        """A Sell API call's ``Authorization: Bearer``: 401 when missing, unknown or expired; 403 without ``scope``."""
        token = header[len("Bearer "):] if header and header.startswith("Bearer ") else None
        with self._lock:
            known = self._tokens.get(token or "")
        if known is None or known[0] <= self.clock.now().timestamp():
            raise SellApiError(401, 1001, "Invalid access token", domain="OAuth", category="REQUEST")
        if SCOPES[scope] not in known[1]:
            raise SellApiError(403, 1100, "Access denied", domain="API_" + scope.upper(), category="REQUEST")

    def expire_tokens(self) -> None:
        with self._lock:
            self._tokens = {t: (0.0, scopes) for t, (_, scopes) in self._tokens.items()}

    # --- seeding ------------------------------------------------------------------------------
    def _digits(self, n: int) -> str:
        return "".join(self._random.choice("0123456789") for _ in range(n))

    def create_order(self, lines: Iterable[dict[str, Any]], *, shipping: Any = None, shipping_tax: Any = None,
                     buyer: dict[str, Any] | None = None, currency: str | None = None,
                     marketplace_id: str = "EBAY_US", created_at: str | None = None) -> dict[str, Any]:
        """A paid, shipped order (what a buyer's checkout leaves); its SALE transaction is posted."""
        currency = currency or MARKETPLACE_CURRENCY.get(marketplace_id, "USD")
        with self._lock:
            order_id = f"{self._digits(2)}-{self._digits(5)}-{self._digits(5)}"
            while order_id in self.orders:
                order_id = f"{self._digits(2)}-{self._digits(5)}-{self._digits(5)}"
            now = datetime.fromisoformat(created_at.replace("Z", "+00:00")) if created_at else self.clock.now()
            items = [_Line(line_item_id=self._digits(14), sku=str(spec["sku"]),
                           title=str(spec.get("title") or spec["sku"]), quantity=int(spec["quantity"]),
                           unit_price=_dec(spec["unit_price"]), tax=_dec(spec.get("tax")),
                           discount=_dec(spec.get("discount"))) for spec in lines]
            if not items:
                raise ValueError("an order needs at least one line")
            ship = _dec(shipping)
            items[0].shipping = ship
            order = _Order(order_id=order_id, legacy_id=f"{self._digits(12)}-{self._digits(13)}", created=now,
                           modified=now, currency=currency, marketplace_id=marketplace_id, lines=items, shipping=ship,
                           shipping_tax=_dec(shipping_tax), buyer=dict(buyer or {}))
            self.orders[order_id] = order
            self._post("SALE", order, order.total, "CREDIT", now)
            return self.order_json(order)

    def request_return(self, order_id: str, lines: dict[str, int] | None = None) -> dict[str, Any]:
        """The buyer asks for money back: a return request for ``lines`` (lineItemId -> quantity), or the order."""
        with self._lock:
            order = self._order(order_id)
            for line_item_id, quantity in (lines or {"": 0}).items():
                if line_item_id and not any(line.line_item_id == line_item_id for line in order.lines):
                    raise ValueError(f"order {order_id} has no line item {line_item_id}")
                order.requests[line_item_id] = order.requests.get(line_item_id, 0) + int(quantity)
            return {"orderId": order_id, "requests": dict(order.requests)}

    def _order(self, order_id: str) -> _Order:
        order = self.orders.get(order_id)
        if order is None:
            raise fulfillment_error(34913, "Can not find the order.", 404)
        return order

    def _post(self, kind: str, order: _Order, amount: Decimal, booking: str, when: datetime,
              transaction_id: str | None = None) -> dict[str, Any]:
        fee = _cents(amount * FEE_RATE, order.currency) if kind == "SALE" else Decimal(0)
        money = self._payable
        transaction = {
            "transactionId": transaction_id or f"{self._digits(2)}-{self._digits(5)}-{self._digits(5)}",
            "orderId": order.order_id, "transactionType": kind, "transactionStatus": "FUNDS_PROCESSING",
            "transactionDate": iso(when), "bookingEntry": booking,
            "amount": money(amount - fee, order.currency),
            "totalFeeBasisAmount": money(amount, order.currency),
            "totalFeeAmount": money(fee, order.currency),
            "buyer": {"username": str(order.buyer.get("username") or "")},
            "salesRecordReference": "0", "paymentsEntity": "eBay Inc.",
            "orderLineItems": [{"lineItemId": line.line_item_id, "feeBasisAmount": {
                "value": str(_cents(line.total, order.currency)), "currency": order.currency},
                "marketplaceFees": []} for line in order.lines] if kind == "SALE" else [],
        }
        self.transactions.append(transaction)
        return transaction

    def _payable(self, value: Decimal, currency: str) -> dict[str, str]:
        """A Finances ``Amount`` of ``value`` in ``currency`` as the seller is paid it: converted to the payout
        currency, the sale's own amount in ``convertedFromValue``, when the two differ."""
        original = _cents(value, currency)
        if currency == self.payout_currency:
            return {"value": str(original), "currency": currency}
        rate = DEMO_RATES.get((currency, self.payout_currency))
        if rate is None:
            raise ValueError(f"no demo exchange rate from {currency} to {self.payout_currency}")
        return {"value": str(_cents(original * rate, self.payout_currency)), "currency": self.payout_currency,
                "convertedFromValue": str(original), "convertedFromCurrency": currency, "exchangeRate": str(rate)}

    def create_payout(self, adjust: Any = None, status: str = "SUCCEEDED") -> dict[str, Any]:
        """Pay out every transaction not yet in a payout (sandbox seeding); the payout. ``adjust`` (a sandbox-only
        knob) makes the payout's amount differ from its transactions' sum by that much, as a ledger out of step
        would, so an audit can be shown to catch it; ``status`` is the payout's (PayoutStatusEnum): only a
        ``SUCCEEDED`` payout has paid its transactions out (``transactionStatus`` PAYOUT), the others leave them
        processing."""
        if status not in PAYOUT_STATUS:
            raise ValueError(f"payoutStatus must be one of {', '.join(PAYOUT_STATUS)}, not {status!r}")
        with self._lock:
            due = [t for t in self.transactions if "payoutId" not in t]
            if not due:
                raise ValueError("no transactions to pay out")
            currency = self.payout_currency
            total = sum((_dec(t["amount"]["value"]) * (1 if t["bookingEntry"] == "CREDIT" else -1) for t in due),
                        Decimal(0)) + _dec(adjust)
            payout_id = self._digits(10)
            for transaction in due:
                transaction["payoutId"] = payout_id
                if status == "SUCCEEDED":
                    transaction["transactionStatus"] = "PAYOUT"
            now = iso(self.clock.now())
            payout = {"payoutId": payout_id, "payoutStatus": status, "payoutStatusDescription": PAYOUT_STATUS[status],
                      "payoutDate": now, "transactionCount": len(due),
                      "amount": {"value": str(_cents(total, currency)), "currency": currency},
                      "payoutInstrument": {"instrumentType": "BankAccount", "nickname": "Demo checking",
                                           "accountLastFourDigits": "0000"}}
            if status in ("RETRYABLE_FAILED", "TERMINAL_FAILED"):
                payout["lastAttemptedPayoutDate"] = now
            self.payouts.append(payout)
            return payout

    # --- Fulfillment API --------------------------------------------------------------------------
    def get_orders(self, query: dict[str, str], base_url: str) -> dict[str, Any]:
        """``getOrders``: by ``orderIds`` (50 at most, other parameters ignored) or by ``filter``, paged."""
        with self._lock:
            if query.get("orderIds"):
                ids = [i for i in query["orderIds"].split(",") if i]
                if len(ids) > ORDER_IDS_MAX:
                    raise fulfillment_error(30900, "Exceeded maximum number of order IDs (the current limit is 50)")
                found = [self.order_json(self.orders[i]) for i in ids if i in self.orders]
                return {"href": f"{base_url}/sell/fulfillment/v1/order?orderIds={query['orderIds']}",
                        "total": len(found), "orders": found}
            limit, offset = page(query, default=ORDERS_DEFAULT, maximum=ORDERS_MAX,
                                 bad_limit=lambda v: fulfillment_error(31100, f"Invalid limit: {v}"),
                                 bad_offset=lambda v: fulfillment_error(31000, f"Invalid offset: {v}"))
            criteria = parse_filter(
                query.get("filter", ""), ranges={"creationdate", "lastmodifieddate"}, sets={"orderfulfillmentstatus"},
                bad_name=lambda n: fulfillment_error(30700, f"Invalid filter name: {n}"),
                bad_value=lambda v, n: fulfillment_error(30800, f"Invalid filter value {v} for filter {n}"),
                bad_date=lambda n: fulfillment_error(30810, "Invalid date format"))
            field_name = "creationdate" if "creationdate" in criteria else "lastmodifieddate"
            window = criteria.get(field_name)
            if window is not None:
                start, end = window
                if start is None:
                    raise fulfillment_error(30820, "Start date is missing")
                if end is not None and start > end:
                    raise fulfillment_error(30840, "Start date should be before end date")
            orders = [o for o in self.orders.values()
                      if in_range(o.created if field_name == "creationdate" else o.modified, window)]
            orders.sort(key=lambda o: o.created)
            chunk = orders[offset:offset + limit]
            body: dict[str, Any] = {"href": f"{base_url}/sell/fulfillment/v1/order?limit={limit}&offset={offset}",
                                    "limit": limit, "offset": offset, "total": len(orders),
                                    "orders": [self.order_json(o) for o in chunk]}
            if offset + limit < len(orders):
                body["next"] = f"{base_url}/sell/fulfillment/v1/order?limit={limit}&offset={offset + limit}"
            return body

    def get_order(self, order_id: str) -> dict[str, Any]:
        with self._lock:
            return self.order_json(self._order(order_id))

    def issue_refund(self, order_id: str, body: Any) -> dict[str, Any]:
        """``issueRefund``: validates the request as eBay documents, then moves the money."""
        with self._lock:
            if not order_id:
                raise fulfillment_error(34901, "Order id can't be null or empty.")
            if not isinstance(body, dict) or not body:
                raise fulfillment_error(34902, "Request can't be empty.")
            order = self._order(order_id)
            reason = body.get("reasonForRefund")
            if not reason or reason not in REFUND_REASONS:
                raise fulfillment_error(34903, "The refund reason must be specified.")
            comment = body.get("comment") or ""
            if len(str(comment)) > COMMENT_MAX:
                raise fulfillment_error(34921, "The comment exceeds the length limit, please make sure it doesn't "
                                               "exceed 1000 characters.")
            items, whole = body.get("refundItems"), body.get("orderLevelRefundAmount")
            if not items and not whole:
                raise fulfillment_error(34905, "Either orderLevelRefundAmount or refundItems must be specified.")
            amounts: dict[str, Decimal] = {}
            if items:
                for item in items:
                    line_item_id = str((item or {}).get("lineItemId") or "")
                    if not line_item_id:
                        raise fulfillment_error(34910, "Either legacyReference or lineItemId must be specified for "
                                                       "item level refund.")
                    line = next((ln for ln in order.lines if ln.line_item_id == line_item_id), None)
                    if line is None:
                        raise fulfillment_error(34914, "Can't find the item in the order.")
                    value = self._amount(item.get("refundAmount"), order)
                    if order.refunded(line_item_id) + amounts.get(line_item_id, Decimal(0)) + value > line.total:
                        raise fulfillment_error(34915, "The refund amount exceeds order amount.")
                    amounts[line_item_id] = amounts.get(line_item_id, Decimal(0)) + value
            else:
                amounts[""] = self._amount(whole, order)
            if order.refunded() + sum(amounts.values(), Decimal(0)) > order.total:
                raise fulfillment_error(34915, "The refund amount exceeds order amount.")
            now = self.clock.now()
            requested = bool(order.requests) if not items else all(lid in order.requests or "" in order.requests
                                                                    for lid in amounts)
            refund = _Refund(refund_id=f"5{self._digits(11)}", reference_id="", level="line" if items else "order",
                             amounts=amounts, date=now, external=not requested)
            transaction = self._post("REFUND", order, refund.amount, "DEBIT", now)
            refund.reference_id = transaction["transactionId"]
            order.refunds.append(refund)
            order.modified = now
            return {"refundId": refund.refund_id, "refundStatus": "PENDING"}

    @staticmethod
    def _amount(node: Any, order: _Order) -> Decimal:
        if not isinstance(node, dict) or node.get("value") in (None, ""):
            raise fulfillment_error(34906, "The amount value must be specified.")
        if not node.get("currency"):
            raise fulfillment_error(34908, "The amount currency must be specified.")
        if node["currency"] != order.currency:
            raise fulfillment_error(34909, "The amount currency isn't correct.")
        try:
            value = Decimal(str(node["value"]))
        except ArithmeticError:
            raise fulfillment_error(34907, "The amount value must be positive and within two decimals.") from None
        if not value.is_finite() or value <= 0 or value.as_tuple().exponent < -2:  # type: ignore[operator]
            raise fulfillment_error(34907, "The amount value must be positive and within two decimals.")
        return value

    def order_json(self, order: _Order) -> dict[str, Any]:
        """The Fulfillment API ``Order`` object."""
        c = order.currency

        def money(value: Decimal) -> dict[str, str]:
            return {"value": str(_cents(value, c)), "currency": c}

        listed = [r for r in order.refunds if not r.external]
        line_items = []
        for line in order.lines:
            item: dict[str, Any] = {
                "lineItemId": line.line_item_id, "legacyItemId": line.line_item_id[:12], "sku": line.sku,
                "title": line.title, "quantity": line.quantity, "lineItemCost": money(line.cost),
                "total": money(line.total), "taxes": [{"amount": money(line.tax)}] if line.tax else [],
                "deliveryCost": {"shippingCost": money(line.shipping)}, "appliedPromotions": [],
                "soldFormat": "FIXED_PRICE", "listingMarketplaceId": order.marketplace_id,
                "purchaseMarketplaceId": order.marketplace_id, "lineItemFulfillmentStatus": "FULFILLED",
                "refunds": [{"amount": money(r.amounts[line.line_item_id]), "refundDate": iso(r.date),
                             "refundId": r.refund_id, "refundReferenceId": r.reference_id, "refundStatus": "REFUNDED"}
                            for r in listed if r.level == "line" and line.line_item_id in r.amounts],
            }
            if line.discount:
                item["discountedLineItemCost"] = money(line.cost - line.discount)
                item["appliedPromotions"] = [{"promotionId": f"{line.line_item_id}-promo", "description": "Sale",
                                              "discountAmount": money(line.discount)}]
            line_items.append(item)
        summary_refunds = []
        for refund in order.refunds:
            if refund.level == "line" and not refund.external:
                continue  # listed under its lines
            entry = {"amount": money(refund.amount), "refundDate": iso(refund.date), "refundStatus": "REFUNDED",
                     "refundReferenceId": refund.reference_id}
            if not refund.external:
                entry["refundId"] = refund.refund_id
            summary_refunds.append(entry)
        refunded = order.refunded()
        status = "PAID" if not refunded else ("FULLY_REFUNDED" if refunded >= order.total else "PARTIALLY_REFUNDED")
        discount = sum((line.discount for line in order.lines), Decimal(0))
        pricing: dict[str, Any] = {"priceSubtotal": money(sum((ln.cost for ln in order.lines), Decimal(0))),
                                   "deliveryCost": money(order.shipping), "tax": money(order.tax),
                                   "total": money(order.total)}
        if discount:
            pricing["priceDiscountSubtotal"] = money(-discount)
        buyer = order.buyer
        return {
            "orderId": order.order_id, "legacyOrderId": order.legacy_id, "creationDate": iso(order.created),
            "lastModifiedDate": iso(order.modified), "orderFulfillmentStatus": "FULFILLED",
            "orderPaymentStatus": status, "sellerId": self.seller_id, "salesRecordReference": "0",
            "buyer": {"username": buyer.get("username", "")},
            "pricingSummary": pricing,
            "cancelStatus": {"cancelState": "NONE_REQUESTED", "cancelRequests": []},
            "paymentSummary": {"totalDueSeller": money(order.total), "refunds": summary_refunds,
                               "payments": [{"paymentMethod": "EBAY", "paymentStatus": "PAID",
                                             "paymentDate": iso(order.created), "amount": money(order.total)}]},
            "fulfillmentStartInstructions": [{"fulfillmentInstructionsType": "SHIP_TO", "shippingStep": {"shipTo": {
                "fullName": buyer.get("full_name", ""), "email": buyer.get("email", ""),
                "primaryPhone": {"phoneNumber": buyer.get("phone", "")},
                "contactAddress": {"addressLine1": buyer.get("address_line1", ""), "city": buyer.get("city", ""),
                                   "postalCode": buyer.get("postal_code", ""), "countryCode": "US"}}}}],
            "lineItems": line_items,
        }

    # --- Finances API ------------------------------------------------------------------------------
    def get_transactions(self, query: dict[str, str], base_url: str) -> dict[str, Any] | None:
        """``getTransactions``: newest first; None (204) when nothing matches."""
        with self._lock:
            criteria = parse_filter(
                query.get("filter", ""), ranges={"transactionDate"},
                sets={"transactionType", "transactionStatus", "orderId", "payoutId", "transactionId", "buyerUsername"},
                bad_name=lambda n: finances_error(135008, "The value of transaction date filter is invalid."),
                bad_value=lambda v, n: finances_error(135006 if n == "transactionType" else 135008,
                                                      f"The value of {n} filter is invalid."),
                bad_date=lambda n: finances_error(135008, "The value of transaction date filter is invalid."))
            types = criteria.get("transactionType")
            known = {"SALE", "REFUND", "CREDIT", "DISPUTE", "NON_SALE_CHARGE", "SHIPPING_LABEL", "TRANSFER"}
            if types is not None and (not types or not types <= known):
                raise finances_error(135006, "The value of transaction type filter is invalid.")
            if "transactionId" in criteria and types is None:
                raise finances_error(135009, "Transaction type filter is missing.")
            whole = any(k in criteria for k in WHOLE_FILTERS)
            limit, offset = page({} if whole else query, default=TRANSACTIONS_DEFAULT, maximum=TRANSACTIONS_MAX,
                                 bad_limit=lambda v: finances_error(135003, "The value of pagination is invalid."),
                                 bad_offset=lambda v: finances_error(135003, "The value of pagination is invalid."))
            window = criteria.get("transactionDate")
            if window is None and not whole:
                now = self.clock.now()
                window = (now - timedelta(days=90), now)
            rows = [t for t in self.transactions
                    if in_range(datetime.fromisoformat(t["transactionDate"].replace("Z", "+00:00")), window)
                    and (types is None or t["transactionType"] in types)
                    and all(t.get(k) in criteria[k] for k in ("orderId", "payoutId", "transactionId",
                                                              "transactionStatus") if k in criteria)]
            rows.sort(key=lambda t: t["transactionDate"], reverse=True)
            if not rows:
                return None
            if whole:
                limit = max(limit, len(rows))
            chunk = rows[offset:offset + limit]
            body: dict[str, Any] = {"href": f"{base_url}/sell/finances/v1/transaction?limit={limit}&offset={offset}",
                                    "limit": limit, "offset": offset, "total": len(rows), "transactions": chunk}
            if offset + limit < len(rows):
                body["next"] = f"{base_url}/sell/finances/v1/transaction?limit={limit}&offset={offset + limit}"
            return body

    def get_payout(self, payout_id: str) -> dict[str, Any]:
        """``getPayout`` (``GET /payout/{payout_Id}``): the payout as ``getPayouts`` lists it; 404 for an id eBay
        knows no payout by."""
        with self._lock:
            for payout in self.payouts:
                if payout["payoutId"] == payout_id:
                    return dict(payout)
        raise finances_error(135001, f"The payout {payout_id} was not found.", status=404)

    def get_payouts(self, query: dict[str, str], base_url: str) -> dict[str, Any] | None:
        """``getPayouts``: oldest first; None (204) when nothing matches."""
        with self._lock:
            limit, offset = page(query, default=PAYOUTS_DEFAULT, maximum=PAYOUTS_MAX,
                                 bad_limit=lambda v: finances_error(135003, "The value of pagination is invalid."),
                                 bad_offset=lambda v: finances_error(135003, "The value of pagination is invalid."))
            criteria = parse_filter(
                query.get("filter", ""), ranges={"payoutDate", "lastAttemptedPayoutDate"}, sets={"payoutStatus"},
                bad_name=lambda n: finances_error(135004, "The value of payout date filter is invalid."),
                bad_value=lambda v, n: finances_error(135002 if n == "payoutStatus" else 135004,
                                                      f"The value of {n} filter is invalid."),
                bad_date=lambda n: finances_error(135004, "The value of payout date filter is invalid."))
            rows = [p for p in self.payouts
                    if in_range(datetime.fromisoformat(p["payoutDate"].replace("Z", "+00:00")),
                                criteria.get("payoutDate"))
                    and ("payoutStatus" not in criteria or p["payoutStatus"] in criteria["payoutStatus"])]
            rows.sort(key=lambda p: p["payoutDate"])
            if not rows:
                return None
            chunk = rows[offset:offset + limit]
            body: dict[str, Any] = {"href": f"{base_url}/sell/finances/v1/payout?limit={limit}&offset={offset}",
                                    "limit": limit, "offset": offset, "total": len(rows), "payouts": chunk}
            if offset + limit < len(rows):
                body["next"] = f"{base_url}/sell/finances/v1/payout?limit={limit}&offset={offset + limit}"
            return body
