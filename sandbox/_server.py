"""Run an emulator's ASGI app on loopback in a background thread.

    >>> from sandbox._server import serve
    >>> with serve(app) as server:
    ...     httpx.get(server.url + "/health")
"""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterable, Iterator

import uvicorn

__all__ = ["RunningServer", "serve", "start", "stop_all", "free_port"]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@dataclass
class RunningServer:
    """An emulator listening on loopback; ``stop()`` shuts it down."""

    url: str
    host: str
    port: int
    _server: uvicorn.Server
    _thread: threading.Thread

    def stop(self) -> None:
        stop_all([self])


def stop_all(servers: Iterable[RunningServer]) -> None:
    """Stop ``servers`` together: each needs a few tenths of a second to notice and close its connections,
    so all are told first and then waited for, instead of one after the other."""
    servers = list(servers)
    for server in servers:
        server._server.should_exit = True
    for server in servers:
        server._thread.join(timeout=10)


def start(app, host: str = "127.0.0.1", port: int | None = None, name: str = "emulator") -> RunningServer:
    """Start ``app`` on ``host:port`` (a free port when None) and wait until it accepts connections."""
    port = port or free_port(host)
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False, lifespan="off",
        timeout_keep_alive=30,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"syncproof-{name}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60  # a ceiling for a server that never starts, not a timing goal
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the {name} emulator did not start on {host}:{port}")
        time.sleep(0.01)
    return RunningServer(url=f"http://{host}:{port}", host=host, port=port, _server=server, _thread=thread)


@contextmanager
def serve(app, host: str = "127.0.0.1", port: int | None = None, name: str = "emulator") -> Iterator[RunningServer]:
    server = start(app, host, port, name)
    try:
        yield server
    finally:
        server.stop()
