"""Helpers the steps share: recording check results and reading Gherkin tables."""

from __future__ import annotations

from decimal import Decimal
from typing import TypeVar

from syncproof.report.recorder import record_check
from syncproof.verdict import CheckFailed, CheckResult

__all__ = ["verify", "need", "table_rows", "decimal_cell"]

T = TypeVar("T")


def verify(result: CheckResult) -> CheckResult:
    """Record ``result`` for the report; fail the step when it did not pass."""
    record_check(result)
    if not result.passed:
        raise CheckFailed(result)
    return result


def need(value: T | None, what: str) -> T:
    """``value``, which an earlier step must have set; else one line naming the step the scenario lacks."""
    if value is None:
        raise AssertionError(f"no earlier step {what}: check the scenario's steps")
    return value


def table_rows(datatable: list[list[str]]) -> list[dict[str, str]]:
    """A Gherkin data table as dicts keyed by its header row."""
    header, *rows = datatable
    return [dict(zip((h.strip() for h in header), (c.strip() for c in row), strict=True)) for row in rows]


def decimal_cell(text: str) -> Decimal:
    return Decimal(text.strip())
