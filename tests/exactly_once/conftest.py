"""Fixtures for the engine's exactly-once tests: one faulty sandbox per module, a file-backed
engine store per test, and engines that can be "restarted" on the same store and clients."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from connectors import RetryPolicy
from connectors.netsuite import NetSuiteClient, NetSuiteCredentials, external_ids
from connectors.shopify import ShopifyClient
from sandbox import Sandbox
from syncproof.config import parse_config
from syncproof.engine import SyncEngine
from syncproof.engine.store import EngineStore
from syncproof.model import Money, Order, OrderLine, Refund, Shipping

#: client retries without real waiting (the clients' sleep is a no-op)
FAST = RetryPolicy(max_attempts=4, base_delay=0.001, max_delay=0.01)
#: a read timeout no busy machine reaches; a ``timeout`` fault holds the request briefly and then
#: closes the connection unanswered, which the clients meet as the same transport failure as a read
#: timeout, without the test racing a real clock
CLIENT_TIMEOUT = httpx.Timeout(60.0)
SKUS = ("EO-MUG", "EO-TEE", "Shipping", "Refund Adjustment", "Refund Fee")


def usd(value: str) -> Money:
    return Money(value, "USD")


@pytest.fixture(scope="module")
def box(faulty_box) -> Sandbox:
    return faulty_box


@pytest.fixture
def netsuite(box) -> Iterator[NetSuiteClient]:
    box.netsuite.reset()
    demo = box.netsuite_credentials
    credentials = NetSuiteCredentials(demo.account_id, demo.consumer_key, demo.consumer_secret,
                                      demo.token_id, demo.token_secret)
    with NetSuiteClient.for_account(credentials, base_url=box.netsuite_url, retry=FAST, sleep=lambda s: None,
                                    timeout=CLIENT_TIMEOUT) as client:
        yield client


@pytest.fixture
def shopify(box) -> Iterator[ShopifyClient]:
    box.shopify.reset()
    with ShopifyClient(box.shopify_url, box.shopify_token, retry=FAST, sleep=lambda s: None,
                       timeout=CLIENT_TIMEOUT) as client:
        yield client


@dataclass
class World:
    """The sandbox, the clients, and a file-backed store that outlives any one engine."""

    box: Sandbox
    netsuite: NetSuiteClient
    shopify: ShopifyClient
    store_path: Path
    config: object

    def engine(self) -> SyncEngine:
        """A fresh engine on the same store file: what a restarted process would build."""
        return SyncEngine.build(self.netsuite, EngineStore(self.store_path), self.config)

    def place_order(self, n: int = 1) -> Order:
        return self.shopify.create_order(
            [OrderLine("1", "EO-MUG", 2, usd("14.50"), usd("2.32"), usd("0"), "mug"),
             OrderLine("2", "EO-TEE", 1, usd("22.00"), usd("1.76"), usd("0"), "tee")],
            shipping=Shipping(usd("5.00"), usd("0.40")), email=f"buyer{n}@example.com", note="exactly once")

    def refund(self, order: Order, sku: str = "EO-MUG", quantity: int = 1) -> Refund:
        return self.shopify.create_refund(order.channel_ref, {order.line_for_sku(sku).line_id: quantity},
                                          note="exactly once", notify=False)

    # what NetSuite holds -----------------------------------------------------------
    def ns(self, record_type: str, external_id: str) -> list[dict]:
        return [r for r in self.box.netsuite.records(record_type) if r.get("externalId") == external_id]

    def cash_refunds(self, refund: Refund) -> list[dict]:
        return self.ns("cashRefund", external_ids.refund("shopify", refund.refund_id))

    def all_cash_refunds(self) -> list[dict]:
        return list(self.box.netsuite.records("cashRefund"))

    def sales_orders(self, order: Order) -> list[dict]:
        return self.ns("salesOrder", external_ids.sales_order("shopify", order.channel_order_id))

    def cash_sales(self, order: Order) -> list[dict]:
        return self.ns("cashSale", external_ids.billing("shopify", order.channel_order_id))


@pytest.fixture
def world(box, netsuite, shopify, tmp_path) -> World:
    w = World(box, netsuite, shopify, tmp_path / "engine.sqlite3", parse_config({}))
    engine = w.engine()
    for sku in SKUS:
        engine.books.ensure_item(sku, sku)
    engine.store.close()
    return w


@pytest.fixture
def synced_order(world) -> Order:
    order = world.place_order()
    engine = world.engine()
    assert engine.orders.sync(order).synced
    engine.store.close()
    return order
