"""Verdicts on a sync run as a whole: the connector never synced, a rerun changed nothing, the audit wrote nothing,
the audit reported a refund NetSuite never received."""

from __future__ import annotations

from typing import Any, Mapping

from ..verdict import CheckResult, FailureCategory

__all__ = ["audit_read_only", "audit_reports_missing_refund", "order_never_synced", "rerun_unchanged"]


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


def audit_reports_missing_refund(mismatches: list[Any], *, channel: str, channel_order_id: str, refund_id: str,
                                 total: Any) -> CheckResult:
    """RS-MN-1: a refund the channel paid out but the connector never posted (one it cannot retrieve) is in the
    audit's table as a mismatch naming its order, never a silent gap. ``mismatches``: the audit's rows for it."""
    mine = [m for m in mismatches if m.refund == refund_id and m.order == channel_order_id]
    reported = any(m.check_id == "RS-MN-1" for m in mine)
    where = f"{channel} refund {refund_id} of {total} on order {channel_order_id}"
    return CheckResult("RS-MN-1", "refund the connector cannot retrieve is reported", reported,
                       f"a mismatch for {where}: no NetSuite refund record", [m.sentence() for m in mine] or "none",
                       mine[0].sentence() if reported else f"the audit did not report {where}",
                       [{"audit mismatches": [m.to_json() for m in mine]}],
                       None if reported else FailureCategory.DATA_MISMATCH)
