"""One set of emulators per module, clients reset per test (see world.py for the set-up helpers)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from connectors import RetryPolicy
from connectors.netsuite import NetSuiteClient, NetSuiteCredentials
from connectors.shopify import ShopifyClient
from sandbox import Sandbox, start_sandbox

FAST = RetryPolicy(max_attempts=4, base_delay=0.001, max_delay=0.01)


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    sandbox = start_sandbox()
    yield sandbox
    sandbox.stop()


@pytest.fixture
def clients(box) -> Iterator[tuple[NetSuiteClient, ShopifyClient]]:
    box.netsuite.reset()
    box.shopify.reset()
    # a bucket large enough that three processes are never throttled (throttling has its own tests)
    httpx.post(f"{box.shopify_url}/__sandbox__/throttle",
               json={"maximumAvailable": 1_000_000, "restoreRate": 1_000_000, "currentlyAvailable": 1_000_000})
    demo = box.netsuite_credentials
    netsuite = NetSuiteClient.for_account(NetSuiteCredentials(demo.account_id, demo.consumer_key,
                                                              demo.consumer_secret, demo.token_id, demo.token_secret),
                                          base_url=box.netsuite_url, retry=FAST, sleep=lambda s: None)
    shopify = ShopifyClient(box.shopify_url, box.shopify_token, retry=FAST, sleep=lambda s: None)
    yield netsuite, shopify
    netsuite.close()
    shopify.close()
