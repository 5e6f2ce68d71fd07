"""The checks: pure functions from records to a :class:`~syncproof.verdict.CheckResult`.

No check performs I/O; steps fetch the records (through the engine) and pass them in.
Each result carries expected, actual, a one-sentence message naming the order, line,
SKU or amount at fault, and the records looked at as evidence.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from .model import ChainLink, Money, TransactionType
from .verdict import CheckResult, FailureCategory

__all__ = ["first_qualifying_start", "refund_linked_to_order", "refund_amounts_match", "transaction_types_match",
           "connector_record_updated", "no_duplicates"]

_REFUND_TYPES = {t.value for t in (TransactionType.CASH_REFUND, TransactionType.CREDIT_MEMO,
                                   TransactionType.RETURN_AUTHORIZATION, TransactionType.CUSTOMER_REFUND)}


def refund_linked_to_order(chain: Sequence[ChainLink], channel_order_id: str, *,
                           check_id: str = "RS-NM-1") -> CheckResult:
    """The refund's createdFrom chain ends at the sales order carrying ``channel_order_id``."""
    evidence = [{"createdFrom chain": [link.to_json() for link in chain]}]
    path = " -> ".join(f"{link.type} {link.tranid or link.id}" for link in chain) or "nothing"
    title = "refund linked to the order"
    if not chain:
        return CheckResult(check_id, title, False, f"sales order for {channel_order_id}", "no record",
                           f"the refund for order {channel_order_id} was not found in NetSuite", evidence,
                           FailureCategory.SYNC_DID_NOT_HAPPEN)
    refund, origin = chain[0], chain[-1]
    expected = f"{TransactionType.SALES_ORDER.value} with order id {channel_order_id}"
    actual = f"{origin.type} with order id {origin.order_ref}"
    if refund.type not in _REFUND_TYPES:
        return CheckResult(check_id, title, False, "a refund record", refund.type,
                           f"record {refund.id} for order {channel_order_id} is a {refund.type}, not a refund",
                           evidence, FailureCategory.DATA_MISMATCH)
    if len(chain) == 1:
        return CheckResult(check_id, title, False, expected, "no createdFrom",
                           f"{refund.type} {refund.tranid or refund.id} for order {channel_order_id} has no "
                           "createdFrom link, so it is not linked to any order", evidence,
                           FailureCategory.DATA_MISMATCH)
    if origin.type != TransactionType.SALES_ORDER.value or origin.order_ref != channel_order_id:
        return CheckResult(check_id, title, False, expected, actual,
                           f"{refund.type} {refund.tranid or refund.id} leads to {actual} ({path}), "
                           f"not to the sales order of order {channel_order_id}", evidence,
                           FailureCategory.DATA_MISMATCH)
    return CheckResult(check_id, title, True, expected, actual,
                       f"{refund.type} {refund.tranid or refund.id} leads back to the sales order of order "
                       f"{channel_order_id} ({path})", evidence)


# --- refunds: type, amounts, connector record, duplicates -----------------------------------

def _refund_summary(refund) -> dict:
    """A refund as comparable plain values: per SKU quantity/amount/tax, shipping, tax, total."""
    by_sku: dict[str, dict[str, Any]] = {}  # quantity: int, amount and tax: Money
    for line in refund.lines:
        entry = by_sku.setdefault(line.sku, {"quantity": 0, "amount": Money.zero(refund.currency),
                                             "tax": Money.zero(refund.currency)})
        entry["quantity"] += line.quantity
        entry["amount"] = entry["amount"] + line.amount
        entry["tax"] = entry["tax"] + line.tax
    zero = Money.zero(refund.currency)
    return {
        "lines": {sku: {"quantity": v["quantity"], "amount": str(v["amount"].rounded().amount),
                        "tax": str(v["tax"].rounded().amount)} for sku, v in sorted(by_sku.items())},
        "shipping": str((refund.shipping or zero).rounded().amount),
        "tax": str(refund.tax.rounded().amount),
        "total": str(refund.total.rounded().amount),
        "currency": refund.currency,
    }


def refund_amounts_match(expected, actual, *, check_id: str, expected_side: str, actual_side: str) -> CheckResult:
    """Lines, quantities and SKUs, shipping, tax and total of two refunds agree to the cent.

    ``expected`` and ``actual`` are :class:`~syncproof.model.Refund` values (one read from
    each system); the message names the first difference: order, SKU, field, both values.
    """
    want, got = _refund_summary(expected), _refund_summary(actual)
    where = f"order {expected.channel_order_id} refund {expected.refund_id}"
    evidence = [{expected_side: want, actual_side: got}]
    title = f"{actual_side} refund matches the {expected_side} refund"
    if want["currency"] != got["currency"]:
        return CheckResult(check_id, title, False, {"currency": want["currency"]}, {"currency": got["currency"]},
                           f"{where}: the {actual_side} refund is in {got['currency']}, the {expected_side} refund in "
                           f"{want['currency']}", evidence, FailureCategory.DATA_MISMATCH)
    for sku in sorted(set(want["lines"]) | set(got["lines"])):
        a, b = want["lines"].get(sku), got["lines"].get(sku)
        if a is None or b is None:
            missing = actual_side if b is None else expected_side
            return CheckResult(check_id, title, False, a, b,
                               f"{where}: SKU {sku} is missing from the {missing} refund", evidence,
                               FailureCategory.DATA_MISMATCH)
        for name in ("quantity", "amount", "tax"):
            if a[name] != b[name]:
                return CheckResult(check_id, title, False, {sku: a}, {sku: b},
                                   f"{where}, SKU {sku}: {name} is {b[name]} in {actual_side}, expected {a[name]} "
                                   f"as in {expected_side}", evidence, FailureCategory.DATA_MISMATCH)
    for name in ("shipping", "tax", "total"):
        if want[name] != got[name]:
            return CheckResult(check_id, title, False, {name: want[name]}, {name: got[name]},
                               f"{where}: refund {name} is {got[name]} {got['currency']} in {actual_side}, expected "
                               f"{want[name]} {want['currency']} as in {expected_side}", evidence,
                               FailureCategory.DATA_MISMATCH)
    return CheckResult(check_id, title, True, want, got,
                       f"{where}: {len(want['lines'])} SKU line(s), shipping {got['shipping']}, tax {got['tax']} and "
                       f"total {got['total']} {got['currency']} agree", evidence)


def transaction_types_match(expected: Sequence[str], found: Sequence[str], *, where: str,
                            settings: dict | None = None, check_id: str = "RS-MN-2") -> CheckResult:
    """The NetSuite records made for a refund are of the types the refund settings call for."""
    title = "NetSuite transaction types follow the refund settings"
    evidence = [{"refund settings": settings or {}, "records found": list(found)}]
    want, got = list(expected), list(found)
    if sorted(want) != sorted(got):
        labels = lambda codes: ", ".join(TransactionType(c).label for c in codes) or "nothing"  # noqa: E731
        return CheckResult(check_id, title, False, want, got,
                           f"{where}: NetSuite has {labels(got)}, but the refund settings call for {labels(want)}",
                           evidence, FailureCategory.DATA_MISMATCH if got else FailureCategory.SYNC_DID_NOT_HAPPEN)
    return CheckResult(check_id, title, True, want, got,
                       f"{where}: NetSuite has " + ", ".join(TransactionType(c).label for c in got)
                       + " as the settings call for", evidence)


def connector_record_updated(order_record, refund_record, *, channel: str, channel_order_id: str,
                             refund_id: str, check_id: str) -> CheckResult:
    """The engine store (the connector's record) holds the order and the synced refund."""
    title = "order updated in the connector"
    evidence = [{"order": order_record.to_json() if order_record else None,
                 "refund": refund_record.to_json() if refund_record else None}]
    expected = {"order": "synced", "refund": "synced"}
    actual = {"order": order_record.status if order_record else "absent",
              "refund": refund_record.status if refund_record else "absent"}
    passed = actual == expected and bool(refund_record and refund_record.netsuite_id)
    if passed:
        message = (f"{channel} order {channel_order_id} records refund {refund_id} as synced with NetSuite "
                   f"{TransactionType(refund_record.netsuite_type).label} {refund_record.netsuite_id}")
    else:
        message = (f"{channel} order {channel_order_id}: the connector's record shows order {actual['order']} and "
                   f"refund {refund_id} {actual['refund']}, expected both synced")
    return CheckResult(check_id, title, passed, expected, actual, message, evidence,
                       None if passed else FailureCategory.SYNC_DID_NOT_HAPPEN)


def no_duplicates(records: Sequence[dict], *, key: str, where: str, check_id: str) -> CheckResult:
    """Exactly one record per ``key`` value (e.g. one NetSuite refund per channel refund)."""
    counts: dict[str, int] = {}
    for record in records:
        counts[str(record.get(key))] = counts.get(str(record.get(key)), 0) + 1
    doubled = {k: n for k, n in counts.items() if n > 1}
    title = "no duplicate records"
    if doubled:
        first = sorted(doubled)[0]
        return CheckResult(check_id, title, False, 1, doubled[first],
                           f"{where}: {doubled[first]} records share {key} {first}", [{"records": list(records)}],
                           FailureCategory.DATA_MISMATCH)
    return CheckResult(check_id, title, True, len(counts), len(records),
                       f"{where}: {len(records)} record(s), each {key} once", [{"records": list(records)}])


# --- settlements -------------------------------------------------------------------------------

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

