"""The WooCommerce connector against the emulator over real HTTP: paging, errors, parsing, refunds, idempotency."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from connectors import AuthenticationFailed, RefundNotExpressible
from connectors.woocommerce import WooCommerceClient, WooCommerceError
from sandbox._faults import FaultInjector, FaultPlan
from sandbox._server import serve
from sandbox.woocommerce import DEMO_KEY, DEMO_SECRET, create_app
from tests.refund_arguments import refused_before_any_request

from ._helpers import usd


def test_an_order_reads_back_with_its_lines_discount_taxes_and_shipping(client, order):
    again = client.get_order(order.channel_order_id)
    assert again == order and again.channel_ref == again.channel_order_id
    tee = again.line_for_sku("SP-TEE-02")
    assert (tee.quantity, tee.unit_price, tee.discount, tee.net, tee.tax) == \
        (2, usd("22.00"), usd("4.40"), usd("39.60"), usd("3.17"))
    assert again.shipping.amount == usd("5.99") and again.shipping.tax == usd("0.48")
    assert again.total == usd("80.56") and again.customer_email == "ada@example.com"


def test_every_page_of_a_collection_is_read(server, client, order):
    for _ in range(4):
        client.create_order(list(order.lines), note="more")
    with WooCommerceClient(server, DEMO_KEY, DEMO_SECRET, page_size=2) as small:
        seen = list(small.orders_modified_since(datetime.now(timezone.utc) - timedelta(days=1)))
        assert len(seen) == 5 and small.stats.requests == 3  # pages of 2, 2 and 1
    assert [o.channel_order_id for o in seen] == sorted(o.channel_order_id for o in seen)


def test_an_error_body_becomes_one_clear_line(client):
    with pytest.raises(WooCommerceError) as caught:
        client.get_order("999999")
    assert caught.value.status == 404 and caught.value.code == "woocommerce_rest_shop_order_invalid_id"
    assert str(caught.value).startswith("woocommerce answered HTTP 404 at GET /wp-json/wc/v3/orders/999999: "
                                        "woocommerce_rest_shop_order_invalid_id: Invalid ID.")
    assert "\n" not in str(caught.value)


def test_a_wrong_secret_is_an_authentication_failure_naming_the_fix(server):
    with WooCommerceClient(server, DEMO_KEY, "cs_wrong") as woo, pytest.raises(AuthenticationFailed) as caught:
        woo.currency()
    assert "woocommerce_rest_authentication_error: Consumer secret is invalid." in str(caught.value)
    assert "WOOCOMMERCE_CONSUMER_SECRET" in caught.value.hint


def test_a_partial_refund_returns_each_share_and_the_last_units_what_is_left(client, backend, order):
    mug = order.line_for_sku("SP-MUG-01")
    backend.rates[1].rate = backend.rates[1].rate  # 8%: 2.32 of tax on two mugs, 1.16 each
    first = client.create_refund(order.channel_order_id, {mug.line_id: 1}, note="one")
    second = client.create_refund(order.channel_order_id, {mug.line_id: 1}, note="the other")
    assert [(r.lines[0].amount, r.lines[0].tax) for r in (first, second)] == [(usd("14.50"), usd("1.16"))] * 2
    tee = order.line_for_sku("SP-TEE-02")
    third = client.create_refund(order.channel_order_id, {tee.line_id: 1}, shipping=True, note="tee")
    fourth = client.create_refund(order.channel_order_id, {tee.line_id: 1}, note="tee again")
    assert third.lines[0].amount + fourth.lines[0].amount == tee.net  # 19.80 each, no cent lost
    assert third.lines[0].tax + fourth.lines[0].tax == tee.tax        # 1.59 then 1.58
    assert third.shipping == usd("5.99") and third.shipping_tax == usd("0.48")
    assert sum((r.total for r in client.get_refunds(order.channel_order_id)), usd("0")) == order.total


def test_an_amount_is_sent_and_what_the_items_do_not_cover_is_an_adjustment(client, order):
    mug = order.line_for_sku("SP-MUG-01")
    refund = client.create_refund(order.channel_order_id, {mug.line_id: 1}, amount=usd("12.66"), note="fee kept")
    assert refund.total == usd("12.66") and refund.adjustment == usd("-3.00")
    assert refund.lines[0].amount == usd("14.50")


def test_an_amount_the_order_cannot_refund_is_refused_before_sending(client, order):
    before = client.stats.writes
    with pytest.raises(RefundNotExpressible, match="can refund at most 80.56 USD"):
        client.create_refund(order.channel_order_id, {}, amount=usd("200.00"))
    with pytest.raises(RefundNotExpressible, match="negative"):
        client.create_refund(order.channel_order_id, {}, amount=usd("-1.00"))
    assert client.stats.writes == before


def test_a_marked_refund_is_made_once(client, order):
    mug = order.line_for_sku("SP-MUG-01")
    first = client.create_refund(order.channel_order_id, {mug.line_id: 1}, note="from NetSuite",
                                 marker="syncproof:netsuite-refund:1003")
    again = client.create_refund(order.channel_order_id, {mug.line_id: 1}, note="from NetSuite",
                                 marker="syncproof:netsuite-refund:1003")
    other = client.create_refund(order.channel_order_id, {mug.line_id: 1}, note="from NetSuite",
                                 marker="syncproof:netsuite-refund:100")
    assert again.refund_id == first.refund_id != other.refund_id  # whole token: 100 is not 1003
    assert first.note == "from NetSuite [syncproof:netsuite-refund:1003]"
    assert len(client.get_refunds(order.channel_order_id)) == 2


def test_an_amount_with_a_kept_fee_is_refused_before_the_marker_is_looked_up(client, order):
    """The refund made with the marker stays the only one (:mod:`tests.refund_arguments`)."""
    mug = order.line_for_sku("SP-MUG-01")
    refused_before_any_request(client, order.channel_order_id, {mug.line_id: 1}, "syncproof:netsuite-refund:1004",
                               usd("12.00"), kept_fee=usd("2.50"))
    assert len(client.get_refunds(order.channel_order_id)) == 1


def test_a_lost_answer_to_a_refund_is_found_by_its_marker(backend, order):
    app = FaultInjector(create_app(backend), FaultPlan.parse(r"seed=1,at=lost_response@1:POST:/refunds$"),
                        vendor="woocommerce")
    with serve(app, name="woocommerce") as running, \
            WooCommerceClient(running.url, DEMO_KEY, DEMO_SECRET, sleep=lambda s: None) as woo:
        mug = order.line_for_sku("SP-MUG-01")
        refund = woo.create_refund(order.channel_order_id, {mug.line_id: 1}, note="lost",
                                   marker="syncproof:netsuite-refund:77")
        assert app.stats.faults["lost_response"] == 1
        assert [r.refund_id for r in woo.get_refunds(order.channel_order_id)] == [refund.refund_id]


def test_restock_and_gateway_flags_go_on_the_wire(client, order):
    sent = []
    client.on_exchange = sent.append
    mug = order.line_for_sku("SP-MUG-01")
    client.create_refund(order.channel_order_id, {mug.line_id: 1}, restock_type="NO_RESTOCK")
    body = json.loads(next(e for e in sent if e.method == "POST").request_body)
    assert (body["api_refund"], body["api_restock"]) == (False, False)
    assert body["line_items"] == [{"id": int(mug.line_id), "quantity": 1, "refund_total": "14.50",
                                   "refund_tax": [{"id": 1, "refund_total": "1.16"}]}]
    assert body["amount"] == "15.66"


def test_a_fee_line_is_an_order_line_named_by_the_fee(client, raw):
    product = client.ensure_product("SP-CAP-03", "Canvas cap", usd("18.00"))
    made = raw.post("/orders", json={"line_items": [{"product_id": product, "quantity": 1}],
                                     "fee_lines": [{"name": "Gift wrap", "total": "2.00"}],
                                     "coupon_lines": [{"code": "WELCOME"}]}).json()
    order = client.get_order(str(made["id"]))
    wrap = order.line_for_sku("Gift wrap")
    assert (wrap.quantity, wrap.net, wrap.tax) == (1, usd("2.00"), usd("0.16"))
    assert order.total == usd("21.60")
