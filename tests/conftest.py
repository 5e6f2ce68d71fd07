"""Fixtures shared by the fault-injection and exactly-once tests: a sandbox whose emulators answer
through fault injectors, and ``inject(vendor, plan)`` to give one emulator a plan for one test."""

from __future__ import annotations

from typing import Callable, Iterator

import pytest

from sandbox import Sandbox, start_sandbox
from sandbox._faults import FaultInjector, FaultPlan


@pytest.fixture(scope="module")
def faulty_box() -> Iterator[Sandbox]:
    sandbox = start_sandbox(faults=FaultPlan())
    yield sandbox
    sandbox.stop()


@pytest.fixture
def inject(faulty_box) -> Iterator[Callable[[str, FaultPlan], FaultInjector]]:
    """``inject("netsuite", plan)`` sets the plan of one emulator; every plan is cleared afterwards."""
    def configure(vendor: str, plan: FaultPlan) -> FaultInjector:
        faulty_box.faults[vendor].configure(plan)
        return faulty_box.faults[vendor]
    yield configure
    for injector in faulty_box.faults.values():
        injector.configure(FaultPlan())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A ceiling per test so a hung emulator or process cannot stall CI (pytest-timeout is a test extra)."""
    if not config.pluginmanager.hasplugin("timeout"):
        return
    for item in items:
        if item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(900 if item.get_closest_marker("slow") else 300))
