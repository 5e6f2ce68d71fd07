"""A virtual clock for tests: ``sleep`` moves ``now`` forward instead of waiting.

Give a throttle, poller or backoff the clock's ``now`` and the code that waits on it the
clock's ``sleep``: the waits are recorded and cost no real time, and a throttle on the
other side of a loopback connection sees exactly the time the client decided to wait,
however busy the machine is.

    >>> clock = VirtualClock()
    >>> clock.sleep(0.5); clock.now() - clock.start
    0.5
"""

from __future__ import annotations

import threading

__all__ = ["VirtualClock"]


class VirtualClock:
    def __init__(self, start: float = 1_000_000.0) -> None:
        self.start = start
        self._now = start
        self._lock = threading.Lock()
        self.sleeps: list[float] = []

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self._now += max(0.0, seconds)

    def advance(self, seconds: float) -> None:
        """Let time pass without anyone sleeping (a refill between two calls)."""
        with self._lock:
            self._now += seconds
