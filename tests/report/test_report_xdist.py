"""A distributed run (pytest-xdist) gives the same results as a serial run."""

from __future__ import annotations

from typing import Any

import pytest

from syncproof.report.results import VOLATILE_KEYS

pytestmark = pytest.mark.filterwarnings("ignore")


def normalise(value: Any) -> Any:
    """Drop what legitimately differs between runs: timings, run id, workers, environment."""
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items() if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def test_normaliser_keeps_outcomes():
    data = {"status": "failed", "duration_ms": 3.2, "steps": [{"status": "passed", "duration_ms": 1}]}
    assert normalise(data) == {"status": "failed", "steps": [{"status": "passed"}]}


def test_distributed_run_matches_serial_run(project):
    serial = project.shared_run("-W", "ignore::pytest.PytestUnknownMarkWarning")
    distributed = project.run("-W", "ignore::pytest.PytestUnknownMarkWarning", "-n", "2", out="dist")
    distributed.result.assert_outcomes(passed=4, failed=2)
    a, b = serial.results, distributed.results
    assert b["run"]["workers"] == 2 and a["run"]["workers"] is None
    assert {s["worker"] for f in b["features"] for s in f["scenarios"]} == {"gw0", "gw1"}
    assert normalise(a) == normalise(b)
    assert not (distributed.out / ".parts").exists()  # parts were merged and removed
    assert "syncproof verdict: REJECTED" in distributed.result.stdout.str()
