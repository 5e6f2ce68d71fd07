"""The Shopify emulator forgotten by the launcher (what a recording does before each scenario) is the store
its reset route leaves, cost bucket included, so that what a scenario is throttled for does not depend on
the queries of the scenarios recorded before it."""

from __future__ import annotations

from sandbox.shopify.launch import emulator


def test_forgetting_the_emulator_refills_its_cost_bucket_as_its_reset_route_does():
    shop = emulator()
    bucket = shop.app.state.bucket
    bucket.configure(maximum_available=2000, restore_rate=100, currently_available=15)
    shop.forget()
    assert bucket.status().currentlyAvailable == 2000
