"""The refund checks fail, with a precise message, when NetSuite's refund is wrong.

Each test syncs a real Shopify refund into NetSuite through the emulators, then
corrupts the NetSuite record in the emulator and runs the check that must catch it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from syncproof import checks
from syncproof.engine.refunds import netsuite_refund_as_domain, plan_records
from syncproof.model import TransactionType

from .synced_orders import synced_shopify_order


@pytest.fixture
def synced_refund(runtime, engine):
    books = engine.books
    for sku in ("CF-MUG", "CF-TEE"):
        books.ensure_item(sku, sku)
    for name in ("Refund Adjustment", "Refund Fee", "Shipping"):
        books.ensure_item(name, name, charge=True)
    shop, order = synced_shopify_order(runtime, engine, "CF-MUG", "CF-TEE", "checks")
    refund = shop.refund(order, {"CF-MUG": 1, "CF-TEE": 1}, shipping=True, note="checks")
    result = engine.refunds.to_netsuite(refund)
    assert result.status == "created", result.reason
    return order, refund, result


def _netsuite_view(engine, order, result):
    return netsuite_refund_as_domain(engine.books, TransactionType(result.record.netsuite_type),
                                     result.record.netsuite_id, order.channel, order.channel_order_id, "USD",
                                     engine.config.shopify.refunds)


def _line_index(runtime, ns_id, sku):
    record = runtime.netsuite.get("cashRefund", ns_id)
    item_id = runtime.netsuite.find_by_external_id("nonInventorySaleItem", f"item-{sku}")["id"]
    return next(i for i, line in enumerate(record["item"]["items"]) if str(line["item"]["id"]) == str(item_id))


def test_clean_refund_passes_every_check(engine, synced_refund):
    order, refund, result = synced_refund
    ns = _netsuite_view(engine, order, result)
    assert checks.refund_amounts_match(refund, ns, check_id="RS-MN-3", expected_side="shopify",
                                       actual_side="NetSuite").passed
    assert checks.refund_linked_to_order(engine.books.created_from_chain(result.record.netsuite_id),
                                         order.channel_order_id).passed


def test_wrong_amount_fails_naming_order_sku_and_values(runtime, engine, synced_refund):
    order, refund, result = synced_refund
    index = _line_index(runtime, result.record.netsuite_id, "CF-MUG")
    runtime.sandbox.netsuite.corrupt("cashRefund", result.record.netsuite_id, f"item.items.{index}.amount",
                                     Decimal("13.50"))
    verdict = checks.refund_amounts_match(refund, _netsuite_view(engine, order, result), check_id="RS-MN-3",
                                          expected_side="shopify", actual_side="NetSuite")
    assert not verdict.passed
    assert order.channel_order_id in verdict.message and "SKU CF-MUG" in verdict.message
    assert "13.50" in verdict.message and "14.50" in verdict.message
    assert verdict.category.value == "data mismatch"


def test_wrong_sku_fails_naming_the_missing_sku(runtime, engine, synced_refund):
    order, refund, result = synced_refund
    other = engine.books.ensure_item("CF-CAP", "cap")
    index = _line_index(runtime, result.record.netsuite_id, "CF-TEE")
    runtime.sandbox.netsuite.corrupt("cashRefund", result.record.netsuite_id, f"item.items.{index}.item",
                                     {"id": other, "refName": "CF-CAP"})
    verdict = checks.refund_amounts_match(refund, _netsuite_view(engine, order, result), check_id="RS-MN-3",
                                          expected_side="shopify", actual_side="NetSuite")
    assert not verdict.passed
    assert "SKU CF-CAP" in verdict.message or "SKU CF-TEE" in verdict.message
    assert order.channel_order_id in verdict.message


def test_missing_created_from_fails_the_link_check(runtime, engine, synced_refund):
    order, _, result = synced_refund
    runtime.sandbox.netsuite.corrupt("cashRefund", result.record.netsuite_id, "createdFrom", None)
    verdict = checks.refund_linked_to_order(engine.books.created_from_chain(result.record.netsuite_id),
                                            order.channel_order_id)
    assert not verdict.passed
    assert "no createdFrom" in verdict.message and order.channel_order_id in verdict.message


def test_wrong_record_type_fails_against_the_settings(runtime, engine, synced_refund):
    order, refund, result = synced_refund
    settings = engine.config.shopify.refunds.changed("shopify.refunds", "return_authorization", True)
    expected = [t.value for t in plan_records(TransactionType.CASH_SALE, settings).types]
    found = [str(r["type"]) for r in engine.books.transactions_by_external_ids(
        [f"shopify-ra-{refund.refund_id}", f"shopify-refund-{refund.refund_id}"])]
    verdict = checks.transaction_types_match(expected, found, where=f"order {order.channel_order_id}")
    assert not verdict.passed
    assert "return authorization" in verdict.message and order.channel_order_id in verdict.message
