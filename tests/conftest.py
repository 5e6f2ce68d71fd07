"""Fixtures shared by the fault-injection and exactly-once tests: a sandbox whose emulators answer
through fault injectors, and ``inject(vendor, plan)`` to give one emulator a plan for one test; and the
suite's own settings: how many xdist workers ``-n auto`` starts, the order and ceilings of the tests."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any, Callable, ContextManager, Iterator

import pytest

from sandbox import Sandbox, start_sandbox
from sandbox._faults import FaultInjector, FaultPlan


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto`` (the suite's addopts): one worker more than the CPUs this process may run on.

    Many tests spend much of their time waiting (on ``syncproof`` subprocesses, loopback HTTP to
    the emulators, Chromium), so with one worker per CPU a CPU is often idle; one more keeps
    them busy without letting the load climb much past the CPU count. ``PYTEST_XDIST_AUTO_NUM_WORKERS``
    (xdist's own setting) still wins; ``-n 0`` and ``-n N`` do not ask this hook.
    """
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's hook reads it
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # no CPU affinity on this platform (macOS, Windows)
        cpus = os.cpu_count() or 1
    return cpus + 1


@pytest.hookimpl(trylast=True)  # after pytest's own configure, which sets up its temporary folders
def pytest_configure(config: pytest.Config) -> None:
    """With ``PYTHONDONTWRITEBYTECODE`` set, every Python process of a test run (the xdist workers,
    and the ``syncproof`` commands, pytester runs, engine workers and sandbox connectors the tests
    start) would compile each module it imports, some 0.1-0.3 s of CPU each. They get a bytecode
    cache outside the source tree instead (``PYTHONPYCACHEPREFIX``, in pytest's own temporary
    folder for this user, kept between runs): the tree stays as clean as the variable asks, and a
    module is compiled once. Set before the workers start, so they use it too; an explicit
    ``PYTHONPYCACHEPREFIX`` is left alone.
    """
    if not os.environ.get("PYTHONDONTWRITEBYTECODE") or os.environ.get("PYTHONPYCACHEPREFIX"):
        return
    root = config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    owned = next((p for p in (root, *root.parents) if p.name.startswith("pytest-of-")), root)
    config.stash[_BYTECODE_ENV] = os.environ.pop("PYTHONDONTWRITEBYTECODE")
    os.environ["PYTHONPYCACHEPREFIX"] = str(owned / f"pycache-{sys.implementation.cache_tag}")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _BYTECODE_ENV in config.stash:
        os.environ.pop("PYTHONPYCACHEPREFIX", None)
        os.environ["PYTHONDONTWRITEBYTECODE"] = config.stash[_BYTECODE_ENV]


_BYTECODE_ENV = pytest.StashKey[str]()


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
    """The ``slow`` tests first, and a ceiling per test so a hung emulator or process cannot stall CI.

    xdist's worksteal gives each worker a contiguous share of the list and an idle worker takes
    tests from the end of a busy one's share: a long test collected late can start last and keep
    one worker busy while the other has nothing left. Started first, the long tests overlap the
    rest. The order within each group is the collection order, so a module's tests stay together.
    """
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    if not config.pluginmanager.hasplugin("timeout"):  # pytest-timeout is a test extra
        return
    for item in items:
        if item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(900 if item.get_closest_marker("slow") else 300))


@pytest.fixture
def registered_channel() -> Iterator[Callable[[Any], ContextManager[Any]]]:
    """``with registered_channel(spec): ...``: a throwaway channel spec in the registry inside the block, and no
    longer after it (nor after the test, should it fail inside)."""
    from syncproof import channels

    @contextlib.contextmanager
    def registered(spec: Any) -> Iterator[Any]:
        channels.register(spec)
        try:
            yield spec
        finally:
            channels.unregister(spec.name)

    yield registered


@pytest.fixture
def pseudonymised_evidence() -> Iterator[Callable[[int], ContextManager[None]]]:
    """``with pseudonymised_evidence(seed): ...``: the report's evidence pseudonymised inside the block, as live
    and audit runs turn it on, and no longer after it (nor after the test, should it fail inside)."""
    from syncproof.report import sanitize

    @contextlib.contextmanager
    def pseudonymised(seed: int) -> Iterator[None]:
        try:
            sanitize.pseudonymise_personal_data(seed=seed)
            yield
        finally:
            sanitize.clear_literals()

    yield pseudonymised
