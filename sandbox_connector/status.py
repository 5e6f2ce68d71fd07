"""The sandbox connector's loopback API: its status, its settings, and "sync now".

    GET  /status     every order, refund and settlement with its state (posted, error with
                     its message, cancelled) and the number of cycles run
    POST /settings   {"<channel>": {"billing": ..., "refunds": {...}}, "order_import": bool, "change": bool}
    POST /cycle      run one cycle now; answers when it is done, with the cycle number
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from sandbox._server import RunningServer, start

__all__ = ["create_app", "serve"]


def create_app(connector: Any) -> Starlette:
    async def status(request: Request) -> JSONResponse:
        return JSONResponse(connector.status())

    async def settings(request: Request) -> JSONResponse:
        body = await request.json()
        try:
            connector.apply_settings(body)
        except Exception as exc:  # a setting the connector cannot take: say which
            return JSONResponse({"error": " ".join(str(exc).split())}, status_code=400)
        return JSONResponse({"ok": True})

    def cycle(request: Request) -> JSONResponse:  # sync: runs in the thread pool, one cycle at a time
        return JSONResponse({"cycle": connector.cycle()})

    return Starlette(routes=[Route("/status", status), Route("/settings", settings, methods=["POST"]),
                             Route("/cycle", cycle, methods=["POST"])])


def serve(connector: Any, host: str = "127.0.0.1") -> RunningServer:
    return start(create_app(connector), host, name="sandbox-connector")
