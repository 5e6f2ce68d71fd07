"""The connector driver: syncproof waits for another process (a stand-in connector) to sync."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from connectors.netsuite import NetSuiteRecords
from connectors.shopify import ShopifyClient
from sandbox.shopify import DEMO_TOKEN
from syncproof import checks
from syncproof.channels.shopify import ShopifyActions
from syncproof.config import parse_config
from syncproof.connector_driver import ConnectorWatch, Poller, SyncDidNotHappen
from syncproof.engine.refunds import netsuite_refund_as_domain
from syncproof.engine.store import EngineStore
from syncproof.model import Money, OrderLine, TransactionType
from virtual_time import VirtualClock

from ._helpers import netsuite_client

STANDIN = Path(__file__).with_name("standin_connector.py")


def usd(value: str) -> Money:
    return Money(value, "USD")


@pytest.fixture
def world(box):
    netsuite = netsuite_client(box)
    books = NetSuiteRecords(netsuite)
    for sku in ("CD-MUG", "CD-TEE", "Shipping", "Refund Adjustment", "Refund Fee"):
        books.ensure_item(sku, sku)
    shop = ShopifyActions(ShopifyClient(box.shopify_url, DEMO_TOKEN))
    order = shop.place_order([OrderLine("1", "CD-MUG", 2, usd("14.50"), usd("2.32"), usd("0"), "mug"),
                              OrderLine("2", "CD-TEE", 1, usd("22.00"), usd("1.76"), usd("0"), "tee")],
                             shipping=None, customer=("Stand In", "stand.in@example.com"), note="driver")
    yield books, shop, order
    netsuite.close()


def standin(box, order, delay=0.1) -> subprocess.Popen:
    """The stand-in connector process; it syncs once started and ``delay`` seconds later, while the watch polls."""
    return subprocess.Popen([sys.executable, str(STANDIN), "--netsuite", box.netsuite_url, "--shopify",
                             box.shopify_url, "--order", order.channel_ref, "--delay", str(delay)])


def test_the_watch_sees_the_connectors_order_and_refund(box, world):
    books, shop, order = world
    store = EngineStore()
    watch = ConnectorWatch(books, store, parse_config({}), Poller(interval=0.1, timeout=300))  # a ceiling
    process = standin(box, order)
    record = watch.order_synced(order)
    assert process.wait(timeout=30) == 0
    assert record.billing_type == "CashSale" and record.sales_order_id
    assert watch.poller.polls > 1  # it really waited for the other process
    refund = shop.refund(order, {"CD-MUG": 1}, shipping=False, note="driver")
    process = standin(box, order)
    refund_record = watch.refund_synced(refund, record).record
    assert process.wait(timeout=30) == 0
    assert refund_record.netsuite_type == "CashRfnd"
    view = netsuite_refund_as_domain(books, TransactionType.CASH_REFUND, refund_record.netsuite_id, order.channel,
                                     order.channel_order_id, "USD", parse_config({}).shopify.refunds)
    assert checks.refund_amounts_match(refund, view, check_id="RS-MN-3", expected_side="shopify",
                                       actual_side="NetSuite").passed
    assert store.refund("shopify", refund.refund_id).status == "synced"


def test_a_timeout_reports_the_last_state_on_both_sides(world):
    books, _, order = world
    clock = VirtualClock()
    poller = Poller(interval=0.05, timeout=0.3, sleep=clock.sleep, clock=clock.now)
    watch = ConnectorWatch(books, EngineStore(), parse_config({}), poller)
    with pytest.raises(SyncDidNotHappen) as info:
        watch.order_synced(order)
    assert poller.polls == 7 and clock.sleeps == [0.05] * 6  # probed at 0, 0.05, ... 0.3 s of virtual time
    message = str(info.value)
    assert f"shopify order {order.channel_order_id}" in message
    assert f"NetSuite: no sales order with otherRefNum = {order.channel_order_id}" in message
    assert "poll_timeout_seconds" in message
    assert info.value.category == "sync did not happen"
