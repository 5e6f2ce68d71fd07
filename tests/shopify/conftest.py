"""Fixtures: a Shopify emulator on loopback and a ShopifyClient pointed at it."""

from __future__ import annotations

import pytest

from connectors.shopify import ShopifyClient
from sandbox._server import serve
from sandbox.shopify import DEMO_TOKEN, LeakyBucket, ShopifyBackend, create_app
from virtual_time import VirtualClock


class SleepRecorder:
    """The client's sleep: records each requested pause, which moves the shared virtual clock."""

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        self.clock.sleep(seconds)


@pytest.fixture
def backend() -> ShopifyBackend:
    return ShopifyBackend()


@pytest.fixture
def clock() -> VirtualClock:
    """The time the emulator's cost bucket refills by and the client waits by."""
    return VirtualClock()


@pytest.fixture
def bucket(clock) -> LeakyBucket:
    return LeakyBucket(maximum_available=2000, restore_rate=100, clock=clock.now)


@pytest.fixture
def server(backend, bucket):
    with serve(create_app(backend, bucket=bucket), name="shopify") as running:
        yield running


@pytest.fixture
def sleeper(clock) -> SleepRecorder:
    return SleepRecorder(clock)


@pytest.fixture
def client(server, sleeper, clock):
    with ShopifyClient(server.url, DEMO_TOKEN, "2025-07", sleep=sleeper, clock=clock.now) as c:
        yield c
