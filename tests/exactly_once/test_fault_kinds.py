"""Each fault kind, injected into the engine's writes, leaves the engine consistent:
exactly one NetSuite record per channel record, and the store saying what NetSuite holds.

The faults are real (the sandbox's injector, over loopback HTTP); the assertions read
the emulator's own state, not the engine's opinion of it.
"""

from __future__ import annotations

import pytest

from sandbox._faults import KINDS, FaultPlan

from ._helpers import once

REFUND_TRANSFORM = "/!transform/cashRefund"
BILLING_TRANSFORM = "/!transform/cashSale"
SALES_ORDER_UPSERT = "/salesOrder/eid:"


def assert_refund_once(world, engine, refund):
    records = world.cash_refunds(refund)
    assert len(records) == 1, f"{len(records)} NetSuite cash refunds carry the refund's external id"
    assert len(world.all_cash_refunds()) == 1, "a NetSuite refund without the external id was made"
    stored = engine.store.refund("shopify", refund.refund_id)
    assert stored is not None and stored.status == "synced"
    assert stored.netsuite_id == str(records[0]["id"])
    assert stored.total == str(refund.total.rounded().amount)


def assert_order_once(world, engine, order):
    sales, bills = world.sales_orders(order), world.cash_sales(order)
    assert len(sales) == 1 and len(bills) == 1
    stored = engine.store.order("shopify", order.channel_order_id)
    assert stored is not None and stored.status == "synced"
    assert (stored.sales_order_id, stored.billing_id) == (str(sales[0]["id"]), str(bills[0]["id"]))


@pytest.mark.parametrize("kind", KINDS)
def test_one_fault_on_the_refund_transform_posts_exactly_one_refund(world, synced_order, inject, kind):
    refund = world.refund(synced_order)
    engine = world.engine()
    faulty = inject("netsuite", once(kind, "POST", REFUND_TRANSFORM))
    result = engine.refunds.to_netsuite(refund)
    assert faulty.stats.faults[kind] == 1
    assert result.status == "created", result.reason
    assert_refund_once(world, engine, refund)
    assert engine.store.errors() == []
    # the engine retried only where the write failed without an answer or with a 5xx
    retried = kind in ("500", "502", "503", "timeout", "reset", "lost_response")
    assert engine.books.retries == (1 if retried else 0)


def test_a_lost_refund_transform_answer_is_found_by_external_id_not_posted_again(world, synced_order, inject):
    refund = world.refund(synced_order)
    engine = world.engine()
    faulty = inject("netsuite", once("lost_response", "POST", REFUND_TRANSFORM))
    assert engine.refunds.to_netsuite(refund).status == "created"
    transforms = [e for e in faulty.stats.events if REFUND_TRANSFORM in e.path]
    assert len(transforms) == 1  # the lost one; the retry was a look-up, which found it
    posted = [r for r in world.box.netsuite.records("cashRefund")]
    assert len(posted) == 1
    assert_refund_once(world, engine, refund)


@pytest.mark.parametrize("kind", KINDS)
def test_one_fault_on_the_billing_transform_bills_the_order_once(world, inject, kind):
    order = world.place_order()
    engine = world.engine()
    faulty = inject("netsuite", once(kind, "POST", BILLING_TRANSFORM))
    result = engine.orders.sync(order)
    assert faulty.stats.faults[kind] == 1
    assert result.synced, result.error
    assert_order_once(world, engine, order)


@pytest.mark.parametrize("kind", KINDS)
def test_one_fault_on_the_sales_order_upsert_makes_one_sales_order(world, inject, kind):
    order = world.place_order()
    engine = world.engine()
    faulty = inject("netsuite", once(kind, "PUT", SALES_ORDER_UPSERT))
    result = engine.orders.sync(order)
    assert faulty.stats.faults[kind] == 1
    assert result.synced, result.error
    assert_order_once(world, engine, order)


@pytest.mark.parametrize("kind", ["503", "500", "reset", "lost_response"])
def test_a_write_that_keeps_failing_is_a_retryable_error_and_the_next_sync_posts_it_once(
        world, synced_order, inject, kind):
    refund = world.refund(synced_order)
    engine = world.engine()
    inject("netsuite", FaultPlan(rates={kind: 1.0}, match=REFUND_TRANSFORM, methods=("POST",), hold=1.0))
    result = engine.refunds.to_netsuite(refund)
    if kind == "lost_response":
        # every answer lost, but the first transform was applied: the look-up finds it
        assert result.status == "created", result.reason
        assert_refund_once(world, engine, refund)
        return
    assert result.status == "exception"
    assert "retried on the next sync" in result.reason
    stored = engine.store.refund("shopify", refund.refund_id)
    assert stored is not None and stored.status == "retry"  # kept, not lost
    errors = engine.store.errors("shopify", refund.refund_id)
    assert len(errors) == 1 and f"failed {engine.books.write_attempts} times" in errors[0].reason
    assert world.cash_refunds(refund) == []
    inject("netsuite", FaultPlan())
    again = world.engine()  # the next run
    assert again.refunds.to_netsuite(refund).status == "created"
    assert_refund_once(world, again, refund)


def test_an_order_whose_billing_keeps_failing_is_retried_on_the_next_sync(world, inject):
    order = world.place_order()
    engine = world.engine()
    inject("netsuite", FaultPlan(rates={"502": 1.0}, match=BILLING_TRANSFORM, methods=("POST",)))
    result = engine.orders.sync(order)
    assert not result.synced and "retried on the next sync" in result.error
    assert engine.store.order("shopify", order.channel_order_id).status == "retry"
    assert len(world.sales_orders(order)) == 1 and world.cash_sales(order) == []
    inject("netsuite", FaultPlan())
    again = world.engine()
    assert again.orders.sync(order).synced
    assert_order_once(world, again, order)


def test_a_duplicate_refusal_of_a_transform_means_it_exists_and_is_looked_up(world, synced_order, monkeypatch):
    """The look-up before the transform misses (a stale read); NetSuite refuses the duplicate: it is found."""
    refund = world.refund(synced_order)
    first = world.engine()
    assert first.refunds.to_netsuite(refund).status == "created"
    existing = world.cash_refunds(refund)[0]
    first.store.close()

    engine = world.engine()
    engine.store._execute("DELETE FROM refunds")  # the store lost it too: a sync from scratch
    real_find, misses = engine.books.find, []

    def stale_find(record_type, external_id):
        if not misses:
            misses.append(external_id)
            return None
        return real_find(record_type, external_id)

    monkeypatch.setattr(engine.books, "find", stale_find)
    result = engine.refunds.to_netsuite(refund)
    assert misses and result.status == "created", result.reason
    assert result.record.netsuite_id == str(existing["id"])
    assert_refund_once(world, engine, refund)
