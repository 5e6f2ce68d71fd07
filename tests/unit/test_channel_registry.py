"""A channel is one spec: registering a throwaway one reaches config, CLI, doctor, secrets and clients.

The "acme" channel below exists only in this test. Nothing in syncproof's core names it,
yet its settings table is validated and written by ``syncproof init``, ``--channel acme``
is accepted, the doctor runs its probe over real HTTP, its secret header is redacted and
a missing credential is one line naming its variable.
"""

from __future__ import annotations

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
from syncproof.probe import DoctorLine
from syncproof.recording import Scrubber
from syncproof.runtime import open_runtime
from syncproof.settings_keys import key


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
def acme() -> Iterator[ChannelSpec]:
    channels.register(ACME)
    yield ACME
    channels.unregister("acme")


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
    config = parse_config({"project": {"target": "live"}, "shopify": {"enabled": False}, "amazon": {"enabled": False}})
    lines = diagnose(config, open_runtime)
    assert [(line.check, line.ok) for line in lines] == [("credentials present", False)]
    assert "ACME_API_KEY" in lines[0].detail and "Acme Cart API key" in lines[0].detail


def test_its_secret_header_and_identifier_are_scrubbed(acme):
    assert "x-acme-key" in channels.secret_headers()
    scrubbed = Scrubber().headers([("X-Acme-Key", "acme-live-key")])
    assert scrubbed == {"X-Acme-Key": ["[redacted]"]}
    assert ACME.identifier_values({"store_id": "acme-42"}) == {"acme-42": "[store_id]"}
