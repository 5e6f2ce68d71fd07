"""The verdict rules and the sign-off decisions they allow."""

from __future__ import annotations

import json

import pytest

from syncproof.report import SignOffError, sign
from syncproof.report.checks_catalog import CHECK_IDS
from syncproof.report.decision import acceptance_refusal, compute_verdict

ALL_PASSED = {"total": 20, "passed": 20}


@pytest.mark.parametrize("target, record_from, status", [
    ("live", None, "accepted"),
    ("record", "live", "accepted"),
    ("record", "sandbox", "demo"),
    ("sandbox", None, "demo"),
    ("replay", None, "demo"),
    (None, None, "demo"),
])
def test_only_a_live_run_can_be_accepted(target, record_from, status):
    assert compute_verdict(ALL_PASSED, [], target=target, record_from=record_from)["status"] == status


def test_a_gap_or_a_deselection_makes_a_live_run_incomplete():
    gap = compute_verdict(ALL_PASSED, ["AS-2"], target="live")
    assert gap["status"] == "incomplete" and "1 check id not covered (AS-2)" in gap["reason"]
    assert gap["coverage"] == f"{len(CHECK_IDS) - 1}/{len(CHECK_IDS)}"
    left_out = compute_verdict(ALL_PASSED, [], target="live", deselected=3)
    assert left_out["status"] == "incomplete" and "3 scenarios deselected" in left_out["reason"]
    skipped = compute_verdict({"total": 3, "passed": 2, "skipped": 1}, [], target="live")
    assert skipped["status"] == "incomplete"


def test_a_file_of_scenarios_that_could_not_be_read_makes_a_live_run_incomplete():
    """Under pytest-xdist the other files' scenarios run and pass: the run is still not an acceptance."""
    line = "features/refunds.feature, line 4: the feature file does not parse (Misplaced 'Scenario'); fix that line"
    verdict = compute_verdict(ALL_PASSED, [], target="live", unreadable=[line])
    assert verdict["status"] == "incomplete" and verdict["unreadable"] == [line]
    assert f"1 file of scenarios that could not be read ({line})" in verdict["reason"]
    assert compute_verdict(ALL_PASSED, [], target="live")["unreadable"] == []


def test_a_failure_rejects_even_a_demo():
    assert compute_verdict({"total": 2, "passed": 1, "failed": 1}, [], target="sandbox")["status"] == "rejected"
    assert compute_verdict({"total": 2, "passed": 1, "error": 1}, [], target="live")["status"] == "rejected"
    assert compute_verdict({"total": 0}, [], target="live")["status"] == "incomplete"


@pytest.mark.parametrize("status", ["demo", "incomplete", "rejected"])
def test_accepting_needs_an_accepted_verdict(status):
    assert status.upper() in acceptance_refusal({"status": status}, "accepted")
    assert acceptance_refusal({"status": status}, "conditional") is None
    assert acceptance_refusal({"status": status}, "rejected") is None
    assert acceptance_refusal({"status": "accepted"}, "accepted") is None


@pytest.fixture
def demo_results(project):
    run = project.shared_run("-W", "ignore::pytest.PytestUnknownMarkWarning", "-k", "not refuses and not Partial")
    return run.out / "results.json"


def test_signing_accepted_on_a_demo_is_refused_unless_forced(demo_results):
    with pytest.raises(SignOffError, match="refusing to sign accepted: the run is DEMO"):
        sign(demo_results, "Dana Reyes", "Finance lead", "accepted")
    assert json.loads(demo_results.read_text())["signoff"] is None  # nothing written
    html = sign(demo_results, "Dana Reyes", "Finance lead", "accepted", comment="Demo for the board", force=True)
    signed = json.loads(demo_results.read_text())["signoff"]
    assert signed["verdict"] == "demo" and "DEMO" in signed["forced"]
    text = html.read_text()
    assert "(forced)" in text and "Demo for the board" in text
    assert 'data-verdict="demo"' in text and 'data-decision="accepted"' in text
