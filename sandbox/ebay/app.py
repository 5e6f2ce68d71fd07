"""HTTP routes of the eBay emulator (Starlette), mapped onto :class:`EbayBackend`.

The identity endpoint takes the application's keyset as HTTP Basic credentials and a
form body; the Sell API routes take ``Authorization: Bearer`` and answer errors as
``{"errors": [...]}``. One host serves what eBay splits over ``api.ebay.com`` (identity,
Fulfillment) and ``apiz.ebay.com`` (Finances).

Routes under ``/__sandbox__/`` exist only here; they seed what no eBay API can make::

    POST /__sandbox__/orders                               {"lines": [...], "shipping", "buyer", ...} -> the order
    POST /__sandbox__/orders/{orderId}/return_requests     {"lines": {lineItemId: quantity}}   (the buyer asks)
    POST /__sandbox__/payouts                              {"adjust": "0.01", "status"} (both optional) -> payout
    POST /__sandbox__/clock                                {"advance": seconds}
    POST /__sandbox__/expire_tokens                        {}
"""

from __future__ import annotations

import base64
import uuid
from typing import Any, Callable
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from syncproof.model import json_dumps, json_loads

from ._errors import OAuthError, SellApiError
from .models import EbayBackend

__all__ = ["create_app"]


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json_dumps(body), status_code=status, headers=headers, media_type="application/json")


def _basic(header: str | None) -> tuple[str, str] | None:
    if not header or not header.startswith("Basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return user, password


def create_app(backend: EbayBackend) -> Starlette:
    """Build the ASGI app serving ``backend``."""

    def base_url(request: Request) -> str:
        return str(request.base_url).rstrip("/")

    def sell_api(scope: str, handler: Callable[[Request, Any], Any], *, has_body: bool = False):
        async def endpoint(request: Request) -> Response:
            headers = {"x-ebay-c-request-id": str(uuid.uuid4())}
            try:
                backend.authorize(request.headers.get("authorization"), scope)
                body = None
                if has_body:
                    raw = await request.body()
                    try:
                        body = json_loads(raw) if raw else None
                    except ValueError:
                        body = None
                answer = handler(request, body)
            except SellApiError as error:
                return _json(error.body(), error.status, headers)
            except (KeyError, ValueError, TypeError) as error:  # a malformed request
                return _json(SellApiError(400, 2004, f"Invalid request: {error}", domain="API_"
                                          + scope.upper()).body(), 400, headers)
            if answer is None:
                return Response(status_code=204, headers=headers)
            return _json(answer, 200, headers)
        return endpoint

    async def token(request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode("utf-8", errors="replace"), keep_blank_values=True))
        try:
            body = backend.issue_token(_basic(request.headers.get("authorization")), form)
        except OAuthError as error:
            return JSONResponse(error.body(), status_code=error.status)
        return JSONResponse(body)

    def query(request: Request) -> dict[str, str]:
        return dict(request.query_params)

    async def seed(request: Request, action: Callable[[dict[str, Any]], Any]) -> Response:
        spec = json_loads(await request.body() or b"{}")
        try:
            return _json(action(spec), 201)
        except SellApiError as error:
            return _json(error.body(), error.status)
        except (KeyError, ValueError, TypeError) as error:
            return _json({"error": f"bad seed: {error}"}, 400)

    async def seed_order(request: Request) -> Response:
        return await seed(request, lambda spec: backend.create_order(spec.pop("lines", []), **spec))

    async def seed_request(request: Request) -> Response:
        return await seed(request, lambda spec: backend.request_return(request.path_params["order_id"],
                                                                       spec.get("lines")))

    async def seed_payout(request: Request) -> Response:
        return await seed(request, lambda spec: backend.create_payout(spec.get("adjust"),
                                                                      spec.get("status") or "SUCCEEDED"))

    def advance(spec: dict[str, Any]) -> dict[str, str]:
        backend.clock.advance(float(spec.get("advance", 0)))
        return {"now": backend.clock.now().isoformat()}

    def expire_tokens(spec: dict[str, Any]) -> dict[str, bool]:
        backend.expire_tokens()
        return {"expired": True}

    async def clock(request: Request) -> Response:
        return await seed(request, advance)

    async def expire(request: Request) -> Response:
        return await seed(request, expire_tokens)

    fulfillment = "/sell/fulfillment/v1"
    finances = "/sell/finances/v1"
    routes = [
        Route("/identity/v1/oauth2/token", token, methods=["POST"]),
        Route(f"{fulfillment}/order", sell_api("fulfillment", lambda r, b: backend.get_orders(query(r), base_url(r)))),
        Route(f"{fulfillment}/order/{{order_id}}",
              sell_api("fulfillment", lambda r, b: backend.get_order(r.path_params["order_id"]))),
        Route(f"{fulfillment}/order/{{order_id}}/issue_refund",
              sell_api("fulfillment", lambda r, b: backend.issue_refund(r.path_params["order_id"], b), has_body=True),
              methods=["POST"]),
        Route(f"{finances}/transaction",
              sell_api("finances", lambda r, b: backend.get_transactions(query(r), base_url(r)))),
        Route(f"{finances}/payout", sell_api("finances", lambda r, b: backend.get_payouts(query(r), base_url(r)))),
        Route(f"{finances}/payout/{{payout_id}}",
              sell_api("finances", lambda r, b: backend.get_payout(r.path_params["payout_id"]))),
        Route("/__sandbox__/orders", seed_order, methods=["POST"]),
        Route("/__sandbox__/orders/{order_id}/return_requests", seed_request, methods=["POST"]),
        Route("/__sandbox__/payouts", seed_payout, methods=["POST"]),
        Route("/__sandbox__/clock", clock, methods=["POST"]),
        Route("/__sandbox__/expire_tokens", expire, methods=["POST"]),
    ]
    return Starlette(routes=routes)
