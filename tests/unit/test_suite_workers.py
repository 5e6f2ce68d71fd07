"""How many xdist workers the suite's ``-n auto`` starts: one more than the CPUs it may run on (tests/conftest.py).

Asked as xdist asks, through the hook, with xdist's own implementation behind the suite's.
"""

from __future__ import annotations

import os

import pytest


def test_auto_starts_one_worker_more_than_the_cpus_and_xdists_own_setting_still_wins(pytestconfig, monkeypatch):
    if not pytestconfig.pluginmanager.hasplugin("xdist"):
        pytest.skip("pytest-xdist is not loaded")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    monkeypatch.delenv("PYTEST_XDIST_AUTO_NUM_WORKERS", raising=False)
    assert pytestconfig.hook.pytest_xdist_auto_num_workers(config=pytestconfig) == cpus + 1
    monkeypatch.setenv("PYTEST_XDIST_AUTO_NUM_WORKERS", "7")
    assert pytestconfig.hook.pytest_xdist_auto_num_workers(config=pytestconfig) == 7
