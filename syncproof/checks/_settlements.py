"""Settlement verdicts beyond the tie-out: AS-2's qualifying date, fees on orders, summaries, nothing posted."""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Sequence

from ..verdict import CheckResult, FailureCategory

__all__ = ["fees_on_billed_records", "first_qualifying_start", "nothing_posted", "settlement_qualifies",
           "settlement_too_early", "summary_transactions"]


def first_qualifying_start(go_live: dt.date, wait_weeks: int) -> dt.date:
    """The first settlement start that qualifies for settlement testing: go-live plus the configured wait.

    Derived here from the configuration alone, so AS-2's expectation never comes from the sync under test.
    """
    return go_live + dt.timedelta(weeks=wait_weeks)


def settlement_qualifies(settlement_id: str, start, first_date, *, check_id: str = "AS-2") -> CheckResult:
    """The settlement's period starts on or after go-live plus the configured wait."""
    passed = start >= first_date
    return CheckResult(
        check_id, "settlement period qualifies for settlement testing", passed,
        f"a period starting on or after {first_date}", f"starts {start}",
        (f"settlement {settlement_id} starts {start}, on or after {first_date}" if passed else
         f"settlement {settlement_id} starts {start}, too early: the first settlement that qualifies starts on or "
         f"after {first_date}"), [{"settlement": settlement_id, "start": str(start), "first date": str(first_date)}],
        None if passed else FailureCategory.CONFIGURATION)


def fees_on_billed_records(found: Sequence[Mapping[str, Any]], synced_order_ids: Sequence[str], *,
                           settlement_id: str) -> CheckResult:
    """Every synced order of the settlement has its fees as lines on its billed record (``found``: the tie-out)."""
    on_orders = {f["order"] for f in found if f.get("order") and f["what"].startswith("order_fee.")}
    return CheckResult.compare("AS-4", "orders with settlement fee lines on their billed record",
                               expected=sorted(synced_order_ids), actual=sorted(on_orders),
                               where=f"settlement {settlement_id}")


#: NetSuite's transaction type codes as the scenarios name the summary records
_SUMMARY_LABELS = {"CashSale": "cash sale", "CashRfnd": "cash refund", "CustCred": "credit memo"}


def summary_transactions(expected: Sequence[tuple[str, str]], found: Sequence[Mapping[str, Any]], *,
                         settlement_id: str) -> CheckResult:
    """NetSuite holds the settlement's summary transactions: (record, what it is for) pairs."""
    actual = sorted((_SUMMARY_LABELS.get(f["netsuite"].split()[0], f["netsuite"].split()[0]),
                     f["what"].split(" for the ")[-1]) for f in found if f["what"].startswith("summary "))
    return CheckResult.compare("AS-4", "summary transactions of the settlement", expected=sorted(expected),
                               actual=actual, where=f"settlement {settlement_id}",
                               evidence=[{"found": list(found)}])


def settlement_too_early(settlement_id: str, status: str, reason: str | None, first_date: str) -> CheckResult:
    """A settlement starting too soon after go-live is flagged, naming the first date that qualifies."""
    flagged = status == "too_early" and first_date in (reason or "")
    return CheckResult("AS-2", "settlement too soon after go-live is flagged", flagged,
                       f"too early, first qualifying date {first_date}", f"{status}: {reason}",
                       reason or f"settlement {settlement_id} was not flagged as too early")


def nothing_posted(found: Sequence[Mapping[str, Any]], mismatches: Sequence[Any], *,
                   settlement_id: str) -> CheckResult:
    """Nothing but the orders' own sales is in NetSuite for a settlement that must not be posted."""
    posted = [f for f in found if f["what"] != "sale"] + [m.to_json() for m in mismatches
                                                         if "not called for" in m.what]
    return CheckResult.compare("AS-2", "NetSuite records for the settlement", expected=[], actual=posted,
                               where=f"settlement {settlement_id}")
