"""The audit features end to end with pytester: clean data passes (under both drivers), a planted mismatch fails
the scenario with its row in the report's check evidence, for Shopify and for WooCommerce both ways; @audit
scenarios run only when asked for. They read what the run's target holds over a window ending now, so they run on
the sandbox (seeded here) or live, never from cassettes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CONFTEST = f'''
import sys
sys.path.insert(0, {str(ROOT)!r})
sys.path.insert(0, {str(ROOT / "tests")!r})
import importlib.util
import pytest
from virtual_time import VirtualClock

pytest_plugins = ["syncproof.pytest_plugin", "steps.common_steps", "steps.audit_steps"]


@pytest.fixture(scope="session", autouse=True)
def seeded(runtime, request):
    # Shopify's cost bucket and the client's waits on one virtual clock: a throttle wait moves it
    # instead of sleeping, and the emulated bucket refills by exactly the time the client waited
    clock = VirtualClock()
    bucket = runtime.sandbox.servers["shopify"]._server.config.app.state.bucket
    bucket.clock = clock.now
    bucket.configure()
    shopify = runtime.client("shopify")
    shopify.costs.clock, shopify.sleep = clock.now, clock.sleep
    spec = importlib.util.spec_from_file_location("audit_benchmark", {str(ROOT / "benchmarks" / "audit.py")!r})
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    seeder = bench.seed(runtime.sandbox, 40, 40, plant_each=0, progress=None)
    bench.seed_ebay(seeder, 6)
    if request.config.getoption("--plant") == "ebay_unposted":
        order, bill = seeder.ebay_order(999)
        seeder.ebay_refund(order, bill, "unposted")
        seeder.ebay_payout()
    elif request.config.getoption("--plant") in ("ebay_paid_after", "ebay_paid_after_posted"):
        # refunded in the window, paid out by a payout dated after it (the window ends an hour from now)
        order, bill = seeder.ebay_order(998)
        seeder.ebay_refund(order, bill, "unposted" if request.config.getoption("--plant") == "ebay_paid_after"
                           else None)
        seeder.ebay.clock.advance(90 * 60)
        seeder.ebay_payout()
    elif request.config.getoption("--plant"):
        order, bill = seeder.shopify_order(999)
        seeder.shopify_refund(order, bill, request.config.getoption("--plant"))
        request.config.planted_order = str(order.id)
    # WooCommerce refunds made in the store (to_netsuite) or in NetSuite (from_netsuite), as the settings say
    woo_plant = request.config.getoption("--plant-woocommerce")
    from_netsuite = runtime.config.channel("woocommerce").refunds.direction == "from_netsuite"
    for n in range(WOO_ORDERS + (1 if woo_plant else 0)):
        order, bill = seeder.woocommerce_order(n)
        kind = woo_plant if n == WOO_ORDERS else None
        if from_netsuite:
            seeder.woocommerce_netsuite_refund(order, bill, kind)
        else:
            seeder.woocommerce_refund(order, bill, kind)


def pytest_addoption(parser):
    parser.addoption("--plant", default=None)
    parser.addoption("--plant-woocommerce", default=None)
'''

#: WooCommerce orders the conftest seeds, each refunded once
WOO_ORDERS = 6
CONFTEST = CONFTEST.replace("WOO_ORDERS", str(WOO_ORDERS))


def _examples(path: Path) -> int:
    """Scenarios in a feature file: one per plain scenario, one per Examples row of an outline."""
    count, rows = 0, None
    for line in (text.strip() for text in path.read_text(encoding="utf-8").splitlines()):
        if line.startswith("Scenario:"):
            count += 1
        elif line.startswith("Examples"):
            rows = -1  # the header row comes first
        elif rows is not None and line.startswith("|"):
            rows += 1
            count += rows > 0
        elif rows is not None and line and not line.startswith(("#", "@")):
            rows = None
    return count


#: the audit scenarios of features/audit/, however many channels they cover
AUDIT_SCENARIOS = sum(_examples(path) for path in (ROOT / "features" / "audit").glob("*.feature"))
FROM_NETSUITE = '[woocommerce.refunds]\ndirection = "from_netsuite"\n'

TESTS = f'''
from pytest_bdd import scenarios
scenarios({str(ROOT / "features" / "audit")!r})
'''


#: only the plugins the project uses: an autoloaded plugin (Hypothesis, Faker) costs every run a second or two
PLUGINS = ("--disable-plugin-autoload", "-p", "pytest-bdd", "-p", "no:cacheprovider")


def _run(pytester, *args, toml: str = ""):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_audit=TESTS)
    if toml:
        (pytester.path / "syncproof.toml").write_text(toml, encoding="utf-8")
    # the window must end after the seeding (which happens once the run has started)
    until = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)).isoformat()
    return pytester.runpytest_subprocess(*PLUGINS, "--until", until, *args)


def _scenarios(pytester):
    data = json.loads((pytester.path / "reports" / "out" / "results.json").read_text())
    return [s for f in data["features"] for s in f["scenarios"]]


def _checks(pytester):
    return [c for s in _scenarios(pytester) for c in s["checks"]]


def _driver(pytester) -> str:
    return json.loads((pytester.path / "reports" / "out" / "results.json").read_text())["run"]["metadata"]["driver"]


@pytest.mark.parametrize("driver", ["engine", "connector"])
def test_audit_scenarios_pass_on_clean_data(pytester, driver):
    result = _run(pytester, "--audit", "--driver", driver)
    result.assert_outcomes(passed=AUDIT_SCENARIOS)
    assert _driver(pytester) == driver
    notes = [n for s in _scenarios(pytester) for n in s["notes"]]
    assert any("audited 20 shopify refunds" in n for n in notes), notes
    assert any("audited 20 amazon refunds" in n for n in notes), notes
    assert any("audited 3 ebay refunds" in n for n in notes), notes
    assert any("audited 1 ebay payouts, 3 ebay refunds paid out" in n for n in notes), notes
    assert any(f"woocommerce refunds in NetSuite: audited {WOO_ORDERS} woocommerce refunds" in n for n in notes), notes
    assert any("[woocommerce.refunds] direction is to_netsuite: nothing to audit this way" in n for n in notes), notes


@pytest.mark.parametrize("driver", ["engine", "connector"])
def test_netsuite_refunds_to_woocommerce_pass_on_clean_data(pytester, driver):
    result = _run(pytester, "--audit", "--driver", driver, toml=FROM_NETSUITE)
    result.assert_outcomes(passed=AUDIT_SCENARIOS)
    assert _driver(pytester) == driver
    notes = [n for s in _scenarios(pytester) for n in s["notes"]]
    assert any(f"NetSuite refunds in woocommerce: audited {WOO_ORDERS} NetSuite refund records" in n
               for n in notes), notes


@pytest.mark.parametrize(("toml", "check_id", "title", "audited", "what", "actual"), [
    ("", "RS-MN-1", "woocommerce refunds in NetSuite", "woocommerce refunds", "NetSuite refund record",
     "none (sales order "),  # made in WooCommerce, never posted to NetSuite
    (FROM_NETSUITE, "RS-NM-2", "NetSuite refunds in woocommerce", "NetSuite refund records", "refund in woocommerce",
     "none"),  # made in NetSuite, never pushed to WooCommerce
])
def test_a_planted_missing_woocommerce_refund_fails_with_its_row(pytester, toml, check_id, title, audited, what,
                                                                  actual):
    result = _run(pytester, "--audit", "--plant-woocommerce", "missing_refund", toml=toml)
    result.assert_outcomes(passed=AUDIT_SCENARIOS - 1, failed=1)
    result.stdout.fnmatch_lines(["FAILED *woocommerce*"])
    failed = [c for c in _checks(pytester) if not c["passed"]]
    assert [c["check_id"] for c in failed] == [check_id]
    assert failed[0]["message"].startswith(f"{title}: 1 mismatch(es) in {WOO_ORDERS + 1} {audited}")
    row = failed[0]["evidence"][0]["mismatches"][0]
    assert row["channel"] == "woocommerce" and row["what"] == what and row["actual"].startswith(actual)
    if check_id == "RS-NM-2":
        assert row["expected"] == "a refund of 21.06"


def test_audit_scenarios_are_deselected_unless_asked_for(pytester):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_audit=TESTS)
    result = pytester.runpytest_subprocess(*PLUGINS)
    result.assert_outcomes(deselected=AUDIT_SCENARIOS)


def test_an_audit_past_shopifys_60_day_window_is_refused_in_one_line(pytester):
    result = _run(pytester, "--since", "2000-01-01")
    result.stdout.fnmatch_lines(["*without the read_all_orders scope Shopify shows only orders from the last 60 days*"])
    assert result.ret != 0  # refused: never an empty pass


def test_a_planted_wrong_type_fails_with_its_row(pytester):
    since = (dt.date.today() - dt.timedelta(days=30)).isoformat()  # within Shopify's 60-day order window
    result = _run(pytester, "--since", since, "--plant", "wrong_type")
    result.assert_outcomes(passed=AUDIT_SCENARIOS - 1, failed=1)
    result.stdout.fnmatch_lines(["FAILED *refunds_in_the_window*shopify*"])
    failed = [c for c in _checks(pytester) if not c["passed"]]
    assert [c["check_id"] for c in failed] == ["RS-MN-2"]
    assert failed[0]["message"].startswith("shopify refunds in NetSuite: 1 mismatch(es) in 21 shopify refunds")
    assert ("NetSuite transaction types: expected cash refund, found cash refund, return authorization"
            in failed[0]["message"])
    row = failed[0]["evidence"][0]["mismatches"][0]
    assert row["what"] == "NetSuite transaction types" and row["channel"] == "shopify"
    assert row["expected"] == "cash refund" and row["actual"] == "cash refund, return authorization"


def test_a_planted_ebay_refund_paid_out_but_not_in_netsuite_fails_both_ebay_audits_with_its_row(pytester):
    result = _run(pytester, "--audit", "--plant", "ebay_unposted")
    result.assert_outcomes(passed=AUDIT_SCENARIOS - 2, failed=2)
    result.stdout.fnmatch_lines(["FAILED *refunds_in_the_window*ebay*", "FAILED *payouts_in_the_window*"])
    failed = [c for c in _checks(pytester) if not c["passed"]]
    assert [c["check_id"] for c in failed] == ["RS-MN-1", "RS-MN-1"]
    payout = next(c for c in failed if c["message"].startswith("ebay payouts in NetSuite: 1 mismatch(es)"))
    [row] = payout["evidence"][0]["mismatches"]
    assert row["channel"] == "ebay" and row["what"].startswith("NetSuite refund record (10.53 USD refunded in "
                                                               "transaction ")
    assert ", paid out in payout " in row["what"]
    assert row["actual"].startswith("none (sales order ")


@pytest.mark.parametrize("driver", ["engine", "connector"])
def test_refunds_paid_out_after_the_window_pass_when_netsuite_has_them(pytester, driver):
    result = _run(pytester, "--audit", "--driver", driver, "--plant", "ebay_paid_after_posted")
    result.assert_outcomes(passed=AUDIT_SCENARIOS)
    notes = [n for s in _scenarios(pytester) for n in s["notes"]]
    assert any("audited 1 ebay payouts, 4 ebay refunds paid out, 0 ebay transactions not yet paid out, "
               "1 ebay payouts outside the window" in n for n in notes), notes


def test_a_refund_paid_out_after_the_window_but_not_in_netsuite_fails_both_ebay_audits_with_its_row(pytester):
    result = _run(pytester, "--audit", "--plant", "ebay_paid_after")
    result.assert_outcomes(passed=AUDIT_SCENARIOS - 2, failed=2)
    result.stdout.fnmatch_lines(["FAILED *refunds_in_the_window*ebay*", "FAILED *payouts_in_the_window*"])
    failed = [c for c in _checks(pytester) if not c["passed"]]
    payout = next(c for c in failed if c["message"].startswith("ebay payouts in NetSuite: 1 mismatch(es)"))
    [row] = payout["evidence"][0]["mismatches"]
    assert row["channel"] == "ebay" and ", paid out after the window in payout " in row["what"]
    assert row["actual"].startswith("none (sales order ")


@pytest.mark.parametrize("driver", ["engine", "connector"])
def test_a_planted_refund_in_another_currency_fails_with_its_row(pytester, driver):
    """A dollar order's refund posted to NetSuite in euros, the same numbers: the scenario fails on RS-MN-3."""
    result = _run(pytester, "--audit", "--plant", "wrong_currency", "--driver", driver)
    result.assert_outcomes(passed=AUDIT_SCENARIOS - 1, failed=1)
    assert _driver(pytester) == driver
    result.stdout.fnmatch_lines(["FAILED *refunds_in_the_window*shopify*"])
    failed = [c for c in _checks(pytester) if not c["passed"]]
    assert [c["check_id"] for c in failed] == ["RS-MN-3"]
    [row] = failed[0]["evidence"][0]["mismatches"]
    assert (row["channel"], row["what"], row["expected"], row["actual"]) == (
        "shopify", "currency (amounts not compared)", "USD", "EUR")
    assert row["netsuite"].startswith("CashRfnd ")
