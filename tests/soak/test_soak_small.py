"""A small soak in the normal test run: orders and refunds from Shopify and Amazon synced
through 10 % faults of every kind while the engine's process is killed (SIGKILL) and
restarted; nothing may be lost or doubled. The full soak is ``benchmarks/soak.py``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def load_soak():
    spec = importlib.util.spec_from_file_location("syncproof_soak", ROOT / "benchmarks" / "soak.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_small_soak_loses_nothing_and_doubles_nothing(tmp_path):
    soak = load_soak()
    result = soak.run_soak(orders=24, refunds=14, restarts=2, rate=0.1, seed=7, workdir=tmp_path, timeout=240,
                           log=lambda *a: None)
    summary = "\n".join(result.lines() + result.lost + result.duplicated + result.mismatches + result.failed_checks)
    assert result.restarts == 2, summary
    assert result.lost == [] and result.duplicated == [], summary
    assert result.mismatches == [] and result.failed_checks == [], summary
    assert result.checks_run >= 3 * 14, summary
    assert sum(result.faults.values()) > 0, summary
