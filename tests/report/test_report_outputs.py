"""End to end: run a feature project with the collector and check every output."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from syncproof.report.checks_catalog import CHECK_IDS

from ._helpers import SECRET

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture
def run(project):
    return project.shared_run("-W", "ignore::pytest.PytestUnknownMarkWarning")


def scenario(results, name):
    return next(s for f in results["features"] for s in f["scenarios"] if s["name"].startswith(name))


def test_pytest_outcome_is_unchanged(run):
    run.result.assert_outcomes(passed=4, failed=2)


def test_verdict_and_counts(run):
    r = run.results
    assert r["schema"] == "syncproof.results/1"
    assert r["verdict"]["status"] == "rejected"
    assert r["summary"]["scenarios"] == {"total": 6, "passed": 4, "failed": 2, "error": 0, "skipped": 0,
                                         "not-run": 0}
    assert r["summary"]["categories"] == {"API error": 1, "data mismatch": 1}
    assert r["signoff"] is None


def test_matrix_rows_and_gaps(run):
    rows = {row["id"]: row for row in run.results["matrix"]}
    assert list(rows)[:3] == ["RS-NM-1", "RS-NM-2", "RS-NM-3"] and len(rows) == len(CHECK_IDS)
    assert rows["RS-MN-1"]["status"] == "passed"
    assert rows["RS-MN-3"]["status"] == "failed"
    assert rows["RS-MN-2"]["counts"] == {"passed": 2, "failed": 1}
    assert rows["RS-MN-2"]["channels"] == ["amazon", "shopify"]
    assert rows["AS-4"]["status"] == "gap" and rows["AS-4"]["scenarios"] == []
    assert "AS-4" in run.results["verdict"]["gaps"] and "AS-3" not in run.results["verdict"]["gaps"]


def test_check_failure_has_expected_actual_category_and_evidence(run):
    s = scenario(run.results, "Partial refund")
    assert s["status"] == "failed" and s["category"] == "data mismatch"
    assert s["channel"] == "amazon" and s["check_ids"] == ["RS-MN-3"]
    assert s["failing_step"] == 2  # background step, When, then the failing Then
    assert [st["status"] for st in s["steps"]] == ["passed", "passed", "failed"]
    assert s["expected"]["total"] == {"amount": "39.98", "currency": "USD"}
    assert s["actual"]["total"] == {"amount": "39.97", "currency": "USD"}
    assert s["reason"].startswith("refund total differs for order #2002")
    [check] = s["checks"]  # recorded once although both record_check and CheckFailed carried it
    [evidence] = check["evidence"]
    assert evidence["request_headers"]["Authorization"] == "[redacted]"
    assert evidence["url"].endswith("access_token=%5Bredacted%5D") or "[redacted]" in evidence["url"]
    assert s["steps"][1]["datatable"] == [["sku", "qty", "amount"], ["SKU-BLUE-7", "2", "19.99"]]
    assert s["steps"][1]["exchanges"][0]["url"].split("?")[0].endswith("/creditMemo/2002")


def test_api_error_is_classified(run):
    s = scenario(run.results, "NetSuite refuses")
    assert s["category"] == "API error"
    assert s["steps"][1]["status"] == "failed" and s["steps"][2]["status"] == "not-run"
    assert "INVALID_FLD_VALUE" in s["reason"]
    failure = next(f for f in run.results["failures"] if f["scenario"] == s["name"])
    assert failure["step"]["text"] == "NetSuite is asked for the credit memo"


def test_outline_examples_channels_and_exchanges(run):
    r = run.results
    outlines = [s for f in r["features"] for s in f["scenarios"] if s["example"]]
    assert sorted((s["channel"], s["example"]["type"]) for s in outlines) == [
        ("amazon", "credit memo"), ("shopify", "cash refund")]
    full = scenario(r, "Full refund")
    [exchange] = full["steps"][1]["exchanges"]
    assert exchange["method"] == "GET" and exchange["request_headers"]["Authorization"] == "[redacted]"
    assert full["notes"] == ["credit memo CM-1001 found"]
    assert full["steps"][0]["background"] is True
    assert r["run"]["metadata"]["netsuite_account"] != "TSTDRV1234567"
    assert r["run"]["metadata"]["netsuite_account"].startswith("TST")


def test_settlement_recorded(run):
    [st] = run.results["settlements"]
    assert st["id"] == "555" and st["totals"]["fees"] == "-65.44"
    assert st["exceptions"][0]["sku"] == "SKU-GHOST-9"


def test_secret_never_appears_in_any_output(run):
    assert SECRET not in run.all_outputs()
    assert "TSTDRV1234567" not in run.all_outputs()
    assert SECRET in (run.out.parent / "test_refunds.py").read_text()  # the test did use it


def test_html_report(run):
    html = run.text("report.html")
    assert 'data-verdict="rejected"' in html and ">REJECTED<" in html
    for cid in ("RS-NM-1", "RS-NM-2", "RS-NM-3", "RS-MN-1", "RS-MN-2", "RS-MN-3", "RS-SET-1",
                "AS-1", "AS-2", "AS-3", "AS-4", "KC-1", "KC-2", "KC-3"):
        assert f'data-check="{cid}"' in html
    assert html.count("mrow st-row-gap") == 10
    assert "39.98 USD" in html and "39.97 USD" in html  # expected vs actual, money formatted
    assert 'class="neq"' in html  # the differing field is marked
    assert "SKU-BLUE-7" in html and "<details" in html and "HTTP evidence" in html
    assert "Settlement 555" in html and "SKU-GHOST-9" in html
    assert "<script src" not in html and "<link" not in html and "http://" not in html.split("<main>")[0]
    assert "@media print" in html


def test_html_escapes_feature_text(project, pytester):
    feature = pytester.path / "features" / "refunds.feature"
    feature.write_text(feature.read_text().replace("Settlement 555 balances", "Settlement <script>alert(1)</script>"))
    run = project.run("-W", "ignore::pytest.PytestUnknownMarkWarning")
    html = run.text("report.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_junit_and_cucumber_parse(run):
    root = ET.fromstring(run.text("junit.xml"))
    [suite] = root.findall("testsuite")
    assert suite.get("name") == "Marketplace refunds reach NetSuite"
    assert suite.get("tests") == "6" and suite.get("failures") == "2"
    failures = {case.get("name"): case.find("failure") for case in suite.findall("testcase")}
    assert failures["Partial refund of order 2002 is short by a cent"].get("type") == "data mismatch"
    assert failures["Partial refund of order 2002 is short by a cent"].get("message").startswith("refund total differs")

    cucumber = json.loads(run.text("cucumber.json"))
    [feature] = cucumber
    assert feature["uri"].endswith("refunds.feature") and len(feature["elements"]) == 6
    statuses = {e["name"]: [s["result"]["status"] for s in e["steps"]] for e in feature["elements"]}
    assert statuses["NetSuite refuses the credit memo"] == ["passed", "failed", "skipped"]
    partial = next(e for e in feature["elements"] if e["name"].startswith("Partial"))
    assert partial["steps"][1]["rows"][1]["cells"] == ["SKU-BLUE-7", "2", "19.99"]
    assert {"name": "@RS-MN-3", "line": partial["line"] - 1} in partial["tags"]


def test_terminal_summary_and_progress(run):
    out = run.result.stdout.str()
    assert "syncproof verdict: REJECTED" in out
    assert "✗ failed  RS-MN-3 [amazon] Partial refund of order 2002" in out
    assert "report.html" in out
    assert "passed" in out.splitlines()[-1]  # pytest's own final line is still there


def test_a_sandbox_run_is_a_demo_whatever_it_covers(project):
    run = project.shared_run("-W", "ignore::pytest.PytestUnknownMarkWarning", "-k", "not refuses and not Partial")
    verdict = run.results["verdict"]
    assert verdict["status"] == "demo" and verdict["evidence"] == "emulators"
    assert verdict["meaning"] == "emulators, not go-live evidence" and "2 scenarios deselected" in verdict["reason"]
    assert "DEMO" in run.text("report.html") and "emulators, not go-live evidence" in run.text("report.html")
    assert run.result.ret == 0  # every selected scenario passed: the exit code does not follow the verdict


def test_skips_and_not_run_make_the_run_incomplete(project):
    steps = project.pytester.path / "test_refunds.py"
    steps.write_text(steps.read_text().replace('"target": "sandbox"', '"target": "live"'))
    run = project.run("-W", "ignore::pytest.PytestUnknownMarkWarning", "-k", "not refuses and not Partial",
                      "-x")
    r = run.results
    assert r["summary"]["scenarios"]["failed"] == 0
    assert r["verdict"]["status"] == "incomplete"  # on live, but two scenarios were deselected
    assert r["verdict"]["deselected"] == 2 and "2 scenarios deselected" in r["verdict"]["reason"]
    assert {d["reason"] for d in r["deselected"]} == {"left out by -k/-m"}
    assert any(d["name"].startswith("Partial refund of order 2002") for d in r["deselected"])

    feature = project.pytester.path / "features" / "refunds.feature"
    feature.write_text(feature.read_text().replace("@AS-3 @amazon", "@AS-3 @amazon @skip"))
    run = project.run("-W", "ignore::pytest.PytestUnknownMarkWarning", "-k", "not refuses and not Partial")
    r = run.results
    assert r["summary"]["scenarios"]["skipped"] == 1
    assert r["verdict"]["status"] == "incomplete"
    assert next(row for row in r["matrix"] if row["id"] == "AS-3")["status"] == "incomplete"
    settlement = scenario(r, "Settlement 555")
    assert settlement["status"] == "skipped" and [s["status"] for s in settlement["steps"]] == ["not-run", "not-run"]

    run = project.run("-W", "ignore::pytest.PytestUnknownMarkWarning", "-x")
    r = run.results
    assert r["verdict"]["status"] == "rejected"
    assert r["summary"]["scenarios"]["not-run"] >= 1  # -x stopped the run after the first failure


def test_setup_error_is_an_error_with_its_category(project, pytester):
    pytester.makeconftest('''
import pytest

class SyncproofConfigError(Exception):
    pass

@pytest.fixture(autouse=True)
def config_check(request):
    if "settlement" in request.node.name:
        raise SyncproofConfigError("[amazon].settlement_weeks is missing in syncproof.toml")
''')
    run = project.run("-W", "ignore::pytest.PytestUnknownMarkWarning")
    s = scenario(run.results, "Settlement 555")
    assert s["status"] == "error" and s["category"] == "configuration"
    assert s["reason"] == "setup failed: SyncproofConfigError: [amazon].settlement_weeks is missing in syncproof.toml"
    assert all(st["status"] == "not-run" for st in s["steps"])
    assert run.results["summary"]["scenarios"]["error"] == 1
    assert next(row for row in run.results["matrix"] if row["id"] == "AS-3")["status"] == "failed"
    case = next(c for c in ET.fromstring(run.text("junit.xml")).iter("testcase")
                if c.get("name") == "Settlement 555 balances")
    assert case.find("error").get("type") == "configuration"
