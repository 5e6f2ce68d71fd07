"""eBay Sell APIs connector: orders and refunds (Fulfillment API), transactions and payouts (Finances API).

    from connectors.ebay import EbayClient, EbayCredentials
    ebay = EbayClient(EbayCredentials(client_id, client_secret, refresh_token), environment="sandbox")
    for order in ebay.get_orders(created_from="2026-11-01T00:00:00.000Z"):
        print(order.channel_order_id, order.total)
    ebay.issue_refund("12-03456-78901", reason="BUYER_RETURN", items={"10001": Money("19.44", "USD")})
    refunds = list(ebay.finance_refunds("2026-11-01T00:00:00.000Z"))

Hosts: the Fulfillment API and the identity endpoint are on ``api.ebay.com``, the
Finances API on ``apiz.ebay.com`` (``api.sandbox.ebay.com`` / ``apiz.sandbox.ebay.com`` in
eBay's sandbox); ``base_url`` points all three at one host (the emulator). Every call carries
``Authorization: Bearer <User access token>`` (:mod:`connectors._ebay_auth`); a 401 renews
the token once and repeats the call. Lists page by ``limit``/``offset`` and follow ``next``.
Errors (``{"errors": [{"errorId", "message", ...}]}``) become :class:`EbayError`.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Callable, Iterator, Mapping, Sequence
from urllib.parse import quote

import httpx

from syncproof.model import Money, Order, Refund, json_dumps

from ._ebay_auth import IDENTITY_PATH, SELL_SCOPES, EbayCredentials, EbayOAuth
from ._ebay_errors import EbayError, error_of
from ._ebay_finances import (
    PAID_OUT,
    TRANSACTION_TYPES,
    FinanceTransaction,
    Payout,
    payout_from_json,
    refund_from_transaction,
    transaction_from_json,
)
from ._ebay_orders import external_refunds, order_from_json, refunds_of_order, unit_total
from ._exceptions import AuthenticationFailed
from ._http import DEFAULT_REDACTOR, ApiClient, Exchange, Redactor, RetryPolicy

__all__ = ["EbayClient", "EbayCredentials", "EbayError", "FinanceTransaction", "Payout", "SELL_SCOPES",
           "ENVIRONMENTS", "TRANSACTION_TYPES", "hosts_for", "ORDERS_PAGE", "TRANSACTIONS_PAGE", "PAYOUTS_PAGE",
           "ORDER_IDS_PER_CALL", "MARKETPLACE_CURRENCY", "unit_total", "is_ebay_order_id", "REFUND_REASONS",
           "PAID_OUT"]

#: (Sell API host, Finances API host) per environment
ENVIRONMENTS = {"production": ("https://api.ebay.com", "https://apiz.ebay.com"),
                "sandbox": ("https://api.sandbox.ebay.com", "https://apiz.sandbox.ebay.com")}
#: eBay marketplaces and their currencies (MarketplaceIdEnum)
MARKETPLACE_CURRENCY = {"EBAY_US": "USD", "EBAY_GB": "GBP", "EBAY_DE": "EUR", "EBAY_CA": "CAD", "EBAY_AU": "AUD"}
#: page sizes asked for: each list's documented maximum (getOrders 1000, getTransactions 1000, getPayouts 200)
ORDERS_PAGE, TRANSACTIONS_PAGE, PAYOUTS_PAGE = 1000, 1000, 200
#: getOrders' orderIds takes at most 50 ids
ORDER_IDS_PER_CALL = 50
#: issueRefund's reasonForRefund values (ReasonForRefundEnum, developer.ebay.com)
REFUND_REASONS = ("BUYER_CANCEL", "SELLER_CANCEL", "ITEM_NOT_RECEIVED", "BUYER_RETURN", "ITEM_NOT_AS_DESCRIBED",
                  "OTHER_ADJUSTMENT", "SHIPPING_DISCOUNT")

FULFILLMENT = "/sell/fulfillment/v1"
FINANCES = "/sell/finances/v1"


def hosts_for(environment: str) -> tuple[str, str]:
    """(Sell API host, Finances API host) of ``production`` or ``sandbox``."""
    try:
        return ENVIRONMENTS[environment]
    except KeyError:
        raise ValueError(f"eBay environment must be one of {', '.join(ENVIRONMENTS)}, not {environment!r}") from None


def is_ebay_order_id(order_id: str) -> bool:
    """eBay's order id format since 2019: ``NN-NNNNN-NNNNN``."""
    parts = order_id.split("-")
    return [len(p) for p in parts] == [2, 5, 5] and all(p.isdigit() for p in parts)


def ebay_time(value: str | datetime) -> str:
    """An instant as eBay's filters write it: ``2026-11-02T08:25:43.511Z`` (UTC, milliseconds)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _range(name: str, start: str | datetime, end: str | datetime | None) -> str:
    return f"{name}:[{ebay_time(start)}..{ebay_time(end) if end is not None else ''}]"


class _RetryToken(AuthenticationFailed):
    """The access token was refused (expired or revoked): mint a new one and repeat once."""


class EbayClient(ApiClient):
    """Sell API client for one seller: Fulfillment v1 and Finances v1.

        ebay = EbayClient(credentials, base_url=server.url)     # the emulator answers every host
    """

    system = "ebay"

    def __init__(self, credentials: EbayCredentials, *, environment: str = "production", base_url: str | None = None,
                 finances_url: str | None = None, identity_url: str | None = None,
                 marketplace_id: str = "EBAY_US", scopes: Sequence[str] = SELL_SCOPES,
                 clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep,
                 retry: RetryPolicy | None = None, on_exchange: Callable[[Exchange], None] | None = None,
                 redactor: Redactor = DEFAULT_REDACTOR, transport: httpx.BaseTransport | None = None,
                 timeout: float = 30.0, max_concurrency: int = 5, write_guard: Any = None) -> None:
        api, apiz = hosts_for(environment)
        common: dict[str, Any] = dict(retry=retry, on_exchange=on_exchange, redactor=redactor, transport=transport,
                                      timeout=timeout, sleep=sleep)
        super().__init__(base_url or api, max_concurrency=max_concurrency, write_guard=write_guard,
                         headers={"Accept": "application/json", "X-EBAY-C-MARKETPLACE-ID": marketplace_id}, **common)
        self.finances_url = (finances_url or (base_url if base_url else apiz)).rstrip("/")
        self.marketplace_id = marketplace_id
        self.clock = clock
        self.oauth = EbayOAuth(credentials, token_url=(identity_url or (base_url or api)).rstrip("/") + IDENTITY_PATH,
                               scopes=scopes, clock=clock, **common)

    # hooks -----------------------------------------------------------------
    def raise_for_error(self, response: httpx.Response) -> None:
        if not response.is_error:
            return
        error = error_of(response)
        if response.status_code == 401:
            raise _RetryToken(str(error))
        raise error

    # plumbing --------------------------------------------------------------
    def call(self, method: str, url: str, *, params: Mapping[str, Any] | None = None,
             body: Any = None) -> Any:
        """One Sell API call with a valid token; the parsed JSON answer (None when empty)."""
        content = json_dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if content is not None else {}
        for attempt in (1, 2):
            token = self.oauth.access_token()
            try:
                response = self.request(method, url, params=dict(params or {}), content=content,
                                        headers={**headers, "Authorization": f"Bearer {token}"})
            except _RetryToken as refused:
                if attempt == 2:
                    raise AuthenticationFailed(f"eBay refused a freshly minted access token: {refused.message}",
                                               hint="check the refresh token's scopes and the seller's consent") \
                        from None
                self.oauth.invalidate(token)
                continue
            return json.loads(response.content, parse_float=Decimal) if response.content else None
        raise AssertionError("unreachable")

    def _pages(self, url: str, params: dict[str, Any], key: str) -> Iterator[dict[str, Any]]:
        """Every element of ``key`` across the pages (``offset`` moved by what each page held)."""
        offset = int(params.get("offset", 0))
        while True:
            page = self.call("GET", url, params={**params, "offset": offset}) or {}
            items = page.get(key) or []
            yield from items
            total = page.get("total")
            offset += len(items)
            if not items or not page.get("next") or (total is not None and offset >= int(total)):
                return

    def close(self) -> None:
        super().close()
        self.oauth.close()

    # Fulfillment API -----------------------------------------------------------
    def get_orders_json(self, *, created_from: str | datetime | None = None, created_to: str | datetime | None = None,
                        modified_from: str | datetime | None = None, modified_to: str | datetime | None = None,
                        limit: int = ORDERS_PAGE) -> Iterator[dict[str, Any]]:
        """Raw ``Order`` objects of ``getOrders``, filtered by creation or last-modified time, every page."""
        if (created_from is None) == (modified_from is None):
            raise ValueError("give exactly one of created_from and modified_from")
        flt = (_range("creationdate", created_from, created_to) if created_from is not None
               else _range("lastmodifieddate", modified_from, modified_to))  # type: ignore[arg-type]
        yield from self._pages(f"{FULFILLMENT}/order", {"filter": flt, "limit": limit}, "orders")

    def get_orders(self, **window: Any) -> Iterator[Order]:
        for raw in self.get_orders_json(**window):
            yield order_from_json(raw)

    def orders_with_refunds(self, **window: Any) -> Iterator[tuple[Order, list[Refund]]]:
        """Each order of ``getOrders`` with the refunds it lists (issued through issueRefund), one listing."""
        for raw in self.get_orders_json(**window):
            order = order_from_json(raw)
            yield order, refunds_of_order(raw, order)

    def orders_by_id(self, order_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Raw orders by id (``getOrders`` with ``orderIds``, 50 per call)."""
        found: dict[str, dict[str, Any]] = {}
        ids = list(dict.fromkeys(order_ids))
        for start in range(0, len(ids), ORDER_IDS_PER_CALL):
            page = self.call("GET", f"{FULFILLMENT}/order",
                             params={"orderIds": ",".join(ids[start:start + ORDER_IDS_PER_CALL])}) or {}
            found.update({str(o["orderId"]): o for o in page.get("orders") or []})
        return found

    def get_order_json(self, order_id: str) -> dict[str, Any]:
        return self.call("GET", f"{FULFILLMENT}/order/{order_id}")

    def get_order(self, order_id: str) -> Order:
        return order_from_json(self.get_order_json(order_id))

    def refunds_of(self, order_id: str) -> list[Refund]:
        """The order's refunds issued through issueRefund, as domain refunds (external ones left out)."""
        return refunds_of_order(self.get_order_json(order_id))

    def external_refunds_of(self, order_id: str) -> list[dict[str, Any]]:
        """The order's refunds eBay lists without a refundId (issued without the buyer's request)."""
        return external_refunds(self.get_order_json(order_id))

    def issue_refund(self, order_id: str, *, reason: str, items: Mapping[str, Money] | None = None,
                     order_amount: Money | None = None, comment: str | None = None) -> dict[str, Any]:
        """``issueRefund``: per line (``items``: lineItemId -> amount) or for the order; the ``Refund`` answer."""
        if reason not in REFUND_REASONS:
            raise ValueError(f"reasonForRefund must be one of {', '.join(REFUND_REASONS)}, not {reason!r}")
        if (items is None) == (order_amount is None):
            raise ValueError("give exactly one of items and order_amount")
        body: dict[str, Any] = {"reasonForRefund": reason}
        if comment:
            body["comment"] = comment[:100]
        if items is not None:
            body["refundItems"] = [{"lineItemId": line_id, "refundAmount": _simple(money)}
                                   for line_id, money in items.items()]
        else:
            assert order_amount is not None
            body["orderLevelRefundAmount"] = _simple(order_amount)
        return self.call("POST", f"{FULFILLMENT}/order/{order_id}/issue_refund", body=body)

    # Finances API ----------------------------------------------------------------
    def transactions(self, since: str | datetime, until: str | datetime | None = None, *,
                     types: Sequence[str] = (), order_id: str | None = None,
                     limit: int = TRANSACTIONS_PAGE) -> Iterator[FinanceTransaction]:
        """``getTransactions`` dated in ``[since, until]`` (of ``types``, or every type), every page."""
        unknown = [t for t in types if t not in TRANSACTION_TYPES]
        if unknown:
            raise ValueError(f"unknown transaction type {unknown[0]!r}: use {', '.join(TRANSACTION_TYPES)}")
        filters = [_range("transactionDate", since, until)]
        if types:
            filters.append("transactionType:{" + "|".join(types) + "}")
        if order_id:
            filters.append("orderId:{" + order_id + "}")
        params = {"filter": ",".join(filters), "limit": limit}
        for raw in self._pages(f"{self.finances_url}{FINANCES}/transaction", params, "transactions"):
            yield transaction_from_json(raw)

    def payouts(self, since: str | datetime, until: str | datetime | None = None, *,
                limit: int = PAYOUTS_PAGE) -> Iterator[Payout]:
        """``getPayouts`` dated in ``[since, until]``, every page."""
        params = {"filter": _range("payoutDate", since, until), "limit": limit}
        for raw in self._pages(f"{self.finances_url}{FINANCES}/payout", params, "payouts"):
            yield payout_from_json(raw)

    def payout(self, payout_id: str) -> Payout | None:
        """``getPayout``: one payout by its id (``GET /payout/{payout_Id}``, the id a transaction's ``payoutId``
        names), or None when eBay knows no payout by that id (404)."""
        try:
            raw = self.call("GET", f"{self.finances_url}{FINANCES}/payout/{quote(payout_id, safe='')}")
        except EbayError as error:
            if error.status == 404:
                return None
            raise
        return payout_from_json(raw or {})

    def payout_transactions(self, payout_id: str) -> list[FinanceTransaction]:
        """Every transaction one payout paid out (``getTransactions`` filtered by ``payoutId``, which eBay answers
        whole: "If an orderId, transactionId, or payoutId filter is included in the request, any limit value will
        be ignored")."""
        params = {"filter": "payoutId:{" + payout_id + "}"}
        return [transaction_from_json(raw)
                for raw in self._pages(f"{self.finances_url}{FINANCES}/transaction", params, "transactions")]

    def finance_refunds(self, since: str | datetime, until: str | datetime | None = None) -> Iterator[Refund]:
        """Every ``REFUND`` transaction in the window as a domain refund: the Fulfillment API's refund when it
        lists one (its lines), else an external refund of the transaction's amount."""
        yield from self.refunds_of_transactions(list(self.transactions(since, until, types=("REFUND",))))

    def refunds_of_transactions(self, transactions: Sequence[FinanceTransaction]) -> Iterator[Refund]:
        """The ``REFUND`` transactions among ``transactions`` as domain refunds (see :meth:`finance_refunds`)."""
        transactions = [t for t in transactions if t.transaction_type == "REFUND"]
        orders = self.orders_by_id([t.order_id for t in transactions if t.order_id])
        listed = {order_id: refunds_of_order(raw) for order_id, raw in orders.items()}
        for transaction in transactions:
            yield refund_from_transaction(transaction, listed.get(str(transaction.order_id), []))


def _simple(money: Money) -> dict[str, str]:
    """A ``SimpleAmount``: the value rounded to the currency, as a string."""
    return {"value": str(money.rounded().amount), "currency": money.currency}
