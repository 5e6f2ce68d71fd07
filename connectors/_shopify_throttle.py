"""Client-side view of Shopify's cost bucket, from each answer's ``extensions.cost``.

Before a query is sent, :meth:`CostTracker.wait_for` says how long to wait so that the
last known budget (refilled at ``restoreRate`` since it was seen) covers the query's
expected cost; the expected cost of an operation is the ``requestedQueryCost`` Shopify
reported for it last time, or a default until then.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable

__all__ = ["CostTracker", "BudgetSnapshot", "throttled_delay"]


@dataclass(frozen=True)
class BudgetSnapshot:
    maximum: float
    available: float
    restore_rate: float
    seen_at: float


def throttled_delay(cost: dict, minimum: float = 0.05) -> float | None:
    """Seconds until a THROTTLED query's requested cost is available again."""
    status = cost.get("throttleStatus") or {}
    try:
        requested = float(cost["requestedQueryCost"])
        available = float(status["currentlyAvailable"])
        rate = float(status["restoreRate"])
    except (KeyError, TypeError, ValueError):
        return None
    if rate <= 0:
        return None
    return max(minimum, (requested - available) / rate)


class CostTracker:
    """Remembers the last throttle status and each operation's requested cost."""

    def __init__(self, default_cost: float = 50.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.default_cost = default_cost
        self.clock = clock
        self._lock = threading.Lock()
        self._budget: BudgetSnapshot | None = None
        self._costs: dict[str, float] = {}

    @property
    def budget(self) -> BudgetSnapshot | None:
        return self._budget

    def expected_cost(self, operation: str) -> float:
        return self._costs.get(operation, self.default_cost)

    def observe(self, operation: str, cost: dict | None) -> None:
        """Record an answer's ``extensions.cost``."""
        if not cost:
            return
        status = cost.get("throttleStatus") or {}
        with self._lock:
            if cost.get("requestedQueryCost") is not None:
                self._costs[operation] = float(cost["requestedQueryCost"])
            try:
                self._budget = BudgetSnapshot(float(status["maximumAvailable"]), float(status["currentlyAvailable"]),
                                              float(status["restoreRate"]), self.clock())
            except (KeyError, TypeError, ValueError):
                pass

    def wait_for(self, operation: str) -> float:
        """Seconds to wait before sending ``operation`` (0 when the budget covers it)."""
        with self._lock:
            budget = self._budget
            if budget is None or budget.restore_rate <= 0:
                return 0.0
            needed = min(self.expected_cost(operation), budget.maximum)
            now_available = min(
                budget.maximum, budget.available + (self.clock() - budget.seen_at) * budget.restore_rate
            )
            if now_available >= needed:
                return 0.0
            return (needed - now_available) / budget.restore_rate

    def spend(self, operation: str) -> None:
        """Reserve the expected cost locally, so concurrent senders do not all see the same budget."""
        with self._lock:
            if self._budget is not None:
                b = self._budget
                now = self.clock()
                available = min(b.maximum, b.available + (now - b.seen_at) * b.restore_rate)
                self._budget = BudgetSnapshot(b.maximum, available - self.expected_cost(operation),
                                              b.restore_rate, now)
