"""Verdicts on the refund settings (RS-SET-1) and on the records a settings combination calls for (RS-MN-2)."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..verdict import CheckResult, FailureCategory

__all__ = ["refund_records_after_change", "refund_records_as_stated", "refund_records_before_change",
           "setting_refused", "settings_shown", "settings_unchanged"]


def settings_shown(expected: Mapping[str, str], shown: Mapping[str, Any], *, where: str) -> CheckResult:
    """The settings shown hold the expected value for each expected key."""
    return CheckResult.compare("RS-SET-1", "refund settings shown", expected=dict(expected),
                               actual={k: shown.get(k) for k in expected}, where=where)


def setting_refused(refusal: Exception | None, message: str) -> CheckResult:
    """An invalid setting was refused, with ``message`` in the refusal."""
    actual = str(refusal) if refusal else "the change was accepted"
    passed = refusal is not None and message in actual
    return CheckResult("RS-SET-1", "invalid setting refused", passed, f"refused with: {message}", actual,
                       f"the change was refused: {actual}" if passed
                       else f"expected a refusal with '{message}', got: {actual}",
                       category=None if passed else FailureCategory.CONFIGURATION)


def settings_unchanged(before: Mapping[str, Any], now: Mapping[str, Any], *, where: str) -> CheckResult:
    """A refused change left the settings as they were."""
    return CheckResult.compare("RS-SET-1", "refund settings after a refused change", expected=dict(before),
                               actual=dict(now), where=where)


def refund_records_before_change(expected: Sequence[str], actual: Sequence[str], *, where: str) -> CheckResult:
    """A refund synced before a settings change keeps the records it was made with."""
    return CheckResult.compare("RS-SET-1", "records of the refund synced before the change",
                               expected=list(expected), actual=list(actual), where=where)


def refund_records_as_stated(expected: Sequence[str], actual: Sequence[str], *, where: str) -> CheckResult:
    """The refund's NetSuite records are the ones the scenario states for its billing record and settings."""
    return CheckResult.compare("RS-MN-2", "NetSuite records of the refund", expected=sorted(expected),
                               actual=sorted(actual), where=where)


def refund_records_after_change(expected: Sequence[str], actual: Sequence[str], *, where: str) -> CheckResult:
    """A refund synced after a settings change has the records the new settings call for."""
    return CheckResult.compare("RS-MN-2", "records of the refund synced after the change", expected=sorted(expected),
                               actual=sorted(actual), where=where)
