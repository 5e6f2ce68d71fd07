"""A channel is one spec: registering a throwaway one reaches config, CLI, doctor, secrets and clients.

The "acme" channel below exists only in this test. Nothing in syncproof's core names it,
yet its settings table is validated and written by ``syncproof init``, ``--channel acme``
is accepted, the doctor runs its probe over real HTTP, its secret header is redacted and
a missing credential is one line naming its variable.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any, Iterator

import httpx
import pytest
from click.testing import CliRunner

from syncproof import channels
from syncproof.channels import ChannelSpec, Connection, Secret
from syncproof.cli import cli
from syncproof.config import parse_config, starter_file
from syncproof.doctor import diagnose
from syncproof.errors import ConfigError
from syncproof.model import Channel, Money, Order, OrderLine
from syncproof.probe import DoctorLine
from syncproof.recording import Scrubber
from syncproof.runtime import open_runtime
from syncproof.settings_keys import key
from tests.channel_tables import others_off_table


class AcmeClient:
    """A client of the fake cart: plain HTTP to wherever its connection points."""

    def __init__(self, base_url: str, api_key: str) -> None:
        self.base_url, self.api_key = base_url, api_key
        self.http = httpx.Client(base_url=base_url, headers={"X-Acme-Key": api_key}, timeout=10)

    def ping(self) -> int:
        return self.http.get("/").status_code

    def close(self) -> None:
        self.http.close()


def _client(settings: Any, connection: Connection, **common: Any) -> AcmeClient:
    base_url = connection.base_url or f"https://{settings.options['store_id']}.acme.test"
    return AcmeClient(base_url, connection.credentials.get("api_key", "borrowed-emulator"))


def _doctor(client: AcmeClient) -> Iterator[DoctorLine]:
    status = client.ping()
    yield DoctorLine("acme", "store reachable", status < 500, f"answered HTTP {status}")


ACME = ChannelSpec(
    name="acme",
    title="Acme Cart",
    keys=(key("store_id", str, "acme-dev", "store id: <store_id>.acme.test"),),
    secrets=(Secret("api_key", "ACME_API_KEY", "the Acme API key", "Acme Cart API key"),),
    client=_client,
    actions=lambda runtime: NotImplemented,
    audit_refunds=lambda client, window, progress: {},
    claims_order_id=lambda order_id: order_id.startswith("ACME-"),
    live_origins=lambda settings: [f"https://{settings.options['store_id']}.acme.test"],
    doctor=_doctor,
    emulator="shopify",  # any running emulator answers the probe's GET
    identifiers=("store_id",),
    secret_headers=frozenset({"x-acme-key"}),
    refund_directions=("to_netsuite",),
    direction_refused="Acme Cart cannot take refunds from NetSuite",
)


@pytest.fixture
def acme(registered_channel) -> Iterator[ChannelSpec]:
    with registered_channel(ACME):
        yield ACME


def test_the_registry_lists_the_channels_in_order(acme):
    assert channels.names()[-1] == "acme" and {"shopify", "amazon"} <= set(channels.names())


def test_the_config_table_comes_from_the_spec(acme):
    config = parse_config({"acme": {"store_id": "acme-42", "test_store": True}})
    assert config.channel("acme").options == {"store_id": "acme-42", "api_key_env": "ACME_API_KEY"}
    assert config.channel("acme").refunds.direction == "to_netsuite"
    with pytest.raises(ConfigError, match="did you mean \"store_id\""):
        parse_config({"acme": {"stor_id": "x"}})
    with pytest.raises(Exception, match="Acme Cart cannot take refunds from NetSuite"):
        parse_config({"acme": {"refunds": {"direction": "from_netsuite"}}})
    text = starter_file()
    assert "[acme]\n# run the Acme Cart scenarios\nenabled = true" in text
    assert 'api_key_env = "ACME_API_KEY"' in text and "[acme.refunds]" in text


def test_without_the_spec_the_table_is_unknown():
    with pytest.raises(ConfigError, match=r"unknown table \[acme\]"):
        parse_config({"acme": {}})


def test_cli_channel_choices_include_it(acme, tmp_path):
    result = CliRunner().invoke(cli, ["settings", "show", "--channel", "acme", "--config", str(tmp_path / "none.toml")])
    assert "does not exist" in str(result.exception)  # got past --channel: the choice was accepted
    refused = CliRunner().invoke(cli, ["settings", "show", "--channel", "acmee"])
    assert refused.exit_code == 2 and "'acme'" in refused.output


def test_the_doctor_runs_its_probe_over_http_on_the_sandbox(acme):
    lines = diagnose(parse_config({}), open_runtime)
    acme_lines = [line for line in lines if line.system == "acme"]
    assert [(line.check, line.ok) for line in acme_lines] == [("store reachable", True)]
    assert acme_lines[0].detail.startswith("answered HTTP ")


def test_a_missing_credential_names_its_variable(acme, monkeypatch):
    for name in ("NETSUITE_CONSUMER_KEY", "NETSUITE_CONSUMER_SECRET", "NETSUITE_TOKEN_ID", "NETSUITE_TOKEN_SECRET"):
        monkeypatch.setenv(name, "x")
    monkeypatch.delenv("ACME_API_KEY", raising=False)
    config = parse_config({"project": {"target": "live"}, **others_off_table("acme")})
    lines = diagnose(config, open_runtime)
    assert [(line.check, line.ok) for line in lines] == [("credentials present", False)]
    assert "ACME_API_KEY" in lines[0].detail and "Acme Cart API key" in lines[0].detail


def test_its_secret_header_and_identifier_are_scrubbed(acme):
    assert "x-acme-key" in channels.secret_headers()
    scrubbed = Scrubber().headers([("X-Acme-Key", "acme-live-key")])
    assert scrubbed == {"X-Acme-Key": ["[redacted]"]}
    assert ACME.identifier_values({"store_id": "acme-42"}) == {"acme-42": "[store_id]"}


# --- the sandbox connector polls a registered channel -----------------------------------------------------

class PolledAcmeClient(AcmeClient):
    """A fake cart whose orders live in the Shopify emulator: it reads them over the Admin API, as its own."""

    def __init__(self, base_url: str, api_key: str) -> None:
        from connectors.shopify import ShopifyClient

        super().__init__(base_url, api_key)
        self.shop = ShopifyClient(shop=base_url, access_token=api_key, api_version="2026-10")

    def orders_since(self, since: Any) -> list[Order]:
        return [replace(order, channel=Channel("acme"), channel_order_id=f"ACME-{order.channel_order_id}")
                for order in self.shop.orders_updated_since(since)]


def _polled_client(settings: Any, connection: Connection, **common: Any) -> PolledAcmeClient:
    return PolledAcmeClient(str(connection.base_url), connection.credentials["access_token"])


POLLED = replace(ACME, client=_polled_client, poll_orders=lambda client, since: client.orders_since(since),
                 poll_refunds=lambda client, orders, since: [], refund_directions=("to_netsuite", "from_netsuite"))


@pytest.fixture
def polled_acme() -> Iterator[ChannelSpec]:
    channels.register(POLLED)
    yield POLLED
    channels.unregister("acme")


def test_the_sandbox_connector_polls_a_channel_whose_spec_says_how(polled_acme, tmp_path):
    """No edit to the connector: it builds the channel's client from its spec, polls it (``poll_orders``) and
    syncs what it saw to NetSuite, over real HTTP to the emulators."""
    from sandbox import start_sandbox
    from sandbox_connector.process import SandboxConnector

    (tmp_path / "syncproof.toml").write_text("[shopify]\nenabled = false\n[amazon]\nenabled = false\n")
    box = start_sandbox(emulators=["netsuite", "shopify"])
    try:
        shop = box.emulator("shopify")
        box.netsuite.seed_items([{"itemId": "MUG-1", "displayName": "Mug"}])
        placed = PolledAcmeClient(shop.url, shop.connection["access_token"]).shop.create_order(
            [OrderLine(line_id="", sku="MUG-1", quantity=2, unit_price=Money(Decimal("10.00"), "USD"),
                       tax=Money(Decimal("2.00"), "USD"), discount=Money(Decimal("0"), "USD"), title="Mug")])
        ns = box.emulator("netsuite")
        connector = SandboxConnector({
            "config": str(tmp_path / "syncproof.toml"),
            "netsuite": {"base_url": ns.url, "credentials": ns.connection},
            "channels": {"shopify": {"base_url": shop.url, "credentials": shop.connection}}})
        assert set(connector.clients) == {"shopify", "acme"}
        connector.cycle()
        state = connector.status()
        assert state["last_error"] is None
        orders = [o for o in state["orders"] if o["channel"] == "acme"]
        assert [(o["order_id"], o["state"]) for o in orders] == [(f"ACME-{placed.channel_order_id}", "posted")]
        assert not [o for o in state["orders"] if o["channel"] == "shopify"]  # disabled: not polled
        sales_order = orders[0]["record"]["sales_order_id"]
        record = next(r for r in box.netsuite.records("salesOrder") if str(r["id"]) == str(sales_order))
        assert f"ACME-{placed.channel_order_id}" in record.values()
    finally:
        box.stop()


def test_a_channel_without_poll_orders_is_not_polled(acme, tmp_path):
    from sandbox import start_sandbox
    from sandbox_connector.process import SandboxConnector

    (tmp_path / "syncproof.toml").write_text("[shopify]\nenabled = false\n[amazon]\nenabled = false\n")
    box = start_sandbox(emulators=["netsuite", "shopify"])
    try:
        ns, shop = box.emulator("netsuite"), box.emulator("shopify")
        connector = SandboxConnector({
            "config": str(tmp_path / "syncproof.toml"),
            "netsuite": {"base_url": ns.url, "credentials": ns.connection},
            "channels": {"shopify": {"base_url": shop.url, "credentials": shop.connection}}})
        assert "acme" in connector.clients
        connector.cycle()
        assert connector.status()["orders"] == [] and connector.watermarks["acme"] < connector.clock()
    finally:
        box.stop()


def test_each_vendor_names_its_own_secrets_once():
    """The HTTP plumbing holds only the names every API shares; a vendor's own header names live on its client,
    which redacts them by default, and its channel's spec hands those same names to the run's redactor."""
    from connectors import SECRET_HEADERS
    from connectors.amazon import AmazonClient
    from connectors.shopify import ShopifyClient

    assert "x-shopify-access-token" not in SECRET_HEADERS and "x-amz-access-token" not in SECRET_HEADERS
    assert channels.get("shopify").secret_headers is ShopifyClient.secret_headers
    assert channels.get("amazon").secret_keys is AmazonClient.secret_keys
    assert {"x-shopify-access-token", "x-amz-access-token"} <= channels.secret_headers()
    shop = ShopifyClient("http://127.0.0.1:9", "shpat_secret")
    assert shop.redactor.header_items([("X-Shopify-Access-Token", "shpat_secret")]) == {
        "X-Shopify-Access-Token": "[redacted]"}
    shop.close()
