"""The Amazon emulator's state: tokens, orders, finance transactions, reports.

:class:`AmazonBackend` is thread-safe (one lock around all state) and is what
both the HTTP app and tests talk to::

    >>> backend = AmazonBackend()
    >>> order = backend.create_order(items=[{"sku": "MUG-1", "quantity": 2, "item_price": "20.00",
    ...                                      "item_tax": "1.60"}])
    >>> backend.create_refund(order["AmazonOrderId"], lines=[{"sku": "MUG-1", "quantity": 1}])

Seeding a refund adds a ``Refund`` transaction to Finances; seeding an order adds
its ``Shipment`` transaction. Settlement report documents are stored as the
bytes given (optionally gzipped) and served through a pre-signed-looking URL.
"""

from __future__ import annotations

import bisect
import gzip
import hashlib
import hmac
import random
import re
import secrets
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Iterable
from urllib.parse import urlencode

from . import _shapes as shapes
from ._state import (
    DEMO_CREDENTIALS,
    DEMO_MARKETPLACE_ID,
    USAGE_PLANS,
    EmulatorClock,
    LwaCredentials,
    LwaError,
    PageTokens,
    SpApiError,
    Throttle,
    invalid_input,
    iso,
    parse_time,
)

__all__ = ["AmazonBackend", "SETTLEMENT_REPORT_TYPE"]

SETTLEMENT_REPORT_TYPE = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"
TOKEN_LIFETIME = 3600
DOCUMENT_URL_LIFETIME = 300
COMMISSION_RATE = Decimal("0.15")
REFUND_COMMISSION_RATE = Decimal("0.20")
REFUND_COMMISSION_CAP = Decimal("5.00")
#: finances_2024-06-19.json, listTransactions ``postedAfter``/``postedBefore``: "The date-time must be more
#: than two minutes before the time of the request" and "If PostedAfter and PostedBefore are more than 180
#: days apart, the response is empty."
FINANCES_MIN_AGE = timedelta(minutes=2)
FINANCES_MAX_SPAN = timedelta(days=180)
#: listTransactions: "Financial events might not include orders from the last 48 hours."
FINANCES_MAX_LAG = timedelta(hours=48)
#: finances_2024-06-19.json, ``Transaction.transactionStatus``: DEFERRED, RELEASED, DEFERRED_RELEASED.
TRANSACTION_STATUSES = ("DEFERRED", "RELEASED", "DEFERRED_RELEASED")
#: reports_2021-06-30.json, getReports ``createdSince``: "Reports are retained for a maximum of 90 days."
REPORT_RETENTION = timedelta(days=90)
#: tokens_2021-03-01.json, createRestrictedDataToken: the ``expiresIn`` of its examples.
RDT_LIFETIME = 3600
#: Orders v0 data elements an RDT can unlock (tokens_2021-03-01.json, ``RestrictedResource.dataElements``).
DATA_ELEMENTS = ("buyerInfo", "shippingAddress", "buyerTaxInformation")


def _dec(value: Any) -> Decimal:
    if value is None:
        return Decimal(0)
    if isinstance(value, float):
        raise TypeError("amounts must be strings or Decimals, not floats")
    if hasattr(value, "amount") and isinstance(value.amount, Decimal):
        return value.amount  # syncproof.model.Money
    return Decimal(str(value))


@dataclass
class _Item:
    order_item_id: str
    sku: str
    asin: str
    title: str
    quantity: int
    item_price: Decimal
    item_tax: Decimal
    shipping_price: Decimal
    shipping_tax: Decimal
    promotion_discount: Decimal
    shipping_discount: Decimal


@dataclass
class _Order:
    json: dict[str, Any]
    currency: str
    items: list[_Item]
    created: datetime
    updated: datetime
    buyer: dict[str, Any] = field(default_factory=dict)  # BuyerInfo: restricted data, only with an RDT

    def shown(self, buyer_info: bool) -> dict[str, Any]:
        """The order as getOrders answers it; ``BuyerInfo`` only for a token that unlocks ``buyerInfo``."""
        json = dict(self.json)
        if buyer_info and self.buyer:
            json["BuyerInfo"] = dict(self.buyer)
        return json


@dataclass
class _Report:
    json: dict[str, Any]
    created: datetime


@dataclass
class _Document:
    content: bytes  # as served (gzipped when compression is GZIP)
    compression: str | None
    content_type: str
    created: datetime


@dataclass
class DocumentRequest:
    """A download of a report document, as the emulator saw it."""

    document_id: str
    headers: dict[str, str]
    status: int


@dataclass(frozen=True)
class _Rdt:
    """A Restricted Data Token: what it unlocks and until when."""

    expiry: float
    resources: tuple[tuple[str, str, frozenset[str]], ...]  # (method, path, data elements)

    def unlocks(self, method: str, path: str, element: str) -> bool:
        for r_method, r_path, elements in self.resources:
            pattern = "^" + "/".join("[^/]+" if p.startswith("{") else re.escape(p) for p in r_path.split("/")) + "$"
            if r_method == method and re.match(pattern, path) and element in elements:
                return True
        return False


@dataclass
class _Stats:
    token_requests: int = 0
    calls: dict[str, int] = field(default_factory=dict)


#: listTransactions listings kept at a time (an audit pages through one; a settlement run a few)
_LISTINGS_KEPT = 8


class AmazonBackend:
    """Thread-safe state behind the emulated LWA and SP-API endpoints."""

    def __init__(
        self,
        credentials: LwaCredentials = DEMO_CREDENTIALS,
        *,
        clock: EmulatorClock | None = None,
        seed: int = 7,
        seller_id: str = "A2SYNCPROOFDEMO",
        orders_page_size: int = 100,
        order_items_page_size: int = 100,
        transactions_page_size: int = 500,
        token_lifetime: int = TOKEN_LIFETIME,
        finances_lag: float = 0.0,
    ) -> None:
        self.credentials = credentials
        self.clock = clock or EmulatorClock()
        self.seller_id = seller_id
        self.orders_page_size = orders_page_size
        self.order_items_page_size = order_items_page_size
        self.transactions_page_size = transactions_page_size
        self.token_lifetime = token_lifetime
        #: seconds a transaction takes to appear in listTransactions after it posts (at most 48 hours)
        self.finances_lag = finances_lag
        #: whether the application holds the restricted roles buyer data needs (Tax Remittance, Tax Invoicing)
        self.restricted_roles = True
        self.rate_limits: dict[str, str] = dict(USAGE_PLANS)
        self.throttle = Throttle()
        self.stats = _Stats()
        self.document_requests: list[DocumentRequest] = []
        self.requests: list[tuple[str, dict[str, list[str]]]] = []  # (operation, query) as received
        self._lock = threading.RLock()
        self._rng = random.Random(seed)
        self._tokens: dict[str, float] = {}
        self._rdts: dict[str, _Rdt] = {}
        self._visible: dict[str, datetime] = {}  # transactionId -> when listTransactions starts listing it
        self._orders: dict[str, _Order] = {}
        self._transactions: list[dict[str, Any]] = []
        #: listTransactions scope -> (revision, worked out at, valid until, matching): a listing's pages
        #: read it instead of filtering every transaction again, until a transaction is added or released,
        #: or one more becomes visible
        self._listings: dict[tuple, tuple[int, datetime, datetime, list[dict[str, Any]]]] = {}
        self._revision = 0
        self._reports: list[_Report] = []
        self._documents: dict[str, _Document] = {}
        self._pages = PageTokens()
        self._signing_key = secrets.token_bytes(32)
        self._event_group = self._opaque_id()

    # ids -------------------------------------------------------------------
    def _digits(self, n: int) -> str:
        return "".join(str(self._rng.randint(0, 9)) for _ in range(n))

    def _opaque_id(self) -> str:
        return secrets.token_urlsafe(32)[:43]

    def _new_order_id(self) -> str:
        while True:
            order_id = f"11{self._rng.randint(1, 4)}-{self._digits(7)}-{self._digits(7)}"
            if order_id not in self._orders:
                return order_id

    # Login with Amazon -----------------------------------------------------
    def issue_token(self, form: dict[str, str]) -> dict[str, Any]:
        """Answer ``POST /auth/o2/token``; raises :class:`LwaError` like LWA does."""
        with self._lock:
            self.stats.token_requests += 1
            grant = form.get("grant_type", "")
            if not grant:
                raise LwaError(400, "invalid_request", "The request is missing a required parameter : grant_type")
            if grant != "refresh_token":
                raise LwaError(400, "unsupported_grant_type", f"The authorization grant type {grant} is not supported")
            if (form.get("client_id") != self.credentials.client_id
                    or form.get("client_secret") != self.credentials.client_secret):
                raise LwaError(401, "invalid_client", "Client authentication failed")
            if form.get("refresh_token") != self.credentials.refresh_token:
                raise LwaError(400, "invalid_grant", "The request has an invalid grant parameter : refresh_token")
            token = "Atza|" + secrets.token_urlsafe(48)
            self._tokens[token] = self.clock.now() + self.token_lifetime
            return {"access_token": token, "refresh_token": self.credentials.refresh_token,
                    "token_type": "bearer", "expires_in": self.token_lifetime}

    def authorize(self, token: str | None, operation: str) -> None:
        """Check ``x-amz-access-token`` (an LWA access token or a Restricted Data Token) and the throttle."""
        with self._lock:
            self.stats.calls[operation] = self.stats.calls.get(operation, 0) + 1
            rdt = self._rdts.get(token or "")
            expiry = rdt.expiry if rdt is not None else self._tokens.get(token or "")
            if expiry is None:
                raise SpApiError(403, "Unauthorized", "Access to requested resource is denied.")
            if self.clock.now() >= expiry:
                raise SpApiError(403, "Unauthorized", "The security token included in the request is expired")
        self.throttle.check(operation)

    # Tokens API ------------------------------------------------------------
    def create_restricted_data_token(self, body: dict[str, Any]) -> dict[str, Any]:
        """``POST /tokens/2021-03-01/restrictedDataToken``: an RDT for the restricted resources asked for.

        tokens_2021-03-01.json: ``restrictedResources`` is required (at most 50), each with ``method``
        and ``path``; ``dataElements`` is "required only when getting an RDT for use with the getOrder,
        getOrders, or getOrderItems operation"; the answer is ``{restrictedDataToken, expiresIn}``.
        """
        resources = body.get("restrictedResources") if isinstance(body, dict) else None
        if not isinstance(resources, list) or not resources or len(resources) > 50:
            raise SpApiError(400, "InvalidInput", "Request is missing or has invalid parameters",
                             "restrictedResources must list 1 to 50 resources.")
        parsed = []
        for resource in resources:
            method, path = str(resource.get("method") or ""), str(resource.get("path") or "")
            elements = resource.get("dataElements") or []
            if method not in ("GET", "PUT", "POST", "DELETE") or not path.startswith("/"):
                raise SpApiError(400, "InvalidRequest", "Request is missing or has invalid parameters",
                                 "Resource not provided.")
            unknown = [e for e in elements if e not in DATA_ELEMENTS]
            if unknown:
                raise SpApiError(400, "InvalidInput", "Request is missing or has invalid parameters",
                                 f"Invalid dataElements: {', '.join(map(str, unknown))}")
            if path.startswith("/orders/v0/orders") and not elements:
                raise SpApiError(400, "InvalidInput", "Request is missing or has invalid parameters",
                                 "dataElements is required for the Orders API.")
            parsed.append((method, path, frozenset(elements)))
        if not self.restricted_roles:
            raise SpApiError(403, "Unauthorized", "Access to requested resource is denied.",
                             "The application is not authorized for the restricted data requested.")
        with self._lock:
            token = "Atz.sprdt|" + secrets.token_urlsafe(48)
            self._rdts[token] = _Rdt(self.clock.now() + RDT_LIFETIME, tuple(parsed))
            return {"restrictedDataToken": token, "expiresIn": RDT_LIFETIME}

    def unlocks(self, token: str | None, method: str, path: str, element: str) -> bool:
        """Whether ``token`` is a Restricted Data Token unlocking ``element`` on ``method path``."""
        with self._lock:
            rdt = self._rdts.get(token or "")
            return rdt is not None and rdt.unlocks(method, path, element)

    def expire_tokens(self) -> None:
        """Make every issued access token expired (as if an hour had passed for them)."""
        with self._lock:
            now = self.clock.now()
            for token in self._tokens:
                self._tokens[token] = now - 1
            for token, rdt in list(self._rdts.items()):
                self._rdts[token] = _Rdt(now - 1, rdt.resources)

    # seeding: orders -------------------------------------------------------
    def create_order(
        self,
        items: Iterable[dict[str, Any]],
        *,
        order_id: str | None = None,
        currency: str = "USD",
        marketplace_id: str = DEMO_MARKETPLACE_ID,
        purchase_date: str | datetime | None = None,
        status: str = "Shipped",
        buyer_email: str | None = None,
        buyer_name: str | None = None,
        post_shipment: bool = True,
        transaction_status: str = "RELEASED",
    ) -> dict[str, Any]:
        """Add an order. Each item: sku, quantity, item_price (the line total), item_tax,
        shipping_price, shipping_tax, promotion_discount, shipping_discount, title, asin."""
        with self._lock:
            order_id = order_id or self._new_order_id()
            if order_id in self._orders:
                raise ValueError(f"order {order_id} exists")
            created = self._moment(purchase_date, default=timedelta(hours=-2))
            order_items = [self._item(spec) for spec in items]
            if not order_items:
                raise ValueError("an order needs at least one item")
            total = sum((i.item_price + i.item_tax + i.shipping_price + i.shipping_tax
                         - i.promotion_discount - i.shipping_discount for i in order_items), Decimal(0))
            json = {
                "AmazonOrderId": order_id,
                "PurchaseDate": iso(created),
                "LastUpdateDate": iso(created),
                "OrderStatus": status,
                "FulfillmentChannel": "MFN",
                "SalesChannel": shapes.MARKETPLACE_NAMES.get(marketplace_id, "Amazon.com"),
                "ShipServiceLevel": "Std US D2D Dom",
                "OrderTotal": shapes.money_v0(total, currency),
                "NumberOfItemsShipped": sum(i.quantity for i in order_items) if status == "Shipped" else 0,
                "NumberOfItemsUnshipped": 0 if status == "Shipped" else sum(i.quantity for i in order_items),
                "PaymentMethod": "Other",
                "PaymentMethodDetails": ["Standard"],
                "MarketplaceId": marketplace_id,
                "ShipmentServiceLevelCategory": "Standard",
                "OrderType": "StandardOrder",
                "IsBusinessOrder": False,
                "IsPrime": False,
                "IsPremiumOrder": False,
                "IsGlobalExpressEnabled": False,
                "IsReplacementOrder": False,
                "IsSoldByAB": False,
                "IsISPU": False,
                "IsAccessPointOrder": False,
            }
            buyer = {k: v for k, v in (("BuyerEmail", buyer_email), ("BuyerName", buyer_name)) if v}
            self._orders[order_id] = _Order(json, currency, order_items, created, created, buyer)
            if post_shipment and status == "Shipped":
                self._post_shipment(self._orders[order_id], marketplace_id, created + timedelta(minutes=30),
                                    status=transaction_status)
            return self._orders[order_id].shown(True)

    def _item(self, spec: dict[str, Any]) -> _Item:
        sku = spec["sku"]
        return _Item(
            order_item_id=spec.get("order_item_id") or self._digits(14),
            sku=sku,
            asin=spec.get("asin") or "B0" + self._digits(8),
            title=spec.get("title") or f"Item {sku}",
            quantity=int(spec.get("quantity", 1)),
            item_price=_dec(spec.get("item_price")),
            item_tax=_dec(spec.get("item_tax")),
            shipping_price=_dec(spec.get("shipping_price")),
            shipping_tax=_dec(spec.get("shipping_tax")),
            promotion_discount=_dec(spec.get("promotion_discount")),
            shipping_discount=_dec(spec.get("shipping_discount")),
        )

    def _moment(self, value: str | datetime | None, default: timedelta) -> datetime:
        if value is None:
            return self.clock.now_dt() + default
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return parse_time(value, "date")

    @staticmethod
    def _item_json(item: _Item, currency: str) -> dict[str, Any]:
        json: dict[str, Any] = {
            "ASIN": item.asin,
            "OrderItemId": item.order_item_id,
            "SellerSKU": item.sku,
            "Title": item.title,
            "QuantityOrdered": item.quantity,
            "QuantityShipped": item.quantity,
            "ProductInfo": {"NumberOfItems": "1"},
            "ItemPrice": shapes.money_v0(item.item_price, currency),
            "ItemTax": shapes.money_v0(item.item_tax, currency),
            "PromotionDiscount": shapes.money_v0(item.promotion_discount, currency),
            "PromotionDiscountTax": shapes.money_v0(Decimal(0), currency),
            "IsGift": "false",
            "ConditionId": "New",
            "ConditionSubtypeId": "New",
            "IsTransparency": False,
            "SerialNumberRequired": False,
        }
        if item.shipping_price or item.shipping_tax or item.shipping_discount:
            json["ShippingPrice"] = shapes.money_v0(item.shipping_price, currency)
            json["ShippingTax"] = shapes.money_v0(item.shipping_tax, currency)
            json["ShippingDiscount"] = shapes.money_v0(item.shipping_discount, currency)
            json["ShippingDiscountTax"] = shapes.money_v0(Decimal(0), currency)
        return json

    # seeding: finance transactions -----------------------------------------
    def _transaction(self, *, kind: str, description: str, order: _Order, marketplace_id: str,
                     posted: datetime, items: list[dict[str, Any]], identifiers: list[tuple[str, str]],
                     status: str = "RELEASED", lag: float | None = None) -> dict[str, Any]:
        delay = self.finances_lag if lag is None else float(lag)
        if not 0 <= delay <= FINANCES_MAX_LAG.total_seconds():
            raise ValueError("a transaction's lag is 0 to 48 hours (172800 seconds)")
        currency = order.currency
        transaction_id = self._opaque_id()
        total = sum((item["totalAmount"]["currencyAmount"] for item in items), Decimal(0))
        related = [("ORDER_ID", order.json["AmazonOrderId"]), *identifiers,
                   ("FINANCIAL_EVENT_GROUP_ID", self._event_group)]
        transaction = {
            "sellingPartnerMetadata": {"sellingPartnerId": self.seller_id, "accountType": "Standard Orders",
                                       "marketplaceId": marketplace_id},
            "relatedIdentifiers": [{"relatedIdentifierName": n, "relatedIdentifierValue": v} for n, v in related],
            "transactionType": kind,
            "transactionId": transaction_id,
            "transactionStatus": _status(status),
            "description": description,
            "postedDate": iso(posted),
            "totalAmount": shapes.currency_amount(total, currency),
            "marketplaceDetails": {"marketplaceId": marketplace_id,
                                   "marketplaceName": shapes.MARKETPLACE_NAMES.get(marketplace_id, "Amazon.com")},
            "items": items,
            "breakdowns": shapes.summary_breakdowns(items, currency),
            "contexts": [],
        }
        bisect.insort(self._transactions, transaction, key=lambda t: t["postedDate"])  # after equal dates
        self._revision += 1
        self._visible[transaction_id] = max(posted, self.clock.now_dt()) + timedelta(seconds=delay)
        return transaction

    def release_transaction(self, transaction_id: str) -> dict[str, Any]:
        """Release a DEFERRED transaction: its status becomes DEFERRED_RELEASED, as the model says."""
        with self._lock:
            found = next((t for t in self._transactions if t["transactionId"] == transaction_id), None)
            if found is None:
                raise KeyError(f"no transaction {transaction_id}")
            if found["transactionStatus"] != "DEFERRED":
                raise ValueError(f"transaction {transaction_id} is {found['transactionStatus']}, not DEFERRED")
            found["transactionStatus"] = "DEFERRED_RELEASED"
            self._revision += 1
            return dict(found)

    def _post_shipment(self, order: _Order, marketplace_id: str, posted: datetime,
                       status: str = "RELEASED") -> dict[str, Any]:
        c = order.currency
        items = []
        for item in order.items:
            commission = shapes.quantize((item.item_price - item.promotion_discount) * COMMISSION_RATE, c)
            items.append(shapes.transaction_item(
                currency=c, sku=item.sku, asin=item.asin, title=item.title, quantity=item.quantity,
                adjustment_item_id=item.order_item_id,
                principal=item.item_price, item_promotion=-item.promotion_discount,
                shipping=item.shipping_price, shipping_promotion=-item.shipping_discount,
                tax=item.item_tax, shipping_tax=item.shipping_tax, fees=[("Commission", -commission)]))
        return self._transaction(kind="Shipment", description="Order Payment", order=order,
                                 marketplace_id=marketplace_id, posted=posted, items=items,
                                 identifiers=[("SHIPMENT_ID", self._digits(14))], status=status)

    def create_refund(
        self,
        order_id: str,
        lines: Iterable[dict[str, Any]],
        *,
        shipping: Any = None,
        shipping_tax: Any = None,
        posted_date: str | datetime | None = None,
        refund_id: str | None = None,
        transaction_status: str = "RELEASED",
        lag_seconds: float | None = None,
    ) -> dict[str, Any]:
        """Refund an order in Amazon: adds a ``Refund`` transaction and returns it.

        Each line: ``sku``, ``quantity`` and optionally ``principal``, ``tax``,
        ``promotion`` (positive amounts given back to the buyer; by default the
        order line's amounts pro rata). ``shipping``/``shipping_tax`` are refunded
        on the first line. Amazon gives back the commission on the refunded
        principal and charges a RefundCommission of 20 % of it (at most 5.00).
        """
        with self._lock:
            order = self._orders.get(order_id)
            if order is None:
                raise KeyError(f"no order {order_id}")
            c = order.currency
            posted = self._moment(posted_date, default=timedelta(minutes=-10))
            items = []
            ship, ship_tax = _dec(shipping), _dec(shipping_tax)
            for index, spec in enumerate(lines):
                source = next((i for i in order.items if i.sku == spec["sku"]), None)
                if source is None:
                    raise KeyError(f"order {order_id} has no SKU {spec['sku']}")
                quantity = int(spec.get("quantity", source.quantity))
                share = Decimal(quantity) / Decimal(source.quantity or 1)
                principal = (
                    _dec(spec["principal"]) if "principal" in spec else shapes.quantize(source.item_price * share, c)
                )
                tax = _dec(spec["tax"]) if "tax" in spec else shapes.quantize(source.item_tax * share, c)
                promo = (
                    _dec(spec["promotion"])
                    if "promotion" in spec
                    else shapes.quantize(source.promotion_discount * share, c)
                )
                commission = shapes.quantize((principal - promo) * COMMISSION_RATE, c)
                refund_commission = min(REFUND_COMMISSION_CAP, shapes.quantize(commission * REFUND_COMMISSION_RATE, c))
                line_ship, line_ship_tax = (ship, ship_tax) if index == 0 else (Decimal(0), Decimal(0))
                items.append(shapes.transaction_item(
                    currency=c, sku=source.sku, asin=source.asin, title=source.title, quantity=quantity,
                    adjustment_item_id=self._digits(14),
                    principal=-principal, item_promotion=promo, shipping=-line_ship, shipping_promotion=Decimal(0),
                    tax=-tax, shipping_tax=-line_ship_tax,
                    fees=[("Commission", commission), ("RefundCommission", -refund_commission)]))
            if not items:
                raise ValueError("a refund needs at least one line")
            order.updated = max(order.updated, posted)
            order.json["LastUpdateDate"] = iso(order.updated)
            return self._transaction(kind="Refund", description="Refund", order=order,
                                     marketplace_id=order.json["MarketplaceId"], posted=posted, items=items,
                                     identifiers=[("REFUND_ID", refund_id or self._digits(14))],
                                     status=transaction_status, lag=lag_seconds)

    # seeding: settlement reports -------------------------------------------
    def add_settlement_report(
        self,
        content: bytes,
        *,
        start: str | datetime,
        end: str | datetime,
        compression: str | None = None,
        charset: str | None = "UTF-8",
        created: str | datetime | None = None,
        marketplace_ids: list[str] | None = None,
        processing_status: str = "DONE",
    ) -> dict[str, Any]:
        """Store a settlement flat file as a DONE report; ``compression="GZIP"`` gzips it.

        The report is created two hours after the period ends unless ``created`` says when
        (``"now"``: at the emulator's present). Reports keeps it 90 days from then."""
        if compression not in (None, "GZIP"):
            raise ValueError("compression is None or 'GZIP'")
        with self._lock:
            start_dt, end_dt = self._moment(start, timedelta()), self._moment(end, timedelta())
            if created == "now":
                created_dt = self.clock.now_dt()
            elif created:
                created_dt = self._moment(created, default=timedelta(hours=-1))
            else:
                created_dt = end_dt + timedelta(hours=2)
            document_id = f"amzn1.spdoc.1.4.na.{uuid.UUID(int=self._rng.getrandbits(128))}"
            content_type = "text/plain" + (f"; charset={charset}" if charset else "")
            stored = gzip.compress(content) if compression == "GZIP" else content
            self._documents[document_id] = _Document(stored, compression, content_type, created_dt)
            report_id = self._digits(11)
            json = {
                "reportType": SETTLEMENT_REPORT_TYPE,
                "processingEndTime": iso(created_dt),
                "processingStatus": processing_status,
                "marketplaceIds": marketplace_ids or [DEMO_MARKETPLACE_ID],
                "reportDocumentId": document_id,
                "reportId": report_id,
                "dataEndTime": iso(end_dt),
                "createdTime": iso(created_dt),
                "processingStartTime": iso(created_dt),
                "dataStartTime": iso(start_dt),
            }
            self._reports.append(_Report(json, created_dt))
            self._reports.sort(key=lambda r: r.created, reverse=True)
            return dict(json)

    # queries: orders -------------------------------------------------------
    def _record(self, operation: str, query: dict[str, list[str]]) -> None:
        with self._lock:
            self.requests.append((operation, query))

    def get_orders(self, query: dict[str, list[str]], token: str | None = None) -> dict[str, Any]:
        """getOrders. ordersV0.json, ``Order.BuyerInfo``: "The BuyerInfo contains restricted data. Use the
        Restricted Data Token (RDT) and restricted SPDS roles to access the restricted data": without an RDT
        for ``/orders/v0/orders`` with ``dataElements`` ``buyerInfo`` the orders come without it."""
        self._record("getOrders", query)
        buyer_info = self.unlocks(token, "GET", "/orders/v0/orders", "buyerInfo")
        with self._lock:
            token = _one(query, "NextToken")
            if token:
                cursor = self._pages.resolve("getOrders", token)
                scope, offset = cursor.scope, cursor.offset
            else:
                scope, offset = self._orders_scope(query), 0
            matching = [o for o in self._orders.values() if _order_matches(o, scope)]
            size = _page_size(query, "MaxResultsPerPage", self.orders_page_size, 100)
            page = matching[offset:offset + size]
            payload: dict[str, Any] = {"Orders": [o.shown(buyer_info) for o in page]}
            if offset + size < len(matching):
                payload["NextToken"] = self._pages.issue("getOrders", scope, offset + size)
            key = "CreatedBefore" if scope[1] == "created" else "LastUpdatedBefore"
            payload[key] = iso(scope[3] or self.clock.now_dt() - timedelta(minutes=2))
            return {"payload": payload}

    def _orders_scope(self, query: dict[str, list[str]]) -> tuple:
        marketplaces = _csv(query, "MarketplaceIds")
        if not marketplaces:
            raise invalid_input("MarketplaceIds is required.")
        created_after, updated_after = _one(query, "CreatedAfter"), _one(query, "LastUpdatedAfter")
        if bool(created_after) == bool(updated_after):
            raise invalid_input("Exactly one of CreatedAfter and LastUpdatedAfter must be specified.")
        if created_after:
            before = _one(query, "CreatedBefore")
            return (tuple(marketplaces), "created", parse_time(created_after, "CreatedAfter"),
                    parse_time(before, "CreatedBefore") if before else None, tuple(_csv(query, "OrderStatuses")))
        assert updated_after is not None  # exactly one of the two is given
        before = _one(query, "LastUpdatedBefore")
        return (tuple(marketplaces), "updated", parse_time(updated_after, "LastUpdatedAfter"),
                parse_time(before, "LastUpdatedBefore") if before else None, tuple(_csv(query, "OrderStatuses")))

    def get_order_items(self, order_id: str, query: dict[str, list[str]]) -> dict[str, Any]:
        self._record("getOrderItems", query)
        with self._lock:
            order = self._orders.get(order_id)
            if order is None:
                raise SpApiError(404, "InvalidInput", "Invalid Input", f"Order {order_id} not found")
            token = _one(query, "NextToken")
            offset = self._pages.resolve("getOrderItems", token).offset if token else 0
            size = self.order_items_page_size
            page = order.items[offset:offset + size]
            payload: dict[str, Any] = {"AmazonOrderId": order_id,
                                       "OrderItems": [self._item_json(i, order.currency) for i in page]}
            if offset + size < len(order.items):
                payload["NextToken"] = self._pages.issue("getOrderItems", (order_id,), offset + size)
            return {"payload": payload}

    # queries: finances -----------------------------------------------------
    def list_transactions(self, query: dict[str, list[str]]) -> dict[str, Any]:
        """listTransactions, with the window rules of finances_2024-06-19.json (see ``_transactions_scope``).

        A transaction is listed only once its lag has passed ("Financial events might not include
        orders from the last 48 hours"); ``transactionStatus`` filters by status.
        """
        self._record("listTransactions", query)
        with self._lock:
            token = _one(query, "nextToken")
            if token:
                cursor = self._pages.resolve("listTransactions", token)
                scope, offset = cursor.scope, cursor.offset
            else:
                scope, offset = self._transactions_scope(query), 0
            matching = self._listing(scope, self.clock.now_dt())
            size = self.transactions_page_size
            payload: dict[str, Any] = {"transactions": matching[offset:offset + size]}
            if offset + size < len(matching):
                payload["nextToken"] = self._pages.issue("listTransactions", scope, offset + size)
            return {"payload": payload}

    def _listing(self, scope: tuple, now: datetime) -> list[dict[str, Any]]:
        """The transactions ``scope`` lists at ``now``, worked out once per state (see ``_listings``)."""
        kept = self._listings.get(scope)
        if kept is not None and kept[0] == self._revision and kept[1] <= now < kept[2]:
            return kept[3]
        after, before, marketplace, name, value, status, empty = scope
        matching, until = [], datetime.max.replace(tzinfo=timezone.utc)
        for t in [] if empty else self._transactions:
            posted = parse_time(t["postedDate"], "postedDate")
            if after and posted < after or before and posted >= before:
                continue
            if marketplace and t["marketplaceDetails"]["marketplaceId"] != marketplace:
                continue
            if status and t["transactionStatus"] != status:
                continue
            if name and not any(r["relatedIdentifierName"] == name and r["relatedIdentifierValue"] == value
                                for r in t["relatedIdentifiers"]):
                continue
            visible = self._visible.get(t["transactionId"], posted)
            if visible > now:  # posted, but Finances does not list it yet
                until = min(until, visible)
                continue
            matching.append(t)
        if scope not in self._listings and len(self._listings) >= _LISTINGS_KEPT:
            del self._listings[next(iter(self._listings))]
        self._listings[scope] = (self._revision, now, until, matching)
        return matching

    def _transactions_scope(self, query: dict[str, list[str]]) -> tuple:
        """The query's window, checked as finances_2024-06-19.json describes ``postedAfter``/``postedBefore``.

        Both "must be more than two minutes before the time of the request" (refused here with 400
        InvalidInput; the model does not say what Amazon answers), ``postedBefore`` must be later than
        ``postedAfter`` and defaults to two minutes before the request; "If PostedAfter and PostedBefore
        are more than 180 days apart, the response is empty."
        """
        after, before = _one(query, "postedAfter"), _one(query, "postedBefore")
        name, value = _one(query, "relatedIdentifierName"), _one(query, "relatedIdentifierValue")
        status = _one(query, "transactionStatus")
        if status and status not in TRANSACTION_STATUSES:
            raise invalid_input(f"transactionStatus must be one of {', '.join(TRANSACTION_STATUSES)}.")
        if not after and not name:
            raise invalid_input("Start date cannot be null")
        latest = self.clock.now_dt() - FINANCES_MIN_AGE
        after_dt = parse_time(after, "postedAfter") if after else None
        if after_dt and after_dt >= latest:
            raise invalid_input("postedAfter must be more than two minutes before the time of the request.",
                                f"postedAfter {iso(after_dt)} is later than {iso(latest)}")
        before_dt = parse_time(before, "postedBefore") if before else latest
        if before and before_dt >= latest:
            raise invalid_input("postedBefore must be more than two minutes before the time of the request.",
                                f"postedBefore {iso(before_dt)} is later than {iso(latest)}")
        if after_dt and before_dt <= after_dt:
            raise invalid_input("postedBefore must be later than postedAfter")
        empty = bool(after_dt and before_dt - after_dt > FINANCES_MAX_SPAN)
        return (after_dt, before_dt, _one(query, "marketplaceId"), name, value, status, empty)

    # queries: reports ------------------------------------------------------
    def get_reports(self, query: dict[str, list[str]]) -> dict[str, Any]:
        self._record("getReports", query)
        with self._lock:
            token = _one(query, "nextToken")
            if token:
                others = sorted(k for k in query if k != "nextToken")
                if others:
                    raise invalid_input("nextToken must be the only parameter when given.",
                                        f"Also received: {', '.join(others)}")
                cursor = self._pages.resolve("getReports", token)
                scope, offset = cursor.scope, cursor.offset
            else:
                scope, offset = self._reports_scope(query), 0
            types, statuses, marketplaces, since, until, size = scope
            kept_since = self.clock.now_dt() - REPORT_RETENTION
            matching = [r.json for r in self._reports
                        if r.created >= kept_since and r.json["reportType"] in types
                        and (not statuses or r.json["processingStatus"] in statuses)
                        and (not marketplaces or set(marketplaces) & set(r.json["marketplaceIds"]))
                        and since <= r.created <= until]
            body: dict[str, Any] = {"reports": [dict(r) for r in matching[offset:offset + size]]}
            if offset + size < len(matching):
                body["nextToken"] = self._pages.issue("getReports", scope, offset + size)
            return body

    def _reports_scope(self, query: dict[str, list[str]]) -> tuple:
        types = _csv(query, "reportTypes")
        if not types:
            raise invalid_input("Either reportTypes or nextToken is required.")
        statuses = _csv(query, "processingStatuses")
        allowed = {"CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE"}
        if set(statuses) - allowed:
            raise SpApiError(400, "400", "Invalid input", "Invalid input in processing status")
        now = self.clock.now_dt()
        since = _one(query, "createdSince")
        until = _one(query, "createdUntil")
        return (tuple(types), tuple(statuses), tuple(_csv(query, "marketplaceIds")),
                parse_time(since, "createdSince") if since else now - timedelta(days=90),
                parse_time(until, "createdUntil") if until else now,
                _page_size(query, "pageSize", 10, 100))

    def get_report_document(self, document_id: str, base_url: str) -> dict[str, Any]:
        """getReportDocument; a document past the 90 days Reports keeps them is gone (404, as for any
        unknown document: the model does not say what Amazon answers for an expired one)."""
        self._record("getReportDocument", {})
        with self._lock:
            document = self._documents.get(document_id)
            if document is not None and document.created < self.clock.now_dt() - REPORT_RETENTION:
                document = None
            if document is None:
                raise SpApiError(404, "NotFound", "The requested report document was not found.",
                                 f"reportDocumentId {document_id}")
            body = {"reportDocumentId": document_id, "url": self._presign(document_id, base_url)}
            if document.compression:
                body["compressionAlgorithm"] = document.compression
            return body

    def _presign(self, document_id: str, base_url: str) -> str:
        date = datetime.fromtimestamp(self.clock.now(), tz=timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        params = {
            "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
            "X-Amz-Date": date,
            "X-Amz-SignedHeaders": "host",
            "X-Amz-Expires": str(DOCUMENT_URL_LIFETIME),
            "X-Amz-Credential": f"AKIAEMULATOR/{date[:8]}/us-east-1/s3/aws4_request",
            "X-Amz-Signature": self._signature(document_id, date),
        }
        return f"{base_url.rstrip('/')}/__documents__/{document_id}?{urlencode(params)}"

    def _signature(self, document_id: str, date: str) -> str:
        return hmac.new(self._signing_key, f"{document_id}|{date}".encode(), hashlib.sha256).hexdigest()

    def download_document(self, document_id: str, query: dict[str, str],
                          headers: dict[str, str]) -> tuple[int, bytes, str]:
        """Serve a pre-signed download: ``(status, body, content type)``; S3-style XML errors."""
        with self._lock:
            status, body, content_type = self._download(document_id, query)
            self.document_requests.append(DocumentRequest(document_id, dict(headers), status))
            return status, body, content_type

    def _download(self, document_id: str, query: dict[str, str]) -> tuple[int, bytes, str]:
        document = self._documents.get(document_id)
        date, signature = query.get("X-Amz-Date", ""), query.get("X-Amz-Signature", "")
        if document is None or not hmac.compare_digest(signature, self._signature(document_id, date)):
            return (
                403,
                _s3_error(
                    "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided.",
                ),
                "application/xml",
            )
        signed = datetime.strptime(date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc).timestamp()
        if self.clock.now() > signed + int(query.get("X-Amz-Expires", DOCUMENT_URL_LIFETIME)):
            return 403, _s3_error("AccessDenied", "Request has expired"), "application/xml"
        return 200, document.content, document.content_type


def _status(status: str) -> str:
    if status not in ("DEFERRED", "RELEASED"):
        raise ValueError("a transaction is posted RELEASED or DEFERRED (DEFERRED_RELEASED comes from a release)")
    return status


def _s3_error(code: str, message: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
            f"<Message>{message}</Message></Error>").encode()


def _one(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[-1] if values else None


def _csv(query: dict[str, list[str]], name: str) -> list[str]:
    """SP-API array parameters: comma-separated (Swagger 2.0 ``csv``), repeats also accepted."""
    return [part for value in query.get(name, []) for part in value.split(",") if part]


def _page_size(query: dict[str, list[str]], name: str, default: int, maximum: int) -> int:
    value = _one(query, name)
    if value is None:
        return default
    try:
        size = int(value)
    except ValueError:
        raise invalid_input(f"{name} must be an integer.") from None
    if not 1 <= size <= maximum:
        raise invalid_input(f"{name} must be between 1 and {maximum}.")
    return size


def _order_matches(order: _Order, scope: tuple) -> bool:
    marketplaces, field_name, after, before, statuses = scope
    if order.json["MarketplaceId"] not in marketplaces:
        return False
    moment = order.created if field_name == "created" else order.updated
    if moment < after or (before is not None and moment > before):
        return False
    return not statuses or order.json["OrderStatus"] in statuses
