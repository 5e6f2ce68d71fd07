"""Shopify GraphQL Admin API client: orders, refunds, suggested refunds, test orders.

    client = ShopifyClient("dev-store", access_token=os.environ["SHOPIFY_TOKEN"])
    order = client.get_order("gid://shopify/Order/450789469")
    refund = client.create_refund(order.channel_ref, {order.lines[0].line_id: 1}, note="RMA-7")

Every call is one ``POST /admin/api/{version}/graphql.json`` with the
``X-Shopify-Access-Token`` header. Errors:

- HTTP 401/403 -> :class:`AuthenticationFailed`;
- GraphQL ``errors`` -> :class:`ShopifyError` (``code`` from ``extensions.code``);
- a mutation's ``userErrors`` -> one :class:`ShopifyError` naming each field and message;
- ``THROTTLED`` -> retried after ``(requested - currentlyAvailable) / restoreRate`` seconds,
  and :class:`RateLimited` once retries run out. The client also waits *before* sending
  when the last known budget cannot cover the query's expected cost.
"""

from __future__ import annotations

import functools
import json
import re
import time
import uuid
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Callable, Iterator, Mapping, Sequence

import httpx

from syncproof.model import Money, Order, OrderLine, Refund, Shipping

from . import _shopify_queries as Q
from ._exceptions import AuthenticationFailed, RefundNotExpressible, ShopifyError, WriteOutcomeUnknown
from ._http import ApiClient
from ._shopify_audit import (
    ALL_ORDERS_SCOPE,
    BULK_FROM_ORDERS,
    ORDER_WINDOW_DAYS,
    audit_orders,
    order_window_start,
    orders_with_refunds,
)
from ._shopify_bulk import BulkDownloads
from ._shopify_parse import SuggestedRefund, parse_order, parse_refund, parse_suggested_refund
from ._shopify_throttle import CostTracker, throttled_delay

__all__ = ["ShopifyClient", "SuggestedRefund", "RESTOCK_TYPES", "note_markers", "with_marker", "RefundNotExpressible",
           "orders_with_refunds", "audit_orders", "BULK_FROM_ORDERS",
           "parse_refund", "ORDER_WINDOW_DAYS", "ALL_ORDERS_SCOPE", "order_window_start"]

RESTOCK_TYPES = ("RETURN", "CANCEL", "NO_RESTOCK")
#: the first Admin API version whose refundCreate takes an ``@idempotent(key:)`` directive
IDEMPOTENT_REFUNDS_FROM = "2026-01"
_MARKER_TOKEN = re.compile(r"\[([^\[\]]+)\]")


def note_markers(note: str | None) -> set[str]:
    """The ``[...]`` tokens of a refund note: the markers it carries."""
    return set(_MARKER_TOKEN.findall(note or ""))


def with_marker(note: str | None, marker: str) -> str:
    """``note`` with ``[marker]`` appended (markers never contain brackets)."""
    if not marker or "[" in marker or "]" in marker:
        raise ValueError(f"a refund marker cannot be empty or contain brackets: {marker!r}")
    return f"{note} [{marker}]" if note else f"[{marker}]"

_RATE = Decimal("0.0001")
#: lines fetched with a single order (keeps the query under the 1,000-point limit)
ORDER_LINE_LIMIT = 100
#: the keyword of the first operation definition in a document (fragments skipped)
_OPERATION = re.compile(r"^\s*(query|mutation|subscription)\b", re.MULTILINE)
#: mutations that change no shop data: starting a bulk query only reads (shopify.dev, bulkOperationRunQuery:
#: "Creates and runs a bulk operation to fetch data asynchronously")
READING_MUTATIONS = frozenset({"bulkOperationRunQuery"})


def _amount(value: Money) -> str:
    return str(value.rounded().amount)


def _bag(value: Money, shop: tuple[str, Decimal] | None = None) -> dict:
    """A ``MoneyBagInput``; with ``shop`` (the shop's currency and its units per unit of ``value``'s),
    ``value`` is the presentment money and the shop money is converted from it."""
    if shop is None or shop[0] == value.currency:
        return {"shopMoney": {"amount": _amount(value), "currencyCode": value.currency}}
    converted = Money(value.amount * shop[1], shop[0]).rounded()
    return {"shopMoney": {"amount": _amount(converted), "currencyCode": shop[0]},
            "presentmentMoney": {"amount": _amount(value), "currencyCode": value.currency}}


class ShopifyClient(ApiClient):
    """Client for one shop's GraphQL Admin API.

    ``shop`` is the shop handle (``dev-store`` -> ``https://dev-store.myshopify.com``)
    or a full base URL (``http://127.0.0.1:8123`` for the emulator).

        with ShopifyClient("http://127.0.0.1:8123", "shpat_x") as client:
            client.shop()["name"]
    """

    system = "shopify"
    secret_headers = frozenset({"x-shopify-access-token"})

    def __init__(self, shop: str, access_token: str, api_version: str = "2026-10",
                 *, line_page_size: int = Q.LINE_PAGE_SIZE, clock: Callable[[], float] = time.monotonic,
                 audit_bulk_from: int | None = BULK_FROM_ORDERS, **kwargs: Any) -> None:
        base_url = shop if shop.startswith(("http://", "https://")) else f"https://{shop}.myshopify.com"
        headers = {"X-Shopify-Access-Token": access_token, "Content-Type": "application/json",
                   "Accept": "application/json", **(kwargs.pop("headers", None) or {})}
        plain = {k: kwargs[k] for k in ("transport", "timeout", "retry", "sleep", "on_exchange", "host_guard")
                 if k in kwargs}
        super().__init__(base_url, headers=headers, **kwargs)
        self._downloads = BulkDownloads("", **plain)  # signed result links: no access token sent
        self.bulk_waited = 0.0  # seconds slept between status reads of bulk operations
        self.audit_bulk_from = audit_bulk_from  # audits use bulk queries from this many orders (None: never)
        self.api_version = api_version
        self.path = f"/admin/api/{api_version}/graphql.json"
        self.line_page_size = line_page_size
        self.costs = CostTracker(clock=clock)  # the budget refills by ``clock``; waits go through ``sleep``

    # ApiClient hooks -------------------------------------------------------------------
    @staticmethod
    def _body(response: httpx.Response) -> dict:
        try:
            body = response.json()
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}

    @staticmethod
    def _operation(request: httpx.Request) -> str:
        try:
            payload = json.loads(request.content or b"{}")
        except ValueError:
            return ""
        return str(payload.get("operationName") or "")

    def _is_throttled(self, response: httpx.Response) -> bool:
        errors = self._body(response).get("errors")
        return isinstance(errors, list) and any(
            isinstance(e, dict) and (e.get("extensions") or {}).get("code") == "THROTTLED" for e in errors)

    def retry_delay(self, response: httpx.Response, attempt: int, is_write: bool) -> float | None:
        body = self._body(response)
        cost = (body.get("extensions") or {}).get("cost")
        self.costs.observe(self._operation(response.request), cost)
        if self._is_throttled(response):
            return throttled_delay(cost or {}) or self.retry.backoff(attempt)
        return super().retry_delay(response, attempt, is_write)

    def is_write(self, request: httpx.Request) -> bool:
        """Only mutations change data; queries are reads even though they are POSTs."""
        try:
            query = json.loads(request.content or b"{}").get("query", "")
        except ValueError:
            return True
        match = _OPERATION.search(query)
        return bool(match and match.group(1) == "mutation") and not _only_reading(query)

    def raise_for_error(self, response: httpx.Response) -> None:
        where = f"{response.request.method} {response.request.url.path}"
        if response.status_code in (401, 403):
            detail = self._body(response).get("errors") or response.reason_phrase
            raise AuthenticationFailed(
                f"shopify refused the access token at {where} (HTTP {response.status_code}: {detail})"
            )
        body = self._body(response)
        if response.is_error:
            raise ShopifyError(
                f"shopify answered HTTP {response.status_code} at {where}: {body.get('errors') or response.text[:200]}",
                status=response.status_code,
                detail=response.text[:500],
            )
        errors = body.get("errors")
        if errors:
            head = errors[0] if isinstance(errors, list) else None
            first: dict[str, Any] = head if isinstance(head, dict) else {"message": str(errors)}
            code = (first.get("extensions") or {}).get("code", "")
            path = ".".join(str(p) for p in first.get("path") or [])
            messages = (
                "; ".join(e.get("message", "") for e in errors if isinstance(e, dict))
                if isinstance(errors, list)
                else str(errors)
            )
            raise ShopifyError(f"shopify GraphQL error{' at ' + path if path else ''}: {messages}",
                               status=response.status_code, code=code, detail=messages, path=path)

    def close(self) -> None:
        super().close()
        self._downloads.close()

    def bulk_result(self, url: str) -> str:
        """The JSONL text behind a bulk operation's signed ``url`` (fetched without the access token)."""
        return self._downloads.request("GET", url).text

    # plumbing ----------------------------------------------------------------------------
    def graphql(self, query: str, variables: Mapping[str, Any] | None = None,
                operation_name: str | None = None) -> dict:
        """Run one GraphQL document; return ``data`` or raise."""
        operation = operation_name or ""
        wait = self.costs.wait_for(operation)
        if wait > 0:
            self.sleep(wait)
        self.costs.spend(operation)
        payload = {"query": query, "variables": dict(variables or {})}
        if operation_name:
            payload["operationName"] = operation_name
        response = self.request("POST", self.path, json=payload)
        body = self._body(response)
        self.costs.observe(operation, (body.get("extensions") or {}).get("cost"))
        return body.get("data") or {}

    @staticmethod
    def _user_errors(payload: dict, mutation: str) -> None:
        errors = payload.get("userErrors") or []
        if errors:
            parts = [f"{'.'.join(e.get('field') or []) or '(input)'}: {e.get('message')}" for e in errors]
            first = errors[0]
            raise ShopifyError(f"shopify {mutation} refused: " + "; ".join(parts), status=200,
                               code=str(first.get("code") or "USER_ERROR"), detail=first.get("message", ""),
                               path=".".join(first.get("field") or []))

    # reads -------------------------------------------------------------------------------
    def shop(self) -> dict:
        """``{"name", "currencyCode", "myshopifyDomain"}``: a cheap health check."""
        return self.graphql(Q.SHOP, operation_name="Shop")["shop"]

    def access_scopes(self) -> list[str]:
        """The handles of the scopes granted to this app's token (``read_orders``...)."""
        data = self.graphql("query AccessScopes { currentAppInstallation { accessScopes { handle } } }",
                            operation_name="AccessScopes")
        return [scope["handle"] for scope in data["currentAppInstallation"]["accessScopes"]]

    def _order_node(self, order_gid: str) -> dict:
        data = self.graphql(Q.ORDER, {"id": order_gid, "lineCount": ORDER_LINE_LIMIT}, "Order")
        if not data.get("order"):
            raise ShopifyError(f"shopify has no order {order_gid}", status=200, code="NOT_FOUND", path="order")
        return data["order"]

    def get_order(self, order_gid: str) -> Order:
        """The order with up to ORDER_LINE_LIMIT (100) lines."""
        return parse_order(self._order_node(order_gid))

    def orders_updated_since(self, since: datetime, page_size: int = Q.ORDER_PAGE_SIZE) -> Iterator[Order]:
        """Orders updated after ``since``, oldest update first, following cursors page by page."""
        search = _updated_after(since)
        after = None
        while True:
            data = self.graphql(Q.ORDERS, {"first": page_size, "after": after, "query": search,
                                           "lineCount": self.line_page_size}, "Orders")
            page = data["orders"]
            for node in page["nodes"]:
                if node["lineItems"]["pageInfo"]["hasNextPage"]:
                    node = self._order_node(node["id"])  # more lines than a listing page carries
                yield parse_order(node)
            if not page["pageInfo"]["hasNextPage"]:
                return
            after = page["pageInfo"]["endCursor"]

    def order_changes_since(self, since: datetime) -> Iterator[tuple[str, str]]:
        """``(order gid, updatedAt)`` of every order updated after ``since``, oldest update first: a lean
        listing of what changed (read an order itself with :meth:`get_order`)."""
        after = None
        while True:
            data = self.graphql(Q.ORDER_CHANGES, {"first": Q.ORDER_CHANGES_PAGE_SIZE, "after": after,
                                                  "query": _updated_after(since)}, "OrderChanges")
            page = data["orders"]
            for node in page["nodes"]:
                yield str(node["id"]), str(node["updatedAt"])
            if not page["pageInfo"]["hasNextPage"]:
                return
            after = page["pageInfo"]["endCursor"]

    def _refund_stubs(self, order_gid: str) -> list[dict]:
        data = self.graphql(Q.REFUND_IDS, {"id": order_gid}, "RefundIds")
        if not data.get("order"):
            raise ShopifyError(f"shopify has no order {order_gid}", status=200, code="NOT_FOUND", path="order")
        return data["order"]["refunds"]

    def get_refund(self, refund_gid: str) -> Refund:
        """One refund with its lines (up to 60), shipping and transactions."""
        data = self.graphql(Q.REFUND, {"id": refund_gid}, "Refund")
        if not data.get("refund"):
            raise ShopifyError(f"shopify has no refund {refund_gid}", status=200, code="NOT_FOUND", path="refund")
        return parse_refund(data["refund"])

    def get_refunds(self, order_gid: str) -> list[Refund]:
        """Every refund on the order, oldest first (one cheap listing, then one query per refund)."""
        return [self.get_refund(stub["id"]) for stub in self._refund_stubs(order_gid)]

    def find_refund_by_note(self, order_gid: str, marker: str) -> Refund | None:
        """The order's refund whose note carries exactly ``marker`` as a ``[marker]`` token.

        The match is on the whole delimited token, never a substring: the marker of
        NetSuite refund 1003 does not find the refund carrying 10030's.
        """
        for stub in self._refund_stubs(order_gid):
            if marker in note_markers(stub.get("note")):
                return self.get_refund(stub["id"])
        return None

    def suggest_refund(self, order_gid: str, lines: Mapping[str, int],
                       refund_shipping: bool | Money = False) -> SuggestedRefund:
        """Shopify's suggestion for refunding ``lines`` ({line gid: quantity}) and shipping.

        ``refund_shipping`` is True for all remaining shipping, or a Money amount.
        """
        variables: dict[str, Any] = {"id": order_gid,
                                     "lines": [{"lineItemId": k, "quantity": int(v)} for k, v in lines.items()]}
        if isinstance(refund_shipping, Money):
            variables["shippingAmount"] = _amount(refund_shipping)
        elif refund_shipping:
            variables["refundShipping"] = True
        variables["lineCount"] = ORDER_LINE_LIMIT
        data = self.graphql(Q.SUGGESTED_REFUND, variables, "SuggestedRefund")
        if not data.get("order"):
            raise ShopifyError(f"shopify has no order {order_gid}", status=200, code="NOT_FOUND", path="order")
        order = data["order"]
        return parse_suggested_refund(order["suggestedRefund"], order["lineItems"]["nodes"],
                                      order.get("presentmentCurrencyCode"))

    # writes ------------------------------------------------------------------------------
    @property
    def idempotent_refunds(self) -> bool:
        """Whether this API version takes ``@idempotent`` on refundCreate (2026-01 and later)."""
        return self.api_version >= IDEMPOTENT_REFUNDS_FROM

    def create_refund(self, order_gid: str, lines: Mapping[str, int], shipping: bool | Money = False,
                      note: str | None = None, restock_type: str = "RETURN", notify: bool = False,
                      *, marker: str | None = None, amount: Money | None = None,
                      kept_fee: Money | None = None) -> Refund:
        """Refund ``lines`` ({line gid: quantity}) and ``shipping``.

        ``restock_type`` RETURN or CANCEL restocks the refunded units, each line with the type
        its fulfilment calls for (see :func:`refund_line_inputs`); NO_RESTOCK does not restock.

        The money returned is ``amount`` when given (a refund decided elsewhere, its
        adjustments included: a restocking fee returns less than the lines are worth),
        else what Shopify suggests, less ``kept_fee`` when given (a fee the merchant keeps,
        such as a restocking fee). Shopify's Refund resource: "You can refund less than the
        calculated amount ... If ... you choose to refund line items for less than their
        calculated amount, then an order adjustment is created automatically to account for
        the discrepancy"; the refund read back has it as a negative ``adjustment``. An
        ``amount`` Shopify cannot pay back through the order's transactions raises
        :class:`RefundNotExpressible` before anything is sent.

        ``marker`` makes the call idempotent: it is appended to the note as ``[marker]``,
        a refund already carrying exactly that token is returned instead of creating
        another, and when the answer to the create is lost the refund is looked up by
        it. On API versions that support it the create also carries an
        ``@idempotent`` key derived from the marker, so Shopify itself creates the
        refund once even when two machines send it.
        """
        if restock_type not in RESTOCK_TYPES:
            raise ValueError(f"restock_type must be one of {', '.join(RESTOCK_TYPES)}, not {restock_type!r}")
        if amount is not None and kept_fee is not None:
            raise ValueError("give the amount to refund or the fee kept from it, not both")
        if marker:
            existing = self.find_refund_by_note(order_gid, marker)
            if existing is not None:
                return existing
            note = with_marker(note, marker)
        suggestion = self.suggest_refund(order_gid, lines, shipping)
        if kept_fee is not None:
            amount = suggestion.amount - kept_fee
        refund_input: dict[str, Any] = {
            "orderId": order_gid, "notify": bool(notify),
            "refundLineItems": refund_line_inputs(lines, restock_type, suggestion.unfulfilled, suggestion.refundable),
            "transactions": [{"orderId": order_gid, "kind": "REFUND", "gateway": gateway,
                              "amount": _amount(money), "parentId": parent}
                             for gateway, money, parent in _refund_transactions(order_gid, suggestion, amount)],
        }
        if suggestion.currency:  # "required for orders where the currency and presentment currency differ"
            refund_input["currency"] = suggestion.currency
        if note is not None:
            refund_input["note"] = note
        if isinstance(shipping, Money):
            refund_input["shipping"] = {"amount": _amount(shipping)}
        elif shipping:
            refund_input["shipping"] = {"fullRefund": True}
        document = Q.REFUND_CREATE
        variables: dict[str, Any] = {"input": refund_input}
        if marker and self.idempotent_refunds:
            document, variables["idempotencyKey"] = Q.REFUND_CREATE_IDEMPOTENT, idempotency_key(order_gid, marker)
        try:
            data = self.graphql(document, variables, "RefundCreate")
        except WriteOutcomeUnknown:
            if marker:
                found = self.find_refund_by_note(order_gid, marker)
                if found is not None:
                    return found
            raise
        payload = data.get("refundCreate") or {}
        self._user_errors(payload, "refundCreate")
        return parse_refund(payload["refund"])

    def create_order(self, lines: Sequence[OrderLine], *, currency: str | None = None,
                     shipping: Shipping | None = None, email: str | None = None, note: str | None = None,
                     gateway: str = "manual", paid: bool = True, discount_code: str = "SYNCPROOF",
                     tax_title: str = "Tax", test: bool = True, fulfilled: bool = False,
                     shop_currency: str | None = None, exchange_rate: Decimal | None = None) -> Order:
        """Create a test order via ``orderCreate``; ``paid`` adds a SALE for the full total, ``fulfilled``
        marks every line shipped.

        With ``shop_currency`` other than the lines' currency the order is presented to the customer
        in the lines' currency on a shop keeping its books in ``shop_currency``: every amount is
        sent as presentment money with the shop money converted at ``exchange_rate``.

        Line ``discount`` amounts are sent as one fixed item discount code (Shopify
        allows one code per created order), which Shopify allocates across the lines
        in proportion to their price: per-line discounts read back may be split
        differently when more than one line is discounted.
        """
        if not lines:
            raise ValueError("an order needs at least one line")
        currency = currency or lines[0].unit_price.currency
        order: dict[str, Any] = {"currency": currency, "test": test, "lineItems": []}
        shop: tuple[str, Decimal] | None = None
        if shop_currency and shop_currency != currency:  # presented to the customer in another currency
            if exchange_rate is None or exchange_rate <= 0:
                raise ValueError(f"an order presented in {currency} on a {shop_currency} shop needs the exchange "
                                 f"rate ({shop_currency} per {currency})")
            shop = (shop_currency, Decimal(exchange_rate))
            order.update(currency=shop_currency, presentmentCurrency=currency)
        bag = lambda value: _bag(value, shop)  # noqa: E731
        if fulfilled:  # every line shipped: its refunds restock with RETURN
            order["fulfillmentStatus"] = "FULFILLED"
        for line in lines:
            item: dict[str, Any] = {"sku": line.sku, "title": line.title or line.sku, "quantity": line.quantity,
                                    "priceSet": bag(line.unit_price)}
            if not line.tax.is_zero():
                rate = (line.tax.amount / line.net.amount).quantize(_RATE) if line.net.amount else 0
                item["taxLines"] = [{"title": tax_title, "rate": str(rate), "priceSet": bag(line.tax)}]
            order["lineItems"].append(item)
        discount = Money.total((line.discount for line in lines), currency)
        if not discount.is_zero():
            order["discountCode"] = {"itemFixedDiscountCode": {"code": discount_code, "amountSet": bag(discount)}}
        total = Money.total((line.total for line in lines), currency)
        if shipping is not None:
            ship: dict[str, Any] = {"title": shipping.title, "priceSet": bag(shipping.amount)}
            if not shipping.tax.is_zero():
                rate = (shipping.tax.amount / shipping.amount.amount).quantize(_RATE) if shipping.amount.amount else 0
                ship["taxLines"] = [{"title": tax_title, "rate": str(rate), "priceSet": bag(shipping.tax)}]
            order["shippingLines"] = [ship]
            total = total + shipping.amount + shipping.tax
        if email:
            order["email"] = email
        if note:
            order["note"] = note
        if paid:
            order["transactions"] = [{"kind": "SALE", "status": "SUCCESS", "gateway": gateway,
                                      "amountSet": bag(total), "test": test}]
        data = self.graphql(Q.ORDER_CREATE, {"order": order, "options": {"sendReceipt": False},
                                             "lineCount": ORDER_LINE_LIMIT}, "OrderCreate")
        payload = data.get("orderCreate") or {}
        self._user_errors(payload, "orderCreate")
        return parse_order(payload["order"])



@functools.lru_cache(maxsize=256)
def _only_reading(document: str) -> bool:
    """Whether every root field of the document's mutation is one that changes no shop data.

    A client sends the same few mutation documents again and again (their values are variables),
    so each document is parsed once.
    """
    from graphql import GraphQLError, OperationDefinitionNode, parse

    try:
        parsed = parse(document)
    except GraphQLError:
        return False
    fields = [selection for definition in parsed.definitions if isinstance(definition, OperationDefinitionNode)
              for selection in definition.selection_set.selections]
    return bool(fields) and all(getattr(getattr(f, "name", None), "value", None) in READING_MUTATIONS
                                for f in fields)


def refund_line_inputs(lines: Mapping[str, int], restock_type: str, unfulfilled: Mapping[str, int],
                       refundable: Mapping[str, int] | None = None) -> list[dict[str, Any]]:
    """``RefundLineItemInput``s for ``lines`` ({line gid: quantity}), each with its restock type.

    The schema declares no default restock type, and Shopify's types follow the line's
    fulfilment (shopify.dev, ``RefundLineItemRestockType``): CANCEL "when restocking
    unfulfilled line items", RETURN "when restocking line items that were fulfilled". So a
    restocking refund (``RETURN`` or ``CANCEL`` asked for) cancels the line's unshipped units
    first and returns the rest; ``NO_RESTOCK`` is sent as it is. A quantity over what the line
    can still refund (``refundable``) is sent whole, for Shopify to refuse naming it.
    """
    inputs: list[dict[str, Any]] = []
    for line_id, quantity in lines.items():
        quantity = int(quantity)
        left = unfulfilled.get(line_id, 0)
        if restock_type == "NO_RESTOCK" or (refundable is not None and quantity > refundable.get(line_id, 0)):
            kind = restock_type if restock_type == "NO_RESTOCK" else "CANCEL" if left > 0 else "RETURN"
            inputs.append({"lineItemId": line_id, "quantity": quantity, "restockType": kind})
            continue
        cancel = min(quantity, max(0, left))
        for units, kind in ((cancel, "CANCEL"), (quantity - cancel, "RETURN")):
            if units:
                inputs.append({"lineItemId": line_id, "quantity": units, "restockType": kind})
    return inputs


def idempotency_key(order_gid: str, marker: str) -> str:
    """The ``@idempotent`` key of a marked refund: a UUID derived from the order and the marker
    (Shopify keeps keys per shop; the same on every machine, and in a recording and its replay)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{order_gid}#{marker}"))


def _refund_transactions(order_gid: str, suggestion: SuggestedRefund,
                         amount: Money | None) -> list[tuple[str, Money, str | None]]:
    """(gateway, amount, parent id) of the refund transactions paying back ``amount``.

    Without ``amount``: Shopify's suggested transactions. With it: the suggested
    transactions filled in order up to their suggested amounts, anything beyond
    on the last one, refused when ``amount`` is negative or more than the order
    can still refund (``maximumRefundable``).
    """
    suggested = [(t.gateway, t.amount, t.parent_id) for t in suggestion.transactions if not t.amount.is_zero()]
    if amount is None:
        return suggested
    target = amount.rounded()
    if target.amount < 0:
        raise RefundNotExpressible(f"a refund of {target} on {order_gid} is negative, and a Shopify refund "
                                   "returns money to the customer")
    if target.is_zero():
        return []
    maximum = suggestion.maximum_refundable
    if target.amount > maximum.amount or not suggestion.transactions:
        raise RefundNotExpressible(f"{order_gid} can refund at most {maximum} through its transactions, "
                                   f"less than the {target} to refund")
    parents = [(t.gateway, t.amount, t.parent_id) for t in suggestion.transactions]
    left = target.amount
    chosen: list[tuple[str, Money, str | None]] = []
    for index, (gateway, money, parent) in enumerate(parents):
        share = left if index == len(parents) - 1 else min(left, money.amount)
        if share > 0:
            chosen.append((gateway, Money(share, target.currency), parent))
        left -= share
    return chosen


def _updated_after(since: datetime) -> str:
    """The order search for orders updated after ``since`` (Shopify searches dates to the second)."""
    moment = since if since.tzinfo else since.replace(tzinfo=timezone.utc)
    return f"updated_at:>'{moment.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')}'"
