"""Order sync on a OneWorld account: customers go under [netsuite] subsidiary and the sales order
and its billing record take it from the customer; without the setting the sync stops in one line
naming it, before NetSuite holds anything (real loopback HTTP to the emulators)."""

from __future__ import annotations

import pytest

from syncproof.channels.amazon import AmazonActions
from syncproof.config import parse_config
from syncproof.engine import SyncEngine
from syncproof.engine.store import EngineStore
from syncproof.errors import ConfigError
from syncproof.model import Money, OrderLine

pytestmark = pytest.mark.integration


@pytest.fixture
def one_world(runtime):
    netsuite = runtime.sandbox.netsuite
    netsuite.one_world = True
    netsuite.reset()
    yield runtime
    netsuite.one_world = False
    netsuite.reset()


def _order(runtime):
    usd = lambda v: Money(v, "USD")  # noqa: E731
    return AmazonActions(runtime).place_order([OrderLine("1", "OW-MUG", 1, usd("12.00"), usd("0"), usd("0"), "mug")],
                                              shipping=None, customer=("Ada Lovelace", "ada@example.com"), note="ow")


def test_without_a_subsidiary_the_sync_stops_in_one_line_before_any_write(one_world):
    engine = SyncEngine.build(one_world.netsuite, EngineStore(), one_world.config)
    engine.books.ensure_item("OW-MUG", "mug")
    with pytest.raises(ConfigError) as refused:
        engine.orders.sync(_order(one_world))
    assert "[netsuite] subsidiary" in str(refused.value) and "\n" not in str(refused.value)
    netsuite = one_world.sandbox.netsuite
    assert netsuite.records("customer") == [] and netsuite.records("salesOrder") == []


def test_the_configured_subsidiary_reaches_the_customer_and_its_transactions(one_world):
    config = parse_config({"netsuite": {"subsidiary": "2"}})
    engine = SyncEngine.build(one_world.netsuite, EngineStore(), config)
    engine.books.ensure_item("OW-MUG", "mug")
    result = engine.orders.sync(_order(one_world))
    assert result.synced, result.error
    netsuite = one_world.sandbox.netsuite
    (customer,) = netsuite.records("customer")
    (sales_order,) = netsuite.records("salesOrder")
    billing = netsuite.get(result.record.billing_type, result.record.billing_id)
    assert customer["subsidiary"]["id"] == sales_order["subsidiary"]["id"] == billing["subsidiary"]["id"] == "2"
