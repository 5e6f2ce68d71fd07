"""HTTP routes of the Amazon emulator (Starlette), mapped onto :class:`AmazonBackend`.

LWA and SP-API routes follow Amazon's contracts: form-encoded token requests,
``x-amz-access-token`` on every SP-API call (403 ``Unauthorized`` otherwise),
``{"errors": [...]}`` error bodies, ``x-amzn-RateLimit-Limit`` and
``x-amzn-RequestId`` headers, 429 ``QuotaExceeded`` when throttled.

Routes under ``/__sandbox__/`` exist only here; they seed state::

    POST /__sandbox__/orders                      {"items": [...], ...}         -> the order
    POST /__sandbox__/orders/{orderId}/refunds    {"lines": [...], "transaction_status": "DEFERRED",
                                                   "lag_seconds": 3600, ...}  -> the Refund transaction
    POST /__sandbox__/transactions/{id}/release   -> the transaction, now DEFERRED_RELEASED
    POST /__sandbox__/reports/settlement?start=..&end=..[&created=now][&compression=GZIP][&charset=..]
                                                  body: the file bytes
    POST /__sandbox__/clock                       {"advance": seconds}
    POST /__sandbox__/throttle                    {"operation": "getOrders", "count": 2}
"""

from __future__ import annotations

import uuid
from typing import Any, Callable
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from syncproof.model import json_dumps, json_loads

from ._state import LwaError, SpApiError
from .models import AmazonBackend

__all__ = ["create_app"]


def _json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json_dumps(body), status_code=status, headers=headers, media_type="application/json")


def _query(request: Request) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        result.setdefault(key, []).append(value)
    return result


def create_app(backend: AmazonBackend) -> Starlette:
    """Build the ASGI app serving ``backend``."""

    def sp_api(operation: str, handler: Callable[[Any], Any], *, reads_body: bool = False):
        async def endpoint(request: Request) -> Response:
            headers = {"x-amzn-RequestId": str(uuid.uuid4())}
            try:
                backend.authorize(request.headers.get("x-amz-access-token"), operation)
                headers["x-amzn-RateLimit-Limit"] = backend.rate_limits[operation]
                if reads_body:
                    raw = await request.body()
                    try:
                        parsed = json_loads(raw or b"{}")
                    except ValueError:
                        raise SpApiError(400, "InvalidInput", "Request is missing or has invalid parameters",
                                         "The body is not JSON.") from None
                    body = handler(parsed)
                else:
                    body = handler(request)
            except SpApiError as error:
                if error.status == 400:
                    headers["x-amzn-RateLimit-Limit"] = backend.rate_limits[operation]
                return _json_response(error.body(), error.status, headers)
            return _json_response(body, 200, headers)
        return endpoint

    async def token(request: Request) -> Response:
        raw = await request.body()
        if "json" in request.headers.get("content-type", ""):
            form = {k: str(v) for k, v in json_loads(raw or b"{}").items()}
        else:  # application/x-www-form-urlencoded, what the SP-API guides use
            form = dict(parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True))
        try:
            body = backend.issue_token(form)
        except LwaError as error:
            return JSONResponse(error.body(), status_code=error.status)
        return JSONResponse(body, headers={"Cache-Control": "no-cache, no-store", "Pragma": "no-cache"})

    def base_url(request: Request) -> str:
        return str(request.base_url).rstrip("/")

    async def download(request: Request) -> Response:
        status, body, content_type = backend.download_document(
            request.path_params["document_id"], dict(request.query_params), dict(request.headers))
        return Response(body, status_code=status, headers={"Content-Type": content_type})

    async def seed_order(request: Request) -> Response:
        spec = json_loads(await request.body())
        items = spec.pop("items", [])
        try:
            return _json_response(backend.create_order(items, **spec), 201)
        except (KeyError, ValueError, TypeError) as error:
            return _json_response({"error": str(error)}, 400)

    async def seed_refund(request: Request) -> Response:
        spec = json_loads(await request.body())
        lines = spec.pop("lines", [])
        try:
            return _json_response(backend.create_refund(request.path_params["order_id"], lines, **spec), 201)
        except (KeyError, ValueError, TypeError) as error:
            return _json_response({"error": str(error)}, 400)

    async def release(request: Request) -> Response:
        try:
            return _json_response(backend.release_transaction(request.path_params["transaction_id"]))
        except (KeyError, ValueError) as error:
            return _json_response({"error": str(error)}, 400)

    async def seed_settlement(request: Request) -> Response:
        params = dict(request.query_params)
        try:
            report = backend.add_settlement_report(
                await request.body(), start=params["start"], end=params["end"], created=params.get("created"),
                compression=params.get("compression") or None, charset=params.get("charset", "UTF-8") or None)
        except (KeyError, ValueError) as error:
            return _json_response({"error": f"bad settlement seed: {error}"}, 400)
        return _json_response(report, 201)

    async def clock(request: Request) -> Response:
        spec = json_loads(await request.body())
        backend.clock.advance(float(spec.get("advance", 0)))
        return _json_response({"now": backend.clock.now_dt().isoformat()})

    async def throttle(request: Request) -> Response:
        spec = json_loads(await request.body())
        backend.throttle.arm(spec["operation"], int(spec.get("count", 1)))
        return _json_response({"armed": spec})

    routes = [
        Route("/auth/o2/token", token, methods=["POST"]),
        Route("/tokens/2021-03-01/restrictedDataToken",
              sp_api("createRestrictedDataToken", backend.create_restricted_data_token, reads_body=True),
              methods=["POST"]),
        Route("/orders/v0/orders", sp_api("getOrders", lambda r: backend.get_orders(
            _query(r), token=r.headers.get("x-amz-access-token")))),
        Route("/orders/v0/orders/{order_id}/orderItems",
              sp_api("getOrderItems", lambda r: backend.get_order_items(r.path_params["order_id"], _query(r)))),
        Route("/finances/2024-06-19/transactions",
              sp_api("listTransactions", lambda r: backend.list_transactions(_query(r)))),
        Route("/reports/2021-06-30/reports", sp_api("getReports", lambda r: backend.get_reports(_query(r)))),
        Route("/reports/2021-06-30/documents/{document_id}",
              sp_api("getReportDocument",
                     lambda r: backend.get_report_document(r.path_params["document_id"], base_url(r)))),
        Route("/__documents__/{document_id}", download),
        Route("/__sandbox__/orders", seed_order, methods=["POST"]),
        Route("/__sandbox__/orders/{order_id}/refunds", seed_refund, methods=["POST"]),
        Route("/__sandbox__/transactions/{transaction_id}/release", release, methods=["POST"]),
        Route("/__sandbox__/reports/settlement", seed_settlement, methods=["POST"]),
        Route("/__sandbox__/clock", clock, methods=["POST"]),
        Route("/__sandbox__/throttle", throttle, methods=["POST"]),
    ]
    return Starlette(routes=routes)
