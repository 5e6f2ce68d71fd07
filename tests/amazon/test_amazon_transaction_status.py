"""Finances transaction statuses: DEFERRED, RELEASED, DEFERRED_RELEASED.

Source: finances_2024-06-19.json, definition ``Transaction``, field ``transactionStatus`` (and the
``transactionStatus`` query parameter of ``listTransactions``): "`DEFERRED`: the transaction is
currently deferred. `RELEASED`: the transaction is currently released. `DEFERRED_RELEASED`: the
transaction was deferred in the past, but is now released. The status of a deferred transaction is
updated to `DEFERRED_RELEASED` when the transaction is released." The model's own example writes
``"transactionStatus": "Released"``: the client compares without case.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from syncproof.audit import AuditWindow
from syncproof.channels._amazon_audit import refund_audit_limits

pytestmark = pytest.mark.integration


def _refunded(backend, status: str):
    order = backend.create_order([{"sku": "MUG-1", "quantity": 2, "item_price": "20.00", "item_tax": "1.60"}])
    refund = backend.create_refund(order["AmazonOrderId"], [{"sku": "MUG-1", "quantity": 1}],
                                   transaction_status=status)
    return order, refund


def test_the_emulator_posts_deferred_transactions_and_releases_them(backend, client):
    _, deferred = _refunded(backend, "DEFERRED")
    _, released = _refunded(backend, "RELEASED")
    since = datetime.now(timezone.utc) - timedelta(days=1)
    statuses = {t.transaction_id: t.status for t in client.list_transactions(since)
                if t.transaction_type == "Refund"}
    assert statuses == {deferred["transactionId"]: "DEFERRED", released["transactionId"]: "RELEASED"}
    only = [t.transaction_id for t in client.list_transactions(since, transaction_status="DEFERRED")]
    assert only == [deferred["transactionId"]]

    backend.release_transaction(deferred["transactionId"])
    after = {t.transaction_id: t.status for t in client.list_transactions(since) if t.transaction_type == "Refund"}
    assert after[deferred["transactionId"]] == "DEFERRED_RELEASED"
    with pytest.raises(ValueError):
        backend.release_transaction(released["transactionId"])  # only a deferred transaction is released
    with pytest.raises(ValueError):
        _refunded(backend, "DEFERRED_RELEASED")  # comes from a release, never posted so


def test_an_unknown_status_filter_is_refused(backend, client):
    from connectors import AmazonError

    with pytest.raises(AmazonError) as refused:
        list(client.list_transactions(datetime.now(timezone.utc) - timedelta(days=1), transaction_status="HELD"))
    assert refused.value.status == 400 and "DEFERRED" in str(refused.value)


def test_a_deferred_refund_is_a_refund_whose_money_is_not_yet_released(backend, client):
    _, deferred = _refunded(backend, "DEFERRED")
    since = datetime.now(timezone.utc) - timedelta(days=1)
    (refund,) = list(client.refunds_between(since))
    assert refund.extra["transaction_status"] == "DEFERRED" and refund.extra["released"] is False
    # still a refund the buyer got: the refund sync posts it; the audit says its money is not released yet
    window = AuditWindow(since, datetime.now(timezone.utc))
    _, notes = refund_audit_limits(client, window, [refund])
    assert len(notes) == 1 and "1 Amazon refund(s) in the window are DEFERRED" in notes[0]
    assert refund.refund_id in notes[0]

    backend.release_transaction(deferred["transactionId"])
    (released,) = list(client.refunds_between(since))
    assert released.extra["transaction_status"] == "DEFERRED_RELEASED" and released.extra["released"] is True
    assert refund_audit_limits(client, window, [released])[1] == []
