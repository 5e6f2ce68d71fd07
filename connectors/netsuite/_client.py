"""NetSuite REST web services and SuiteQL over one signed HTTP client.

    creds = NetSuiteCredentials("1234567_SB1", consumer_key, consumer_secret, token_id, token_secret)
    ns = NetSuiteClient.for_account(creds)
    so_id = ns.create("salesOrder", {"entity": {"id": "7"}, "item": {"items": [...]}})
    refund_id = ns.transform("cashSale", cash_sale_id, "cashRefund")
    for row in ns.suiteql("SELECT id, tranid FROM transaction WHERE type = 'CashRfnd' ORDER BY id"):
        ...

Amounts in NetSuite's JSON are numbers; they are read as ``Decimal`` and written
back with their exact text (see :func:`syncproof.model.json_dumps`). Every record write
asks for strict property name validation, so a field the record does not have is an
error naming it rather than a value NetSuite drops.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

import httpx

from syncproof.model import json_dumps, json_loads

from .._exceptions import AuthenticationFailed, NetSuiteError
from .._http import ApiClient
from ._auth import NetSuiteAuth, NetSuiteCredentials, account_base_url, is_valid_account_id
from ._guard import PRODUCTION_HOST_GUARD
from ._suiteql import SUITEQL_MAX_PAGE, rows

__all__ = ["NetSuiteClient", "RECORD_PATH", "SUITEQL_PATH"]

RECORD_PATH = "/services/rest/record/v1"
SUITEQL_PATH = "/services/rest/query/v1/suiteql"
#: how a write treats a field its record does not have (REST API Browser: default Warning)
PROPERTY_NAME_VALIDATION = "X-NetSuite-PropertyNameValidation"


class NetSuiteClient(ApiClient):
    """NetSuite's record service and SuiteQL over one signed HTTP client.

    Retries HTTP 429 and ``CONCURRENCY_LIMIT_EXCEEDED`` (whatever the status),
    and 5xx on reads, with jittered exponential backoff. ``max_concurrency``
    bounds simultaneous requests (accounts allow 5, plus 10 per SuiteCloud Plus licence).
    """

    system = "netsuite"

    def __init__(self, base_url: str, *, allow_production_writes: bool = False, **kwargs: Any) -> None:
        """Writes to a host that is not a sandbox are refused unless ``allow_production_writes``."""
        if not allow_production_writes:
            kwargs.setdefault("host_guard", PRODUCTION_HOST_GUARD)
        super().__init__(base_url, **kwargs)

    @classmethod
    def for_account(cls, credentials: NetSuiteCredentials, *, base_url: str | None = None,
                    auth: httpx.Auth | None = None, **kwargs: Any) -> "NetSuiteClient":
        """A client of the account's host (or ``base_url``) signing with ``credentials``, or through ``auth``."""
        if not base_url and not is_valid_account_id(credentials.account_id):
            raise ValueError(f"{credentials.account_id!r} is not a NetSuite account id (e.g. 1234567 or 1234567_SB1)")
        return cls(base_url or account_base_url(credentials.account_id),
                   auth=auth or NetSuiteAuth(credentials), **kwargs)

    # --- hooks -------------------------------------------------------------------------
    def is_write(self, request: httpx.Request) -> bool:
        if request.method == "POST" and request.url.path.endswith(SUITEQL_PATH):
            return False  # SuiteQL only reads
        return super().is_write(request)

    @staticmethod
    def _error_details(response: httpx.Response) -> dict[str, str]:
        try:
            body = json_loads(response.content)
            details = body.get("o:errorDetails") or [{}]
            first = details[0] if isinstance(details, list) and details else {}
            return {
                "title": str(body.get("title", "")),
                "detail": str(first.get("detail", "")),
                "code": str(first.get("o:errorCode", "")),
                "path": str(first.get("o:errorPath", "")),
            }
        except (ValueError, AttributeError, TypeError):
            return {"title": "", "detail": response.text[:200], "code": "", "path": ""}

    def _is_throttled(self, response: httpx.Response) -> bool:
        return response.is_error and self._error_details(response)["code"] == "CONCURRENCY_LIMIT_EXCEEDED"

    def retry_delay(self, response: httpx.Response, attempt: int, is_write: bool) -> float | None:
        if response.status_code == 429 or self._is_throttled(response):
            return self._retry_after(response) or self.retry.backoff(attempt)
        if response.status_code >= 500 and not is_write:
            return self.retry.backoff(attempt)
        return None

    def raise_for_error(self, response: httpx.Response) -> None:
        if not response.is_error:
            return
        err = self._error_details(response)
        where = f"{response.request.method} {response.request.url.path}"
        message = f"NetSuite refused {where}: HTTP {response.status_code}"
        if err["code"]:
            message += f" {err['code']}"
        if err["detail"]:
            message += f": {err['detail']}"
        if err["path"]:
            message += f" (at {err['path']})"
        if response.status_code in (401, 403) and err["code"] in (
            "",
            "INVALID_LOGIN",
            "INVALID_LOGIN_ATTEMPT",
            "INSUFFICIENT_PERMISSION",
        ):
            raise AuthenticationFailed(message, hint=(
                "check NETSUITE_CONSUMER_KEY, NETSUITE_CONSUMER_SECRET, NETSUITE_TOKEN_ID and NETSUITE_TOKEN_SECRET "
                "(or the variables [netsuite] names), the account id, and that the token's role has the REST Web "
                "Services and SuiteAnalytics Workbook permissions"))
        raise NetSuiteError(message, status=response.status_code, code=err["code"],
                            detail=err["detail"], path=err["path"])

    # --- record service ---------------------------------------------------------------
    def _json(self, method: str, path: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        if body is not None:
            kwargs["content"] = json_dumps(body).encode()
            headers = kwargs.setdefault("headers", {})
            headers["Content-Type"] = "application/json"
            if path.startswith(RECORD_PATH):
                # NetSuite's default ("Warning") drops a field the record does not have and saves the
                # record without it; "Error" refuses the write naming the field, so none is lost unseen
                headers[PROPERTY_NAME_VALIDATION] = "Error"
        return self.request(method, path, **kwargs)

    @staticmethod
    def _id_from_location(response: httpx.Response) -> str:
        location = response.headers.get("location", "")
        record_id = location.rstrip("/").rsplit("/", 1)[-1]
        if not record_id:
            raise NetSuiteError(
                f"NetSuite answered {response.request.method} {response.request.url.path} "
                f"with HTTP {response.status_code} but no Location header", status=response.status_code)
        return record_id

    def get(self, record_type: str, record_id: str, *, expand: bool = True) -> dict[str, Any]:
        """One record; with ``expand`` its sublists (``item``, ``apply``...) are included."""
        params = {"expandSubResources": "true"} if expand else None
        response = self.request("GET", f"{RECORD_PATH}/{record_type}/{record_id}", params=params)
        return json_loads(response.content)

    def find_by_external_id(self, record_type: str, external_id: str, *, expand: bool = True) -> dict[str, Any] | None:
        """The record with ``external_id``, or None when there is none."""
        try:
            return self.get(record_type, f"eid:{external_id}", expand=expand)
        except NetSuiteError as exc:
            if exc.status == 404:
                return None
            raise

    def create(self, record_type: str, body: dict[str, Any]) -> str:
        """Create a record (HTTP 204); returns the new id from the Location header."""
        return self._id_from_location(self._json("POST", f"{RECORD_PATH}/{record_type}", body))

    def update(self, record_type: str, record_id: str, body: dict[str, Any]) -> None:
        self._json("PATCH", f"{RECORD_PATH}/{record_type}/{record_id}", body)

    def upsert(self, record_type: str, external_id: str, body: dict[str, Any]) -> str:
        """Create or update the record with ``external_id``; never makes a second one."""
        return self._id_from_location(self._json("PUT", f"{RECORD_PATH}/{record_type}/eid:{external_id}", body))

    def transform(self, from_type: str, record_id: str, to_type: str, body: dict[str, Any] | None = None,
                  *, replace: Iterable[str] = ()) -> str:
        """Transform a record (``cashSale`` -> ``cashRefund``); returns the new record's id.

        NetSuite pre-fills the new record from the source: lines in ``body`` update the
        matching pre-filled lines or are added, and the lines not sent stay. ``replace``
        names the sublists (``item``) to hold exactly the lines ``body`` lists.
        """
        path = f"{RECORD_PATH}/{from_type}/{record_id}/!transform/{to_type}"
        sublists = ",".join(replace)
        params = {"replace": sublists} if sublists else None
        return self._id_from_location(self._json("POST", path, body if body is not None else {}, params=params))

    def list_ids(self, record_type: str, *, limit: int = 1) -> list[str]:
        """Ids of the first ``limit`` records of a type (a cheap permission check)."""
        response = self.request("GET", f"{RECORD_PATH}/{record_type}", params={"limit": limit})
        return [str(item.get("id")) for item in json_loads(response.content).get("items", [])]

    def delete(self, record_type: str, record_id: str) -> None:
        self.request("DELETE", f"{RECORD_PATH}/{record_type}/{record_id}")

    # --- SuiteQL -------------------------------------------------------------------------
    def suiteql_page(self, query: str, *, limit: int = SUITEQL_MAX_PAGE, offset: int = 0) -> dict[str, Any]:
        if not 1 <= limit <= SUITEQL_MAX_PAGE:
            raise ValueError(f"SuiteQL limit must be between 1 and {SUITEQL_MAX_PAGE}, not {limit}")
        if offset % limit:
            raise ValueError(f"SuiteQL offset {offset} must be a multiple of the limit {limit}")
        response = self._json("POST", SUITEQL_PATH, {"q": query},
                              params={"limit": limit, "offset": offset}, headers={"Prefer": "transient"})
        return json_loads(response.content)

    def suiteql(self, query: str, *, page_size: int = SUITEQL_MAX_PAGE) -> Iterator[dict[str, Any]]:
        """Every row of ``query``, page by page, until ``hasMore`` is false (see :func:`rows`)."""
        return rows(self, query, page_size=page_size)
