"""The engine's refunds carry exactly the refunded lines, against an emulator that pre-fills
transformed records from their source as NetSuite does (real loopback HTTP throughout)."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

import pytest

from connectors.netsuite import external_ids
from connectors.shopify import ShopifyClient
from syncproof.config import parse_config
from syncproof.engine import SyncEngine
from syncproof.engine.store import EngineStore
from syncproof.errors import SettingsRefused
from syncproof.model import Money, Order, OrderLine, Shipping

from ._helpers import netsuite_client

pytestmark = pytest.mark.integration


def usd(value: str) -> Money:
    return Money(value, "USD")


@pytest.fixture
def shopify(box) -> Iterator[ShopifyClient]:
    box.shopify.reset()
    with ShopifyClient(box.shopify_url, box.shopify_token, sleep=lambda s: None) as client:
        yield client


def _engine(box, billing: str = "cash_sale", **refunds: object) -> SyncEngine:
    box.netsuite.reset()
    config = parse_config({"shopify": {"billing": billing, "refunds": dict(refunds)}})
    engine = SyncEngine.build(netsuite_client(box), EngineStore(), config)
    for sku in ("TL-MUG", "TL-TEE", "Shipping", "Refund Adjustment"):
        engine.books.ensure_item(sku, sku)
    return engine


def _order(shopify: ShopifyClient) -> Order:
    return shopify.create_order(
        [OrderLine("1", "TL-MUG", 2, usd("14.50"), usd("2.32"), usd("0"), "mug"),
         OrderLine("2", "TL-TEE", 1, usd("22.00"), usd("1.76"), usd("0"), "tee")],
        shipping=Shipping(usd("5.00"), usd("0.40")), email="lines@example.com")


def _lines(box, record_type: str, refund_id: str) -> list[tuple[str, Decimal, Decimal]]:
    eid = external_ids.refund("shopify", refund_id)
    (record,) = [r for r in box.netsuite.records(record_type) if r.get("externalId") == eid]
    return [(line["item"]["refName"], line["quantity"], line["amount"]) for line in record["item"]["items"]]


def test_a_partial_quantity_refund_posts_only_the_refunded_quantity(box, shopify):
    engine = _engine(box)
    order = _order(shopify)
    assert engine.orders.sync(order).synced
    refund = shopify.create_refund(order.channel_ref, {order.line_for_sku("TL-MUG").line_id: 1})

    assert engine.refunds.to_netsuite(refund).status == "created"

    assert _lines(box, "cashRefund", refund.refund_id) == [("TL-MUG", Decimal("1"), Decimal("14.50"))]


def test_a_shipping_only_refund_posts_only_the_shipping(box, shopify):
    engine = _engine(box)
    order = _order(shopify)
    assert engine.orders.sync(order).synced
    refund = shopify.create_refund(order.channel_ref, {}, shipping=True)

    assert engine.refunds.to_netsuite(refund).status == "created"

    assert _lines(box, "cashRefund", refund.refund_id) == [("Refund Adjustment", Decimal("1"), Decimal("5.00"))]


def test_a_one_line_refund_through_a_return_authorization_holds_that_line_only(box, shopify):
    engine = _engine(box, billing="invoice", return_authorization=True)
    order = _order(shopify)
    assert engine.orders.sync(order).synced
    refund = shopify.create_refund(order.channel_ref, {order.line_for_sku("TL-TEE").line_id: 1})

    result = engine.refunds.to_netsuite(refund)

    assert result.status == "created"
    assert _lines(box, "creditMemo", refund.refund_id) == [("TL-TEE", Decimal("1"), Decimal("22.00"))]
    (ra,) = [r for r in box.netsuite.records("returnAuthorization")
             if r.get("externalId") == external_ids.return_authorization("shopify", refund.refund_id)]
    assert [line["item"]["refName"] for line in ra["item"]["items"]] == ["TL-TEE"]


def test_an_invoiced_order_is_paid_so_the_customer_refund_pays_out_the_credit(box, shopify):
    engine = _engine(box, billing="invoice", customer_refund=True)
    order = _order(shopify)
    assert engine.orders.sync(order).synced
    refund = shopify.create_refund(order.channel_ref, {order.line_for_sku("TL-MUG").line_id: 1})

    result = engine.refunds.to_netsuite(refund)

    assert result.status == "created"
    (invoice,) = box.netsuite.records("invoice")
    (memo,) = box.netsuite.records("creditMemo")
    (payout,) = box.netsuite.records("customerRefund")
    assert invoice["status"]["refName"] == "Paid In Full"
    assert memo["apply"]["items"] == [] and memo["unapplied"] == Decimal("0.00")
    assert payout["total"] == memo["total"] == refund.total.amount


def test_a_customer_refund_against_an_open_invoice_is_refused_before_anything_is_written(box, shopify):
    engine = _engine(box, billing="invoice", customer_refund=True)
    order = _order(shopify)
    assert engine.orders.sync(order).synced
    (payment,) = box.netsuite.records("customerPayment")
    box.netsuite.delete("customerPayment", payment["id"])  # the invoice is open again
    refund = shopify.create_refund(order.channel_ref, {order.line_for_sku("TL-MUG").line_id: 1})

    with pytest.raises(SettingsRefused) as refused:
        engine.refunds.to_netsuite(refund)

    assert "customer_refund = true" in str(refused.value) and "remaining" in str(refused.value)
    assert box.netsuite.records("creditMemo") == [] and box.netsuite.records("customerRefund") == []
    assert engine.store.refund("shopify", refund.refund_id) is None
