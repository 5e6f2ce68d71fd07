"""benchmarks/defects.py's judge: a defect is caught only when every one of its scenarios failed on its check."""

from __future__ import annotations

from typing import Any

from syncproof.connector_defects import by_name
from tests.defect_runs import defect_runs


def _scenario(checks: list[str], titles: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"status": "failed", "failed_checks": checks, "failed_titles": list(titles)}


def _judge(name: str, *scenarios: dict[str, Any]) -> bool:
    run = defect_runs.Run(defects=[by_name()[name]], scenarios={f"s{i}": name for i in range(len(scenarios))})
    outcome = {"verdict": "rejected", "scenarios": {f"s{i}": dict(s, defects=[name]) for i, s in enumerate(scenarios)}}
    verdicts, wrong = defect_runs.judge(run, outcome)
    assert wrong == []
    return verdicts[name]["caught"]


def test_a_defect_is_not_caught_when_only_one_of_its_scenarios_fails_on_its_check():
    # the other two failed for another reason: a sync that timed out (no failed check), another check
    assert not _judge("quantity_one", _scenario(["RS-MN-3"]), _scenario([]), _scenario(["AS-4"]))
    assert _judge("quantity_one", _scenario(["RS-MN-3"]), _scenario(["RS-MN-3"]), _scenario(["RS-MN-3"]))


def test_a_shared_check_id_needs_the_catalogues_check_in_each_scenario():
    title = defect_runs.FAILED_TITLE["charges_on_fee_item"]
    assert _judge("charges_on_fee_item", _scenario(["RS-MN-3"], [title]), _scenario(["RS-MN-3"], [title]))
    assert not _judge("charges_on_fee_item", _scenario(["RS-MN-3"], [title]),
                      _scenario(["RS-MN-3"], ["the NetSuite refund's amounts"]))


def test_the_summary_counts_the_runs_and_scenarios_that_went_against_the_plan():
    line = defect_runs.summary(38, 38, [[], ["a: run with no defect, failed (AS-4)", "b: planned, not run"], []])
    assert line == "defects caught 38/38; runs against the plan 1/3 (2 scenario(s))"
    assert defect_runs.summary(2, 2, [[], []]).endswith("runs against the plan 0/2 (0 scenario(s))")
