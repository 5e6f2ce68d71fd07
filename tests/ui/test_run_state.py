"""The workbench's run states after a stop: what the run says it did, not only that a stop was asked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from syncproof.stopping import ENV as STOP_ENV
from syncproof.ui.runs import Run, RunManager, RunOptions

# stands for the run: says it is ready, then on the interrupt says whether the stop request was kept already
INTERRUPTED_CHILD = """\
import os, signal, sys
def on_interrupt(signum, frame):
    kept = os.path.exists(os.environ["SYNCPROOF_STOP_FILE"])
    os.write(1, b"stop request kept\\n" if kept else b"no stop request\\n")
    sys.exit(0)
signal.signal(signal.SIGINT, on_interrupt)
print("ready", flush=True)
signal.pause()
"""


def ended_run(folder: Path, *events: dict, stopped: bool) -> Run:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return Run(RunOptions(), folder, process, "2026-12-02T10:00:00+00:00", stopped=stopped)


SCENARIO = {"type": "scenario", "nodeid": "steps/test_scenarios.py::test_one", "label": "one", "steps": []}


@pytest.mark.parametrize(("events", "stopped", "state"), [
    ([SCENARIO, {"type": "run", "interrupted": True}], True, "stopped"),
    ([SCENARIO, {"type": "run", "interrupted": False}], True, "finished"),  # the stop came after the last scenario
    ([SCENARIO], True, "stopped"),  # stopped before it wrote a report
    ([SCENARIO, {"type": "run", "interrupted": False}], False, "finished"),
])
def test_a_run_asked_to_stop_is_stopped_only_if_it_ended_before_its_last_scenario(tmp_path, events, stopped, state):
    assert ended_run(tmp_path / "run", *events, stopped=stopped).state() == state


def test_stop_keeps_the_request_before_it_interrupts_the_run(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    process = subprocess.Popen([sys.executable, "-c", INTERRUPTED_CHILD], stdout=subprocess.PIPE, text=True,
                               env={STOP_ENV: str(folder / "stop")}, start_new_session=True)
    manager = RunManager(tmp_path, tmp_path / "reports")
    manager.current = Run(RunOptions(), folder, process, "2026-12-02T10:00:00+00:00")
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    manager.stop()
    assert process.stdout.readline().strip() == "stop request kept"
    assert process.wait(timeout=60) == 0 and manager.current.stopped
    manager.stop()  # a run that ended: nothing to stop, no error
