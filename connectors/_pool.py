"""One connection pool for clients that come and go: a client's ``close()`` leaves it open.

    pool = SharedPool()
    for _ in range(3):
        with ApiClient(base_url, transport=pool) as client:   # each one fresh, same connections
            client.request("GET", "/things/1")
    pool.shut()                                               # the owner closes the connections

Clients built anew for every scenario of a recorded run (no token or throttle state carried
over) would otherwise each open their own connections to the same hosts and look up the
environment's proxy settings again. Requests still go through ``httpx.HTTPTransport`` (what a
recording or a replay patches), with the certificate-verifying TLS context every client uses.
"""

from __future__ import annotations

import httpx

from ._http import _tls_context

__all__ = ["SharedPool"]


class SharedPool(httpx.BaseTransport):
    """An ``httpx.HTTPTransport`` many clients send through in turn; only :meth:`shut` closes it."""

    def __init__(self) -> None:
        self._transport = httpx.HTTPTransport(verify=_tls_context())

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._transport.handle_request(request)

    def close(self) -> None:
        """What a client calls when it closes: the connections stay open for the next client."""

    def shut(self) -> None:
        """Close every connection (the owner, when no client sends through it any more)."""
        self._transport.close()
