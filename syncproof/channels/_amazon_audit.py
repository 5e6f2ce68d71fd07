"""Amazon's windows for the audit: what Finances and Reports would refuse, and what they cannot show yet.

Kept apart from the channel's client and actions so the audit (under the checks' import
contract) reads these rules without reaching the code that seeds the sandbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Sequence

from ..errors import ConfigError
from ..model import Refund

__all__ = ["check_amazon_window", "check_settlement_window", "refund_audit_limits", "settlement_audit_limits",
           "FINANCES_MIN_AGE", "FINANCES_MAX_LAG", "REPORT_RETENTION"]

#: finances_2024-06-19.json, listTransactions ``postedBefore``: "more than two minutes before the request
#: was submitted"; the operation: "Financial events might not include orders from the last 48 hours."
FINANCES_MIN_AGE = timedelta(minutes=2)
FINANCES_MAX_LAG = timedelta(hours=48)
#: reports_2021-06-30.json, getReports ``createdSince``: "Reports are retained for a maximum of 90 days."
REPORT_RETENTION = timedelta(days=90)


def _minute(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def check_amazon_window(window: Any, now: datetime | None = None) -> None:
    """Refuse, in one line, an audit window Amazon's Finances API cannot answer for.

    ``listTransactions`` takes only dates more than two minutes before the request: a
    ``--since`` that recent (or later) leaves nothing to ask for. A later end is not
    refused: the client ends the window two minutes before now (and says the last 48
    hours may be incomplete); windows longer than 180 days are asked for in pieces.
    """
    now = now or datetime.now(timezone.utc)
    latest = now - FINANCES_MIN_AGE
    if window.since >= latest:
        raise ConfigError(
            f"--since {window.since.isoformat()} is too recent for Amazon: Finances lists only transactions "
            f"posted more than two minutes before the request (before {_minute(latest)})",
            "pass a --since at least two minutes in the past (e.g. the default, 30 days before --until)")


def check_settlement_window(window: Any, now: datetime | None = None) -> None:
    """Refuse, in one line, a settlement audit whose whole window is older than Reports keeps documents."""
    now = now or datetime.now(timezone.utc)
    kept_since = now - REPORT_RETENTION
    if window.until <= kept_since:
        raise ConfigError(
            f"the audit window ends {window.until.date()}, but Amazon keeps settlement reports only 90 days "
            f"(none created before {kept_since.date()} can be downloaded)",
            f"audit older settlements from their files (Seller Central, Payments > Reports Repository) with "
            f"'syncproof settlement check FILE...', or pass --since {kept_since.date()} or later")


def settlement_audit_limits(window: Any, now: datetime | None = None) -> list[str]:
    """What a settlement audit over ``window`` cannot see: reports Amazon no longer keeps."""
    now = now or datetime.now(timezone.utc)
    kept_since = now - REPORT_RETENTION
    if window.since >= kept_since:
        return []
    return [f"Amazon keeps settlement reports 90 days: settlements created {window.since.date()} to "
            f"{kept_since.date()} are gone and not audited here; check their files with "
            "'syncproof settlement check FILE...'"]


def refund_audit_limits(client: Any, window: Any, refunds: Sequence[Refund],
                        now: datetime | None = None) -> tuple[list[str], list[str]]:
    """(why the refunds read for ``window`` may not be all of them, notes: what is not yet released).

    Finances may list a transaction up to 48 hours after it posts: a window ending after
    that horizon may be missing refunds (a false pass were it read as complete). A refund
    missing from Finances makes no mismatch (the audit reads from the channel), so the
    audit passes what it could read and says which part may be incomplete.
    """
    now = now or (client.now() if client is not None and hasattr(client, "now") else datetime.now(timezone.utc))
    horizon = now - FINANCES_MAX_LAG
    limits: list[str] = []
    notes: list[str] = []
    if window.until > horizon:
        end = min(window.until, now - FINANCES_MIN_AGE)
        limits.append(f"Amazon Finances may list a refund up to 48 hours after it posts: refunds posted "
                      f"{_minute(max(horizon, window.since))} to {_minute(end)} may not be listed yet; audit this "
                      f"window again after {_minute(end + FINANCES_MAX_LAG)} for a complete answer")
    deferred = [r for r in refunds if r.extra.get("released") is False]
    if deferred:
        notes.append(f"{len(deferred)} Amazon refund(s) in the window are DEFERRED: posted, their money not yet "
                      "released to the seller's account (they reach a settlement once released): "
                     + ", ".join(r.refund_id for r in deferred[:5]) + (" ..." if len(deferred) > 5 else ""))
    return limits, notes
