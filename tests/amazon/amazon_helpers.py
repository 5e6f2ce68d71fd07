"""Helpers shared by the Amazon tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from connectors.amazon import LwaCredentials
from sandbox.amazon import DEMO_CREDENTIALS


class FakeClock:
    """Seconds that only move when a test says so."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def demo_credentials(**changes: str) -> LwaCredentials:
    values = {"client_id": DEMO_CREDENTIALS.client_id, "client_secret": DEMO_CREDENTIALS.client_secret,
              "refresh_token": DEMO_CREDENTIALS.refresh_token, **changes}
    return LwaCredentials(**values)


def days_ago(days: float, *, date_only: bool = False) -> str:
    """An ISO time ``days`` before now: within the windows Finances and Reports answer for."""
    moment = (datetime.now(timezone.utc) - timedelta(days=days)).replace(microsecond=0)
    if date_only:
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
