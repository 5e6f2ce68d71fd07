"""The syncproof command as a user runs it: real processes, real files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.channel_tables import others_off

from ._helpers import ROOT, copy_of, run


def test_run_passes_the_netsuite_feature_and_writes_the_report(netsuite_run, tmp_path):
    result, folder = netsuite_run
    copy_of(folder, tmp_path)
    html = (tmp_path / "report.html").read_text()
    assert "A sales order billed as a cash sale is refunded by transform as a cash refund" in html
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["summary"]["scenarios"]["passed"] == 3
    assert results["verdict"]["status"] == "demo"  # the emulators are not go-live evidence
    assert "not go-live evidence" in result.stdout
    lines = result.stdout.splitlines()
    assert not any(line.startswith((".", "F")) for line in lines) and "[100%]" not in result.stdout  # no pytest dots
    assert any("All 3 scenarios that ran passed" in line and "Left out:" in line for line in lines)  # not wrapped
    assert any(line.startswith("✓ passed  RS-NM-1,KC-1 A sales order billed as a cash sale") for line in lines)
    assert any("deselected by -k/-m, so the run is not complete" in line for line in lines)

    refused = run("signoff", str(tmp_path / "results.json"), "--name", "Dana Reyes", "--role", "Finance lead",
                  "--decision", "accepted")
    assert refused.returncode == 2 and "refusing to sign accepted: the run is DEMO" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert json.loads((tmp_path / "results.json").read_text())["signoff"] is None

    listed = run("history", "--report-dir", str(tmp_path))
    assert listed.returncode == 0 and results["run"]["id"][:12] in listed.stdout and "DEMO" in listed.stdout
    same = run("report", "diff", str(tmp_path / "results.json"), results["run"]["id"][:8], "--report-dir",
               str(tmp_path))
    assert same.returncode == 0 and same.stdout.strip().endswith("nothing changed"), same.stdout + same.stderr


def test_a_misspelt_key_is_one_line_with_a_suggestion_and_no_traceback(tmp_path):
    (tmp_path / "syncproof.toml").write_text("[project]\ntargt = 'sandbox'\n")
    result = run("settings", "show", "--config", str(tmp_path / "syncproof.toml"))
    assert result.returncode == 2
    assert 'did you mean "target"' in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_sandbox_serve_refuses_a_defect_scoped_to_scenarios_in_one_line(tmp_path):
    result = run("sandbox", "serve", cwd=tmp_path,
                 env={"SYNCPROOF_CONNECTOR_DEFECTS": "tax_dropped,cent_off@discounted_line"}, timeout=60)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "'cent_off@discounted_line'" in result.stderr and "without '@discounted_line'" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_debug_shows_the_traceback(tmp_path):
    (tmp_path / "syncproof.toml").write_text("[project]\ntargt = 'sandbox'\n")
    result = run("--debug", "settings", "show", "--config", str(tmp_path / "syncproof.toml"))
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_a_missing_credential_names_the_variable(tmp_path):
    (tmp_path / "syncproof.toml").write_text("[project]\ntarget = 'live'\n[netsuite]\naccount_id = '123_SB1'\n"
                                             "[shopify]\ntest_store = true\n[amazon]\ntest_store = true\n"
                                             + others_off("shopify", "amazon"))
    env = {k: "" for k in ("NETSUITE_CONSUMER_KEY", "NETSUITE_CONSUMER_SECRET", "NETSUITE_TOKEN_ID",
                           "NETSUITE_TOKEN_SECRET")}
    result = run("run", "--config", str(tmp_path / "syncproof.toml"), "--report-dir", str(tmp_path / "out"),
                 "-m", "netsuite", env=env)
    assert result.returncode != 0
    assert "NETSUITE_CONSUMER_KEY" in result.stdout + result.stderr


def test_init_writes_a_valid_starter_file_and_settings_set_changes_it(tmp_path):
    result = run("init", "--path", str(tmp_path / "syncproof.toml"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    config = tmp_path / "syncproof.toml"
    assert "[shopify.refunds]" in config.read_text()
    result = run("settings", "set", "--config", str(config), "shopify.refunds.customer_refund", "true")
    assert result.returncode == 0, result.stderr
    shown = run("settings", "show", "--config", str(config), "--channel", "shopify")
    assert "customer_refund" in shown.stdout and "true" in shown.stdout
    refused = run("settings", "set", "--config", str(config), "shopify.refunds.cash_sale_refund", "credit_memo")
    assert refused.returncode == 2 and "cash refund" in refused.stderr
    from syncproof.config import load_config

    assert load_config(config).shopify.refunds.cash_sale_refund == "cash_refund"
    assert load_config(config).shopify.refunds.customer_refund is True


def test_settlement_check_exit_codes(tmp_path):
    from decimal import Decimal

    from sandbox.settlement_generator import GeneratorOptions, write_settlement

    good, bad, broken = tmp_path / "good.txt", tmp_path / "bad.txt", tmp_path / "broken.txt"
    write_settlement(good, GeneratorOptions(rows=40, seed=3, decimal_comma=True, eu_dates=True, currency="EUR"))
    write_settlement(bad, GeneratorOptions(rows=40, seed=4, unbalance=Decimal("0.01")))
    broken.write_bytes(good.read_bytes().replace(b"\t", b",", 30))
    ok = run("settlement", "check", str(good))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "balanced" in ok.stdout and "EUR" in ok.stdout
    unbalanced = run("settlement", "check", str(bad))
    assert unbalanced.returncode == 1 and "0.01" in unbalanced.stdout
    unreadable = run("settlement", "check", str(broken))
    assert unreadable.returncode == 1 and "line" in unreadable.stdout + unreadable.stderr


def test_signoff_and_verify_round_trip(netsuite_run, tmp_path):
    results = copy_of(netsuite_run[1], tmp_path) / "results.json"
    signed = run("signoff", str(results), "--name", "Dana Reviewer", "--role", "Finance lead",
                 "--decision", "conditional", "--comment", "settlements to follow")
    assert signed.returncode == 0, signed.stderr
    html = (tmp_path / "report.html").read_text()
    assert "Dana Reviewer" in html and "conditional" in html.lower()
    assert run("report", "verify", str(results)).returncode == 0
    rerendered = run("report", str(results), "--out", str(tmp_path / "copy"))
    assert rerendered.returncode == 0 and (tmp_path / "copy" / "report.html").exists()
    data = json.loads(results.read_text())
    data["summary"]["scenarios"]["passed"] = 99
    results.write_text(json.dumps(data))
    tampered = run("report", "verify", str(results))
    assert tampered.returncode == 1


def test_a_run_stopped_from_the_workbench_exits_130_as_an_interrupted_command(tmp_path):
    from syncproof.stopping import ENV as STOP_ENV
    from syncproof.stopping import request_stop

    request_stop(tmp_path / "stop")  # asked before the first scenario: the run ends before starting one
    done = run("run", "-m", "netsuite", "--report-dir", str(tmp_path / "out"), env={STOP_ENV: str(tmp_path / "stop")})
    assert done.returncode == 130, done.stdout[-2000:] + done.stderr[-2000:]
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert results["summary"]["scenarios"].get("passed", 0) == 0


def test_only_a_user_interrupt_counts_as_interrupted_not_a_feature_file_that_does_not_parse():
    import pytest

    from syncproof.cli import _SessionWatch

    def watched(exc: BaseException) -> bool:
        watch = _SessionWatch()
        try:
            raise exc
        except BaseException:
            watch.pytest_keyboard_interrupt(pytest.ExceptionInfo.from_current())
        return watch.interrupted

    assert watched(KeyboardInterrupt())  # Ctrl-C
    assert not watched(pytest.Session.Interrupted("1 error during collection"))  # pytest's exit code 2 stays 2


@pytest.mark.parametrize("workers", ["0", "2"])  # with -n the file is collected, and fails, in the workers
def test_a_feature_file_that_does_not_parse_is_one_error_line_naming_the_file_and_line(tmp_path, workers):
    (tmp_path / "broken.feature").write_text("Feature: Refunds\n    Scenario: one\n        Given a step\n"
                                             "    Scenario two\n")
    feature = str(tmp_path / "broken.feature")
    (tmp_path / "test_broken.py").write_text(f"from pytest_bdd import scenarios\nscenarios({feature!r})\n")
    done = run("run", "-m", "netsuite", "-n", workers, "--report-dir", str(tmp_path / "out"), "--",
               str(tmp_path / "test_broken.py"))
    assert done.returncode == 2, done.stdout[-2000:] + done.stderr[-2000:]
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and f"{tmp_path / 'broken.feature'}, line 4: the feature file does not parse" in errors[0]
    verdict = json.loads((tmp_path / "out" / "results.json").read_text())["verdict"]  # the other scenarios ran
    assert [f"error: {line}" for line in verdict["unreadable"]] == errors and "could not be read" in verdict["reason"]
    assert "Traceback" not in done.stdout + done.stderr


def test_the_workbench_lists_each_outline_example_under_the_name_the_report_gives_it(netsuite_run):
    """Every scenario of a run's report, an outline's example rows each one, is one the workbench's catalogue
    lists by the same name: the definition's for a plain scenario, the example's label for an outline's."""
    from syncproof.ui.catalog import catalog

    _, folder = netsuite_run
    results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    reported = [s["label"] for f in results["features"] for s in f["scenarios"]]
    listed = {label for f in catalog(ROOT / "features")["features"] for s in f["scenarios"]
              for label in s["example_labels"] or [s["name"]]}
    outlines = {label for f in catalog(ROOT / "features")["features"] for s in f["scenarios"]
                for label in s["example_labels"]}
    assert reported and set(reported) <= listed, sorted(set(reported) - listed)
    assert len(set(reported) & outlines) >= 2  # outline examples among them, not only plain scenarios


#: What only some commands use: pytest, the report's templates, the workbench's web framework, the sandbox and
#: its fake data, the terminal renderer (the HTTP client too, but a configuration is read with every channel's
#: module, which uses it)
HEAVY = ("pytest", "jinja2", "starlette", "sandbox", "faker")
IMPORTED = ("import sys\nfrom syncproof.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print('imported:', *sorted(m for m in {modules!r} if m in sys.modules))")


def imported(*args: str, modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` the syncproof command ran with ``args`` imported."""
    done = subprocess.run([sys.executable, "-c", IMPORTED.format(modules=modules), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    last = done.stdout.splitlines()[-1]
    assert last.startswith("imported:"), done.stdout[-2000:] + done.stderr[-2000:]
    return last.split()[1:]


@pytest.mark.parametrize("command", [["--help"], ["run", "--help"], ["doctor", "--help"]])
def test_help_imports_neither_the_http_client_nor_the_terminal_renderer_nor_pytest(command):
    assert imported(*command, modules=(*HEAVY, "httpx", "rich")) == []


@pytest.mark.parametrize("command", ["run", "ui"])
def test_a_configuration_refused_at_the_start_is_refused_before_the_command_imports_what_it_runs_with(
        tmp_path, command):
    (tmp_path / "syncproof.toml").write_text("[project]\ntargt = 'sandbox'\n")
    assert imported(*command.split(), "--config", str(tmp_path / "syncproof.toml"), modules=HEAVY) == []


def test_a_host_the_workbench_refuses_is_refused_before_it_imports_the_app():
    assert imported("ui", "--host", "0.0.0.0", modules=HEAVY) == []
