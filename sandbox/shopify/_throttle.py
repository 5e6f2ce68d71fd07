"""The leaky bucket behind Shopify's calculated-cost rate limit.

The bucket holds ``maximum_available`` points and refills at ``restore_rate`` points
a second. A query reserves its requested cost; if the bucket cannot cover it, the
query is THROTTLED and nothing is taken. After it runs, the difference between the
requested and the actual cost is given back.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable

__all__ = ["LeakyBucket", "ThrottleStatus"]


@dataclass(frozen=True)
class ThrottleStatus:
    maximumAvailable: float
    currentlyAvailable: float
    restoreRate: float

    def to_json(self) -> dict:
        return {"maximumAvailable": self.maximumAvailable,
                "currentlyAvailable": int(self.currentlyAvailable),
                "restoreRate": self.restoreRate}


class LeakyBucket:
    """Thread-safe cost bucket; ``clock`` is injectable for tests.

        >>> bucket = LeakyBucket(maximum_available=100, restore_rate=10)
        >>> bucket.take(30)[0]
        True
    """

    def __init__(self, maximum_available: float = 2000.0, restore_rate: float = 100.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self.configure(maximum_available, restore_rate)

    def configure(self, maximum_available: float | None = None, restore_rate: float | None = None,
                  currently_available: float | None = None) -> None:
        """Change the limits; the bucket is refilled unless ``currently_available`` is given."""
        with self._lock:
            if maximum_available is not None:
                self.maximum = float(maximum_available)
            if restore_rate is not None:
                self.restore_rate = float(restore_rate)
            self.available = self.maximum if currently_available is None else float(currently_available)
            self._at = self.clock()

    def _refill(self) -> None:
        now = self.clock()
        self.available = min(self.maximum, self.available + (now - self._at) * self.restore_rate)
        self._at = now

    def status(self) -> ThrottleStatus:
        with self._lock:
            self._refill()
            return ThrottleStatus(self.maximum, self.available, self.restore_rate)

    def take(self, cost: float) -> tuple[bool, ThrottleStatus]:
        """Reserve ``cost`` points: ``(True, status)``, or ``(False, status)`` when throttled."""
        with self._lock:
            self._refill()
            if cost > self.available:
                return False, ThrottleStatus(self.maximum, self.available, self.restore_rate)
            self.available -= cost
            return True, ThrottleStatus(self.maximum, self.available, self.restore_rate)

    def give_back(self, points: float) -> ThrottleStatus:
        with self._lock:
            self._refill()
            self.available = min(self.maximum, self.available + max(0.0, points))
            return ThrottleStatus(self.maximum, self.available, self.restore_rate)
