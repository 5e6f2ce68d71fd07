"""The pytest plugin that collects what the report shows.

Enable with ``-p syncproof.report.collector`` or ``pytest_plugins =
["syncproof.report.collector"]`` (one of the two, not both). It adds the option
``--syncproof-report-dir`` (default ``reports/out`` under the rootdir) and
``--syncproof-progress`` (``failures``, ``all`` or ``off``).

How it collects:

- at collection, every pytest-bdd scenario item gets a :class:`ScenarioRecord`
  built from the parsed feature (so scenarios that never run are listed as
  ``not-run``);
- pytest-bdd's hooks (``pytest_bdd_before_scenario``, ``..._before_step``,
  ``..._after_step``, ``..._step_error``, ``..._step_func_lookup_error``,
  ``..._after_scenario``) fill in step outcomes and the failure;
- ``pytest_runtest_makereport`` catches setup/teardown errors and skips;
- :mod:`syncproof.report.recorder` functions attach checks, exchanges,
  settlements and notes to the running scenario/step.

Under pytest-xdist each worker writes ``<report-dir>/.parts/<run>-<worker>.json``
at the end of its session and hands the path to the controller
(``workeroutput``); the controller merges the parts (ordered by node id) and
writes the outputs, so a distributed run yields the same results as a serial one.

A session that collects no pytest-bdd scenario (a run of unit tests) writes
nothing and prints no acceptance summary.
"""

from __future__ import annotations

import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from . import recorder
from .classify import classify, reason_of
from .events import emit
from .records import ScenarioRecord
from .sanitize import scrub

__all__ = ["ReportCollector", "PLUGIN_NAME", "pytest_addoption", "pytest_configure", "pytest_unconfigure", "report_dir"]

PLUGIN_NAME = "syncproof-report-collector"
_PROPERTY = "syncproof"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("syncproof-report", "syncproof acceptance report")
    group.addoption("--syncproof-report-dir", dest="syncproof_report_dir", default=None, metavar="DIR",
                    help="where results.json, report.html, junit.xml and cucumber.json go "
                         "(default: reports/out under the rootdir)")
    group.addoption("--syncproof-progress", dest="syncproof_progress", default="failures",
                    choices=("off", "failures", "all"),
                    help="print a line as each scenario finishes: only failures (default), all, or off")


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin(PLUGIN_NAME):
        config.pluginmanager.register(ReportCollector(config), PLUGIN_NAME)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Forget run metadata and masked literals so the next session starts clean."""
    from .sanitize import clear_literals

    recorder._reset()
    clear_literals()


def report_dir(config: pytest.Config) -> Path:
    """The output directory the options point at (absolute)."""
    value = config.getoption("syncproof_report_dir", None)
    if value:
        path = Path(value)
        return path if path.is_absolute() else Path(config.invocation_params.dir) / path
    return Path(config.rootpath) / "reports" / "out"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _bdd_scenario(item: pytest.Item, *, steps: bool = True) -> tuple[Any, Any, dict[str, str]] | None:
    """pytest-bdd's (feature, rendered scenario, example row) behind ``item``, if any; with ``steps=False``
    the scenario has its name and tags but no steps (rendering them copies every data table)."""
    try:
        from pytest_bdd.parser import Scenario, render_string
        from pytest_bdd.scenario import scenario_wrapper_template_registry
    except ImportError:  # pragma: no cover
        return None
    func = getattr(item, "obj", None)
    try:
        template = scenario_wrapper_template_registry.get(func) if func is not None else None
    except TypeError:
        return None
    if template is None:
        return None
    callspec = getattr(item, "callspec", None)
    example = dict(callspec.params.get("_pytest_bdd_example", {})) if callspec else {}
    if steps:
        scenario = template.render(example)
    else:
        scenario = Scenario(feature=template.feature, keyword=template.keyword,
                            name=render_string(template.name, example), line_number=template.line_number,
                            steps=[], tags=template.tags, description=template.description, rule=template.rule)
    return template.feature, scenario, {str(k): str(v) for k, v in example.items()}


class ReportCollector:
    """Per-session state of the collector (registered as ``syncproof-report-collector``)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.records: dict[str, ScenarioRecord] = {}
        self.started = _now()
        self.started_clock = time.monotonic()
        self.is_worker = hasattr(config, "workerinput")
        self.worker_id = os.environ.get("PYTEST_XDIST_WORKER") if self.is_worker else None
        self.part_paths: list[Path] = []
        self.workers = 0
        self.results: dict[str, Any] | None = None
        self.outputs: dict[str, Path] = {}
        self.write_error: str | None = None
        self._step_started: float | None = None
        self.deselected: dict[str, dict[str, Any]] = {}
        self.unreadable: list[str] = []  # the controller's: files of scenarios that could not be collected

    # collection ----------------------------------------------------------------
    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        for item in session.items:
            found = _bdd_scenario(item)
            if found is not None:
                self.records[item.nodeid] = ScenarioRecord.from_bdd(item.nodeid, *found)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        """Remember a file that could not be collected: under pytest-xdist the other scenarios still run,
        and the verdict must say that this file's never did."""
        if report.failed and not self.is_worker:
            from ..unreadable import unreadable_line

            line = unreadable_line(report)
            if line not in self.unreadable:  # under -n every worker reports it
                self.unreadable.append(line)

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        """Remember scenarios left out, and why, so the report and the verdict can say so."""
        for item in items:
            found = _bdd_scenario(item, steps=False)  # only the name, tags and example row are kept
            if found is None:
                continue
            record = ScenarioRecord.from_bdd(item.nodeid, *found)
            audit = item.get_closest_marker("audit") is not None
            self.deselected[item.nodeid] = {
                "nodeid": item.nodeid, "name": record.label, "check_ids": record.check_ids,
                "channel": record.channel, "counts": not audit,
                "reason": "read-only audit scenario: runs with --audit" if audit else "left out by -k/-m",
            }

    # pytest-bdd hooks --------------------------------------------------------------
    def _record_for(self, request: Any, feature: Any, scenario: Any) -> ScenarioRecord:
        nodeid = request.node.nodeid
        record = self.records.get(nodeid)
        if record is None:
            callspec = getattr(request.node, "callspec", None)
            example = dict(callspec.params.get("_pytest_bdd_example", {})) if callspec else {}
            record = self.records[nodeid] = ScenarioRecord.from_bdd(nodeid, feature, scenario, example)
        return record

    @pytest.hookimpl(optionalhook=True)
    def pytest_bdd_before_scenario(self, request: Any, feature: Any, scenario: Any) -> None:
        record = self._record_for(request, feature, scenario)
        record.started = True
        record.worker = self.worker_id
        recorder._activate(record)
        emit("scenario", nodeid=record.nodeid, label=record.label, check_ids=record.check_ids,
             channel=record.channel, steps=[{"keyword": s.keyword, "text": s.text} for s in record.steps])

    @pytest.hookimpl(optionalhook=True)
    def pytest_bdd_before_step(self, request: Any, feature: Any, scenario: Any, step: Any, step_func: Any) -> None:
        record = self._record_for(request, feature, scenario)
        index = scenario.steps.index(step)
        if index < len(record.steps):
            record.steps[index].status = "running"
            emit("step", nodeid=record.nodeid, index=index, status="running")
        self._step_started = time.perf_counter()

    def _finish_step(self, record: ScenarioRecord, scenario: Any, step: Any, status: str) -> int | None:
        index = scenario.steps.index(step)
        if index >= len(record.steps):
            return None
        rec = record.steps[index]
        rec.status = status
        emit("step", nodeid=record.nodeid, index=index, status=status)
        if self._step_started is not None:
            rec.duration_ms = round((time.perf_counter() - self._step_started) * 1000, 1)
        self._step_started = None
        return index

    @pytest.hookimpl(optionalhook=True)
    def pytest_bdd_after_step(self, request: Any, feature: Any, scenario: Any, step: Any, step_func: Any,
                              step_func_args: Any) -> None:
        self._finish_step(self._record_for(request, feature, scenario), scenario, step, "passed")

    @pytest.hookimpl(optionalhook=True)
    def pytest_bdd_step_error(self, request: Any, feature: Any, scenario: Any, step: Any, step_func: Any,
                              step_func_args: Any, exception: BaseException) -> None:
        record = self._record_for(request, feature, scenario)
        index = self._finish_step(record, scenario, step, "failed")
        self._fail(record, exception, index)

    @pytest.hookimpl(optionalhook=True)
    def pytest_bdd_step_func_lookup_error(self, request: Any, feature: Any, scenario: Any, step: Any,
                                          exception: BaseException) -> None:
        record = self._record_for(request, feature, scenario)
        index = scenario.steps.index(step)
        if index < len(record.steps):
            record.steps[index].status = "failed"
        self._fail(record, exception, index, category="configuration",
                   reason=f'no step definition matches "{step.keyword.strip()} {step.name}"')

    @pytest.hookimpl(optionalhook=True)
    def pytest_bdd_after_scenario(self, request: Any, feature: Any, scenario: Any) -> None:
        record = self._record_for(request, feature, scenario)
        for step in record.steps:
            if step.status == "running":  # left by pytest.skip() or an exit inside a step
                step.status = "skipped"

    def _fail(self, record: ScenarioRecord, exc: BaseException, index: int | None, *,
              category: str | None = None, reason: str | None = None) -> None:
        """Record the first failure of the scenario: reason, category, expected/actual."""
        if index is not None and index < len(record.steps):
            record.steps[index].error = scrub(reason or reason_of(exc))
        if record.category is not None:
            return
        record.category = category or classify(exc)
        record.reason = scrub(reason or reason_of(exc))
        record.failing_step = index
        result = getattr(exc, "result", None)
        if result is not None and hasattr(result, "to_json"):
            data = scrub(result.to_json())
            record.expected, record.actual = data.get("expected"), data.get("actual")
            record.failed_check = data.get("check_id")
            if not any(c.get("check_id") == data["check_id"] and c.get("message") == data["message"]
                       for c in record.checks):
                data["step"] = index
                record.checks.append(data)

    # pytest run protocol -----------------------------------------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        record = self.records.get(item.nodeid)
        if record is not None:
            record.worker = self.worker_id
            recorder._activate(record)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Any:
        report = yield
        record = self.records.get(item.nodeid)
        if record is None:
            return report
        self._apply_report(record, report, call)
        if report.when == "teardown":
            recorder._activate(None)
            report.user_properties.append((_PROPERTY, json.dumps(self._progress(record))))
            failed = next((c for c in record.checks if not c.get("passed")), None)
            emit("finished", nodeid=record.nodeid, **self._progress(record), failing_step=record.failing_step,
                 failed_check=failed, steps=[s.status for s in record.steps])
        return report

    def _apply_report(self, record: ScenarioRecord, report: pytest.TestReport, call: pytest.CallInfo) -> None:
        record.duration_ms = round((record.duration_ms or 0) + report.duration * 1000, 1)
        exc = call.excinfo.value if call.excinfo is not None else None
        if report.skipped:
            if record.status in ("not-run", "passed"):
                record.status = "skipped"
                record.reason = scrub(_skip_reason(report))
            return
        if report.when == "setup":
            if report.failed:
                record.status = "error"
                if exc is not None:
                    self._fail(record, exc, None, reason=f"setup failed: {reason_of(exc)}")
            return
        if report.when == "call":
            if report.passed:
                record.status = "passed" if record.category is None else "failed"
            else:
                record.status = "failed"
                if record.category is None and exc is not None:  # failed outside a step
                    self._fail(record, exc, None)
            return
        if report.failed and record.status == "passed":  # teardown
            record.status = "error"
            if exc is not None:
                self._fail(record, exc, None, reason=f"teardown failed: {reason_of(exc)}")

    @staticmethod
    def _progress(record: ScenarioRecord) -> dict[str, Any]:
        return {"status": record.status, "name": record.label, "check_ids": record.check_ids,
                "channel": record.channel, "category": record.category, "reason": record.reason}

    @pytest.hookimpl(tryfirst=True)
    def pytest_report_teststatus(self, report: pytest.TestReport, config: pytest.Config) -> Any:
        """With a progress line per scenario, pytest's own progress characters are left out."""
        if (self.config.getoption("syncproof_progress", "failures") != "all" or report.nodeid not in self.records
                or hasattr(report, "wasxfail")):
            return None
        if report.passed:
            return ("passed" if report.when == "call" else "", "", "")
        if report.failed:
            return ("failed" if report.when == "call" else "error", "", "")
        return ("skipped", "", "")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if self.is_worker or report.when != "teardown":
            return
        mode = self.config.getoption("syncproof_progress", "failures")
        data = next((json.loads(str(v)) for k, v in report.user_properties if k == _PROPERTY), None)
        if data is None or mode == "off" or (mode == "failures" and data["status"] in ("passed", "skipped")):
            return
        terminal = self.config.pluginmanager.get_plugin("terminalreporter")
        if terminal is not None:
            from .terminal import progress_line
            terminal.write_line(progress_line(data))

    # session end ----------------------------------------------------------------
    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        self.workers += 1
        path = getattr(node, "workeroutput", {}).get("syncproof_report_part")
        if path:
            self.part_paths.append(Path(path))

    def _part(self) -> dict[str, Any]:
        return {"records": [r.to_json() for r in self.records.values()],
                "metadata": recorder.run_metadata(), "started": self.started,
                "deselected": list(self.deselected.values())}

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        recorder._activate(None)
        out = report_dir(self.config)
        if self.is_worker:
            if not self.records:
                return
            run = getattr(self.config, "workerinput", {}).get("testrunuid", "run")
            path = out / ".parts" / f"{run}-{self.worker_id}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(self._part(), ensure_ascii=False), encoding="utf-8")
            getattr(self.config, "workeroutput", {})["syncproof_report_part"] = str(path)
            return
        from .merge import merge_parts
        from .outputs import write_outputs
        from .results import build_results

        parts = [self._part()]
        for path in self.part_paths:
            try:
                parts.append(json.loads(path.read_text(encoding="utf-8")))
                path.unlink()
            except (OSError, ValueError):
                continue
        if self.part_paths:
            try:
                self.part_paths[0].parent.rmdir()  # only when empty
            except OSError:
                pass
        records, metadata = merge_parts(parts)
        ran = {r["nodeid"] for r in records}
        deselected = {d["nodeid"]: d for part in parts for d in part.get("deselected", []) if d["nodeid"] not in ran}
        if not records:  # no Gherkin scenario in this session (a unit-test run): no acceptance report
            return
        self.results = build_results(
            records, metadata=metadata, rootdir=Path(self.config.rootpath), started=self.started,
            finished=_now(), duration_s=round(time.monotonic() - self.started_clock, 1),
            workers=self.workers or None, deselected=deselected.values(), unreadable=self.unreadable)
        from . import history

        self.results["changes"] = history.changes_for(self.results, out)
        try:
            self.outputs = write_outputs(self.results, out)
            history.record(self.results, out)
            emit("run", results=str(self.outputs.get("results")), verdict=self.results["verdict"],
                 run_id=self.results["run"]["id"], interrupted=exitstatus == pytest.ExitCode.INTERRUPTED)
        except OSError as exc:  # a read-only or full report folder: one line, and the run fails
            self.write_error = (f"error: cannot write the report to {out}: {exc.strerror or exc}; free some space or "
                                "pass --report-dir with a folder you can write")
            session.exitstatus = pytest.ExitCode.USAGE_ERROR

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.is_worker or self.results is None:
            return
        if self.write_error:
            terminalreporter.write_line(self.write_error)
            return
        from .terminal import summary_text
        writer = getattr(terminalreporter, "_tw", None)
        on_terminal = bool(getattr(writer, "hasmarkup", False)) or bool(getattr(writer, "isatty", False))
        terminalreporter.write(summary_text(self.results, self.outputs.get("html"),
                                            width=getattr(writer, "fullwidth", 100) if on_terminal else 1000,
                                            color=getattr(writer, "hasmarkup", False)))


def _skip_reason(report: pytest.TestReport) -> str:
    if hasattr(report, "wasxfail"):
        return f"expected to fail: {report.wasxfail}" if report.wasxfail else "expected to fail"
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr or "skipped")
