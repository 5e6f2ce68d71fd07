"""The audit window: ``[since, until)`` in UTC, parsed from options or config.

    >>> window = AuditWindow.parse("2026-01-01", "2026-02-01")
    >>> window.days
    31
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from syncproof.errors import ConfigError

__all__ = ["AuditWindow", "DEFAULT_DAYS", "check_vendor_windows"]

DEFAULT_DAYS = 30


def _moment(text: str, option: str) -> dt.datetime:
    value = text.strip()
    try:
        if len(value) == 10:
            moment = dt.datetime.combine(dt.date.fromisoformat(value), dt.time())
        else:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"{option} {text!r} is not a date", "write it as YYYY-MM-DD or an ISO 8601 time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class AuditWindow:
    """What an audit looks at: records made from ``since`` (inclusive) to ``until`` (exclusive)."""

    since: dt.datetime
    until: dt.datetime

    def __post_init__(self) -> None:
        if self.until <= self.since:
            raise ConfigError(f"the audit window ends ({self.until.isoformat()}) before it starts "
                              f"({self.since.isoformat()})", "pass --until later than --since")

    @classmethod
    def parse(cls, since: str | None = None, until: str | None = None, *,
              now: dt.datetime | None = None) -> "AuditWindow":
        """From option text; without ``until`` the window ends now, without ``since`` 30 days earlier."""
        end = _moment(until, "--until") if until else (now or dt.datetime.now(dt.timezone.utc))
        start = _moment(since, "--since") if since else end - dt.timedelta(days=DEFAULT_DAYS)
        return cls(start, end)

    def contains(self, moment: str | dt.datetime | dt.date | None) -> bool:
        if moment is None or moment == "":
            return False
        if isinstance(moment, str):
            moment = _moment(moment, "time")
        elif isinstance(moment, dt.date) and not isinstance(moment, dt.datetime):
            return self.since.date() <= moment < (self.until.date() if self.until.time() == dt.time()
                                                  else self.until.date() + dt.timedelta(days=1))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.timezone.utc)
        return self.since <= moment < self.until

    @property
    def days(self) -> int:
        return (self.until - self.since).days

    def widened(self, days: int) -> tuple[dt.date, dt.date]:
        """The window's dates widened by ``days`` on both sides (NetSuite dates records by day)."""
        return (self.since.date() - dt.timedelta(days=days), self.until.date() + dt.timedelta(days=days))

    def to_json(self) -> dict[str, str]:
        return {"since": self.since.isoformat(), "until": self.until.isoformat()}

    def __str__(self) -> str:
        return f"{self.since.isoformat()} to {self.until.isoformat()}"


def check_vendor_windows(loaded: Any, window: AuditWindow) -> None:
    """A window a channel's API would refuse is one line now, before any scenario runs or writes
    (each enabled channel's ``check_audit_window``, e.g. Amazon's two-minute rule)."""
    from syncproof import channels

    for spec in channels.specs():
        check = spec.extra.get("check_audit_window")
        enabled = loaded is None or spec.name not in loaded.channels or loaded.channels[spec.name].enabled
        if check is not None and enabled:
            check(window)
