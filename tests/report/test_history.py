"""The run history: every run kept, what changed against the previous and the last accepted run."""

from __future__ import annotations

import json

from syncproof.report import history
from syncproof.report.html import render_html
from syncproof.report.results import build_results

from .test_report_sections import WITH_EXCEPTIONS, scenario, usd


def run(status: str, posted: str, target: str = "live") -> dict:
    settlement = {**WITH_EXCEPTIONS, "posted": usd(posted)}
    return build_results([
        scenario("Settlement with exceptions", ["AS-4", "amazon"], ["an amazon settlement"], [settlement]),
        scenario("A setting is changed", ["RS-SET-1"], ["shopify refunds sync"], status=status, line=15),
    ], metadata={"target": target})


def test_changes_against_the_previous_and_the_last_accepted_run(tmp_path):
    first = run("passed", "-198.24")
    first["verdict"]["status"] = "accepted"  # as a complete live run would be
    history.record(first, tmp_path)
    second = run("failed", "-198.24")
    history.record(second, tmp_path)
    third = run("passed", "-190.00")
    changes = history.changes_for(third, tmp_path)

    previous = changes["previous"]
    assert previous["against"]["id"] == second["run"]["id"]
    assert [c["label"] for c in previous["fixed"]] == ["A setting is changed"] and not previous["new_failures"]
    assert {"id": "RS-SET-1", "from": "failed", "to": "passed"} in previous["checks"]
    assert previous["amounts"] == [{"nodeid": "s.py::test_3", "label": "Settlement with exceptions",
                                    "what": "settlement posted", "from": "-198.24 USD", "to": "-190.00 USD"}]
    accepted = changes["last_accepted"]
    assert accepted["against"]["id"] == first["run"]["id"] and not accepted["fixed"]

    fourth = run("failed", "-190.00")
    assert [c["label"] for c in history.diff(third, fourth)["new_failures"]] == ["A setting is changed"]


def test_the_index_lists_runs_and_finds_them_by_id_prefix(tmp_path):
    runs = [run("passed", "1.00", target="sandbox"), run("failed", "1.00", target="sandbox")]
    for r in runs:
        history.record(r, tmp_path)
    listed = history.entries(tmp_path)
    assert [e.id for e in listed] == [r["run"]["id"] for r in runs]
    assert listed[1].verdict == "rejected" and listed[1].failed == 1 and not listed[0].accepted
    assert history.find(tmp_path, runs[1]["run"]["id"][:10])["run"]["id"] == runs[1]["run"]["id"]
    assert json.loads((tmp_path / "history" / f"{runs[0]['run']['id']}.json").read_text())["verdict"]


def test_the_report_shows_what_changed(tmp_path):
    history.record(run("passed", "-198.24"), tmp_path)
    now = run("failed", "-198.24")
    now["changes"] = history.changes_for(now, tmp_path)
    html = render_html(now)
    section = html[html.index('<section id="changes">'):html.index('<section id="matrix">')]
    assert "New failures (1)" in section and "A setting is changed" in section
    assert "Since the last accepted run" in section and "No such run in the history" in section
