"""start_sandbox(faults=...): one injector per emulator, repeatable runs, counts that add up."""

from __future__ import annotations

import pytest

from connectors import RetryPolicy
from connectors.amazon import AmazonClient, LwaCredentials
from connectors.ebay import EbayClient, EbayCredentials
from connectors.shopify import ShopifyClient
from connectors.woocommerce import WooCommerceClient
from sandbox import emulator_names, start_sandbox
from sandbox._faults import FaultInjector, FaultPlan

from ._helpers import Sleeps, netsuite_client

#: every kind but timeout (which would cost a read timeout per hit), on reads only
PLAN = "seed={seed},rate=0.35,kinds=429+500+502+503+reset+slow+lost_response,delay=0.01,methods=GET+POST"
#: enough attempts that a run of faults on one request never exhausts them
PATIENT = RetryPolicy(max_attempts=8, base_delay=0.001, max_delay=0.01)


def run(seed: int) -> dict:
    """A fixed workload against a fresh faulty sandbox; returns what the injectors and clients counted."""
    box = start_sandbox(faults=FaultPlan.from_env({"SYNCPROOF_FAULTS": PLAN.format(seed=seed)}))
    try:
        for injector in box.faults.values():  # set-up without faults, then the plan from request one
            injector.configure(FaultPlan())
        sleeps = Sleeps()
        with netsuite_client(box, sleeps) as ns:
            ids = [ns.upsert("customer", f"c-{n}", {"firstName": "C", "lastName": str(n)}) for n in range(4)]
        order_id = box.amazon.create_order([{"sku": "SKU-1", "item_price": "5.00"}])["AmazonOrderId"]
        ebay_order = box.ebay.create_order([{"sku": "SKU-1", "quantity": 1, "unit_price": "5.00"}])["orderId"]
        plan = FaultPlan.parse(PLAN.format(seed=seed))
        for injector in box.faults.values():
            injector.configure(plan)

        demo = box.amazon_credentials
        with netsuite_client(box, sleeps, retry=PATIENT) as ns, \
                ShopifyClient(box.shopify_url, box.shopify_token, sleep=sleeps,
                              retry=PATIENT) as shop, \
                AmazonClient(LwaCredentials(demo.client_id, demo.client_secret, demo.refresh_token),
                             base_url=box.amazon_url, lwa_token_url=box.amazon_lwa_url, sleep=sleeps,
                             retry=PATIENT) as amazon, \
                WooCommerceClient(box.emulator("woocommerce").url, **box.emulator("woocommerce").connection,
                                  sleep=sleeps, retry=PATIENT) as woo, \
                EbayClient(EbayCredentials(**box.emulator("ebay").connection), base_url=box.emulator("ebay").url,
                           sleep=sleeps, retry=PATIENT) as ebay:
            for _ in range(3):
                for record_id in ids:
                    assert ns.get("customer", record_id)["firstName"] == "C"
                assert len(list(ns.suiteql("SELECT id FROM customer ORDER BY id"))) == 4
                assert shop.shop()["name"]
                assert amazon.get_order_items(order_id)
                assert [woo.currency() for _ in range(3)] == ["USD"] * 3
                assert [ebay.get_order(ebay_order).channel_order_id for _ in range(3)] == [ebay_order] * 3
            clients = {"netsuite": [ns.stats], "shopify": [shop.stats],
                       "amazon": [amazon.stats, amazon.lwa._client.stats], "woocommerce": [woo.stats],
                       "ebay": [ebay.stats, ebay.oauth._client.stats]}
            return {name: (injector.stats, clients[name]) for name, injector in box.faults.items()}
    finally:
        box.stop()


@pytest.fixture(scope="module")
def runs() -> list[dict]:
    return [run(11), run(11), run(12)]


def test_each_emulator_has_its_own_injector():
    box = start_sandbox(faults=FaultPlan())
    try:
        assert set(box.faults) == set(emulator_names())
        assert all(isinstance(i, FaultInjector) for i in box.faults.values())
        assert {i.vendor for i in box.faults.values()} == set(emulator_names())
    finally:
        box.stop()
    plain = start_sandbox()
    try:
        assert plain.faults == {}
    finally:
        plain.stop()


def test_faults_were_injected_at_every_emulator(runs):
    for name, (stats, _) in runs[0].items():
        assert stats.injected > 0, name


def test_the_same_seed_repeats_the_same_faults(runs):
    first, again, other = runs
    for name in first:
        assert [(e.seq, e.method, e.kind) for e in first[name][0].events] == \
               [(e.seq, e.method, e.kind) for e in again[name][0].events]
        assert first[name][0].faults == again[name][0].faults
    assert any(first[n][0].sequence() != other[n][0].sequence() for n in first)


def test_the_counts_agree_with_what_the_clients_saw(runs):
    for name, (stats, clients) in runs[0].items():
        sent = sum(c.requests for c in clients)
        retried = sum(c.retries for c in clients)
        assert stats.requests == stats.eligible == sent, name
        assert stats.injected == len(stats.events), name
        # every fault but a slow answer cost the client exactly one retry
        assert retried == stats.injected - stats.faults["slow"], name
        # status faults reached the client as those statuses (Shopify throttles with HTTP 200)
        statuses = ("500", "502", "503") if name == "shopify" else ("429", "500", "502", "503")
        assert sum(c.by_status.get(int(s), 0) for c in clients for s in statuses) == \
            sum(stats.faults[s] for s in statuses), name
