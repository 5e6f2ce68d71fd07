"""The sandbox's Shopify store refills its cost bucket at a Shopify Plus store's rate; with the vendors' live rate
limits, at a Standard store's.

Source: shopify.dev, "GraphQL Admin API rate limits" (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits):
"Each combination of app and store is given a bucket size and restore rate based on the store's plan":
Standard 100 points/second, Advanced Shopify 200, Shopify Plus 1000. Every answer reports the rate in
``extensions.cost.throttleStatus.restoreRate``.
"""

from __future__ import annotations

import httpx
import pytest

from sandbox import start_sandbox
from sandbox.shopify import app


@pytest.mark.parametrize(("live_rate_limits", "rate"), [(False, 1000.0), (True, 100.0)])
def test_every_answer_reports_the_restore_rate_of_the_store_plan(live_rate_limits, rate):
    box = start_sandbox(emulators=["shopify"], live_rate_limits=live_rate_limits)
    try:
        answer = httpx.post(f"{box.urls()['shopify']}/admin/api/2025-10/graphql.json",
                            headers={"X-Shopify-Access-Token": app.DEMO_TOKEN},
                            json={"query": "{ shop { name } }"})
        assert answer.status_code == 200, answer.text
        assert answer.json()["extensions"]["cost"]["throttleStatus"]["restoreRate"] == rate
    finally:
        box.stop()
