"""Small pieces of emulator state: clock, credentials, errors, paging and throttling.

    >>> clock = EmulatorClock()
    >>> clock.advance(3600)          # every token issued before now has expired
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

__all__ = [
    "EmulatorClock",
    "LwaCredentials",
    "DEMO_CREDENTIALS",
    "SpApiError",
    "LwaError",
    "PageTokens",
    "Throttle",
    "parse_time",
    "iso",
    "USAGE_PLANS",
]

#: Default rate (requests per second) per operation, from the models' usage-plan tables;
#: sent back in ``x-amzn-RateLimit-Limit``.
USAGE_PLANS: dict[str, str] = {
    "getOrders": "0.0167",
    "getOrderItems": "0.5",
    "listTransactions": "0.5",
    "getReports": "0.0222",
    "getReportDocument": "0.0167",
    "createRestrictedDataToken": "1",
}


class EmulatorClock:
    """Wall-clock time plus an offset tests can move forward."""

    def __init__(self, start: float | None = None) -> None:
        self._base = time.time() if start is None else start
        self._started = time.monotonic()
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._base + (time.monotonic() - self._started) + self._offset

    def now_dt(self) -> datetime:
        return datetime.fromtimestamp(self.now(), tz=timezone.utc)

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += seconds


@dataclass(frozen=True)
class LwaCredentials:
    """An app's Login with Amazon client and a seller's refresh token."""

    client_id: str
    client_secret: str
    refresh_token: str


#: Obviously fake credentials the emulator accepts out of the box.
DEMO_CREDENTIALS = LwaCredentials(
    client_id="amzn1.application-oa2-client.syncproofdemo0000000000000000",
    client_secret="amzn1.oa2-cs.v1.syncproof-demo-secret-not-real",
    refresh_token="Atzr|syncproof-demo-refresh-token-not-real",
)
DEMO_MARKETPLACE_ID = "ATVPDKIKX0DER"


class SpApiError(Exception):
    """An SP-API error answer: status and ``{"errors": [{code, message, details}]}``."""

    def __init__(self, status: int, code: str, message: str, details: str = "") -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details

    def body(self) -> dict[str, Any]:
        return {"errors": [{"code": self.code, "message": self.message, "details": self.details}]}


class LwaError(Exception):
    """A Login with Amazon token endpoint error: ``{"error", "error_description"}``."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status, self.error, self.description = status, error, description

    def body(self) -> dict[str, str]:
        return {"error_description": self.description, "error": self.error}


def invalid_input(message: str, details: str = "") -> SpApiError:
    return SpApiError(400, "InvalidInput", message, details or message)


def parse_time(value: str, name: str) -> datetime:
    """Parse an ISO 8601 date or date-time query value; naive values are UTC."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise invalid_input(f"{name} is not a valid ISO 8601 date-time: {value}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class _Cursor:
    operation: str
    scope: tuple
    offset: int


@dataclass
class PageTokens:
    """Opaque next-page tokens, each bound to one operation and query."""

    _cursors: dict[str, _Cursor] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def issue(self, operation: str, scope: tuple, offset: int) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._cursors[token] = _Cursor(operation, scope, offset)
        return token

    def resolve(self, operation: str, token: str) -> _Cursor:
        with self._lock:
            cursor = self._cursors.get(token)
        if cursor is None or cursor.operation != operation:
            raise invalid_input("Invalid nextToken.", f"The token {token[:12]}... is not valid for {operation}")
        return cursor


class Throttle:
    """Answers the next *n* calls of an operation with 429 QuotaExceeded."""

    def __init__(self) -> None:
        self._pending: dict[str, int] = {}
        self._lock = threading.Lock()
        self.throttled: dict[str, int] = {}

    def arm(self, operation: str, count: int = 1) -> None:
        with self._lock:
            self._pending[operation] = self._pending.get(operation, 0) + count

    def check(self, operation: str) -> None:
        with self._lock:
            left = self._pending.get(operation, 0)
            if left <= 0:
                return
            self._pending[operation] = left - 1
            self.throttled[operation] = self.throttled.get(operation, 0) + 1
        raise SpApiError(429, "QuotaExceeded", "You exceeded your quota for the requested resource.")
