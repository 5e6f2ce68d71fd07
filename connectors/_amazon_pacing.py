"""Pace SP-API calls per operation from the ``x-amzn-RateLimit-Limit`` header.

SP-API meters each operation with a token bucket (a rate in requests per second
and a burst). Responses carry the rate actually applied in
``x-amzn-RateLimit-Limit``; once an operation has told us its rate, later calls
of that operation wait for a token instead of running into 429s::

    >>> pacer = RatePacer()
    >>> pacer.update("getReports", "0.0222")   # from a response header
    >>> pacer.wait("getReports")               # sleeps only when the burst is used up
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable

__all__ = ["RatePacer", "DEFAULT_BURSTS"]

#: Burst sizes from the models' usage-plan tables (the header gives only the rate).
DEFAULT_BURSTS: dict[str, int] = {
    "getOrders": 20,
    "getOrderItems": 30,
    "listTransactions": 10,
    "getReports": 10,
    "getReportDocument": 15,
}


@dataclass
class _Bucket:
    rate: float
    burst: int
    tokens: float
    updated: float


class RatePacer:
    """Per-operation token buckets; ``sleep`` and ``clock`` are injectable for tests."""

    def __init__(self, *, bursts: dict[str, int] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._bursts = {**DEFAULT_BURSTS, **(bursts or {})}
        self._clock = clock
        self._sleep = sleep
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()
        self.waited: dict[str, float] = {}

    def rate(self, operation: str) -> float | None:
        bucket = self._buckets.get(operation)
        return bucket.rate if bucket else None

    def update(self, operation: str, header: str | None) -> None:
        """Record the rate a response announced; the call that got it used one token."""
        try:
            rate = float(header) if header else 0.0
        except ValueError:
            return
        if rate <= 0:
            return
        with self._lock:
            bucket = self._buckets.get(operation)
            if bucket is None:
                burst = self._bursts.get(operation, 1)
                self._buckets[operation] = _Bucket(rate, burst, float(burst - 1), self._clock())
            else:
                bucket.rate = rate

    def wait(self, operation: str) -> None:
        """Take a token for ``operation``, sleeping until one is available."""
        with self._lock:
            bucket = self._buckets.get(operation)
            if bucket is None:
                return
            now = self._clock()
            bucket.tokens = min(float(bucket.burst), bucket.tokens + (now - bucket.updated) * bucket.rate)
            bucket.updated = now
            delay = 0.0 if bucket.tokens >= 1 else (1 - bucket.tokens) / bucket.rate
            bucket.tokens -= 1
            if delay:
                bucket.updated = now + delay
                bucket.tokens = 0.0
                self.waited[operation] = self.waited.get(operation, 0.0) + delay
        if delay:
            self._sleep(delay)
