"""Amazon Selling Partner API connector: orders, refunds (Finances), settlement reports.

    from connectors.amazon import AmazonClient, LwaCredentials
    amazon = AmazonClient(LwaCredentials(client_id, client_secret, refresh_token), region="na")
    for order in amazon.get_orders(created_after="2025-01-01T00:00:00Z"):
        print(order.channel_order_id, order.total)
    refunds = list(amazon.refunds_between("2025-01-01T00:00:00Z", "2025-01-15T00:00:00Z"))
    for report in amazon.settlement_reports(created_since="2025-01-01T00:00:00Z"):
        text = amazon.download_report(report.document_id).text

Authentication is Login with Amazon only (``x-amz-access-token``; no SigV4). The
token is cached and renewed a minute before it expires; a 401/403 saying the
token expired renews it once and repeats the call. 429s are retried with
backoff, and each operation is paced by the rate its ``x-amzn-RateLimit-Limit``
header announced. SP-API errors ``{"errors": [{code, message, details}]}`` become
:class:`AmazonError` (``AuthenticationFailed`` for 401/403).

**Finances windows** (finances_2024-06-19.json): both ends of a ``listTransactions``
window more than two minutes before the request, at most 180 days apart (else the
answer is empty), and events may be listed up to 48 hours after they post. The client
asks in pieces of at most 180 days ending two minutes (and a margin) before its clock
(:mod:`._amazon_windows`); what posted in the last 48 hours may still be missing.

**Buyer data** (ordersV0.json, ``Order.BuyerInfo``) is restricted: ``get_orders`` asks the
Tokens API (``createRestrictedDataToken``, tokens_2021-03-01.json) for a Restricted Data
Token for ``/orders/v0/orders`` with ``dataElements`` ``buyerInfo`` and sends it as the
access token. An application without the restricted roles is refused the token; its orders
then come without buyer e-mail and name (``buyer_info_refused`` says why), as they would live.

Endpoints: ``region`` ``na``/``eu``/``fe`` (``sandbox=True`` for Amazon's static
sandbox hosts), or ``base_url`` for anything else (the emulator).
"""

from __future__ import annotations

import json
import re
import time
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Callable, Iterator, Sequence

import httpx

from syncproof.model import Order, Refund

from ._amazon_finances import FinanceTransaction, refund_from_transaction, transaction_from_json
from ._amazon_orders import order_from_json
from ._amazon_pacing import RatePacer
from ._amazon_reports import (
    SETTLEMENT_REPORT_TYPE,
    DocumentRef,
    ReportDocument,
    ReportInfo,
    decode_document,
    report_from_json,
)
from ._amazon_windows import finance_windows, lag_horizon, latest_before
from ._exceptions import AmazonError, AuthenticationFailed
from ._http import ApiClient, Exchange, Redactor, RetryPolicy
from ._lwa import LWA_TOKEN_URL, LoginWithAmazon, LwaCredentials

__all__ = [
    "AmazonClient",
    "LwaCredentials",
    "FinanceTransaction",
    "refund_from_transaction",
    "transaction_from_json",
    "ReportInfo",
    "DocumentRef",
    "ReportDocument",
    "endpoint_for",
    "SETTLEMENT_REPORT_TYPE",
    "US_MARKETPLACE_ID",
    "MARKETPLACE_CURRENCY",
    "marketplace_for",
]

US_MARKETPLACE_ID = "ATVPDKIKX0DER"
#: Each marketplace's currency (SP-API "Marketplace IDs" reference: Amazon.com USD, .ca CAD,
#: .co.uk GBP, .de/.fr EUR, .co.jp JPY).
MARKETPLACE_CURRENCY = {
    US_MARKETPLACE_ID: "USD", "A2EUQ1WTGCTBG2": "CAD", "A1F83G8C2ARO7P": "GBP",
    "A1PA6795UKMFR9": "EUR", "A13V1IB3VIYZZH": "EUR", "A1VC38T7YXB528": "JPY",
}


def marketplace_for(currency: str) -> str | None:
    """The first marketplace whose orders are in ``currency``, or None when none is."""
    return next((m for m, c in MARKETPLACE_CURRENCY.items() if c == currency.upper()), None)
REGIONS = ("na", "eu", "fe")


def endpoint_for(region: str = "na", *, sandbox: bool = False) -> str:
    """The SP-API base URL of a region: ``https://[sandbox.]sellingpartnerapi-{na|eu|fe}.amazon.com``."""
    if region not in REGIONS:
        raise ValueError(f"Amazon region must be one of {', '.join(REGIONS)}, not {region!r}")
    return f"https://{'sandbox.' if sandbox else ''}sellingpartnerapi-{region}.amazon.com"


def _iso(value: str | datetime | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _moment(value: str | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    text = value.strip()
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00")) if len(text) > 10 else \
        datetime.fromisoformat(text + "T00:00:00+00:00")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _json(response: httpx.Response) -> Any:
    """Parse an SP-API body with every decimal number as a Decimal (money never becomes a float)."""
    return json.loads(response.content, parse_float=Decimal)


class _ExpiredToken(AuthenticationFailed):
    """SP-API said the access token expired: renew it and repeat the call once."""


def _first_error(response: httpx.Response) -> tuple[str, str, str]:
    try:
        errors = _json(response).get("errors") or []
        first = errors[0] if errors else {}
    except (ValueError, AttributeError, TypeError):
        first = {}
    return str(first.get("code", "")), str(first.get("message", "")), str(first.get("details", "") or "")


class _DocumentDownloads(ApiClient):
    """Plain HTTP for pre-signed report URLs: no SP-API headers; S3-style XML errors."""

    system = "amazon-report-document"

    def raise_for_error(self, response: httpx.Response) -> None:
        if not response.is_error:
            return
        text = response.text
        code = text.split("<Code>", 1)[1].split("</Code>", 1)[0] if "<Code>" in text else ""
        message = text.split("<Message>", 1)[1].split("</Message>", 1)[0] if "<Message>" in text else ""
        raise AmazonError(
            f"the report document download answered HTTP {response.status_code} ({code}: {message})",
            status=response.status_code, code=code, detail=message, path=response.request.url.path,
            hint="pre-signed report URLs last 5 minutes: fetch the document reference again and download at once")


def _omit_binary(on_exchange: Callable[[Exchange], None] | None) -> Callable[[Exchange], None] | None:
    """Keep document downloads as evidence, but not their (possibly gzipped) bytes."""
    if on_exchange is None:
        return None

    def capture(exchange: Exchange) -> None:
        body = exchange.response_body
        if body and (body.startswith("\x1f") or "\ufffd" in body):  # gzip or other undecodable bytes
            exchange.response_body = f"[{len(exchange.response_body)} characters of binary content omitted]"
        on_exchange(exchange)

    return capture


_PRESIGNED_SECRET = re.compile(r'(X-Amz-(?:Signature|Credential|Security-Token)=)[^&"\s]+', re.IGNORECASE)
_RDT_SECRET = re.compile(r'("restrictedDataToken"\s*:\s*")[^"]+')
RDT_PATH = "/tokens/2021-03-01/restrictedDataToken"
ORDERS_PATH = "/orders/v0/orders"


def _scrub_presigned(on_exchange: Callable[[Exchange], None] | None) -> Callable[[Exchange], None] | None:
    """Redact pre-signed URL secrets that appear inside response bodies (``getReportDocument``'s ``url``)."""
    if on_exchange is None:
        return None

    def capture(exchange: Exchange) -> None:
        exchange.response_body = _RDT_SECRET.sub(r"\1[redacted]",
                                                 _PRESIGNED_SECRET.sub(r"\1[redacted]", exchange.response_body))
        on_exchange(exchange)

    return capture


class AmazonClient(ApiClient):
    """SP-API client for one seller: Orders v0, Finances 2024-06-19, Reports 2021-06-30.

        amazon = AmazonClient(credentials, base_url=server.url, lwa_token_url=server.url + "/auth/o2/token")
        next(amazon.get_orders(created_after="2025-01-01"))
    """

    system = "amazon"
    #: the LWA access token SP-API calls carry; the pre-signed report document URLs' signature and credential;
    #: the Restricted Data Token the Tokens API issues for buyer data
    secret_headers = frozenset({"x-amz-access-token", "x-amz-security-token"})
    secret_keys = frozenset({"x-amz-signature", "x-amz-credential", "x-amz-security-token", "restricteddatatoken"})

    def __init__(
        self,
        credentials: LwaCredentials,
        *,
        region: str = "na",
        sandbox: bool = False,
        base_url: str | None = None,
        lwa_token_url: str = LWA_TOKEN_URL,
        marketplace_ids: Sequence[str] = (US_MARKETPLACE_ID,),
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        retry: RetryPolicy | None = None,
        on_exchange: Callable[[Exchange], None] | None = None,
        redactor: Redactor | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        max_concurrency: int = 5,
        bursts: dict[str, int] | None = None,
    ) -> None:
        redactor = redactor if redactor is not None else self.default_redactor()
        common: dict[str, Any] = dict(retry=retry, on_exchange=on_exchange, redactor=redactor,
                                      transport=transport, timeout=timeout, sleep=sleep)
        super().__init__(base_url or endpoint_for(region, sandbox=sandbox), max_concurrency=max_concurrency,
                         headers={"accept": "application/json"},
                         **{**common, "on_exchange": _scrub_presigned(on_exchange)})
        self.marketplace_ids = tuple(marketplace_ids)
        self.clock = clock
        self.buyer_info_refused: str | None = None  # why the Tokens API refused buyer data, once it did
        self._rdts: dict[tuple[str, tuple[str, ...]], tuple[str, float]] = {}
        self.lwa = LoginWithAmazon(credentials, token_url=lwa_token_url, clock=clock, **common)
        self.pacer = RatePacer(bursts=bursts, clock=monotonic, sleep=sleep)
        self._downloads = _DocumentDownloads("", **{**common, "on_exchange": _omit_binary(on_exchange)})

    # hooks -----------------------------------------------------------------
    def raise_for_error(self, response: httpx.Response) -> None:
        if not response.is_error:
            return
        code, message, details = _first_error(response)
        where = f"{response.request.method} {response.request.url.path}"
        if response.status_code in (401, 403):
            if "expired" in message.lower():
                raise _ExpiredToken(f"Amazon said the access token expired at {where}")
            raise AuthenticationFailed(
                f"Amazon refused the request at {where} (HTTP {response.status_code} {code}: {message})",
                hint="check that the seller authorized this app in this region and that the app has the role "
                     "the operation needs (Finance and Accounting for Finances and settlement reports)")
        raise AmazonError(
            f"Amazon answered HTTP {response.status_code} at {where}: "
            f"{code or 'error'}: {message or response.reason_phrase}",
            status=response.status_code,
            code=code,
            detail=details,
            path=response.request.url.path,
        )

    def is_write(self, request: httpx.Request) -> bool:
        """Asking the Tokens API for a Restricted Data Token is a POST, but it changes nothing."""
        return request.url.path != RDT_PATH and super().is_write(request)

    # plumbing --------------------------------------------------------------
    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), tz=timezone.utc)

    def call(self, operation: str, path: str, params: dict[str, Any] | None = None, *,
             restricted: Sequence[str] = (), method: str = "GET", body: Any = None) -> Any:
        """Send an SP-API request as ``operation`` (its rate-limit bucket); return the parsed JSON.

        ``restricted`` names data elements: the call then goes with a Restricted Data Token for them
        instead of the LWA access token (when Amazon grants one)."""
        query = {k: (",".join(v) if isinstance(v, (list, tuple)) else v)
                 for k, v in (params or {}).items() if v is not None}
        sent: dict[str, Any] = {}
        if body is not None:
            sent = {"content": json.dumps(body, separators=(",", ":")).encode()}
        for attempt in (1, 2):
            token = self.restricted_data_token(path, restricted) if restricted else None
            access = token or self.lwa.access_token()
            headers = {"x-amz-access-token": access}
            if body is not None:
                headers["content-type"] = "application/json"
            self.pacer.wait(operation)
            try:
                response = self.request(method, path, params=query, headers=headers, **sent)
            except _ExpiredToken:
                if attempt == 2:
                    raise AuthenticationFailed(
                        "Amazon rejected a freshly issued access token as expired",
                        hint="check the clock of this machine and the LWA endpoint") from None
                if token:  # an expired Restricted Data Token: ask for a new one
                    self._rdts.pop((path, tuple(restricted)), None)
                else:
                    self.lwa.invalidate(access)
                continue
            self.pacer.update(operation, response.headers.get("x-amzn-RateLimit-Limit"))
            return _json(response)
        raise AssertionError("unreachable")

    def close(self) -> None:
        super().close()
        self.lwa.close()
        self._downloads.close()

    # Orders v0 -------------------------------------------------------------
    def get_orders(
        self,
        created_after: str | datetime | None = None,
        last_updated_after: str | datetime | None = None,
        marketplace_ids: Sequence[str] | None = None,
        *,
        created_before: str | datetime | None = None,
        order_statuses: Sequence[str] | None = None,
        buyer_info: bool = True,
    ) -> Iterator[Order]:
        """Orders created (or last updated) after a time, each with all its items, as domain orders.

        The buyer's e-mail and name (restricted data) need a Restricted Data Token: see the module."""
        for raw in self.get_orders_json(created_after, last_updated_after, marketplace_ids,
                                        created_before=created_before, order_statuses=order_statuses,
                                        buyer_info=buyer_info):
            yield order_from_json(raw, self.get_order_items(str(raw["AmazonOrderId"])))

    def get_orders_json(self, created_after=None, last_updated_after=None, marketplace_ids=None, *,
                        created_before=None, order_statuses=None, buyer_info: bool = True) -> Iterator[dict[str, Any]]:
        """The raw ``Order`` objects of ``getOrders``, across every page; with ``buyer_info`` (and an
        application Amazon grants restricted data) each carries its ``BuyerInfo``."""
        if (created_after is None) == (last_updated_after is None):
            raise ValueError("give exactly one of created_after and last_updated_after")
        params: dict[str, Any] = {
            "MarketplaceIds": list(marketplace_ids or self.marketplace_ids),
            "CreatedAfter": _iso(created_after),
            "CreatedBefore": _iso(created_before),
            "LastUpdatedAfter": _iso(last_updated_after),
            "OrderStatuses": list(order_statuses) if order_statuses else None,
        }
        while True:
            payload = self.call("getOrders", ORDERS_PATH, params,
                                restricted=("buyerInfo",) if buyer_info else ()).get("payload") or {}
            yield from payload.get("Orders") or []
            token = payload.get("NextToken")
            if not token:
                return
            params = {**params, "NextToken": token}

    def restricted_data_token(self, path: str, data_elements: Sequence[str]) -> str | None:
        """A Restricted Data Token for ``GET path`` and ``data_elements`` (kept until a minute before it
        expires); None when Amazon refuses the application restricted data (``buyer_info_refused``)."""
        if self.buyer_info_refused is not None:
            return None
        key = (path, tuple(data_elements))
        held = self._rdts.get(key)
        if held and held[1] > self.clock() + 60:
            return held[0]
        body = {"restrictedResources": [{"method": "GET", "path": path, "dataElements": list(data_elements)}]}
        try:
            answer = self.call("createRestrictedDataToken", RDT_PATH, method="POST", body=body)
        except AuthenticationFailed as refused:
            self.buyer_info_refused = (f"{refused.message}; orders are read without buyer e-mail and name "
                                       "(restricted data: the Tax Remittance or Tax Invoicing role is needed)")
            return None
        token = str(answer["restrictedDataToken"])
        self._rdts[key] = (token, self.clock() + int(answer.get("expiresIn") or 3600))
        return token

    def get_order_items(self, order_id: str) -> list[dict[str, Any]]:
        """Every ``OrderItem`` of an order (``getOrderItems``, following ``NextToken``)."""
        items: list[dict[str, Any]] = []
        params: dict[str, Any] = {}
        while True:
            payload = (
                self.call("getOrderItems", f"/orders/v0/orders/{order_id}/orderItems", params).get("payload") or {}
            )
            items.extend(payload.get("OrderItems") or [])
            token = payload.get("NextToken")
            if not token:
                return items
            params = {"NextToken": token}

    # Finances 2024-06-19 -----------------------------------------------------
    def list_transactions(
        self,
        posted_after: str | datetime,
        posted_before: str | datetime | None = None,
        marketplace_id: str | None = None,
        *,
        related_identifier: tuple[str, str] | None = None,
        transaction_status: str | None = None,
    ) -> Iterator[FinanceTransaction]:
        """Transactions posted in ``[posted_after, posted_before)``, across every page.

        The window is asked for in pieces Amazon answers in full (at most 180 days, ending two minutes
        before now; :func:`finance_windows`); what posted in the last 48 hours may not be listed yet
        (:meth:`lag_horizon`)."""
        after = _moment(posted_after)
        before = _moment(posted_before) if posted_before is not None else None
        for start, end in finance_windows(after, before, now=self.now()):
            params: dict[str, Any] = {"postedAfter": _iso(start), "postedBefore": _iso(end),
                                      "marketplaceId": marketplace_id, "transactionStatus": transaction_status}
            if related_identifier:
                params["relatedIdentifierName"], params["relatedIdentifierValue"] = related_identifier
            while True:
                payload = self.call("listTransactions", "/finances/2024-06-19/transactions",
                                    params).get("payload") or {}
                for raw in payload.get("transactions") or []:
                    yield transaction_from_json(raw)
                token = payload.get("nextToken")
                if not token:
                    break
                params = {**params, "nextToken": token}  # same arguments plus the token, per the model

    def lag_horizon(self) -> datetime:
        """Finances may not list yet what posted after this moment (48 hours before now)."""
        return lag_horizon(self.now())

    def latest_posted_before(self) -> datetime:
        """The latest end of a window Finances answers now (two minutes and a margin before now)."""
        return latest_before(self.now())

    def refunds_between(self, posted_after: str | datetime, posted_before: str | datetime | None = None,
                        marketplace_id: str | None = None) -> Iterator[Refund]:
        """The buyer refunds (``Refund`` transactions) posted in the window, as domain refunds."""
        for transaction in self.list_transactions(posted_after, posted_before, marketplace_id):
            if transaction.transaction_type.lower() == "refund":
                yield refund_from_transaction(transaction.raw)

    # Reports 2021-06-30 ------------------------------------------------------
    def settlement_reports(self, created_since: str | datetime | None = None,
                           created_until: str | datetime | None = None, *,
                           page_size: int = 100) -> Iterator[ReportInfo]:
        """DONE settlement reports (``GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2``), newest first."""
        params: dict[str, Any] = {"reportTypes": [SETTLEMENT_REPORT_TYPE], "processingStatuses": ["DONE"],
                                  "pageSize": page_size, "createdSince": _iso(created_since),
                                  "createdUntil": _iso(created_until)}
        while True:
            body = self.call("getReports", "/reports/2021-06-30/reports", params)
            for raw in body.get("reports") or []:
                yield report_from_json(raw)
            token = body.get("nextToken")
            if not token:
                return
            params = {"nextToken": token}  # the token must be the only parameter

    def get_report_document(self, document_id: str) -> DocumentRef:
        body = self.call("getReportDocument", f"/reports/2021-06-30/documents/{document_id}")
        return DocumentRef(str(body["reportDocumentId"]), str(body["url"]), body.get("compressionAlgorithm"))

    def download_report(self, document_id: str) -> ReportDocument:
        """Fetch the document's pre-signed URL and download it at once (no SP-API headers sent)."""
        for attempt in (1, 2):
            ref = self.get_report_document(document_id)
            try:
                response = self._downloads.request("GET", ref.url)
            except AmazonError as error:
                if attempt == 2 or error.status != 403:
                    raise
                continue  # the URL expired on the way: ask for a fresh one
            return decode_document(document_id, response.content, ref.compression, response.charset_encoding)
        raise AssertionError("unreachable")
