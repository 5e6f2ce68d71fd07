"""Stopping a workbench run: a small feature project run with the collector and the stop plugin, in a subprocess.

Each interleaving is forced by the steps themselves (no clock): the interrupt is raised inside
a weakref callback, where Python drops it; the run starts with SIGINT ignored; the interrupt
arrives during the session's teardown; the stop was asked before the first scenario; the interrupt
arrives while a module is being imported.
"""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

import pytest

from syncproof.report.events import ENV as EVENTS_ENV
from syncproof.stopping import ENV as STOP_ENV
from syncproof.stopping import request_stop

REPO = Path(__file__).resolve().parents[2]

FEATURE = """\
Feature: A run the workbench stops

    Scenario: The workbench stops the run
        Given {given}
        Then the scenario goes on

    Scenario: A scenario after the stop
        Then the scenario goes on
"""

STEPS = """\
import os
import signal
import sys
import weakref

from pytest_bdd import given, scenarios, then

from syncproof.stopping import ENV, request_stop

scenarios("features")


class Built:
    pass


@given("the workbench stops the run and its interrupt is lost")
def interrupt_lost():
    request_stop(os.environ[ENV])
    built, interrupted = Built(), []
    watch = weakref.ref(built, lambda _: (interrupted.append(True), os.kill(os.getpid(), signal.SIGINT)))
    del built  # the interrupt is raised inside the callback: Python reports it as ignored and goes on
    assert interrupted and watch() is None


@given("the workbench interrupts the run")
def interrupt():
    os.kill(os.getpid(), signal.SIGINT)


def stop_while_yaml_is_imported(interrupts):
    assert "yaml" not in sys.modules, "imported already: the stop below would never come"
    stopped = []

    def stop_inside(event, args):  # as the import of yaml.scanner starts, half-way through yaml's own
        if event == "import" and args[0] == "yaml.scanner" and not stopped:
            stopped.append(True)
            request_stop(os.environ[ENV])
            for _ in range(interrupts):  # each handled as its call returns, before the next is sent
                os.kill(os.getpid(), signal.SIGINT)

    sys.addaudithook(stop_inside)
    import yaml  # noqa: F401 - the report's scrubber imports it as the run ends (syncproof.recording)


@given("the workbench stops the run while PyYAML is imported")
def interrupt_while_importing():
    stop_while_yaml_is_imported(1)


@given("the workbench stops the run twice while PyYAML is imported")
def interrupt_twice_while_importing():
    stop_while_yaml_is_imported(2)


@given("nothing stops the run")
def nothing():
    pass


@then("the scenario goes on")
def goes_on():
    pass
"""

CONFTEST = """\
import os
import signal

from syncproof.stopping import ENV, request_stop


def pytest_sessionfinish(session):  # after the last scenario, before the report is written
    request_stop(os.environ[ENV])
    os.kill(os.getpid(), signal.SIGINT)
"""

# a job started in the background of a shell: SIGINT ignored, and exec keeps it so
IGNORING_SIGINT = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
                   "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])")


class Ran:
    def __init__(self, result: pytest.RunResult, folder: Path) -> None:
        self.result = result
        self.results = json.loads((folder / "out" / "results.json").read_text())
        self.events = [json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines()]
        self.folder = folder

    def status(self, name: str) -> tuple[str, list[str]]:
        s = next(s for f in self.results["features"] for s in f["scenarios"] if s["name"] == name)
        return s["status"], [step["status"] for step in s["steps"]]

    @property
    def interrupted(self) -> bool:
        [run] = [e for e in self.events if e["type"] == "run"]
        return run["interrupted"]


@pytest.fixture
def run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    monkeypatch.setenv(EVENTS_ENV, str(pytester.path / "events.jsonl"))
    monkeypatch.setenv(STOP_ENV, str(pytester.path / "stop"))
    pytester.makepyfile(test_stop=STEPS)

    def run(given: str, *, launcher: tuple[str, ...] = ()) -> Ran:
        (pytester.path / "features").mkdir(exist_ok=True)
        (pytester.path / "features" / "stop.feature").write_text(FEATURE.format(given=given))
        result = pytester.run(sys.executable, *launcher, "-m", "pytest", "--disable-plugin-autoload",
                              "-p", "pytest-bdd", "-p", "syncproof.report.collector", "-p", "syncproof.stopping",
                              "-p", "no:cacheprovider", "--syncproof-report-dir=out", "-p", "no:randomly")
        return Ran(result, pytester.path)

    return run


def test_a_stop_whose_interrupt_python_drops_ends_the_run_before_the_next_scenario(run):
    ran = run("the workbench stops the run and its interrupt is lost")
    assert ran.status("The workbench stops the run") == ("passed", ["passed", "passed"])
    assert ran.status("A scenario after the stop") == ("not-run", ["not-run"])
    assert ran.result.ret == pytest.ExitCode.INTERRUPTED and ran.interrupted
    assert "stopped from the workbench" in ran.result.stdout.str()


def test_a_run_started_with_sigint_ignored_is_still_interrupted_at_once(run):
    ran = run("the workbench interrupts the run", launcher=("-c", IGNORING_SIGINT))
    status, steps = ran.status("The workbench stops the run")
    assert steps[1] == "not-run" and status != "passed"  # the scenario in hand ended in its first step
    assert ran.status("A scenario after the stop") == ("not-run", ["not-run"])
    assert ran.result.ret == pytest.ExitCode.INTERRUPTED and ran.interrupted


def test_a_stop_while_the_report_is_written_leaves_it_whole(run, pytester):
    pytester.makeconftest(CONFTEST)
    ran = run("nothing stops the run")
    counts = ran.results["summary"]["scenarios"]
    assert counts["passed"] == 2 and counts["not-run"] == 0
    assert ran.result.ret == pytest.ExitCode.OK and not ran.interrupted  # it ran everything: finished
    out = ran.folder / "out"
    assert not list(out.rglob("*.part")) and len(list((out / "history").glob("*.json"))) == 1


@pytest.mark.parametrize("given", ["the workbench stops the run while PyYAML is imported",
                                   "the workbench stops the run twice while PyYAML is imported"],
                         ids=["once", "twice"])
def test_a_stop_while_a_module_is_imported_ends_the_scenario_once_the_import_is_done(run, given):
    """Interrupted half-way, an import leaves the package's submodules in ``sys.modules`` without the package:
    imported again, PyYAML's C extension finds no ``yaml.error`` and the report (whose scrubber imports it) was
    never written. The interrupt now waits for the import to end; the workbench's Stop pressed again while it
    waits is the same stop, and waits with it."""
    ran = run(given)
    status, steps = ran.status("The workbench stops the run")
    assert steps[1] == "not-run" and status != "passed"  # ended in the step that imported
    assert ran.status("A scenario after the stop") == ("not-run", ["not-run"])
    assert ran.result.ret == pytest.ExitCode.INTERRUPTED and ran.interrupted


def test_a_stop_asked_before_the_first_scenario_runs_none(run, pytester):
    request_stop(pytester.path / "stop")
    ran = run("nothing stops the run")
    assert ran.results["summary"]["scenarios"]["not-run"] == 2
    assert ran.result.ret == pytest.ExitCode.INTERRUPTED and ran.interrupted


def test_outside_the_workbench_nothing_changes_how_sigint_is_handled(pytester, monkeypatch):
    monkeypatch.delenv(STOP_ENV, raising=False)
    before = signal.getsignal(signal.SIGINT)  # SIG_IGN itself when the suite was started in the background
    pytester.makepyfile(test_handler="""
        import signal
        def test_handler():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    """)
    result = pytester.run(sys.executable, "-c", IGNORING_SIGINT, "-m", "pytest", "--disable-plugin-autoload",
                          "-p", "syncproof.stopping", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert signal.getsignal(signal.SIGINT) is before  # this process was not touched
