"""Fixtures: a WooCommerce emulator on loopback, a client pointed at it, and a paid test order."""

from __future__ import annotations

from typing import Iterator

import httpx
import pytest

from connectors.woocommerce import WooCommerceClient
from sandbox._server import serve
from sandbox.woocommerce import DEMO_KEY, DEMO_SECRET, WooBackend, create_app
from syncproof.model import Order, OrderLine, Shipping

from ._helpers import usd


@pytest.fixture
def backend() -> WooBackend:
    return WooBackend()


@pytest.fixture
def server(backend) -> Iterator[str]:
    with serve(create_app(backend), name="woocommerce") as running:
        yield running.url


@pytest.fixture
def client(server) -> Iterator[WooCommerceClient]:
    with WooCommerceClient(server, DEMO_KEY, DEMO_SECRET, sleep=lambda seconds: None) as woo:
        yield woo


@pytest.fixture
def raw(server) -> Iterator[httpx.Client]:
    """Plain HTTP to the emulator's REST API with the demo key, for the vendor's own answers."""
    with httpx.Client(base_url=server + "/wp-json/wc/v3", auth=(DEMO_KEY, DEMO_SECRET), timeout=10) as http:
        yield http


@pytest.fixture
def order(client) -> Order:
    """Two mugs and a discounted tee at the store's 8% rate, shipped for 5.99."""
    return client.create_order(
        [OrderLine("1", "SP-MUG-01", 2, usd("14.50"), usd("2.32"), usd("0.00"), "Stoneware mug"),
         OrderLine("2", "SP-TEE-02", 2, usd("22.00"), usd("3.17"), usd("4.40"), "Organic tee")],
        shipping=Shipping(usd("5.99"), usd("0.48"), "Flat rate"), customer=("Ada Lovelace", "ada@example.com"),
        note="fixture")
