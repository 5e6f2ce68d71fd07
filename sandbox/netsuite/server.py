"""Run the emulator on loopback: in a test (``serve``) or from a shell (``main``).

    >>> with serve() as running:
    ...     print(running.url, running.backend.account_id)

    $ python -m sandbox.netsuite --port 8765
"""

from __future__ import annotations

import argparse
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from sandbox._server import RunningServer, start

from .auth import DEMO_CREDENTIALS
from .models import NetSuiteBackend
from .responses import create_app
from .throttle import BASE_TIER_CONCURRENCY

__all__ = ["RunningNetSuite", "serve", "main"]


@dataclass
class RunningNetSuite:
    """A running emulator: its base URL, its backend and the server handle."""

    url: str
    backend: NetSuiteBackend
    server: RunningServer

    def stop(self) -> None:
        self.server.stop()


@contextmanager
def serve(backend: NetSuiteBackend | None = None, host: str = "127.0.0.1",
          port: int | None = None) -> Iterator[RunningNetSuite]:
    """Serve ``backend`` (a fresh demo account when None) until the block ends."""
    backend = backend or NetSuiteBackend()
    server = start(create_app(backend), host, port, name="netsuite")
    try:
        yield RunningNetSuite(server.url, backend, server)
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox.netsuite",
                                     description="Run the NetSuite emulator on loopback.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--no-auth", action="store_true", help="accept requests without TBA")
    parser.add_argument("--concurrency-limit", type=int, default=BASE_TIER_CONCURRENCY,
                        help="requests in flight before 429 (default: the base tier's 5; 0: off)")
    args = parser.parse_args(argv)
    backend = NetSuiteBackend(verify_signatures=not args.no_auth,
                              concurrency_limit=args.concurrency_limit or None)
    with serve(backend, args.host, args.port) as running:
        creds = DEMO_CREDENTIALS
        print(f"NetSuite emulator listening on {running.url}")
        print(f"  REST base:       {running.url}/services/rest")
        print(f"  account id:      {creds.account_id}")
        print(f"  consumer key:    {creds.consumer_key}")
        print(f"  consumer secret: {creds.consumer_secret}")
        print(f"  token id:        {creds.token_id}")
        print(f"  token secret:    {creds.token_secret}")
        print("  control:         POST /__sandbox__/reset | /seed | /corrupt | /throttle")
        print("Press Ctrl+C to stop.", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
