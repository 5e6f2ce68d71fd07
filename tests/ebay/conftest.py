"""Fixtures: an eBay emulator on loopback, its seeding client, and the connector pointed at it."""

from __future__ import annotations

from typing import Callable, Iterator

import httpx
import pytest

from connectors.ebay import EbayClient, EbayCredentials
from sandbox._server import serve
from sandbox.ebay import EbayBackend, create_app
from sandbox.ebay.launch import EbaySeeding

from ._helpers import FAST, LINES, SHIPPING


@pytest.fixture
def backend() -> EbayBackend:
    return EbayBackend(seed=7)


@pytest.fixture
def server(backend):
    with serve(create_app(backend), name="ebay") as running:
        yield running


@pytest.fixture
def make_client(server, backend) -> Iterator[Callable[..., EbayClient]]:
    clients: list[EbayClient] = []

    def make(credentials: EbayCredentials | None = None, **options) -> EbayClient:
        k = backend.keyset
        options.setdefault("retry", FAST)
        options.setdefault("sleep", lambda seconds: None)
        client = EbayClient(credentials or EbayCredentials(k.client_id, k.client_secret, k.refresh_token),
                            base_url=server.url, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client) -> EbayClient:
    return make_client()


@pytest.fixture
def seeding(server) -> EbaySeeding:
    def send(method, path, *, content, content_type, params=None):
        return httpx.request(method, server.url + path, content=content, params=params,
                             headers={"Content-Type": content_type}).content

    return EbaySeeding(send)


@pytest.fixture
def order(seeding, client):
    """The full-refund order, as getOrders returns it."""
    seeded = seeding.order(LINES, shipping=SHIPPING, buyer=("Ada Lovelace", "ada@example.com"), currency="USD",
                           marketplace_id="EBAY_US")
    return client.get_order(seeded["orderId"])


@pytest.fixture
def token(server, backend) -> str:
    k = backend.keyset
    answer = httpx.post(server.url + "/identity/v1/oauth2/token", auth=(k.client_id, k.client_secret),
                        data={"grant_type": "refresh_token", "refresh_token": k.refresh_token})
    return str(answer.json()["access_token"])
