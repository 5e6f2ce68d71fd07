"""The result of one check: what was expected, what was found, and the evidence.

Checks (``syncproof.checks``) are pure functions that return a :class:`CheckResult`;
steps hand it to the report collector and fail the step when it did not pass.

    >>> result = CheckResult.compare("RS-MN-3", "refund total", expected="10.00 USD",
    ...                              actual="10.00 USD", where="order #1001")
    >>> result.passed
    True
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CheckResult", "FailureCategory", "CheckFailed", "describe"]


class FailureCategory(str, enum.Enum):
    """Why a scenario failed, as the report groups failures."""

    DATA_MISMATCH = "data mismatch"
    SYNC_DID_NOT_HAPPEN = "sync did not happen"
    API_ERROR = "API error"
    CONFIGURATION = "configuration"


def _plain(value: Any) -> Any:
    """Make ``value`` JSON-friendly without losing money precision."""
    if hasattr(value, "to_json"):
        return value.to_json()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    return str(value)


def describe(value: Any) -> str:
    """``value`` as a reader would write it in a sentence (no Python reprs)."""
    value = _plain(value)
    if isinstance(value, dict):
        if set(value) == {"amount", "currency"}:
            return f"{value['amount']} {value['currency']}"
        return "; ".join(f"{k} {describe(v)}" for k, v in value.items()) or "nothing"
    if isinstance(value, list):
        return ", ".join(describe(v) for v in value) or "none"
    return str(value)


@dataclass
class CheckResult:
    """One check's verdict with expected, actual and evidence.

    ``message`` is one sentence saying what is wrong and where when the check
    failed (order id, line, SKU, amount), or what was proved when it passed.
    """

    check_id: str
    title: str
    passed: bool
    expected: Any
    actual: Any
    message: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    category: FailureCategory | None = None

    @classmethod
    def compare(cls, check_id: str, title: str, *, expected: Any, actual: Any, where: str,
                evidence: list[dict[str, Any]] | None = None,
                category: FailureCategory = FailureCategory.DATA_MISMATCH) -> "CheckResult":
        passed = expected == actual
        message = (f"{title} matches for {where}: {describe(actual)}" if passed
                   else f"{title} differs for {where}: expected {describe(expected)}, found {describe(actual)}")
        return cls(check_id, title, passed, expected, actual, message, list(evidence or []),
                   None if passed else category)

    def to_json(self) -> dict[str, Any]:
        return {
            "check_id": self.check_id,
            "title": self.title,
            "passed": self.passed,
            "expected": _plain(self.expected),
            "actual": _plain(self.actual),
            "message": self.message,
            "evidence": _plain(self.evidence),
            "category": self.category.value if self.category else None,
        }


class CheckFailed(AssertionError):
    """Raised by a step when a check did not pass; carries the result for the report."""

    def __init__(self, result: CheckResult) -> None:
        super().__init__(result.message)
        self.result = result
