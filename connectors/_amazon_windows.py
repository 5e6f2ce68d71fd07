"""Finances ``listTransactions`` windows as Amazon accepts them, and how far they can be trusted.

finances_2024-06-19.json, ``postedAfter``: "The date-time must be more than two minutes
before the time of the request"; ``postedBefore``: "must be later than PostedAfter and
more than two minutes before the request was submitted. If PostedAfter and PostedBefore
are more than 180 days apart, the response is empty. Default: Two minutes before the time
of the request." The operation: "Financial events might not include orders from the last
48 hours."

:func:`finance_windows` cuts ``[after, before)`` into the pieces one call may ask for:
at most 180 days each, the last ending two minutes (plus a margin for clock skew)
before now. The last piece carries no ``postedBefore`` when the caller asked up to now,
so Amazon's own default applies and recorded requests stay the same from run to run.

    finance_windows(2026-01-01, None, now=2026-12-01)
    -> [(2026-01-01, 2026-06-30), (2026-06-30, None)]
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

__all__ = ["MIN_AGE", "MAX_SPAN", "MAX_LAG", "SKEW", "finance_windows", "latest_before", "lag_horizon"]

MIN_AGE = timedelta(minutes=2)
MAX_SPAN = timedelta(days=180)
MAX_LAG = timedelta(hours=48)
#: what the client keeps between its clock and Amazon's on top of the two minutes
SKEW = timedelta(seconds=30)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def latest_before(now: datetime) -> datetime:
    """The latest ``postedBefore`` this client sends: two minutes and a margin before ``now``."""
    return _utc(now) - MIN_AGE - SKEW


def lag_horizon(now: datetime) -> datetime:
    """Transactions posted after this moment may not be listed yet (the 48-hour lag)."""
    return _utc(now) - MAX_LAG


def finance_windows(after: datetime, before: datetime | None, *,
                    now: datetime) -> list[tuple[datetime, datetime | None]]:
    """``[after, before)`` as calls Amazon answers in full; ``None`` as the end means Amazon's default.

    Empty when the whole window is too recent to ask for.
    """
    after, latest = _utc(after), latest_before(now)
    end = latest if before is None or _utc(before) >= latest else _utc(before)
    open_end = before is None or _utc(before) >= latest
    pieces: list[tuple[datetime, datetime | None]] = []
    start = after
    while start < end:
        stop = min(start + MAX_SPAN, end)
        pieces.append((start, None if open_end and stop == end and end - start <= MAX_SPAN - SKEW else stop))
        start = stop
    return pieces
