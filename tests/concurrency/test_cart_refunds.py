"""NetSuite refunds pushed to Shopify, through the emulators over HTTP: exact markers and amounts."""

from __future__ import annotations

from decimal import Decimal

from syncproof.config import parse_config
from syncproof.engine import SyncEngine
from syncproof.engine.refunds import NOTE_MARKER
from syncproof.engine.store import EngineStore
from syncproof.model import TransactionType

from .world import place_orders, refund_in_netsuite

PUSH = parse_config({"shopify": {"refunds": {"direction": "from_netsuite"}}})


def test_a_marker_is_matched_whole_never_as_a_substring(clients, tmp_path):
    """NetSuite refunds 1003 and 10030 on one order: the retry of 1003 must not "find" 10030's cart refund."""
    netsuite, shopify = clients
    [order] = place_orders(netsuite, shopify, tmp_path / "engine.sqlite3", count=1)
    mug = order.line_for_sku("CC-MUG").line_id
    other = shopify.create_refund(order.channel_ref, {mug: 1}, note="Cash Refund 10030 from NetSuite",
                                  marker=f"{NOTE_MARKER}10030")
    assert shopify.find_refund_by_note(order.channel_ref, f"{NOTE_MARKER}1003") is None
    mine = shopify.create_refund(order.channel_ref, {mug: 1}, note="Cash Refund 1003 from NetSuite",
                                 marker=f"{NOTE_MARKER}1003")
    assert mine.refund_id != other.refund_id
    assert shopify.find_refund_by_note(order.channel_ref, f"{NOTE_MARKER}1003").refund_id == mine.refund_id
    assert shopify.find_refund_by_note(order.channel_ref, f"{NOTE_MARKER}10030").refund_id == other.refund_id
    assert len(shopify.get_refunds(order.channel_ref)) == 2


def _push(netsuite, shopify, store_path):
    engine = SyncEngine.build(netsuite, EngineStore(store_path), PUSH)
    results = engine.refunds.from_netsuite("shopify", shopify)
    return engine, [r for r in results if r.channel_order_id]


def test_a_restocking_fee_reaches_the_customer_as_netsuite_refunded_it(clients, tmp_path):
    """NetSuite refunds the mug (14.50 + 1.16 tax) less a 2.00 restocking fee on the negative adjustment item:
    the customer gets 13.66, not the 15.66 Shopify would suggest for the mug."""
    netsuite, shopify = clients
    store = tmp_path / "engine.sqlite3"
    [order] = place_orders(netsuite, shopify, store, count=1)
    [ns_id] = refund_in_netsuite(netsuite, store, [order], adjustment=("Refund Fee", "-2.00"))
    engine, [result] = _push(netsuite, shopify, store)
    assert result.status == "created", result.reason
    netsuite_total = engine.books.total_of(TransactionType.CASH_REFUND, ns_id)
    [cart_refund] = shopify.get_refunds(order.channel_ref)
    assert netsuite_total == Decimal("13.66")
    assert cart_refund.total.amount == netsuite_total
    assert sum(t["amount"].amount for t in cart_refund.extra["transactions"]) == netsuite_total


def test_a_refund_the_cart_cannot_pay_back_is_refused_with_the_reason_and_not_sent(clients, tmp_path):
    netsuite, shopify = clients
    store = tmp_path / "engine.sqlite3"
    [order] = place_orders(netsuite, shopify, store, count=1)
    refund_in_netsuite(netsuite, store, [order], adjustment=("Refund Adjustment", "500.00"))
    engine, [result] = _push(netsuite, shopify, store)
    assert result.status == "exception"
    assert "shopify cannot pay back" in result.reason and "at most" in result.reason
    assert shopify.get_refunds(order.channel_ref) == []
    assert engine.store.refunds("shopify") == []  # no intent left behind: nothing was sent


def test_a_netsuite_refund_whose_currency_cannot_be_resolved_is_not_pushed_in_the_orders(box, clients, tmp_path):
    """The role cannot see the refund's currency among the account's: the refund is an exception naming the record
    and the fix, and nothing reaches the cart (it is never pushed as if it were in the order's USD)."""
    netsuite, shopify = clients
    store = tmp_path / "engine.sqlite3"
    [order] = place_orders(netsuite, shopify, store, count=1)
    [ns_id] = refund_in_netsuite(netsuite, store, [order])
    for currency in box.netsuite.records("currency"):
        if currency["symbol"] == "USD":
            box.netsuite.delete("currency", currency["id"])
    engine, [result] = _push(netsuite, shopify, store)
    assert result.status == "exception"
    assert f"NetSuite cash refund {ns_id} is in currency id" in result.reason
    assert "Lists > Currency permission" in result.reason and "it is not pushed to shopify" in result.reason
    assert shopify.get_refunds(order.channel_ref) == []
    assert engine.store.refunds("shopify") == []
