"""The whole feature suite under ``--driver connector`` on the sandbox: the sandbox NetSuite Connector
(a process of its own) performs every sync and every scenario that runs passes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_every_scenario_passes_with_the_sandbox_connector(tmp_path):
    run = subprocess.run([sys.executable, "-m", "syncproof", "run", "--driver", "connector", "--report-dir",
                          str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    scenarios = results["summary"]["scenarios"]
    assert run.returncode == 0, run.stdout[-3000:]
    assert results["failures"] == []
    assert scenarios["failed"] == scenarios["error"] == 0
    assert scenarios["passed"] >= 30
    assert results["run"]["metadata"]["driver"] == "connector"
