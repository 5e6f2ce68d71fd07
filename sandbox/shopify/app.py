"""HTTP face of the Shopify emulator: ``POST /admin/api/{version}/graphql.json``.

Like Shopify: the ``X-Shopify-Access-Token`` header is checked first (401 with
``{"errors": "[API] Invalid API key or access token ..."}``); GraphQL errors come back
with HTTP 200; every answer carries ``extensions.cost``; a query the bucket cannot
cover gets ``errors[0].extensions.code == "THROTTLED"`` and no data.

Sandbox-only routes (not part of Shopify):

- ``POST /__sandbox__/reset``: forget all state and refill the bucket;
- ``GET  /__sandbox__/state``: the raw state as JSON;
- ``POST /__sandbox__/throttle``: ``{"maximumAvailable", "restoreRate", "currentlyAvailable"}``;
- ``POST /__sandbox__/bulk``: ``{"runningPolls": n, "plan": "TIMEOUT" | "INTERNAL_SERVER_ERROR" |
  "ACCESS_DENIED" | "CANCELED" | "COMPLETED"}``: how many status reads a bulk operation answers
  RUNNING, and how the next one ends.

A bulk operation's result is served, like Shopify's signed storage links, without the access token at
``GET /bulk-results/{token}.jsonl`` (404 once the link has expired or for an unknown token).
"""

from __future__ import annotations

import json

from graphql import GraphQLError, execute_sync, parse, validate
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._bulk import BulkOperations
from ._cost import actual_cost, requested_cost
from ._schema import load_schema, root_value
from ._throttle import LeakyBucket
from .models import ShopifyBackend

__all__ = ["create_app", "DEMO_TOKEN", "SINGLE_QUERY_MAX_COST"]

#: An obviously fake token the emulator accepts by default.
DEMO_TOKEN = "shpat_syncproof_sandbox_not_a_real_token"
#: Shopify refuses any single query whose requested cost exceeds this.
SINGLE_QUERY_MAX_COST = 1000
INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"


def _error(message: str, **extensions) -> dict:
    error: dict = {"message": message}
    if extensions:
        error["extensions"] = extensions
    return error


def create_app(backend: ShopifyBackend | None = None, *, token: str = DEMO_TOKEN,
               bucket: LeakyBucket | None = None) -> Starlette:
    """The emulator's ASGI app. ``app.state.backend`` and ``app.state.bucket`` hold its state;
    ``app.state.reset()`` forgets it all and refills the bucket, as ``POST /__sandbox__/reset``."""
    backend = backend or ShopifyBackend()
    bucket = bucket or LeakyBucket()
    schema = load_schema()
    bulk = BulkOperations(clock=lambda: backend.clock())

    def cost_extension(requested: int, actual: int | None, status) -> dict:
        return {"cost": {"requestedQueryCost": requested, "actualQueryCost": actual,
                         "throttleStatus": status.to_json()}}

    def run(query: str, variables: dict | None, operation_name: str | None, context: dict) -> dict:
        try:
            document = parse(query)
        except GraphQLError as exc:
            return {"errors": [exc.formatted], "extensions": cost_extension(0, 0, bucket.status())}
        problems = validate(schema, document)
        if problems:
            return {"errors": [p.formatted for p in problems],
                    "extensions": cost_extension(0, 0, bucket.status())}
        try:
            requested = requested_cost(schema, document, variables, operation_name)
        except (GraphQLError, TypeError, ValueError) as exc:
            return {"errors": [_error(str(exc))], "extensions": cost_extension(0, 0, bucket.status())}
        if requested > SINGLE_QUERY_MAX_COST:
            return {"errors": [_error(
                f"Query cost is {requested}, which exceeds the single query max cost limit ({SINGLE_QUERY_MAX_COST}).",
                code="MAX_COST_EXCEEDED", cost=requested, maxCost=SINGLE_QUERY_MAX_COST)]}
        ok, status = bucket.take(requested)
        if not ok:
            return {"errors": [_error("Throttled", code="THROTTLED",
                                      documentation="https://shopify.dev/api/usage/rate-limits")],
                    "extensions": cost_extension(requested, None, status)}
        result = execute_sync(schema, document, root_value=root_value(backend), context_value=context,
                              variable_values=variables, operation_name=operation_name)
        body: dict = {}
        if result.errors:
            body["errors"] = [e.formatted for e in result.errors]
        body["data"] = result.data
        actual = actual_cost(schema, document, result.data, variables, operation_name)
        status = bucket.give_back(requested - actual)
        body["extensions"] = cost_extension(requested, actual, status)
        return body

    async def graphql_endpoint(request: Request) -> JSONResponse:
        if request.headers.get("x-shopify-access-token") != token:
            return JSONResponse({"errors": INVALID_TOKEN}, status_code=401)
        try:
            payload = json.loads(await request.body() or b"null")
            query = payload["query"]
            if not isinstance(query, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"errors": {"query": "Required parameter missing or invalid"}}, status_code=400)
        variables = payload.get("variables") or None
        context = {"bulk_ops": bulk, "base_url": str(request.base_url), "version": request.path_params["version"]}
        body = await run_in_threadpool(run, query, variables, payload.get("operationName"), context)
        return JSONResponse(body)

    async def bulk_result(request: Request) -> Response:
        found = bulk.result(request.path_params["token"])
        if found is None:
            return JSONResponse({"errors": "Not Found"}, status_code=404)
        return Response(found, media_type="application/jsonl")

    async def bulk_settings(request: Request) -> JSONResponse:
        data = await request.json()
        try:
            bulk.configure(data.get("runningPolls"), data.get("plan"))
        except ValueError as exc:
            return JSONResponse({"errors": str(exc)}, status_code=400)
        return JSONResponse({"ok": True})

    def forget() -> None:
        backend.reset()
        bulk.reset()
        bucket.configure()

    async def reset(request: Request) -> JSONResponse:
        forget()
        return JSONResponse({"ok": True})

    async def state(request: Request) -> JSONResponse:
        return JSONResponse(backend.snapshot())

    async def throttle(request: Request) -> JSONResponse:
        data = await request.json()
        bucket.configure(data.get("maximumAvailable"), data.get("restoreRate"), data.get("currentlyAvailable"))
        return JSONResponse(bucket.status().to_json())

    app = Starlette(routes=[
        Route("/admin/api/{version}/graphql.json", graphql_endpoint, methods=["POST"]),
        Route("/__sandbox__/reset", reset, methods=["POST"]),
        Route("/__sandbox__/state", state, methods=["GET"]),
        Route("/__sandbox__/throttle", throttle, methods=["POST"]),
        Route("/__sandbox__/bulk", bulk_settings, methods=["POST"]),
        Route("/bulk-results/{token}.jsonl", bulk_result, methods=["GET"]),
    ])
    app.state.bulk = bulk
    app.state.backend = backend
    app.state.bucket = bucket
    app.state.reset = forget  # what POST /__sandbox__/reset does
    return app
