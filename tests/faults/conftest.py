"""Fixtures for the fault-injection tests: one sandbox with an injector in front of each
emulator, a plan set per test, and the project's connectors pointed at it over loopback."""

from __future__ import annotations

from typing import Iterator

import httpx
import pytest

from connectors import RetryPolicy
from connectors.amazon import AmazonClient, LwaCredentials
from connectors.netsuite import NetSuiteClient, NetSuiteCredentials
from connectors.shopify import ShopifyClient
from sandbox import Sandbox
from sandbox._faults import FaultPlan, ScheduledFault

#: retries without waiting: the tests' clients sleep through ``Sleeps``, never for real
FAST = RetryPolicy(max_attempts=4, base_delay=0.001, max_delay=0.01)
#: a timeout no busy machine reaches; a ``timeout`` fault holds the request briefly and then
#: closes the connection unanswered, which the clients meet as the same transport failure as a
#: read timeout, without the test racing a real clock (tests/faults/test_wire.py shows both)
CLIENT_TIMEOUT = httpx.Timeout(60.0)
HOLD = 0.05


class Sleeps(list):
    """The pauses a client asked for, recorded instead of slept."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def once(kind: str, method: str = "*", path: str = "", nth: int = 1) -> FaultPlan:
    """A plan with a single scheduled fault: the ``nth`` request matching method and path gets ``kind``."""
    return FaultPlan(schedule=(ScheduledFault(kind, nth, method, path),), hold=HOLD, delay=0.05)


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


def netsuite_client(box: Sandbox, sleeps: Sleeps, **options) -> NetSuiteClient:
    demo = box.netsuite_credentials
    credentials = NetSuiteCredentials(demo.account_id, demo.consumer_key, demo.consumer_secret,
                                      demo.token_id, demo.token_secret)
    options = {"retry": FAST, "sleep": sleeps, "timeout": CLIENT_TIMEOUT, **options}
    return NetSuiteClient.for_account(credentials, base_url=box.netsuite_url, **options)


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
