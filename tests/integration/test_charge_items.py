"""A NetSuite refund's shipping and adjustments are on the Other Charge items the refund settings name.

Oracle NetSuite help, "Best Practice for Refund Syncs" (Generic Refund Items): "For storefronts that
offer partial or nonitem-specific refunds, NetSuite Connector lets you designate specific items in
NetSuite to account for the refunded amount on the Refund record. The best practice is to create Other
Charge For Sale items to represent those partial or nonitem-specific refunds." No source says where
refunded shipping goes: the positive adjustment item and the order's Shipping item are both accepted.

Each test syncs a real Shopify refund with shipping into NetSuite through the emulators and reads the
refund's lines back over HTTP. The amounts check reads both adjustment items alike, so a refund whose
shipping sits on the fee item, or on an adjustment item that is not an Other Charge item, passes it;
``charges_on_adjustment_items`` must not.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from syncproof import checks
from syncproof.engine import SyncEngine
from syncproof.engine.orders import SHIPPING_ITEM
from syncproof.engine.refunds import netsuite_refund_as_domain
from syncproof.feature_items import items_of
from syncproof.model import Channel, Money, Refund, TransactionType

from .synced_orders import synced_shopify_order


def _settings(engine, prefix: str):
    """The Shopify refund settings naming adjustment items of this test's own (the emulator outlives a test)."""
    return replace(engine.config.shopify.refunds, positive_adjustment_item=f"{prefix} Adjustment",
                   negative_adjustment_item=f"{prefix} Fee")


def _read(runtime, engine, settings, *, other_charge: bool, posted_with=None, books=None, kept_fee=None):
    """A Shopify refund of one mug and the shipping (keeping ``kept_fee`` when given), synced with ``posted_with``
    (default ``settings``), and the NetSuite refund read back with ``books`` (default the engine's)."""
    prefix = settings.positive_adjustment_item.split()[0]
    for sku in (f"{prefix}-MUG", f"{prefix}-TEE"):
        engine.books.ensure_item(sku, sku)
    for name in (settings.positive_adjustment_item, settings.negative_adjustment_item):
        engine.books.ensure_item(name, name, charge=other_charge)
    shop, order = synced_shopify_order(runtime, engine, f"{prefix}-MUG", f"{prefix}-TEE", "charges")
    if kept_fee is None:
        refund = shop.refund(order, {f"{prefix}-MUG": 1}, shipping=True, note="charges")
    else:
        refund = shop.refund_keeping_fee(order, {f"{prefix}-MUG": 1}, kept_fee, shipping=True, note="charges")
    result = engine.refunds.to_netsuite(refund, posted_with or settings)
    assert result.status == "created", result.reason
    view = netsuite_refund_as_domain(books or engine.books, TransactionType(result.record.netsuite_type),
                                     result.record.netsuite_id, order.channel, order.channel_order_id, "USD",
                                     settings)
    return refund, view


def _sync(runtime, engine, settings, *, other_charge: bool, posted_with=None, kept_fee=None):
    """The refund of :func:`_read` and the amounts and charge lines checks of it."""
    refund, view = _read(runtime, engine, settings, other_charge=other_charge, posted_with=posted_with,
                         kept_fee=kept_fee)
    amounts = checks.refund_amounts_match(refund, view, check_id="RS-MN-3", expected_side="shopify",
                                          actual_side="NetSuite")
    return refund, amounts, checks.charges_on_adjustment_items(refund, engine.books.posted_lines(view), settings,
                                                               shipping_item=SHIPPING_ITEM)


def test_shipping_on_the_positive_other_charge_item_passes(runtime, engine):
    _, amounts, charges = _sync(runtime, engine, _settings(engine, "CI"), other_charge=True)
    assert amounts.passed and charges.passed, charges.message
    assert charges.actual == {"CI Adjustment": "5.00 USD"}
    assert charges.evidence[0]["NetSuite"][0]["item_type"] == "OthCharge"


def test_the_lines_items_cost_no_request_after_the_refund_is_read(runtime, engine):
    """The read of the NetSuite refund looks its items' itemIds and types up in one query; the charge
    lines check then needs none, as the verification before it (benchmarks/refund_sync.py)."""
    books = SyncEngine.build(runtime.netsuite, runtime.store, engine.config).books  # nothing remembered yet
    _, view = _read(runtime, engine, _settings(engine, "CQ"), other_charge=True, books=books)
    before = runtime.netsuite.stats.requests
    posted = books.posted_lines(view)
    assert runtime.netsuite.stats.requests == before
    assert {line.item: line.item_type for line in posted} == {"CQ-MUG": "NonInvtPart", "CQ Adjustment": "OthCharge"}


def test_posted_lines_of_a_refund_not_read_from_netsuite_is_refused(engine):
    refund = Refund(Channel("shopify"), "1001", "R1", "USD")
    with pytest.raises(ValueError, match="carries no NetSuite record: read it with refund_as_domain"):
        engine.books.posted_lines(refund)


def test_shipping_on_the_orders_shipping_item_passes(runtime, engine):
    """A connector that gives shipping back on the item the order's shipping line is on (Shipping)."""
    settings = _settings(engine, "CS")
    on_shipping = replace(settings, positive_adjustment_item=SHIPPING_ITEM)
    _, amounts, charges = _sync(runtime, engine, settings, other_charge=True, posted_with=on_shipping)
    assert amounts.passed and charges.passed, charges.message
    assert charges.actual == {SHIPPING_ITEM: "5.00 USD"}


def test_shipping_kept_under_refund_shipping_false_passes_both_checks(runtime, engine):
    """With ``refund_shipping = false`` ("refund shipping when the channel refunds it", the setting's own
    description) the NetSuite refund leaves the channel's refunded shipping out: the amounts check expects
    the channel refund without it and the charge lines check expects no shipping line."""
    settings = replace(_settings(engine, "CK"), refund_shipping=False)
    refund, view = _read(runtime, engine, settings, other_charge=True)
    assert refund.shipping and not view.shipping
    amounts = checks.refund_amounts_match(checks.refunded_in_netsuite(refund, settings), view, check_id="RS-MN-3",
                                          expected_side="shopify", actual_side="NetSuite")
    charges = checks.charges_on_adjustment_items(refund, engine.books.posted_lines(view), settings,
                                                 shipping_item=SHIPPING_ITEM)
    assert amounts.passed, amounts.message
    assert charges.passed and "nothing to place" in charges.message, charges.message


def test_shipping_on_the_fee_item_fails_though_the_amounts_agree(runtime, engine):
    """The planted defect ``charges_on_fee_item``: the integration posts on the negative adjustment item."""
    settings = _settings(engine, "CI")
    wrong = replace(settings, positive_adjustment_item=settings.negative_adjustment_item)
    refund, amounts, charges = _sync(runtime, engine, settings, other_charge=True, posted_with=wrong)
    assert amounts.passed  # both adjustment items read as shipping: the amounts check cannot see it
    assert not charges.passed
    assert "5.00 USD" in charges.message and "'CI Fee'" in charges.message
    assert "'CI Adjustment'" in charges.message and refund.channel_order_id in charges.message
    assert charges.category.value == "data mismatch"


def test_adjustment_items_that_are_not_other_charge_items_fail(runtime, engine):
    """Adjustment items made as non-inventory sale items: the names the settings give, the wrong item type."""
    _, amounts, charges = _sync(runtime, engine, _settings(engine, "CI-NI"), other_charge=False)
    assert amounts.passed
    assert not charges.passed
    assert "'CI-NI Adjustment'" in charges.message and "NonInvtPart" in charges.message
    assert "not an Other Charge item" in charges.message
    assert charges.category.value == "configuration"


def test_items_made_for_the_feature_tables_have_the_type_they_state(runtime, engine):
    """The ``type`` column of ``NetSuite has the items:``: ``other charge`` makes an Other Charge for Sale item."""
    ids = engine.books.ensure_items(items_of([["sku", "price", "type"], ["CI Fee", "0.00", "other charge"],
                                              ["CI-CAP", "18.00", "non-inventory"]]))
    assert runtime.netsuite.get("otherChargeSaleItem", ids["CI Fee"])["itemId"] == "CI Fee"
    assert runtime.netsuite.get("nonInventorySaleItem", ids["CI-CAP"])["itemId"] == "CI-CAP"


def _fee_kept(runtime, engine, settings, *, posted_with=None):
    """A Shopify refund keeping a 2.50 fee: the channel refund, and its amounts, charge lines and kept fee checks."""
    fee = Money("2.50", "USD")
    refund, view = _read(runtime, engine, settings, other_charge=True, posted_with=posted_with, kept_fee=fee)
    posted = engine.books.posted_lines(view)
    amounts = checks.refund_amounts_match(refund, view, check_id="RS-MN-3", expected_side="shopify",
                                          actual_side="NetSuite")
    return (refund, amounts, checks.charges_on_adjustment_items(refund, posted, settings, shipping_item=SHIPPING_ITEM),
            checks.fee_kept_on_negative_item(refund, posted, settings, fee))


def test_a_fee_the_merchant_keeps_goes_on_the_negative_item(runtime, engine):
    """Shopify's Refund resource: "You can refund less than the calculated amount ... If ... you choose to refund
    line items for less than their calculated amount, then an order adjustment is created automatically to
    account for the discrepancy". The Shopify refund pays back 2.50 less than the mug, its tax and the shipping
    come to; the refund read back has a -2.50 adjustment, and the engine posts it on the fee item."""
    refund, amounts, charges, kept = _fee_kept(runtime, engine, _settings(engine, "CF"))
    assert refund.adjustment == Money("-2.50", "USD")
    assert refund.total == Money("18.56", "USD")  # 14.50 + 1.16 tax + 5.00 + 0.40 tax - 2.50
    assert amounts.passed and charges.passed and kept.passed, (amounts.message, charges.message, kept.message)
    assert charges.actual == {"CF Adjustment": "5.00 USD", "CF Fee": "-2.50 USD"}


def test_a_kept_fee_on_the_positive_item_fails_though_the_amounts_agree(runtime, engine):
    """The planted defect ``kept_fee_on_refund_item``: the integration posts the fee on the positive item."""
    settings = _settings(engine, "CF")
    wrong = replace(settings, negative_adjustment_item=settings.positive_adjustment_item)
    refund, amounts, charges, kept = _fee_kept(runtime, engine, settings, posted_with=wrong)
    assert amounts.passed  # both adjustment items read as one: the amounts check cannot see it
    assert not charges.passed and not kept.passed
    assert "'CF Fee' holds 0.00 USD, expected -2.50 USD" in kept.message
    assert refund.channel_order_id in charges.message and "'CF Adjustment'" in charges.message
