"""Helpers the steps share: recording check results and reading Gherkin tables."""

from __future__ import annotations

from decimal import Decimal

from syncproof.report.recorder import record_check
from syncproof.verdict import CheckFailed, CheckResult

__all__ = ["verify", "table_rows", "decimal_cell"]


def verify(result: CheckResult) -> CheckResult:
    """Record ``result`` for the report; fail the step when it did not pass."""
    record_check(result)
    if not result.passed:
        raise CheckFailed(result)
    return result


def table_rows(datatable: list[list[str]]) -> list[dict[str, str]]:
    """A Gherkin data table as dicts keyed by its header row."""
    header, *rows = datatable
    return [dict(zip((h.strip() for h in header), (c.strip() for c in row), strict=True)) for row in rows]


def decimal_cell(text: str) -> Decimal:
    return Decimal(text.strip())
