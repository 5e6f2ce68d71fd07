"""A run aimed at a production account writes nothing and says why."""

from __future__ import annotations

import pytest

from connectors import WriteGuard, WriteRefused
from syncproof.config import parse_config
from syncproof.runtime import open_runtime
from tests.channel_tables import others_off, others_off_table

from ._helpers import netsuite_client, run

LIVE_ENV = {"NETSUITE_CONSUMER_KEY": "ck", "NETSUITE_CONSUMER_SECRET": "cs", "NETSUITE_TOKEN_ID": "ti",
            "NETSUITE_TOKEN_SECRET": "ts", "SHOPIFY_ACCESS_TOKEN": "shpat_x"}


def test_live_run_on_a_production_account_is_refused_before_any_request(tmp_path, box):
    box.netsuite.reset()
    before = len(box.netsuite.records("customer")) + len(box.netsuite.records("salesOrder"))
    config = tmp_path / "syncproof.toml"
    config.write_text(f"""
[project]
target = "live"
[netsuite]
account_id = "1234567"
base_url = "{box.netsuite_url}"
[shopify]
base_url = "{box.shopify_url}"
test_store = true
""" + others_off("shopify"))
    result = run("run", "--config", str(config), "--report-dir", str(tmp_path / "out"), env=LIVE_ENV)
    assert result.returncode == 2
    assert "refusing to run" in result.stderr and "1234567 is not a sandbox" in result.stderr
    assert "--allow-production-writes" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(box.netsuite.records("customer")) + len(box.netsuite.records("salesOrder")) == before
    assert not (tmp_path / "out").exists()


def test_an_undeclared_store_is_refused_too(tmp_path):
    config = tmp_path / "syncproof.toml"
    config.write_text("[project]\ntarget = 'live'\n[netsuite]\naccount_id = '1234567_SB1'\n" + others_off("shopify"))
    result = run("run", "--config", str(config), "--report-dir", str(tmp_path / "out"), env=LIVE_ENV)
    assert result.returncode == 2 and "shopify store is not declared a test store" in result.stderr


def test_the_client_guard_refuses_writes_without_sending_them(box):
    box.netsuite.reset()
    client = netsuite_client(box, write_guard=WriteGuard("account 1234567 is production"))
    with pytest.raises(WriteRefused, match="1234567 is production"):
        client.upsert("customer", "guarded", {"firstName": "No", "lastName": "Write"})
    assert client.stats.requests == 0
    assert client.find_by_external_id("customer", "guarded") is None  # reads still work
    assert box.netsuite.records("customer") == []


def test_live_runtime_guards_production_clients(monkeypatch):
    for name, value in LIVE_ENV.items():
        monkeypatch.setenv(name, value)
    config = parse_config({"project": {"target": "live"}, "netsuite": {"account_id": "7654321"},
                           **others_off_table("shopify")})
    rt = open_runtime(config)
    try:
        assert rt.netsuite.write_guard is not None and rt.shopify.write_guard is not None
    finally:
        rt.close()


def test_a_production_store_no_selected_scenario_uses_is_refused_too(tmp_path):
    """Credentials are asked only of the channels the selected scenarios use, but the refusal to write stays as
    wide as the configuration: an Amazon-only run with a WooCommerce production store enabled (not declared a
    test store) and no WooCommerce credentials is refused before anything runs, naming that store."""
    config = tmp_path / "syncproof.toml"
    config.write_text("[project]\ntarget = 'live'\n[netsuite]\naccount_id = '1234567_SB1'\n"
                      "[amazon]\ntest_store = true\n[woocommerce]\nstore_url = 'https://shop.example.com'\n"
                      + others_off("amazon", "woocommerce"))
    env = {k: v for k, v in LIVE_ENV.items() if not k.startswith("SHOPIFY")}
    env.update({"AMAZON_LWA_CLIENT_ID": "id", "AMAZON_LWA_CLIENT_SECRET": "secret", "AMAZON_LWA_REFRESH_TOKEN": "t"})
    result = run("run", "--config", str(config), "--report-dir", str(tmp_path / "out"), "-m", "amazon and RS-SET-1",
                 env=env)
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
    assert "refusing to run" in result.stderr and "woocommerce store is not declared a test store" in result.stderr
    assert "amazon store" not in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
