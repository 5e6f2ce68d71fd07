"""HTTP routes of the emulator (Starlette), mapped onto :class:`NetSuiteBackend`.

NetSuite API::

    GET    /services/rest/record/v1/<type>                      list (limit, offset)
    POST   /services/rest/record/v1/<type>                      create -> 204 + Location
    GET    /services/rest/record/v1/<type>/<id>|eid:<ext>       one record (expandSubResources)
    GET    /services/rest/record/v1/<type>/<id>/<sublist>       one sublist
    PATCH  /services/rest/record/v1/<type>/<id>|eid:<ext>       update -> 204 (replace=<sublist>)
    PUT    /services/rest/record/v1/<type>/eid:<ext>            upsert -> 204 + Location
    DELETE /services/rest/record/v1/<type>/<id>|eid:<ext>       delete -> 204
    POST   /services/rest/record/v1/<type>/<id>/!transform/<to> transform -> 204 + Location (replace=<sublist>)
    POST   /services/rest/query/v1/suiteql?limit=&offset=       SuiteQL (Prefer: transient)

Sandbox control (not NetSuite; no auth, never throttled)::

    GET  /__sandbox__/health
    POST /__sandbox__/reset
    POST /__sandbox__/seed            {"items": [...], "customers": [...], "accounts": [...]}
    GET  /__sandbox__/records/<type>  every record of a type, expanded
    POST /__sandbox__/corrupt         {"recordType", "id", "field", "value"}
    POST /__sandbox__/throttle        {"next": K, "concurrencyLimit": N | null}
"""

from __future__ import annotations

import traceback
from typing import Any
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from syncproof.model import json_dumps, json_loads

from .catalog import kind_of
from .errors import ERROR_CONTENT_TYPE, NetSuiteError, invalid_content, not_found
from .fields import NAME_VALIDATION
from .models import NetSuiteBackend
from .render import RECORD_PATH, record_url, render_record, render_sublist
from .throttle import concurrency_error

__all__ = ["create_app"]

SINGULAR = "application/vnd.oracle.resource+json; type=singular"
COLLECTION = "application/vnd.oracle.resource+json; type=collection"
SUITEQL_PATH = "/services/rest/query/v1/suiteql"
MAX_LIMIT = 1000


def create_app(backend: NetSuiteBackend) -> "_Gate":
    """The ASGI app serving ``backend``: throttle and TBA in front of the routes."""
    routes = [
        Route(RECORD_PATH + "/{path:path}", _endpoint(backend, _record_service),
              methods=["GET", "POST", "PATCH", "PUT", "DELETE"]),
        Route(SUITEQL_PATH, _endpoint(backend, _suiteql), methods=["POST"]),
        Route("/__sandbox__/health", _endpoint(backend, _health), methods=["GET"]),
        Route("/__sandbox__/reset", _endpoint(backend, _reset), methods=["POST"]),
        Route("/__sandbox__/seed", _endpoint(backend, _seed), methods=["POST"]),
        Route("/__sandbox__/records/{record_type}", _endpoint(backend, _all_records), methods=["GET"]),
        Route("/__sandbox__/corrupt", _endpoint(backend, _corrupt), methods=["POST"]),
        Route("/__sandbox__/throttle", _endpoint(backend, _throttle), methods=["POST"]),
    ]
    return _Gate(Starlette(routes=routes), backend)


# responses -------------------------------------------------------------------
def _json_response(body: Any, status: int = 200, media_type: str = "application/json") -> Response:
    return Response(json_dumps(body), status_code=status, media_type=media_type)


def _error_response(error: NetSuiteError) -> Response:
    return Response(json_dumps(error.body()), status_code=error.status,
                    headers={"content-type": ERROR_CONTENT_TYPE})


def _created(location: str) -> Response:
    return Response(status_code=204, headers={"location": location})


def _base(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"


async def _body(request: Request, *, required: bool = True) -> Any:
    raw = await request.body()
    if not raw.strip():
        if required:
            raise invalid_content("The request body is empty; a JSON object is expected.")
        return {}
    try:
        return json_loads(raw)
    except ValueError as exc:
        raise invalid_content(f"Invalid JSON in the request body: {exc}.") from None


def _endpoint(backend: NetSuiteBackend, handler):
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request, backend)
        except NetSuiteError as error:
            return _error_response(error)
        except Exception as exc:  # an emulator bug: answer like NetSuite, keep the cause
            traceback.print_exc()
            return _error_response(NetSuiteError(500, "UNEXPECTED_ERROR",
                                                 f"An unexpected error occurred: {exc}"))
    return endpoint


# record service -----------------------------------------------------------------
async def _record_service(request: Request, backend: NetSuiteBackend) -> Response:
    parts = [unquote(p) for p in request.path_params["path"].split("/") if p]
    method = request.method
    if not parts:
        raise NetSuiteError(404, "NONEXISTENT_ID", "Provide a record type.")
    record_type = backend.record_type(parts[0])
    base = _base(request)
    validation = _name_validation(request)
    if len(parts) == 1:
        if method == "POST":
            record_id = backend.create(record_type, await _body(request), validation=validation)
            return _created(record_url(base, record_type, record_id))
        if method == "GET":
            return _list(request, backend, record_type, base)
    elif len(parts) == 2:
        key = parts[1]
        if method == "PUT":
            if not key.startswith("eid:"):
                raise NetSuiteError(405, "INVALID_PARAMETER",
                                    "PUT is only supported with an external ID (eid:<externalId>).")
            record_id, _ = backend.upsert(record_type, key[4:], await _body(request), validation=validation)
            return _created(record_url(base, record_type, record_id))
        record_id = _resolve_key(backend, record_type, key)
        if method == "GET":
            expand = request.query_params.get("expandSubResources", "false").lower() == "true"
            record = backend.get(record_type, record_id)
            return _json_response(render_record(record, record_type, base, expand, backend.type_of),
                                  media_type=SINGULAR)
        if method == "PATCH":
            replace = [s for s in request.query_params.get("replace", "").split(",") if s]
            backend.update(record_type, record_id, await _body(request), replace=replace, validation=validation)
            return Response(status_code=204)
        if method == "DELETE":
            backend.delete(record_type, record_id)
            return Response(status_code=204)
    elif len(parts) == 3 and method == "GET":
        record = backend.get(record_type, _resolve_key(backend, record_type, parts[1]))
        if kind_of(record_type).sublist != parts[2]:
            raise NetSuiteError(404, "NONEXISTENT_ID",
                                f"The sublist {parts[2]} does not exist on {record_type}.")
        return _json_response(render_sublist(record, record_type, base, backend.type_of),
                              media_type=COLLECTION)
    elif len(parts) == 4 and parts[2] == "!transform" and method == "POST":
        source_id = _resolve_key(backend, record_type, parts[1])
        body = await _body(request, required=False)
        to_type = backend.record_type(parts[3])
        replace = [s for s in request.query_params.get("replace", "").split(",") if s]
        record_id = backend.transform(record_type, source_id, to_type, body, replace=replace,
                                      validation=validation)
        return _created(record_url(base, to_type, record_id))
    raise NetSuiteError(405, "INVALID_PARAMETER",
                        f"{method} is not supported on {request.url.path}.")


def _name_validation(request: Request) -> str:
    """``X-NetSuite-PropertyNameValidation``: ``Warning`` (NetSuite's default), ``Error`` or ``Ignore``."""
    value = request.headers.get("x-netsuite-propertynamevalidation", "warning").strip().lower()
    if value not in NAME_VALIDATION:
        raise NetSuiteError(400, "INVALID_HEADER",
                            f"Invalid value {value!r} for the request header X-NetSuite-PropertyNameValidation; "
                            "use Error, Warning or Ignore.")
    return value


def _resolve_key(backend: NetSuiteBackend, record_type: str, key: str) -> str:
    if key.startswith("eid:"):
        record_id = backend.id_for_external_id(record_type, key[4:])
        if record_id is None:
            raise not_found(record_type, key)
        return record_id
    return key


def _paging(request: Request) -> tuple[int, int]:
    try:
        limit = int(request.query_params.get("limit", MAX_LIMIT))
    except ValueError:
        raise NetSuiteError(400, "INVALID_PARAMETER", "Invalid value for the query parameter limit.",
                            query_param="limit") from None
    try:
        offset = int(request.query_params.get("offset", 0))
    except ValueError:
        raise NetSuiteError(400, "INVALID_PARAMETER", "Invalid value for the query parameter offset.",
                            query_param="offset") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise NetSuiteError(400, "INVALID_PARAMETER",
                            f"The value of the query parameter limit must be between 1 and {MAX_LIMIT}.",
                            query_param="limit")
    if offset < 0 or offset % limit:
        raise NetSuiteError(400, "INVALID_PARAMETER",
                            "The value of the query parameter offset must be a non-negative "
                            "multiple of the limit.", query_param="offset")
    return limit, offset


def _page_links(url: str, limit: int, offset: int, total: int) -> list[dict[str, str]]:
    def href(at: int) -> str:
        return f"{url}?limit={limit}&offset={at}"
    last = max(0, (total - 1) // limit * limit)
    links = []
    if offset > 0:
        links.append({"rel": "previous", "href": href(max(0, offset - limit))})
    links.append({"rel": "first", "href": href(0)})
    if offset + limit < total:
        links.append({"rel": "next", "href": href(offset + limit)})
    links.append({"rel": "last", "href": href(last)})
    links.append({"rel": "self", "href": href(offset)})
    return links


def _list(request: Request, backend: NetSuiteBackend, record_type: str, base: str) -> Response:
    limit, offset = _paging(request)
    ids = backend.ids(record_type)
    page = ids[offset:offset + limit]
    url = f"{base}{RECORD_PATH}/{record_type}"
    return _json_response({
        "links": _page_links(url, limit, offset, len(ids)),
        "count": len(page),
        "hasMore": offset + len(page) < len(ids),
        "items": [{"links": [{"rel": "self", "href": f"{url}/{i}"}], "id": i} for i in page],
        "offset": offset,
        "totalResults": len(ids),
    }, media_type=COLLECTION)


# SuiteQL -----------------------------------------------------------------------
async def _suiteql(request: Request, backend: NetSuiteBackend) -> Response:
    prefer = request.headers.get("prefer", "")
    if "transient" not in [p.strip().lower() for p in prefer.split(",")]:
        raise NetSuiteError(400, "INVALID_HEADER",
                            "Invalid value for the request header Prefer. A SuiteQL query requires "
                            "the header 'Prefer: transient'.")
    limit, offset = _paging(request)
    body = await _body(request)
    q = body.get("q") if isinstance(body, dict) else None
    if not isinstance(q, str) or not q.strip():
        raise invalid_content("Provide the query in the body parameter q.", "q")
    page = backend.suiteql(q, limit, offset)
    url = f"{_base(request)}{SUITEQL_PATH}"
    return _json_response({
        "links": _page_links(url, limit, offset, page["totalResults"]),
        "count": page["count"],
        "hasMore": page["hasMore"],
        "items": [{"links": [], **row} for row in page["items"]],
        "offset": offset,
        "totalResults": page["totalResults"],
    }, media_type=COLLECTION)


# sandbox control ------------------------------------------------------------------
async def _health(request: Request, backend: NetSuiteBackend) -> Response:
    return _json_response({"ok": True, "accountId": backend.account_id})


async def _reset(request: Request, backend: NetSuiteBackend) -> Response:
    backend.reset()
    return Response(status_code=204)


async def _seed(request: Request, backend: NetSuiteBackend) -> Response:
    body = await _body(request)
    created = {
        "items": backend.seed_items(body.get("items", [])),
        "customers": backend.seed_customers(body.get("customers", [])),
        "accounts": [backend.create("account", a) for a in body.get("accounts", [])],
    }
    return _json_response(created)


async def _all_records(request: Request, backend: NetSuiteBackend) -> Response:
    record_type = backend.record_type(request.path_params["record_type"])
    base = _base(request)
    return _json_response({"items": [render_record(r, record_type, base, True, backend.type_of)
                                     for r in backend.records(record_type)]})


async def _corrupt(request: Request, backend: NetSuiteBackend) -> Response:
    body = await _body(request)
    try:
        backend.corrupt(body["recordType"], str(body["id"]), str(body["field"]), body.get("value"))
    except (KeyError, IndexError, ValueError, TypeError) as exc:
        raise invalid_content(f"Cannot corrupt that field: {exc!r}.") from None
    return Response(status_code=204)


async def _throttle(request: Request, backend: NetSuiteBackend) -> Response:
    body = await _body(request)
    if "concurrencyLimit" in body:
        limit = body["concurrencyLimit"]
        backend.throttle.limit = None if limit is None else int(limit)
    if "next" in body:
        backend.force_throttle(int(body["next"]))
    return Response(status_code=204)


# the gate: throttle, then TBA ----------------------------------------------------
class _Gate:
    """ASGI wrapper: concurrency governance and TBA for ``/services/`` paths."""

    def __init__(self, app: Starlette, backend: NetSuiteBackend) -> None:
        self.app = app
        self.backend = backend

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/services/"):
            await self.app(scope, receive, send)
            return
        throttle = self.backend.throttle
        if not throttle.enter():
            await _error_response(concurrency_error())(scope, receive, send)
            return
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                throttle.leave()

        async def send_then_release(message) -> None:
            # the slot is free before the client can read the end of the answer: a client that
            # waits for its answers never finds its own finished request still counted
            if message["type"] == "http.response.body" and not message.get("more_body"):
                release()
            await send(message)

        try:
            if self.backend.verify_signatures:
                try:
                    self.backend.verifier.verify(scope["method"], _client_url(scope),
                                                 _headers(scope))
                except NetSuiteError as error:
                    await _error_response(error)(scope, receive, send_then_release)
                    return
            await self.app(scope, receive, send_then_release)
        finally:
            release()


def _headers(scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def _client_url(scope) -> str:
    """The URL as the client saw it: scheme, Host header, raw path and query."""
    headers = _headers(scope)
    host = headers.get("host")
    if not host:
        server = scope.get("server") or ("127.0.0.1", 80)
        host = f"{server[0]}:{server[1]}"
    path = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
    query = scope.get("query_string", b"").decode("latin-1")
    return f"{scope.get('scheme', 'http')}://{host}{path}" + (f"?{query}" if query else "")
