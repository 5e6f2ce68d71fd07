"""ShopifyClient against the Shopify emulator over real HTTP on loopback."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import httpx
import pytest

from connectors import AuthenticationFailed, RateLimited, RetryPolicy, ShopifyError, WriteGuard, WriteRefused
from connectors.shopify import ShopifyClient
from sandbox.shopify import DEMO_TOKEN
from syncproof.model import Channel, OrderLine
from tests.refund_arguments import refused_before_any_request

from ._helpers import sample_lines, sample_shipping, usd

pytestmark = pytest.mark.integration


def make_order(client, **kwargs):
    return client.create_order(sample_lines(), shipping=sample_shipping(), gateway="bogus", **kwargs)


def test_shop_answers_name_and_currency(client):
    shop = client.shop()
    assert shop["name"] == "syncproof demo store"
    assert shop["currencyCode"] == "USD"


def test_create_order_returns_domain_order_with_gid_and_numeric_id(client, backend):
    order = make_order(client, email="buyer@example.test")
    assert order.channel == Channel("shopify")
    assert order.channel_ref == f"gid://shopify/Order/{order.channel_order_id}"
    assert order.channel_order_id.isdigit()
    assert [(ln.sku, ln.quantity, ln.unit_price, ln.tax) for ln in order.lines] == [
        ("MUG-1", 2, usd("10.00"), usd("2.00")), ("TEE-1", 1, usd("30.00"), usd("3.00"))]
    assert all(ln.line_id.startswith("gid://shopify/LineItem/") for ln in order.lines)
    assert order.shipping.amount == usd("5.00") and order.shipping.tax == usd("0.50")
    assert order.total == usd("60.50")
    record = backend.order(int(order.channel_order_id))
    assert record.financial_status == "PAID"
    assert record.total_received == Decimal("60.50")


def test_discount_is_allocated_and_read_back(client):
    lines = [OrderLine("", "A", 1, usd("40.00"), usd("0"), usd("4.00"), "A")]
    order = client.create_order(lines)
    assert order.lines[0].discount == usd("4.00")
    assert order.subtotal == usd("36.00")


def test_get_order_matches_created_order(client):
    created = make_order(client)
    fetched = client.get_order(created.channel_ref)
    assert fetched == created


def test_orders_updated_since_follows_cursors_across_pages(client, backend):
    start = datetime(2024, 3, 1, tzinfo=timezone.utc)
    created = []
    for i in range(6):
        backend.clock = lambda i=i: start + timedelta(minutes=i)
        created.append(make_order(client))
    exchanges = []
    client.on_exchange = exchanges.append
    seen = list(client.orders_updated_since(start + timedelta(seconds=30), page_size=2))
    listing = [e for e in exchanges if '"Orders"' in e.request_body]
    assert len(listing) == 3  # 5 matching orders: 2 + 2 + 1
    # the first order was updated at `start`, before `since`
    assert [o.channel_order_id for o in seen] == [o.channel_order_id for o in created[1:]]


def test_suggest_refund_prorates_lines_and_adds_shipping(client):
    order = make_order(client)
    mug = order.line_for_sku("MUG-1")
    suggestion = client.suggest_refund(order.channel_ref, {mug.line_id: 1}, refund_shipping=True)
    assert suggestion.discounted_subtotal == usd("10.00")
    assert suggestion.tax == usd("1.50")  # 1.00 line tax + 0.50 shipping tax
    assert suggestion.shipping == usd("5.00")
    assert suggestion.amount == usd("16.50")
    assert len(suggestion.transactions) == 1
    assert suggestion.transactions[0].gateway == "bogus"
    assert suggestion.transactions[0].amount == usd("16.50")


def test_partial_refund_posts_prorated_amounts(client, backend):
    order = make_order(client)
    mug = order.line_for_sku("MUG-1")
    refund = client.create_refund(order.channel_ref, {mug.line_id: 1}, note="one mug broke")
    assert refund.channel_order_id == order.channel_order_id
    assert refund.refund_id.isdigit()
    assert refund.note == "one mug broke"
    assert [(ln.sku, ln.quantity, ln.amount, ln.tax, ln.line_id) for ln in refund.lines] == [
        ("MUG-1", 1, usd("10.00"), usd("1.00"), mug.line_id)]
    assert refund.shipping is None
    assert refund.total == usd("11.00")
    assert refund.extra["total_refunded"] == usd("11.00")
    assert refund.adjustment is None
    assert backend.order(int(order.channel_order_id)).financial_status == "PARTIALLY_REFUNDED"
    assert client.get_refunds(order.channel_ref) == [refund]


def test_full_refund_refunds_everything_and_marks_order_refunded(client, backend):
    order = make_order(client)
    lines = {line.line_id: line.quantity for line in order.lines}
    refund = client.create_refund(order.channel_ref, lines, shipping=True, restock_type="NO_RESTOCK")
    assert refund.total == order.total == usd("60.50")
    assert refund.shipping == usd("5.00") and refund.shipping_tax == usd("0.50")
    record = backend.order(int(order.channel_order_id))
    assert record.financial_status == "REFUNDED"
    assert all(line.refundable_quantity == 0 for line in record.lines)


def test_second_partial_refund_takes_the_remainder_to_the_cent(client):
    lines = [OrderLine("", "THIRD", 3, usd("10.00"), usd("1.00"), usd("0"), "x")]
    order = client.create_order(lines)
    line_id = order.lines[0].line_id
    first = client.create_refund(order.channel_ref, {line_id: 1})
    second = client.create_refund(order.channel_ref, {line_id: 2})
    assert first.lines[0].tax == usd("0.33")
    assert second.lines[0].tax == usd("0.67")
    assert first.total + second.total == order.total


def test_shipping_only_refund_with_an_amount(client):
    order = make_order(client)
    refund = client.create_refund(order.channel_ref, {}, shipping=usd("2.00"), note="late delivery")
    assert refund.lines == ()
    assert refund.shipping == usd("2.00")
    assert refund.shipping_tax == usd("0.20")  # 0.50 x 2/5
    assert refund.total == usd("2.20")


def test_refunding_more_than_purchased_is_refused_naming_the_field(client, backend):
    order = make_order(client)
    tee = order.line_for_sku("TEE-1")
    with pytest.raises(ShopifyError) as caught:
        client.create_refund(order.channel_ref, {tee.line_id: 2})
    message = str(caught.value)
    assert "refundLineItems.0.quantity" in message
    assert "TEE-1" in message and "1 refundable" in message
    assert caught.value.path == "refundLineItems.0.quantity"
    assert backend.order(int(order.channel_order_id)).refunds == []


def test_shipping_refund_above_shipping_charged_is_refused(client):
    order = make_order(client)
    with pytest.raises(ShopifyError) as caught:
        client.create_refund(order.channel_ref, {}, shipping=usd("5.01"))
    assert "shipping.amount" in str(caught.value)


def test_refund_money_above_captured_is_refused(client):
    order = make_order(client)
    sale = client.graphql("query($id: ID!){ order(id: $id) { transactions { id } } }",
                          {"id": order.channel_ref})["order"]["transactions"][0]["id"]
    data = client.graphql(
        "mutation($input: RefundInput!){ refundCreate(input: $input){ userErrors { field message } } }",
        {
            "input": {
                "orderId": order.channel_ref,
                "transactions": [
                    {
                        "orderId": order.channel_ref,
                        "kind": "REFUND",
                        "gateway": "bogus",
                        "amount": "60.51",
                        "parentId": sale,
                    }
                ],
            }
        },
    )
    errors = data["refundCreate"]["userErrors"]
    assert errors and errors[0]["field"] == ["transactions", "0", "amount"]
    assert "60.51" in errors[0]["message"]


def test_find_refund_by_note_and_marker_makes_create_idempotent(client, backend):
    order = make_order(client)
    mug = order.line_for_sku("MUG-1")
    assert client.find_refund_by_note(order.channel_ref, "NS-CR-1") is None
    first = client.create_refund(order.channel_ref, {mug.line_id: 1}, note="credit memo", marker="NS-CR-1")
    assert first.note == "credit memo [NS-CR-1]"
    again = client.create_refund(order.channel_ref, {mug.line_id: 1}, note="credit memo", marker="NS-CR-1")
    assert again.refund_id == first.refund_id
    assert len(backend.order(int(order.channel_order_id)).refunds) == 1
    assert client.find_refund_by_note(order.channel_ref, "NS-CR-1").refund_id == first.refund_id


def test_an_amount_with_a_kept_fee_is_refused_before_the_marker_is_looked_up(client, backend):
    """The refund made with the marker stays the only one (:mod:`tests.refund_arguments`)."""
    order = make_order(client)
    mug = order.line_for_sku("MUG-1")
    refused_before_any_request(client, order.channel_ref, {mug.line_id: 1}, "NS-CR-2", usd("8.00"),
                               kept_fee=usd("2.00"))
    assert len(backend.order(int(order.channel_order_id)).refunds) == 1


def test_throttled_query_is_retried_after_the_time_the_bucket_needs(client, bucket, sleeper):
    bucket.configure(maximum_available=100, restore_rate=50, currently_available=0)
    assert client.shop()["currencyCode"] == "USD"
    assert client.stats.retries >= 1
    # shop costs 1 point: (1 - 0) / 50 = 0.02 s, floored at 0.05 s
    assert sleeper.calls == [0.05]


def test_throttle_wait_comes_from_requested_cost_and_restore_rate(client, bucket, sleeper, server):
    make_order(client)  # learn nothing yet; now drain the bucket
    bucket.configure(maximum_available=1000, restore_rate=2000, currently_available=0)
    exchanges = []
    client.on_exchange = exchanges.append
    client.costs._budget = None  # forget the last budget so the server answers THROTTLED
    orders = list(client.orders_updated_since(datetime(2000, 1, 1, tzinfo=timezone.utc)))
    assert len(orders) == 1
    first = httpx.Response(200, content=exchanges[0].response_body.encode()).json()
    assert first["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert first["extensions"]["cost"]["actualQueryCost"] is None
    requested = first["extensions"]["cost"]["requestedQueryCost"]
    available = first["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]
    assert sleeper.calls[0] == pytest.approx(max(0.05, (requested - available) / 2000))


def test_client_waits_before_sending_when_the_known_budget_is_short(client, bucket, sleeper):
    bucket.configure(maximum_available=1000, restore_rate=1000)
    since = datetime(2000, 1, 1, tzinfo=timezone.utc)
    list(client.orders_updated_since(since))  # learns what an "Orders" page requests
    expected = client.costs.expected_cost("Orders")
    assert expected > 500
    bucket.configure(currently_available=100)
    client.shop()  # learns the budget is ~99 points
    sleeper.calls.clear()
    retries = client.stats.retries
    list(client.orders_updated_since(since))
    assert client.stats.retries == retries  # never throttled: it waited first
    assert sleeper.calls == [pytest.approx((expected - 99) / 1000)]


def test_still_throttled_after_every_retry_raises_rate_limited(server, bucket):
    bucket.configure(maximum_available=100, restore_rate=0.001, currently_available=0)
    with ShopifyClient(server.url, DEMO_TOKEN, retry=RetryPolicy(max_attempts=2), sleep=lambda s: None) as c:
        with pytest.raises(RateLimited):
            c.shop()


def test_bad_token_is_authentication_failed(server):
    with ShopifyClient(server.url, "shpat_wrong") as c:
        with pytest.raises(AuthenticationFailed) as caught:
            c.shop()
    assert "401" in str(caught.value)
    assert "shpat_wrong" not in str(caught.value)


def test_graphql_errors_become_shopify_error(client):
    with pytest.raises(ShopifyError) as caught:
        client.get_order("not-a-gid")
    assert "Invalid global id" in str(caught.value)


def test_missing_order_is_a_clear_error(client):
    with pytest.raises(ShopifyError, match="no order gid://shopify/Order/1"):
        client.get_order("gid://shopify/Order/1")


def test_write_guard_refuses_mutations_but_allows_queries(server):
    guard = WriteGuard("this store is production")
    with ShopifyClient(server.url, DEMO_TOKEN, write_guard=guard) as c:
        assert c.shop()["name"]
        with pytest.raises(WriteRefused):
            c.create_order(sample_lines())


def test_access_token_is_redacted_in_evidence(server):
    exchanges = []
    with ShopifyClient(server.url, DEMO_TOKEN, on_exchange=exchanges.append) as c:
        c.shop()
    assert DEMO_TOKEN not in str(exchanges[0].request_headers)


def test_legacy_restock_is_refused_on_a_new_refund(client, backend):
    """``LEGACY_RESTOCK`` cannot be sent on a new refund, and the connector never sends it.

    Source: shopify.dev, GraphQL Admin API, ``RefundLineItemRestockType`` enum: LEGACY_RESTOCK is
    "Deprecated ... This value is not accepted when creating new refunds".
    """
    order = make_order(client)
    mug = order.line_for_sku("MUG-1")
    data = client.graphql(
        "mutation($input: RefundInput!){ refundCreate(input: $input){ userErrors { field message } } }",
        {"input": {"orderId": order.channel_ref,
                   "refundLineItems": [{"lineItemId": mug.line_id, "quantity": 1, "restockType": "LEGACY_RESTOCK"}]}},
    )
    errors = data["refundCreate"]["userErrors"]
    assert errors and errors[0]["field"][-1] == "restockType" and "LEGACY_RESTOCK" in errors[0]["message"]
    assert client.get_refunds(order.channel_ref) == []
    with pytest.raises(ValueError):
        client.create_refund(order.channel_ref, {mug.line_id: 1}, restock_type="LEGACY_RESTOCK")
