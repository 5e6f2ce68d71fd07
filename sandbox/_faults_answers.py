"""The error answers a fault sends, shaped the way each vendor sends them.

``answer(vendor, kind, method, path, seq)`` returns ``(status, headers, body)`` for the
status kinds ``429``, ``500``, ``502`` and ``503``:

=========  ============================================  ==================================================
vendor     429                                           500 / 502 / 503
=========  ============================================  ==================================================
netsuite   429, ``o:errorCode`` CONCURRENCY_LIMIT_EXCEEDED  500 UNEXPECTED_ERROR (NetSuite's error body);
           (``application/vnd.oracle.resource+json;       502 and 503 come from the edge: plain text
           type=error``)
shopify    **200** GraphQL ``THROTTLED`` with             500 ``{"errors": "Internal Server Error"}``;
           ``extensions.cost.throttleStatus``             502 and 503 plain text; ``X-Request-Id`` on all
amazon     429 ``QuotaExceeded`` + ``x-amzn-RateLimit-     500 ``InternalFailure``, 503 ``ServiceUnavailable``
SP-API     Limit`` (the operation's rate)                 (``{"errors": [...]}``), 502 plain text
LWA        429 / 503 ``temporarily_unavailable``,         OAuth-shaped ``{"error", "error_description"}``
token      500 ``server_error``
report     S3 never sends 429: 503 ``SlowDown`` XML       500 ``InternalError``, 503 ``ServiceUnavailable``
download                                                 (S3 XML), 502 plain text
=========  ============================================  ==================================================

An emulator package may shape its own answers instead: a ``fault_answer(status, method, path,
request_id)`` in its ``launch`` module returning ``(status, headers, body)`` is used for its vendor.
"""

from __future__ import annotations

import functools
import importlib
import json
import re
import uuid
from typing import Any, Callable

__all__ = ["answer", "STATUS_KINDS"]

STATUS_KINDS = ("429", "500", "502", "503")
Headers = list[tuple[str, str]]

_PLAIN = {502: "Bad Gateway", 503: "Service Unavailable", 500: "Internal Server Error"}
_AMAZON_OPERATIONS = (
    (re.compile(r"^/orders/v0/orders/[^/]+/orderItems$"), "getOrderItems"),
    (re.compile(r"^/orders/v0/orders$"), "getOrders"),
    (re.compile(r"^/finances/2024-06-19/transactions$"), "listTransactions"),
    (re.compile(r"^/reports/2021-06-30/reports$"), "getReports"),
    (re.compile(r"^/reports/2021-06-30/documents/"), "getReportDocument"),
)
#: Shopify's bucket as a THROTTLED answer reports it (the client waits (50 - 30) / 100 = 0.2 s)
SHOPIFY_THROTTLE = {"requestedQueryCost": 50, "actualQueryCost": None,
                    "throttleStatus": {"maximumAvailable": 2000.0, "currentlyAvailable": 30, "restoreRate": 100.0}}


def _json(status: int, body: object, content_type: str = "application/json",
          headers: Headers | None = None) -> tuple[int, Headers, bytes]:
    return status, [("content-type", content_type), *(headers or [])], json.dumps(body).encode()


def _plain(status: int, headers: Headers | None = None) -> tuple[int, Headers, bytes]:
    return status, [("content-type", "text/plain; charset=utf-8"), *(headers or [])], _PLAIN[status].encode()


def answer(vendor: str, kind: str, method: str, path: str, seq: int) -> tuple[int, Headers, bytes]:
    """``(status, headers, body)`` for a status fault; ``seq`` makes ids repeatable."""
    status = int(kind)
    request_id = str(uuid.UUID(int=seq))
    own = _emulator_answers(vendor)
    if own is not None:
        return own(status, method, path, request_id)
    if vendor == "netsuite":
        return _netsuite(status, seq)
    if vendor == "shopify":
        return _shopify(status, [("x-request-id", request_id)])
    if path.startswith("/auth/o2/"):
        return _lwa(status)
    if path.startswith("/__documents__/"):
        return _s3(status, request_id)
    return _sp_api(status, path, [("x-amzn-RequestId", request_id)])


@functools.cache
def _emulator_answers(vendor: str) -> Callable[..., Any] | None:
    """The ``fault_answer`` of the vendor's emulator package, when it shapes its own answers."""
    try:
        module = importlib.import_module(f"{__package__}.{vendor}.launch")
    except ModuleNotFoundError:
        return None
    return getattr(module, "fault_answer", None)


def _netsuite(status: int, seq: int) -> tuple[int, Headers, bytes]:
    from .netsuite.errors import ERROR_CONTENT_TYPE, error_body  # the emulator's own error shape

    if status == 429:
        return _json(429, error_body(429, "CONCURRENCY_LIMIT_EXCEEDED",
                                     "Concurrent request limit exceeded. Request blocked."), ERROR_CONTENT_TYPE)
    if status == 500:
        return _json(500, error_body(500, "UNEXPECTED_ERROR",
                                     f"An unexpected error occurred. Error ID: syncproof-fault-{seq:06d}"),
                     ERROR_CONTENT_TYPE)
    return _plain(status)


def _shopify(status: int, headers: Headers) -> tuple[int, Headers, bytes]:
    if status == 429:  # the GraphQL Admin API throttles with HTTP 200
        return _json(200, {"errors": [{"message": "Throttled", "extensions": {
            "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
            "extensions": {"cost": SHOPIFY_THROTTLE}}, headers=headers)
    if status == 500:
        return _json(500, {"errors": "Internal Server Error"}, headers=headers)
    return _plain(status, headers)


def _sp_api(status: int, path: str, headers: Headers) -> tuple[int, Headers, bytes]:
    def errors(code: str, message: str) -> dict:
        return {"errors": [{"code": code, "message": message, "details": ""}]}
    if status == 429:
        from .amazon._state import USAGE_PLANS  # the rates the emulator announces

        operation = next((op for pattern, op in _AMAZON_OPERATIONS if pattern.search(path)), None)
        rate = USAGE_PLANS.get(operation or "", "0.5")
        return _json(429, errors("QuotaExceeded", "You exceeded your quota for the requested resource."),
                     headers=[*headers, ("x-amzn-RateLimit-Limit", rate)])
    if status == 500:
        return _json(500, errors("InternalFailure", "We encountered an internal error. Please try again."),
                     headers=headers)
    if status == 503:
        return _json(503, errors("ServiceUnavailable", "Service temporarily unavailable. Please try again."),
                     headers=headers)
    return _plain(status, headers)


def _lwa(status: int) -> tuple[int, Headers, bytes]:
    if status == 500:
        return _json(500, {"error": "server_error", "error_description": "Internal server error"})
    if status in (429, 503):
        return _json(status, {"error": "temporarily_unavailable",
                              "error_description": "The service is temporarily unavailable"})
    return _plain(status)


def _s3(status: int, request_id: str) -> tuple[int, Headers, bytes]:
    codes = {429: (503, "SlowDown", "Please reduce your request rate."),
             500: (500, "InternalError", "We encountered an internal error. Please try again."),
             503: (503, "ServiceUnavailable", "Please reduce your request rate.")}
    if status not in codes:
        return _plain(status)
    code_status, code, message = codes[status]
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message>'
           f"<RequestId>{request_id[:16].upper()}</RequestId></Error>")
    return code_status, [("content-type", "application/xml")], xml.encode()
