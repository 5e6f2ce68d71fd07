"""The sandbox connector's loopback API: its status, its settings, and "sync now".

    GET  /status     every order, refund and settlement with its state (posted, error with
                     its message, cancelled) and the number of cycles run
    POST /settings   {"<channel>": {"billing": ..., "refunds": {...}}, "order_import": bool, "change": bool}
    POST /cycle      run one cycle now; answers when it is done, with the cycle number. An optional body
                     {"orders": [["<channel>", "<order id>"], ...], "settlements": bool} makes it a second
                     sync run of those orders' refunds (read again, changed or not) and of every
                     settlement report
    POST /defects    {"names": [...]}: the defects of the scenario starting now, on top of those the
                     connector was started with (see ``syncproof.connector_defects``); the previous
                     scenario's stop applying. Answers once no cycle runs, so every later cycle makes them,
                     with {"defects": [...]}: every defect the connector makes from now on, read back
"""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from sandbox._server import RunningServer, start

__all__ = ["create_app", "serve"]


def create_app(connector: Any) -> Starlette:
    def status(request: Request) -> JSONResponse:  # sync: waits in the thread pool while a cycle runs
        return JSONResponse(connector.status())

    async def settings(request: Request) -> JSONResponse:
        body = await request.json()
        try:
            connector.apply_settings(body)
        except Exception as exc:  # a setting the connector cannot take: say which
            return JSONResponse({"error": " ".join(str(exc).split())}, status_code=400)
        return JSONResponse({"ok": True})

    async def cycle(request: Request) -> JSONResponse:
        body = json.loads(await request.body() or b"{}")
        orders = [(str(channel), str(order_id)) for channel, order_id in body.get("orders") or []]
        number = await run_in_threadpool(connector.cycle, orders=orders, settlements=bool(body.get("settlements")))
        return JSONResponse({"cycle": number})  # the cycle ran in the thread pool, one at a time

    async def defects(request: Request) -> JSONResponse:
        body = await request.json()
        def make(names: list[str]) -> list[str]:
            connector.scenario_defects(names)
            with connector.lock:  # what it makes, as it is, read as a cycle would (not half-way through one)
                return sorted(connector.defects.names)

        try:
            made = await run_in_threadpool(make, [str(name) for name in body.get("names") or []])
        except Exception as exc:  # a name the catalogue does not have: say which
            return JSONResponse({"error": " ".join(str(exc).split())}, status_code=400)
        return JSONResponse({"ok": True, "defects": made})

    return Starlette(routes=[Route("/status", status), Route("/settings", settings, methods=["POST"]),
                             Route("/cycle", cycle, methods=["POST"]), Route("/defects", defects, methods=["POST"])])


def serve(connector: Any, host: str = "127.0.0.1") -> RunningServer:
    return start(create_app(connector), host, name="sandbox-connector")
