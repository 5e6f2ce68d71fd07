"""The Shopify connector against a faulty Shopify emulator, over real loopback HTTP."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from connectors import RateLimited, ShopifyError, WriteOutcomeUnknown
from sandbox._faults import FaultPlan
from syncproof.model import Money, OrderLine

from ._helpers import once

GRAPHQL = r"/graphql\.json$"


def usd(amount: str) -> Money:
    return Money(Decimal(amount), "USD")


LINES = [OrderLine(line_id="", sku="MUG-1", quantity=2, unit_price=usd("10.00"), tax=usd("2.00"),
                   discount=usd("0"), title="Mug")]


def orders(box) -> list[dict]:
    return box.shopify.snapshot()["orders"]


@pytest.mark.parametrize("kind", ["429", "500", "502", "503", "timeout", "reset", "lost_response"])
def test_a_faulted_query_is_retried_and_succeeds(shopify, inject, kind):
    faulty = inject("shopify", once(kind, "POST", GRAPHQL))
    assert shopify.shop()["name"]
    assert shopify.stats.retries == 1
    assert faulty.stats.faults[kind] == 1


def test_throttled_is_http_200_with_the_bucket_and_the_client_waits_what_it_says(box, shopify, inject, sleeps):
    inject("shopify", once("429", "POST", GRAPHQL))
    raw = httpx.post(box.shopify_url + "/admin/api/2025-07/graphql.json", json={"query": "{ shop { name } }"},
                     headers={"X-Shopify-Access-Token": box.shopify_token})
    assert raw.status_code == 200
    body = raw.json()
    assert body["errors"][0]["message"] == "Throttled"
    assert body["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert set(body["extensions"]["cost"]["throttleStatus"]) == {"maximumAvailable", "currentlyAvailable",
                                                                 "restoreRate"}
    inject("shopify", once("429", "POST", GRAPHQL))
    shopify.shop()
    assert sleeps[0] == pytest.approx(0.2)  # (requested 50 - available 30) / restore rate 100


def test_throttling_that_never_ends_is_rate_limited(shopify, inject):
    inject("shopify", FaultPlan(rates={"429": 1.0}))
    with pytest.raises(RateLimited):
        shopify.shop()


def test_a_throttled_mutation_is_retried_and_applied_once(box, shopify, inject):
    inject("shopify", once("429", "POST", GRAPHQL))
    order = shopify.create_order(LINES)
    assert shopify.stats.retries == 1
    assert [o["id"] for o in orders(box)] == [int(order.channel_ref.rsplit("/", 1)[-1])]


@pytest.mark.parametrize("kind, status", [("500", 500), ("502", 502), ("503", 503)])
def test_a_5xx_on_a_mutation_is_not_retried_but_raised(box, shopify, inject, kind, status):
    inject("shopify", once(kind, "POST", GRAPHQL))
    with pytest.raises(ShopifyError) as raised:
        shopify.create_order(LINES)
    assert raised.value.status == status
    assert shopify.stats.retries == 0 and orders(box) == []


@pytest.mark.parametrize("kind", ["timeout", "reset"])
def test_an_unanswered_mutation_is_outcome_unknown_and_was_not_applied(box, shopify, inject, kind):
    inject("shopify", once(kind, "POST", GRAPHQL))
    with pytest.raises(WriteOutcomeUnknown):
        shopify.create_order(LINES)
    assert orders(box) == []


def test_a_lost_order_create_answer_was_applied(box, shopify, inject):
    inject("shopify", once("lost_response", "POST", GRAPHQL))
    with pytest.raises(WriteOutcomeUnknown):
        shopify.create_order(LINES)
    assert len(orders(box)) == 1  # applied: orderCreate has no key to look it up by, so do not retry blindly


def test_a_lost_refund_answer_is_found_by_its_marker_and_not_doubled(box, shopify, inject):
    order = shopify.create_order(LINES)
    line = order.lines[0].line_id
    exchanges = []
    shopify.on_exchange = exchanges.append
    # refund with a marker = 1 look-up (RefundIds), 1 suggestion (SuggestedRefund), then RefundCreate
    faulty = inject("shopify", once("lost_response", "POST", GRAPHQL, nth=3))
    refund = shopify.create_refund(order.channel_ref, {line: 1}, note="RMA-7", marker="syncproof:r-1")
    assert faulty.stats.faults["lost_response"] == 1
    lost = [e for e in exchanges if e.error]
    assert len(lost) == 1 and "RefundCreate" in lost[0].request_body
    refunds = shopify.get_refunds(order.channel_ref)
    assert [r.refund_id for r in refunds] == [refund.refund_id]
    again = shopify.create_refund(order.channel_ref, {line: 1}, note="RMA-7", marker="syncproof:r-1")
    assert again.refund_id == refund.refund_id
    assert len(shopify.get_refunds(order.channel_ref)) == 1
