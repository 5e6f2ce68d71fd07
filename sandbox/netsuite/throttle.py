"""Concurrency governance: at most N requests in flight (5 by default), plus forced 429s for retry tests.

NetSuite refuses requests beyond the account's concurrency limit with HTTP 429
and ``o:errorCode`` ``CONCURRENCY_LIMIT_EXCEEDED``.

    >>> throttle = Throttle(limit=5)
    >>> throttle.force(2)          # the next two requests get 429
    >>> if throttle.enter(): ...   # False means answer 429
"""

from __future__ import annotations

import threading

from .errors import NetSuiteError

__all__ = ["Throttle", "concurrency_error", "BASE_TIER_CONCURRENCY"]

#: The account limit of the base (shared) service tier with no SuiteCloud Plus licence; each
#: licence adds 10 (Oracle help, "Concurrency Governance Limits Based on Service Tiers and
#: SuiteCloud Plus Licenses").
BASE_TIER_CONCURRENCY = 5


class Throttle:
    """Counts requests in flight; refuses those over ``limit`` (None: no limit)."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit
        self.in_flight = 0
        self.refused = 0
        self._forced = 0
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)

    def force(self, count: int) -> None:
        """Answer the next ``count`` API requests with 429, whatever the load."""
        with self._lock:
            self._forced = max(0, int(count))

    def reset(self) -> None:
        with self._lock:
            self._forced = 0
            self.refused = 0

    def enter(self) -> bool:
        """Take a slot; False when the request must be refused (no slot is taken then)."""
        with self._lock:
            if self._forced > 0:
                self._forced -= 1
                self.refused += 1
                return False
            if self.limit is not None and self.in_flight >= self.limit:
                self.refused += 1
                return False
            self.in_flight += 1
            return True

    def leave(self) -> None:
        """Free the slot a request took with :meth:`enter` (the server frees each one once). A release with no
        request in flight is refused and changes nothing: the count never goes below zero, so the limit still
        holds for the requests that follow."""
        with self._lock:
            if self.in_flight <= 0:
                raise ValueError("Throttle.leave() called with no request in flight: call it once per enter() "
                                 "that returned True")
            self.in_flight -= 1
            if self.in_flight == 0:
                self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no request is in flight (woken by the last ``leave``, not by polling); False if
        ``timeout`` seconds pass first. The server frees a request's slot just after it sent the answer."""
        with self._lock:
            return self._idle.wait_for(lambda: self.in_flight == 0, timeout)


def concurrency_error() -> NetSuiteError:
    return NetSuiteError(429, "CONCURRENCY_LIMIT_EXCEEDED",
                         "Concurrent request limit exceeded. Request blocked.")
