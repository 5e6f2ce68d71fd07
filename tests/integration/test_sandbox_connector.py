"""The sandbox NetSuite Connector: a process of its own that syncs on request and keeps its own status."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from connectors.netsuite import NetSuiteRecords
from connectors.shopify import ShopifyClient
from sandbox import start_sandbox
from sandbox.shopify import ShopifyBackend
from sandbox_connector.process import SandboxConnector
from sandbox_connector.status import serve as serve_status
from syncproof.channels.shopify import ShopifyActions
from syncproof.config import parse_config
from syncproof.connector_defects import DEFECT_ENV, by_name
from syncproof.connector_driver import ConnectorStatus
from syncproof.errors import SyncproofError
from syncproof.model import Money, OrderLine

from ._helpers import netsuite_client

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def usd(value: str) -> Money:
    return Money(value, "USD")


@pytest.fixture(scope="module")
def world():
    box = start_sandbox(connector={"config": None, "defects": "", "interval": 3600})  # cycles only on request
    netsuite = netsuite_client(box)
    books = NetSuiteRecords(netsuite)
    for sku in ("SC-MUG", "Shipping", "Refund Adjustment", "Refund Fee"):
        books.ensure_item(sku, sku)
    status = ConnectorStatus(box.connector_url)
    yield box, ShopifyActions(ShopifyClient(box.shopify_url, box.shopify_token)), status
    status.close()
    netsuite.close()
    box.stop()


def _place(shop):
    return shop.place_order([OrderLine("1", "SC-MUG", 2, usd("14.50"), usd("2.32"), usd("0"), "mug")],
                            shipping=None, customer=("Sandbox Connector", "sc@example.com"), note="sc")


def _order_state(status, order):
    return next(o for o in status.read()["orders"] if o["order_id"] == order.channel_order_id)


def test_it_runs_in_its_own_process_and_syncs_orders_and_refunds(world):
    box, shop, status = world
    assert box.connector.pid and box.connector.poll() is None
    status.push_settings(parse_config({}))
    order = _place(shop)
    status.cycle()
    state = _order_state(status, order)
    assert state["state"] == "posted" and state["record"]["billing_type"] == "CashSale"
    refund = shop.refund(order, {"SC-MUG": 1}, shipping=False, note="sc")
    status.cycle()
    [posted] = [r for r in status.read()["refunds"] if r["channel_refund_id"] == refund.refund_id]
    assert (posted["state"], posted["netsuite_type"], posted["total"]) == ("posted", "CashRfnd", "15.66")


def test_orders_left_out_by_its_import_settings_are_cancelled_and_their_refunds_are_errors(world):
    _, shop, status = world
    status.push_settings(parse_config({}), order_import=False)
    order = _place(shop)
    refund = shop.refund(order, {"SC-MUG": 2}, shipping=False, note="sc")
    status.cycle()
    state = _order_state(status, order)
    assert state["state"] == "cancelled" and "order import is off" in state["message"]
    [error] = [e for e in status.read()["refund_errors"] if e["ref"] == refund.refund_id]
    assert order.channel_order_id in error["reason"] and "never synced" in error["reason"]
    view = status.view()
    assert view.order("shopify", order.channel_order_id) is None
    assert view.errors("shopify", refund.refund_id)[0].reason == error["reason"]


def test_a_setting_it_cannot_take_is_one_line(world):
    _, _, status = world
    answer = status.http.post("/settings", json={"shopify": {"refunds": {"no_such_setting": True}}})
    assert answer.status_code == 400 and "no_such_setting" in answer.json()["error"]


def test_a_scenarios_defects_replace_the_previous_ones_and_an_unknown_one_is_one_line(world):
    _, _, status = world
    with pytest.raises(SyncproofError) as caught:
        status.scenario_defects(["cent_of"])
    line = str(caught.value)
    assert "\n" not in line and "no connector defect named 'cent_of'" in line and "cent_off" in line
    status.scenario_defects(["cent_off", "tax_dropped"])
    assert sorted(status.read()["defects"]) == ["cent_off", "tax_dropped"]
    status.scenario_defects(["wrong_sku"])
    assert status.read()["defects"] == ["wrong_sku"]
    status.scenario_defects([])
    assert status.read()["defects"] == []


def test_the_defects_it_makes_are_read_back_and_a_connector_that_does_not_make_them_is_refused(world):
    _, _, status = world
    assert status.scenario_defects(["cent_off"]) == ["cent_off"]  # read back from the connector's answer
    status.scenario_defects([])
    box = start_sandbox(emulators=["netsuite"])
    connector = SandboxConnector({"config": None, "defects": "", "netsuite": {
        "base_url": box.emulator("netsuite").url, "credentials": dict(box.emulator("netsuite").connection)},
        "channels": {}})
    connector.scenario_defects = lambda names: None  # a connector that takes the call and changes nothing
    server = serve_status(connector)
    mutant = ConnectorStatus(server.url)
    try:
        with pytest.raises(SyncproofError) as caught:
            mutant.scenario_defects(["cent_off"])
        line = str(caught.value)
        assert "\n" not in line and "asked for the defects cent_off and makes none" in line, line
    finally:
        mutant.close()
        server.stop()
        box.stop()


def test_a_scoped_defect_whose_scenarios_are_not_selected_is_refused_in_one_line(tmp_path):
    env = {**os.environ, DEFECT_ENV: "cent_off@no_such_scenario"}
    done = subprocess.run([sys.executable, "-m", "syncproof", "run", "--driver", "connector", "-k",
                           "discounted_line and shopify", "--report-dir", str(tmp_path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    said = [line for line in (done.stdout + done.stderr).splitlines() if "no_such_scenario" in line]
    assert done.returncode != 0 and len(said) == 1, done.stdout + done.stderr
    assert "matches none of the 1 scenarios selected" in said[0] and "fix the scope after '@'" in said[0]
    assert "Traceback" not in done.stdout + done.stderr


def test_a_defect_setting_the_suite_refuses_is_one_line_from_the_defect_benchmark(monkeypatch, capsys):
    from tests.defect_runs import defect_runs

    monkeypatch.setenv(DEFECT_ENV, "cent_of")
    with pytest.raises(SystemExit) as exited:
        defect_runs.picks([by_name()["cent_off"]])
    said = capsys.readouterr().err.strip().splitlines()
    assert exited.value.code == 2 and len(said) == 1, said
    assert said[0].startswith("error: collecting the scenarios") and "no connector defect named 'cent_of'" in said[0]


class Clock:
    """The Shopify emulator's clock and the connector's: one time, moved on by the test."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def test_a_cycle_reads_only_what_changed_and_a_second_run_reads_an_orders_refunds_again():
    """With ``duplicate_on_rerun`` every read of a synced refund posts it again: cycles that find its order
    unchanged read nothing, a second sync run of the order (``POST /cycle`` with its key) reads it again."""
    clock = Clock()
    box = start_sandbox(emulators=["netsuite", "shopify"], backends={"shopify": ShopifyBackend(clock=clock)})
    netsuite = netsuite_client(box)
    try:
        books = NetSuiteRecords(netsuite)
        for sku in ("SC-MUG", "Shipping", "Refund Adjustment", "Refund Fee"):
            books.ensure_item(sku, sku)
        where = {name: {"base_url": box.emulator(name).url, "credentials": dict(box.emulator(name).connection)}
                 for name in ("netsuite", "shopify")}
        connector = SandboxConnector({"config": None, "defects": "duplicate_on_rerun", "netsuite": where["netsuite"],
                                      "channels": {"shopify": where["shopify"]}}, clock=clock)
        shop = ShopifyActions(ShopifyClient(box.shopify_url, box.shopify_token))
        order = _place(shop)
        connector.cycle()
        clock.advance(1)
        refund = shop.refund(order, {"SC-MUG": 1}, shipping=False, note="sc")
        clock.advance(5)  # the connector reads the order once the second of its change is over
        connector.cycle()
        assert connector.store.refund("shopify", refund.refund_id).status == "synced"
        again = ("shopify", f"{refund.refund_id}~again")
        connector.cycle()
        connector.cycle()
        assert again not in connector.hidden_refunds  # its order unchanged: nothing was read again
        connector.cycle(orders=[("shopify", order.channel_order_id)])
        assert again in connector.hidden_refunds  # a second sync run of the order read it again
    finally:
        netsuite.close()
        box.stop()
