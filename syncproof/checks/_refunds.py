"""Refund verdicts: amounts to the cent, record types, the connector's record, duplicates, exceptions, echoes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping, Sequence

from ..model import Money, Refund, TransactionType
from ..verdict import CheckResult, FailureCategory

__all__ = ["connector_record_updated", "no_connector_refunds", "no_duplicates", "no_refund_records",
           "one_refund_record", "only_channel_refund", "only_netsuite_refund", "refund_amounts_match",
           "refund_reported_as_exception", "refunded_in_netsuite", "transaction_types_match",
           "unlinked_refund_reported"]


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


def refunded_in_netsuite(channel_refund: Refund, settings: Any) -> Refund:
    """The part of ``channel_refund`` the refund settings have the connector post to NetSuite: without its
    shipping and shipping tax when ``refund_shipping`` is false (the setting: "refund shipping when the channel
    refunds it"), else all of it; what :func:`refund_amounts_match` expects of the NetSuite refund.

        >>> from syncproof.config import RefundSettings
        >>> from syncproof.model import Channel
        >>> kept = Refund(Channel("shopify"), "1001", "R1", "USD", shipping=Money("5.99", "USD"))
        >>> refunded_in_netsuite(kept, RefundSettings(refund_shipping=False)).shipping is None
        True
    """
    if getattr(settings, "refund_shipping", True) or (channel_refund.shipping is None
                                                     and channel_refund.shipping_tax is None):
        return channel_refund
    return replace(channel_refund, shipping=None, shipping_tax=None)


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


# --- refunds that must be reported, or must not exist --------------------------------------------

def refund_reported_as_exception(refund_id: str, channel_order_id: str, errors: Sequence[Any]) -> CheckResult:
    """A refund that cannot sync is recorded as an exception naming its order (``errors``: the sync errors)."""
    reasons = [e.reason for e in errors]
    passed = any(channel_order_id in reason for reason in reasons)
    return CheckResult("RS-MN-1", "unsyncable refund reported as an exception", passed,
                       f"an exception naming order {channel_order_id}", reasons or "no exception recorded",
                       reasons[0] if passed else f"refund {refund_id} on order {channel_order_id} was not "
                       "reported as an exception", [{"sync errors": [e.to_json() for e in errors]}],
                       None if passed else FailureCategory.DATA_MISMATCH)


def unlinked_refund_reported(netsuite_id: str, results: Sequence[Any]) -> CheckResult:
    """A NetSuite refund of an order never synced is reported as an exception, not pushed to the cart."""
    result = next((r for r in results if r.refund_id == netsuite_id), None)
    reason = result.reason if result is not None else None
    reported = result is not None and result.status == "exception" and "not pushed" in (reason or "")
    return CheckResult("RS-NM-2", "NetSuite refund outside the synced orders is reported", reported,
                       "reported as an exception, not pushed", reason if result else "not reported",
                       (reason or "") if reported else f"NetSuite refund {netsuite_id} was neither pushed nor reported",
                       [{"sync results": [dict(r.__dict__) for r in results]}],
                       None if reported else FailureCategory.DATA_MISMATCH)


def no_refund_records(records: Sequence[Mapping[str, Any]], *, where: str) -> CheckResult:
    """NetSuite has no record for a refund that must not reach it."""
    return CheckResult.compare("KC-1", "NetSuite refund records", expected=[],
                               actual=[str(r["type"]) for r in records], where=where,
                               evidence=[{"records": list(records)}])


def one_refund_record(records: Sequence[Mapping[str, Any]], *, where: str) -> CheckResult:
    """NetSuite has exactly one record for the refund."""
    return CheckResult.compare("RS-MN-1", "NetSuite refund records", expected=1, actual=len(records), where=where,
                               evidence=[{"records": list(records)}])


def no_connector_refunds(refunds: Sequence[Mapping[str, Any]], *, where: str) -> CheckResult:
    """The connector records no refund for an order (``refunds``: its refund records, as JSON)."""
    return CheckResult.compare("RS-NM-2", "refunds recorded for the order", expected=[], actual=list(refunds),
                               where=where)


def only_channel_refund(channel: str, refund_id: str, found: Sequence[str], *, where: str) -> CheckResult:
    """No echo: the cart holds only the refund made in it, none made back from its NetSuite records."""
    return CheckResult.compare("RS-NM-2", f"{channel} refunds on the order", expected=[refund_id], actual=list(found),
                               where=where, evidence=[{"refunds": list(found)}])


def only_netsuite_refund(netsuite_id: str, records: Sequence[Mapping[str, Any]], *, where: str) -> CheckResult:
    """No echo: NetSuite holds only the refund made in it, none posted back from the cart refund pushed."""
    return CheckResult.compare("RS-MN-1", "NetSuite refunds of the order", expected=[netsuite_id],
                               actual=[str(r["id"]) for r in records], where=where,
                               evidence=[{"records": list(records)}])
