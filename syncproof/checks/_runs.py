"""Verdicts on a sync run as a whole: the connector never synced, a rerun changed nothing, the audit wrote nothing."""

from __future__ import annotations

from typing import Any, Mapping

from ..verdict import CheckResult, FailureCategory

__all__ = ["audit_read_only", "order_never_synced", "rerun_unchanged"]


def order_never_synced(channel: str, channel_order_id: str, reason: str) -> CheckResult:
    """The connector did not sync a channel's order: the channel's integration is not covered (KC-3)."""
    return CheckResult("KC-3", "the connector syncs this channel's orders", False,
                       f"{channel} order {channel_order_id} in NetSuite", "not synced", reason,
                       category=FailureCategory.SYNC_DID_NOT_HAPPEN)


def rerun_unchanged(status: str | None, *, what: str, where: str, check_id: str = "KC-2") -> CheckResult:
    """A second sync (``what``: "sync", "import") of what was synced already reports it unchanged."""
    return CheckResult.compare(check_id, f"second {what} outcome", expected="unchanged", actual=status or "absent",
                               where=where)


def audit_read_only(writes: int, requests: Mapping[str, Any]) -> CheckResult:
    """The audit sent no write request to any system."""
    return CheckResult("KC-1", "audit is read-only", writes == 0, 0, writes,
                       f"the audit sent {writes} write request(s); requests by system: {dict(requests)}",
                       [{"requests": dict(requests)}])
