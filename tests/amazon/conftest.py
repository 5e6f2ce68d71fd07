"""Fixtures: an Amazon emulator on loopback and connectors pointed at it."""

from __future__ import annotations

from typing import Callable

import pytest
from amazon_helpers import demo_credentials

from connectors import RetryPolicy
from connectors.amazon import AmazonClient, LwaCredentials
from sandbox._server import serve
from sandbox.amazon import AmazonBackend, create_app
from virtual_time import VirtualClock


@pytest.fixture
def backend() -> AmazonBackend:
    return AmazonBackend()


@pytest.fixture
def server(backend):
    with serve(create_app(backend), name="amazon") as running:
        yield running


@pytest.fixture
def make_client(server) -> Callable[..., AmazonClient]:
    clients: list[AmazonClient] = []

    def make(credentials: LwaCredentials | None = None, **options) -> AmazonClient:
        options.setdefault("retry", RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05))
        if "sleep" not in options:  # the pacer's and the backoff's waits on a virtual clock, never a real one
            clock = VirtualClock()
            options.update(sleep=clock.sleep, monotonic=options.get("monotonic", clock.now))
        client = AmazonClient(credentials or demo_credentials(), base_url=server.url,
                              lwa_token_url=server.url + "/auth/o2/token", **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client) -> AmazonClient:
    return make_client()
