"""A run killed between the engine's steps, then started again, finishes the work once.

``Killed`` (a BaseException, like the end of a process) is raised at the exact point;
the next run is a fresh engine on the same store file. The soak test kills real
processes with SIGKILL at random points; these pin down each step boundary.
"""

from __future__ import annotations

import pytest

from syncproof.model import TransactionType

from ._helpers import Killed
from .test_fault_kinds import assert_order_once, assert_refund_once


def kill_at(monkeypatch, target, name, *, after: bool = False, when=lambda *a, **k: True):
    """Make ``target.name`` end the process: before it runs, or after it has run (``after``)."""
    real = getattr(target, name)

    def dying(*args, **kwargs):
        if not when(*args, **kwargs):
            return real(*args, **kwargs)
        if after:
            real(*args, **kwargs)
        raise Killed(name)

    monkeypatch.setattr(target, name, dying)


def is_refund(source, source_id, target, *args, **kwargs):
    return target is TransactionType.CASH_REFUND


def is_billing(source, source_id, target, *args, **kwargs):
    return target is TransactionType.CASH_SALE


# refunds ---------------------------------------------------------------------------------
def test_killed_between_the_intent_and_the_write_the_next_run_posts_once(world, synced_order, monkeypatch):
    refund = world.refund(synced_order)
    engine = world.engine()
    kill_at(monkeypatch, engine.books.client, "transform")  # the POST never leaves
    with pytest.raises(Killed):
        engine.refunds.to_netsuite(refund)
    assert engine.store.refund("shopify", refund.refund_id).status == "pending"
    assert world.cash_refunds(refund) == []
    monkeypatch.undo()

    again = world.engine()
    assert again.refunds.resolve_pending() == []  # nothing to settle: the write never happened
    assert again.store.refund("shopify", refund.refund_id).status == "retry"
    assert again.refunds.to_netsuite(refund).status == "created"
    assert_refund_once(world, again, refund)


def test_killed_between_the_write_and_the_result_the_next_run_finds_it_by_external_id(
        world, synced_order, monkeypatch):
    refund = world.refund(synced_order)
    engine = world.engine()
    kill_at(monkeypatch, engine.store, "finish_refund")
    with pytest.raises(Killed):
        engine.refunds.to_netsuite(refund)
    assert len(world.cash_refunds(refund)) == 1  # written
    assert engine.store.refund("shopify", refund.refund_id).status == "pending"  # result not recorded
    monkeypatch.undo()

    again = world.engine()
    settled = again.refunds.resolve_pending()
    assert [r.channel_refund_id for r in settled] == [refund.refund_id]
    assert again.refunds.to_netsuite(refund).status == "unchanged"
    assert_refund_once(world, again, refund)


def test_killed_after_the_write_the_next_sync_alone_settles_it(world, synced_order, monkeypatch):
    """Without an explicit resolve_pending: the first sync of a new engine settles pending intents."""
    refund = world.refund(synced_order)
    engine = world.engine()
    kill_at(monkeypatch, engine.books.client, "transform", after=True)  # applied, answer never read
    with pytest.raises(Killed):
        engine.refunds.to_netsuite(refund)
    monkeypatch.undo()

    again = world.engine()
    assert again.refunds.to_netsuite(refund).status == "unchanged"
    assert_refund_once(world, again, refund)


# orders ------------------------------------------------------------------------------------
def test_killed_after_the_sales_order_before_billing_the_next_run_bills_it_once(world, monkeypatch):
    order = world.place_order()
    engine = world.engine()
    kill_at(monkeypatch, engine.books, "transform_once", when=is_billing)
    with pytest.raises(Killed):
        engine.orders.sync(order)
    pending = engine.store.order("shopify", order.channel_order_id)
    assert pending.status == "pending" and pending.sales_order_id == str(world.sales_orders(order)[0]["id"])
    assert world.cash_sales(order) == []
    monkeypatch.undo()

    again = world.engine()
    finished = again.orders.resolve_pending()  # needs no channel data: the sales order is billed
    assert [r.channel_order_id for r in finished] == [order.channel_order_id]
    assert again.orders.sync(order).synced
    assert_order_once(world, again, order)


def test_killed_between_billing_and_the_result_the_next_sync_finds_the_billing(world, monkeypatch):
    order = world.place_order()
    engine = world.engine()
    kill_at(monkeypatch, engine.store, "record_order")
    with pytest.raises(Killed):
        engine.orders.sync(order)
    assert len(world.cash_sales(order)) == 1
    monkeypatch.undo()

    again = world.engine()
    result = again.orders.sync(order)
    assert result.synced
    assert_order_once(world, again, order)


def test_killed_before_the_sales_order_the_next_sync_makes_it_once(world, monkeypatch):
    order = world.place_order()
    engine = world.engine()
    kill_at(monkeypatch, engine.books, "upsert_sales_order", after=True)  # applied, id never recorded
    with pytest.raises(Killed):
        engine.orders.sync(order)
    assert engine.store.order("shopify", order.channel_order_id).sales_order_id is None
    monkeypatch.undo()

    again = world.engine()
    assert again.orders.resolve_pending()  # the sales order is found by external id and billed
    assert again.orders.sync(order).synced
    assert_order_once(world, again, order)


def test_a_refund_on_an_order_still_pending_is_not_posted(world, monkeypatch):
    order = world.place_order()
    engine = world.engine()
    kill_at(monkeypatch, engine.books, "upsert_sales_order")
    with pytest.raises(Killed):
        engine.orders.sync(order)
    monkeypatch.undo()
    refund = world.refund(order)
    result = world.engine().refunds.to_netsuite(refund)
    assert result.status == "exception" and "never synced" in result.reason
    assert world.all_cash_refunds() == []
