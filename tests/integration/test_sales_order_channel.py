"""The engine writes the channel an order came from on its sales order, in the connector's channel field
(``[netsuite] channel_field``; sources in ``tests/audit/test_channel_field.py``), over loopback HTTP."""

from __future__ import annotations

import pytest

from syncproof.channels import channel_for
from syncproof.config import parse_config
from syncproof.engine import SyncEngine
from syncproof.engine.store import EngineStore
from syncproof.model import Money, OrderLine

pytestmark = pytest.mark.integration


def _sync(runtime, channel, config):
    usd = lambda v: Money(v, "USD")  # noqa: E731
    engine = SyncEngine.build(runtime.netsuite, EngineStore(), config)
    engine.books.ensure_item("CF-MUG", "mug")
    order = channel_for(runtime, channel).place_order(
        [OrderLine("1", "CF-MUG", 1, usd("10.00"), usd("0.80"), usd("0"), "mug")], shipping=None,
        customer=("Ada Lovelace", "ada@example.com"), note="channel field")
    result = engine.orders.sync(order)
    assert result.synced, result.error
    return runtime.sandbox.netsuite.get("salesOrder", result.record.sales_order_id)


@pytest.mark.parametrize(("channel", "name"), [("shopify", "Shopify"), ("woocommerce", "WooCommerce")])
def test_the_sales_order_names_its_channel(runtime, channel, name):
    sales_order = _sync(runtime, channel, runtime.config)
    assert sales_order["custbody_fa_channel"] == name


def test_an_empty_channel_field_writes_none(runtime):
    sales_order = _sync(runtime, "woocommerce", parse_config({"netsuite": {"channel_field": ""}}))
    assert not any(key.startswith("custbody") for key in sales_order)
