"""Live pre-flight: every missing credential, unresolvable host and refused login, one line
each, before any scenario runs; ``doctor --target live`` lists them the same way."""

from __future__ import annotations

import functools
import json
import os
import subprocess
from pathlib import Path

import pytest

from syncproof.config import load_config
from syncproof.doctor import diagnose
from syncproof.runtime import open_runtime
from tests.channel_tables import others_off, secret_variables
from virtual_time import VirtualClock

from ._helpers import ROOT, SYNCPROOF


def run(*args: str, env: dict[str, str], cwd=ROOT, timeout: int = 300) -> subprocess.CompletedProcess:
    """The syncproof command with exactly ``env`` (credentials left out stay out)."""
    return subprocess.run([*SYNCPROOF, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**env, "NO_COLOR": "1", "COLUMNS": "200"})

NETSUITE_VARIABLES = ("NETSUITE_CONSUMER_KEY", "NETSUITE_CONSUMER_SECRET", "NETSUITE_TOKEN_ID", "NETSUITE_TOKEN_SECRET")
ALL_VARIABLES = (*NETSUITE_VARIABLES, *secret_variables())
CREDENTIALS = {"NETSUITE_CONSUMER_KEY": "ck", "NETSUITE_CONSUMER_SECRET": "cs", "NETSUITE_TOKEN_ID": "ti",
               "NETSUITE_TOKEN_SECRET": "ts", "SHOPIFY_ACCESS_TOKEN": "shpat_wrong"}


def without_credentials() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ALL_VARIABLES}


def live_config(tmp_path, netsuite: str, shopify: str) -> str:
    path = tmp_path / "syncproof.toml"
    path.write_text(f'[project]\ntarget = "live"\n[netsuite]\naccount_id = "1234567_SB1"\nbase_url = "{netsuite}"\n'
                    f'[shopify]\nbase_url = "{shopify}"\ntest_store = true\n' + others_off("shopify"))
    return str(path)


def test_a_live_run_without_credentials_lists_every_missing_variable_and_runs_nothing(tmp_path):
    config = tmp_path / "syncproof.toml"
    config.write_text('[project]\ntarget = "live"\n[netsuite]\naccount_id = "1234567_SB1"\n'
                      '[shopify]\ntest_store = true\n[amazon]\ntest_store = true\n' + others_off("shopify", "amazon"))
    out = tmp_path / "out"
    result = run("run", "--config", str(config), "--report-dir", str(out), env=without_credentials())
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert f"{len(NETSUITE_VARIABLES) + len(secret_variables('shopify', 'amazon'))} credential variable(s) not set" \
        in errors[0], result.stderr
    assert sum("credential" in line for line in errors) == 1  # every variable on one line, not one run each
    assert all(name in errors[0] for name in (*NETSUITE_VARIABLES, *secret_variables("shopify", "amazon")))
    assert "no scenario was run" in result.stderr and "Traceback" not in result.stderr
    assert not (out / "results.json").exists()


def test_a_live_run_whose_logins_fail_says_so_per_system_before_any_scenario(tmp_path, box):
    config = live_config(tmp_path, box.netsuite_url, box.shopify_url)
    out = tmp_path / "out"
    result = run("run", "--config", config, "--report-dir", str(out), env={**without_credentials(), **CREDENTIALS})
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2, result.stderr
    assert errors[0].startswith("error: netsuite authentication failed")
    assert errors[1].startswith("error: shopify authentication failed")
    assert not (out / "results.json").exists()


def test_hosts_that_do_not_resolve_are_one_line_each(tmp_path):
    config = tmp_path / "syncproof.toml"  # the NetSuite host derived from the account id
    config.write_text('[project]\ntarget = "live"\n[netsuite]\naccount_id = "9999999_SB1"\n'
                      '[shopify]\nbase_url = "https://no-such-shop.invalid"\ntest_store = true\n'
                      + others_off("shopify"))
    config = str(config)
    result = run("run", "--config", config, "--report-dir", str(tmp_path / "out"),
                 env={**without_credentials(), **CREDENTIALS}, timeout=120)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert result.returncode == 2 and errors, result.stderr
    # .invalid never resolves (RFC 2606); the NetSuite host does not resolve offline either
    assert "the shopify host 'no-such-shop.invalid' does not resolve" in errors[-1]
    assert all("does not resolve" in line or "authentication failed" in line for line in errors), errors
    assert "no scenario was run" in result.stderr


def test_doctor_lists_every_missing_variable(tmp_path):
    config = tmp_path / "syncproof.toml"
    config.write_text('[netsuite]\naccount_id = "1234567_SB1"\n' + others_off("shopify"))
    result = run("doctor", "--config", str(config), "--target", "live", cwd=tmp_path, env=without_credentials())
    assert result.returncode == 1
    assert "5 credential variable(s) not set" in result.stdout
    assert all(name in result.stdout for name in (*NETSUITE_VARIABLES, *secret_variables("shopify")))


def test_doctor_does_not_blame_role_permissions_for_a_refused_connection(tmp_path, monkeypatch):
    # in process, so the clients' backoff between connection attempts runs on a virtual clock
    for name in ALL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    clock = VirtualClock()
    config = load_config(live_config(tmp_path, "http://127.0.0.1:9", "http://127.0.0.1:9"))
    lines = diagnose(config, functools.partial(open_runtime, sleep=clock.sleep))
    line = next(line for line in lines if line.system == "netsuite" and not line.ok)
    assert "cannot reach netsuite" in line.detail, line
    assert "role" not in f"{line.check} {line.detail} {line.fix}", line
    assert clock.sleeps, "the refused connection was given up without a retry"


def woocommerce_live(tmp_path, box, store_url: str | None = None, *, tables: str = "",
                     kept: tuple[str, ...] = ()) -> tuple[str, dict[str, str]]:
    """A live configuration on the sandbox's NetSuite and WooCommerce (or the store at ``store_url``), with their
    demo credentials; ``tables`` configure the channels ``kept`` as well."""
    from sandbox.woocommerce import DEMO_KEY, DEMO_SECRET

    path = tmp_path / "syncproof.toml"
    path.write_text(f'[project]\ntarget = "live"\n[netsuite]\naccount_id = "1234567_SB1"\n'
                    f'base_url = "{box.netsuite_url}"\n[woocommerce]\n'
                    f'store_url = "{store_url or box.emulator("woocommerce").url}"\n'
                    'test_store = true\n' + tables + others_off("woocommerce", *kept))
    demo = box.netsuite_credentials
    return str(path), {"NETSUITE_CONSUMER_KEY": demo.consumer_key, "NETSUITE_CONSUMER_SECRET": demo.consumer_secret,
                       "NETSUITE_TOKEN_ID": demo.token_id, "NETSUITE_TOKEN_SECRET": demo.token_secret,
                       "WOOCOMMERCE_CONSUMER_KEY": DEMO_KEY, "WOOCOMMERCE_CONSUMER_SECRET": DEMO_SECRET}


@pytest.fixture
def usd_store_at(box):
    """The sandbox WooCommerce store (USD) with its "Number of decimals" set, put back to 2 afterwards."""
    backend = box.emulator("woocommerce").backend

    def set_to(decimals: int) -> None:
        backend.price_decimals = decimals

    yield set_to
    backend.price_decimals = 2


def test_a_live_run_on_a_usd_store_set_to_three_decimals_stops_at_the_pre_flight_with_the_setting(
        tmp_path, box, usd_store_at):
    """The store writes every amount with 3 decimals, so a refund's -0.001 USD adjustment would be shown, and
    compared, as -0.00 USD: the run says so with the Number of decimals to set and runs no scenario."""
    usd_store_at(3)
    config, credentials = woocommerce_live(tmp_path, box)
    out = tmp_path / "out"
    result = run("run", "--config", config, "--report-dir", str(out), env={**without_credentials(), **credentials})
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == ["error: woocommerce number of decimals: the store writes amounts with 3 decimals and USD has 2: "
                      "its amounts and NetSuite's do not compare to the minor unit; set WooCommerce > Settings > "
                      "General > Number of decimals to 2, the minor unit of USD"], result.stderr
    assert "pre-flight: 1 problem(s); no scenario was run" in result.stderr and "Traceback" not in result.stderr
    assert not (out / "results.json").exists()


@pytest.mark.parametrize(("decimals", "problems"), [(2, 0), (3, 1), (0, 1)])
def test_the_pre_flight_passes_a_store_only_at_its_currencys_minor_unit(tmp_path, box, usd_store_at, monkeypatch,
                                                                       decimals, problems):
    from syncproof.preflight import preflight

    usd_store_at(decimals)
    config, credentials = woocommerce_live(tmp_path, box)
    for name in ALL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in credentials.items():
        monkeypatch.setenv(name, value)
    found = preflight(load_config(config), open_runtime)
    assert [p.system for p in found] == ["woocommerce"] * problems, found
    if problems:
        assert f"writes amounts with {decimals} decimals" in found[0].message


def amazon_and_woocommerce_live(tmp_path, box, woocommerce_url: str) -> tuple[str, dict[str, str]]:
    """A live configuration on the sandbox's NetSuite and Amazon, with WooCommerce enabled at ``woocommerce_url``."""
    from sandbox.amazon import DEMO_CREDENTIALS

    config, credentials = woocommerce_live(
        tmp_path, box, woocommerce_url, kept=("amazon",),
        tables=f'[amazon]\nbase_url = "{box.amazon_url}"\nlwa_url = "{box.amazon_lwa_url}"\ntest_store = true\n')
    return config, {**credentials, "AMAZON_LWA_CLIENT_ID": DEMO_CREDENTIALS.client_id,
                    "AMAZON_LWA_CLIENT_SECRET": DEMO_CREDENTIALS.client_secret,
                    "AMAZON_LWA_REFRESH_TOKEN": DEMO_CREDENTIALS.refresh_token}


@pytest.mark.parametrize("store", ["set to three decimals", "not reachable"])
def test_a_live_run_of_amazon_scenarios_is_not_stopped_by_a_woocommerce_store_no_scenario_uses(
        tmp_path, box, usd_store_at, store):
    """The pre-flight probes the channels the selected scenarios talk to: a run of Amazon scenarios starts
    though WooCommerce is enabled with a store its scenarios would refuse (or that does not answer), and says
    in one line that WooCommerce was not checked. A selection that uses WooCommerce, or a scenario that names
    no channel (a NetSuite-only one), still stops at the store's Number of decimals."""
    usd_store_at(3)
    url = box.emulator("woocommerce").url if store == "set to three decimals" else "http://127.0.0.1:9"
    config, credentials = amazon_and_woocommerce_live(tmp_path, box, url)
    env = {**without_credentials(), **credentials}
    amazon = run("run", "--config", config, "--report-dir", str(tmp_path / "amazon"),
                 "-m", "amazon and RS-SET-1", env=env)
    assert amazon.returncode == 0, amazon.stdout[-2000:] + amazon.stderr[-2000:]
    assert ("pre-flight: woocommerce: not used by this selection (no selected scenario uses it); credentials, "
            "host, login and store set-up not checked") in amazon.stderr.splitlines()
    assert "error:" not in amazon.stderr
    results = json.loads((tmp_path / "amazon" / "results.json").read_text(encoding="utf-8"))
    assert results["summary"]["scenarios"]["passed"] == 1, results["summary"]
    if store == "not reachable":
        return
    for selection in ("woocommerce and RS-SET-1", "netsuite and KC-1"):
        stopped = run("run", "--config", config, "--report-dir", str(tmp_path / "stopped"), "-m", selection, env=env)
        assert stopped.returncode == 2, selection + stopped.stdout[-2000:] + stopped.stderr[-2000:]
        assert "error: woocommerce number of decimals: the store writes amounts with 3 decimals" in stopped.stderr
        assert "woocommerce: not used by this selection" not in stopped.stderr
        assert not (tmp_path / "stopped" / "results.json").exists()


WOOCOMMERCE_VARIABLES = ("WOOCOMMERCE_CONSUMER_KEY", "WOOCOMMERCE_CONSUMER_SECRET")
WOOCOMMERCE_UNUSED_UNSET = ("pre-flight: woocommerce: not used by this selection (no selected scenario uses it); "
                            "credentials not set (WOOCOMMERCE_CONSUMER_KEY, WOOCOMMERCE_CONSUMER_SECRET) and host, "
                            "login and store set-up not checked")


def amazon_live_without_woocommerce_credentials(tmp_path, box) -> tuple[str, dict[str, str]]:
    """The Amazon and WooCommerce live configuration, with every credential set but WooCommerce's."""
    config, credentials = amazon_and_woocommerce_live(tmp_path, box, box.emulator("woocommerce").url)
    return config, {k: v for k, v in {**without_credentials(), **credentials}.items()
                    if k not in WOOCOMMERCE_VARIABLES}


def credentials_line(result: subprocess.CompletedProcess, report: Path, count: int) -> str:
    """The one ``error:`` line of a run stopped at its ``count`` missing credential variables, with no report."""
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(f"error: {count} credential variable(s) not set: "), errors
    assert not (report / "results.json").exists()
    return errors[0]


def test_a_live_run_of_amazon_scenarios_needs_no_credentials_of_a_woocommerce_store_no_scenario_uses(tmp_path, box):
    """Credentials are asked only of NetSuite and the channels the selected scenarios talk to: an Amazon run
    starts with WooCommerce enabled and none of its credentials set, and says in one line that they are not set
    and not needed; a selection that uses WooCommerce stops at the one line naming its two variables, and
    NetSuite's are asked for whatever the selection."""
    config, env = amazon_live_without_woocommerce_credentials(tmp_path, box)
    amazon = run("run", "--config", config, "--report-dir", str(tmp_path / "amazon"),
                 "-m", "amazon and RS-SET-1", env=env)
    assert amazon.returncode == 0, amazon.stdout[-2000:] + amazon.stderr[-2000:]
    assert WOOCOMMERCE_UNUSED_UNSET in amazon.stderr.splitlines(), amazon.stderr
    assert "error:" not in amazon.stderr and "Traceback" not in amazon.stderr
    results = json.loads((tmp_path / "amazon" / "results.json").read_text(encoding="utf-8"))
    assert results["summary"]["scenarios"]["passed"] == 1, results["summary"]

    woocommerce = run("run", "--config", config, "--report-dir", str(tmp_path / "woocommerce"),
                      "-m", "woocommerce and RS-SET-1", env=env)
    line = credentials_line(woocommerce, tmp_path / "woocommerce", 2)
    assert all(name in line for name in WOOCOMMERCE_VARIABLES) and "AMAZON_" not in line, line
    assert "export WOOCOMMERCE_CONSUMER_KEY=... WOOCOMMERCE_CONSUMER_SECRET=..." in line
    assert "[woocommerce] enabled = false" in line

    no_netsuite = {k: v for k, v in env.items() if k not in NETSUITE_VARIABLES}
    netsuite = run("run", "--config", config, "--report-dir", str(tmp_path / "netsuite"),
                   "-m", "amazon and RS-SET-1", env=no_netsuite)
    line = credentials_line(netsuite, tmp_path / "netsuite", 4)
    assert all(name in line for name in NETSUITE_VARIABLES) and "WOOCOMMERCE_" not in line, line


def test_a_recording_from_live_accounts_needs_no_credentials_of_a_channel_no_scenario_uses(tmp_path, box):
    """``--target record -- --record-from live`` asks credentials as a live run does: an Amazon recording with
    WooCommerce enabled and its credentials unset records its cassette."""
    config, env = amazon_live_without_woocommerce_credentials(tmp_path, box)
    cassettes = tmp_path / "cassettes"
    done = run("run", "--config", config, "--target", "record", "--report-dir", str(tmp_path / "out"),
               "-m", "amazon and RS-SET-1", "--", "--record-from", "live", "--cassette-dir", str(cassettes), env=env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert [line for line in done.stderr.splitlines() if line.startswith("pre-flight: woocommerce:")] == [
        WOOCOMMERCE_UNUSED_UNSET], done.stderr
    assert "error:" not in done.stderr
    assert len(list(cassettes.rglob("*.yaml"))) == 1
