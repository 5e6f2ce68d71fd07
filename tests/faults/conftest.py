"""Fixtures for the fault-injection tests: one sandbox with an injector in front of each
emulator, a plan set per test, and the project's connectors pointed at it over loopback."""

from __future__ import annotations

from typing import Iterator

import pytest

from connectors.amazon import AmazonClient, LwaCredentials
from connectors.netsuite import NetSuiteClient
from connectors.shopify import ShopifyClient
from sandbox import Sandbox

from ._helpers import CLIENT_TIMEOUT, FAST, Sleeps, netsuite_client


@pytest.fixture(scope="module")
def box(faulty_box) -> Sandbox:
    return faulty_box


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def netsuite(box, sleeps) -> Iterator[NetSuiteClient]:
    box.netsuite.reset()
    with netsuite_client(box, sleeps) as client:
        yield client


@pytest.fixture
def shopify(box, sleeps) -> Iterator[ShopifyClient]:
    box.shopify.reset()
    with ShopifyClient(box.shopify_url, box.shopify_token, retry=FAST, sleep=sleeps, timeout=CLIENT_TIMEOUT) as client:
        yield client


@pytest.fixture
def amazon(box, sleeps) -> Iterator[AmazonClient]:
    demo = box.amazon_credentials
    credentials = LwaCredentials(demo.client_id, demo.client_secret, demo.refresh_token)
    with AmazonClient(credentials, base_url=box.amazon_url, lwa_token_url=box.amazon_lwa_url, retry=FAST,
                      sleep=sleeps, timeout=CLIENT_TIMEOUT) as client:
        yield client
