"""The whole feature suite under ``--driver connector`` on the sandbox: the sandbox NetSuite Connector
(a process of its own) performs every sync and every scenario passes.

The suite runs in parts (``syncproof run --driver connector -m <part>``), one test each, so that
parallel workers share them; :func:`test_the_parts_run_every_scenario_once` fails when a scenario
that ``syncproof run --driver connector`` selects is in no part, or in two.
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from _pytest.mark.expression import Expression

from .scenario_markers import PREFIX

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.integration, pytest.mark.slow]

#: the parts, by feature tag (refunds to NetSuite by channel): together every scenario, each once
PARTS = {
    "settlements": "settlement",
    "netsuite_records_and_settings": "netsuite or settings",
    "refunds_from_netsuite": "from_netsuite",
    "refunds_to_netsuite_shopify": "to_netsuite and shopify",
    "refunds_to_netsuite_amazon": "to_netsuite and amazon",
    "refunds_to_netsuite_woocommerce_ebay": "to_netsuite and (woocommerce or ebay)",
}


@cache
def selected_scenarios() -> dict[str, frozenset[str]]:
    """Every scenario a ``--driver connector`` run selects (the audit's are left out), with its markers."""
    run = subprocess.run([sys.executable, "-m", "pytest", "steps/test_scenarios.py", "--collect-only", "-q",
                          "-p", "no:cacheprovider", "-p", "tests.integration.scenario_markers", "-n", "0",
                          "-o", "testpaths=steps", "--driver", "connector"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    lines = [json.loads(line[len(PREFIX):]) for line in run.stdout.splitlines() if line.startswith(PREFIX)]
    assert lines, run.stdout[-3000:] + run.stderr[-3000:]
    return {line["scenario"]: frozenset(line["markers"]) for line in lines}


def in_part(expression: str) -> set[str]:
    matches = Expression.compile(expression)
    return {scenario for scenario, markers in selected_scenarios().items() if matches.evaluate(markers.__contains__)}


def test_the_parts_run_every_scenario_once():
    parts = {name: in_part(expression) for name, expression in PARTS.items()}
    counted: dict[str, list[str]] = {}
    for name, scenarios in parts.items():
        assert scenarios, f"part {name} ({PARTS[name]}) selects no scenario"
        for scenario in scenarios:
            counted.setdefault(scenario, []).append(name)
    missing = sorted(set(selected_scenarios()) - set(counted))
    twice = {scenario: names for scenario, names in counted.items() if len(names) > 1}
    assert not missing, f"scenarios in no part of the connector-driver suite: {missing}"
    assert not twice, f"scenarios in more than one part: {twice}"


@pytest.mark.parametrize("part", sorted(PARTS))
def test_every_scenario_passes_with_the_sandbox_connector(part, tmp_path):
    run = subprocess.run([sys.executable, "-m", "syncproof", "run", "--driver", "connector", "-m", PARTS[part],
                          "--report-dir", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=900,
                         check=False)
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    scenarios = results["summary"]["scenarios"]
    assert run.returncode == 0, run.stdout[-3000:]
    assert results["failures"] == []
    assert scenarios["passed"] >= 1
    assert scenarios["failed"] == scenarios["error"] == scenarios["skipped"] == 0, scenarios
    assert results["run"]["metadata"]["driver"] == "connector"
