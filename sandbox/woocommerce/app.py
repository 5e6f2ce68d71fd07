"""HTTP face of the WooCommerce emulator: the REST API v3 under ``/wp-json/wc/v3/``.

Like WooCommerce: the consumer key and secret come as HTTP basic auth (or the
``consumer_key``/``consumer_secret`` query parameters); a wrong secret for a known key is
401 ``woocommerce_rest_authentication_error`` "Consumer secret is invalid.", and a request
without a known key is unauthenticated, which the endpoint's permission check refuses
with 401 (``woocommerce_rest_cannot_view`` / ``woocommerce_rest_cannot_create``). Every
error is ``{"code", "message", "data": {"status"}}``. Collections take ``page`` and
``per_page`` (1..100, default 10) and answer ``X-WP-Total`` and ``X-WP-TotalPages``.
Orders and refunds take ``dp``, the number of decimals to write amounts with (the store's
``woocommerce_price_num_decimals`` without it); the collections declare and validate it
(``get_collection_params``), the other routes read it through ``absint``.

Sandbox-only routes (not part of WooCommerce): ``POST /__sandbox__/reset``,
``GET /__sandbox__/state``.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from datetime import datetime, timezone
from typing import Any, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from syncproof.model import json_dumps, json_loads

from .models import DEFAULT_PRICE_DECIMALS, WooBackend, WooError

__all__ = ["create_app", "MAX_PER_PAGE"]

MAX_PER_PAGE = 100
PREFIX = "/wp-json/wc/v3"


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json_dumps(body), status_code=status, headers=headers, media_type="application/json")


def _error(exc: WooError) -> Response:
    return _json(exc.body(), exc.status)


def _credentials(request: Request) -> tuple[str, str] | None:
    key, secret = request.query_params.get("consumer_key"), request.query_params.get("consumer_secret")
    if key and secret:
        return key, secret
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return user, password
    return None


def _refusal(request: Request) -> WooError:
    if request.method == "GET":
        return WooError(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
    return WooError(401, "woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources.")


def _page_args(request: Request) -> tuple[int, int]:
    try:
        page = int(request.query_params.get("page", "1"))
        per_page = int(request.query_params.get("per_page", "10"))
    except ValueError:
        raise WooError(400, "rest_invalid_param", "Invalid parameter(s): page, per_page") from None
    if per_page < 1 or per_page > MAX_PER_PAGE:
        raise WooError(400, "rest_invalid_param", "Invalid parameter(s): per_page")
    if page < 1:
        raise WooError(400, "rest_invalid_param", "Invalid parameter(s): page")
    return page, per_page


def _paged(request: Request, items: list[dict[str, Any]]) -> Response:
    page, per_page = _page_args(request)
    total = len(items)
    pages = math.ceil(total / per_page) if total else 0
    if page > 1 and page > pages:
        raise WooError(400, "woocommerce_rest_invalid_page_number",
                       "The page number requested is larger than the number of pages available.")
    chunk = items[(page - 1) * per_page: page * per_page]
    return _json(chunk, headers={"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)})


def _dp(request: Request, backend: WooBackend, *, declared: bool = False) -> int:
    """``$request['dp']`` as ``prepare_object_for_response`` reads it: ``wc_get_price_decimals()`` when the request
    has none, else ``absint`` of it. Only the collections declare ``dp`` (``get_collection_params``: type integer,
    ``rest_validate_request_arg``), so only there is a value that is not an integer refused; a single order, and a
    create, take any value through ``absint``: PHP's ``(int)`` of its leading digits, 0 when it has none."""
    given = request.query_params.get("dp")
    if given is None or (declared and given == ""):
        return backend.price_decimals
    if not declared:
        leading = re.match(r"\s*[+-]?\d+", given)
        return abs(int(leading.group())) if leading else 0
    try:
        return abs(int(given))
    except ValueError:
        raise WooError(400, "rest_invalid_param", "Invalid parameter(s): dp") from None


def _date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise WooError(400, "rest_invalid_param", f"Invalid parameter(s): {text} is not a date") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def create_app(backend: WooBackend | None = None) -> Starlette:
    """The emulator's ASGI app; ``app.state.backend`` holds its state."""
    backend = backend or WooBackend()

    def endpoint(handler: Callable[[Request, Any], Response]) -> Callable[[Request], Any]:
        async def run(request: Request) -> Response:
            given = _credentials(request)
            if given is None or given[0] != backend.consumer_key:
                return _error(_refusal(request))
            if given[1] != backend.consumer_secret:
                return _error(WooError(401, "woocommerce_rest_authentication_error", "Consumer secret is invalid."))
            try:
                body = None
                if request.method == "POST":
                    raw = await request.body()
                    try:
                        body = json_loads(raw) if raw else {}
                    except ValueError:
                        raise WooError(400, "rest_invalid_json", "Invalid JSON body passed.") from None
                    if not isinstance(body, dict):
                        raise WooError(400, "rest_invalid_json", "Invalid JSON body passed.")
                with backend.lock:
                    return handler(request, body)
            except WooError as exc:
                return _error(exc)
        return run

    def currency(request: Request, body: Any) -> Response:
        return _json({"id": "woocommerce_currency", "label": "Currency", "type": "select",
                      "default": "USD", "value": backend.currency})

    def price_decimals(request: Request, body: Any) -> Response:
        return _json({"id": "woocommerce_price_num_decimals", "label": "Number of decimals",
                      "description": "This sets the number of decimal points shown in displayed prices.",
                      "type": "number", "default": str(DEFAULT_PRICE_DECIMALS), "tip": "",
                      "value": str(backend.price_decimals), "group_id": "general"})

    def list_orders(request: Request, body: Any) -> Response:
        orders = backend.list_orders(_date(request.query_params.get("modified_after")),
                                     _date(request.query_params.get("after")))
        by = request.query_params.get("orderby", "date")
        key: Callable[[Any], Any] = {"modified": lambda o: (o.modified, o.id), "id": lambda o: o.id}.get(
            by, lambda o: (o.created, o.id))
        orders.sort(key=key, reverse=request.query_params.get("order", "desc") == "desc")
        dp = _dp(request, backend, declared=True)
        return _paged(request, [o.to_json(backend.rates, dp) for o in orders])

    def create_order(request: Request, body: Any) -> Response:
        dp = _dp(request, backend)
        return _json(backend.create_order(body).to_json(backend.rates, dp), 201)

    def get_order(request: Request, body: Any) -> Response:
        return _json(backend.order(int(request.path_params["id"])).to_json(backend.rates, _dp(request, backend)))

    def list_refunds(request: Request, body: Any) -> Response:
        order = backend.orders.get(int(request.path_params["id"]))
        if order is None:
            raise WooError(404, "woocommerce_rest_invalid_order_id", "Invalid order ID.")
        refunds = sorted(order.refunds, key=lambda r: r.id, reverse=request.query_params.get("order", "desc") == "desc")
        dp = _dp(request, backend, declared=True)
        return _paged(request, [r.to_json(dp) for r in refunds])

    def create_refund(request: Request, body: Any) -> Response:
        dp = _dp(request, backend)
        return _json(backend.create_refund(int(request.path_params["id"]), body).to_json(dp), 201)

    def list_products(request: Request, body: Any) -> Response:
        return _paged(request, backend.find_products(request.query_params.get("sku")))

    def create_product(request: Request, body: Any) -> Response:
        return _json(backend.create_product(body), 201)

    async def reset(request: Request) -> Response:
        backend.reset()
        return _json({"ok": True})

    async def state(request: Request) -> Response:
        return _json({"orders": [o.to_json(backend.rates, backend.price_decimals) for o in backend.orders.values()],
                      "products": backend.find_products(None)})

    app = Starlette(routes=[
        Route(f"{PREFIX}/settings/general/woocommerce_currency", endpoint(currency), methods=["GET"]),
        Route(f"{PREFIX}/settings/general/woocommerce_price_num_decimals", endpoint(price_decimals), methods=["GET"]),
        Route(f"{PREFIX}/orders", endpoint(list_orders), methods=["GET"]),
        Route(f"{PREFIX}/orders", endpoint(create_order), methods=["POST"]),
        Route(PREFIX + "/orders/{id:int}", endpoint(get_order), methods=["GET"]),
        Route(PREFIX + "/orders/{id:int}/refunds", endpoint(list_refunds), methods=["GET"]),
        Route(PREFIX + "/orders/{id:int}/refunds", endpoint(create_refund), methods=["POST"]),
        Route(f"{PREFIX}/products", endpoint(list_products), methods=["GET"]),
        Route(f"{PREFIX}/products", endpoint(create_product), methods=["POST"]),
        Route("/__sandbox__/reset", reset, methods=["POST"]),
        Route("/__sandbox__/state", state, methods=["GET"]),
    ])
    app.state.backend = backend
    return app
