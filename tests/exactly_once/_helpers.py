"""Helpers the exactly-once tests share (the fixtures are in conftest.py)."""

from __future__ import annotations

from sandbox._faults import FaultPlan, ScheduledFault

HOLD = 0.05


def once(kind: str, method: str, path: str, nth: int = 1, vendor: str | None = None) -> FaultPlan:
    return FaultPlan(schedule=(ScheduledFault(kind, nth, method, path, vendor),), hold=HOLD, delay=0.05)


class Killed(BaseException):
    """Stands in for ``kill -9``: nothing after the point where it is raised runs."""
