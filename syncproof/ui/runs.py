"""One run at a time: ``syncproof run`` as a subprocess the page starts, follows, answers and stops.

The run writes its live events (:mod:`syncproof.report.events`) to ``events.jsonl``
and its questions for a person (:mod:`syncproof.interaction`) to ``person/`` in a
working folder of its own; the report goes to the report folder, so it joins the
history like any other run. Stopping writes ``stop`` there and sends the run an
interrupt (Ctrl-C): pytest ends the scenario in hand, or, if the interrupt is lost, the
run ends before its next scenario (:mod:`syncproof.stopping`); the collector writes the
report of what ran, atomically. A run asked to stop that ran all its scenarios anyway
is ``finished``, not ``stopped``.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import SyncproofError
from ..interaction import PERSON_DIR_ENV
from ..report.events import ENV as EVENTS_ENV
from ..stopping import ENV as STOP_ENV
from ..stopping import request_stop

__all__ = ["Run", "RunManager", "RunOptions"]

TARGETS = ("sandbox", "replay", "live")
DRIVERS = ("engine", "connector")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
MAX_SCREENSHOT_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class RunOptions:
    """What the page asked to run."""

    target: str = "sandbox"
    driver: str = "engine"
    keyword: str | None = None
    tags: str | None = None
    interactive: bool = True

    def __post_init__(self) -> None:
        if self.target not in TARGETS:
            raise SyncproofError(f"target {self.target!r} is not one of {', '.join(TARGETS)}", "pick one in the page")
        if self.driver not in DRIVERS:
            raise SyncproofError(f"driver {self.driver!r} is not one of {', '.join(DRIVERS)}", "pick one in the page")

    def arguments(self, report_dir: Path, config: str | None) -> list[str]:
        args = ["run", "--target", self.target, "--driver", self.driver, "--report-dir", str(report_dir)]
        if config:
            args += ["--config", config]
        if self.keyword:
            args += ["-k", self.keyword]
        if self.tags:
            args += ["-m", self.tags]
        if self.interactive:
            args.append("--interactive")
        return args + ["--", "-p", "no:randomly"]


@dataclass
class Run:
    """A run the page started."""

    options: RunOptions
    folder: Path
    process: subprocess.Popen
    started: str
    stopped: bool = False
    output: list[str] = field(default_factory=list)

    @property
    def events_path(self) -> Path:
        return self.folder / "events.jsonl"

    @property
    def person_dir(self) -> Path:
        return self.folder / "person"

    @property
    def stop_path(self) -> Path:
        return self.folder / "stop"

    def events(self, since: int = 0) -> list[dict[str, Any]]:
        if not self.events_path.exists():
            return []
        lines = self.events_path.read_text(encoding="utf-8").splitlines()
        out = []
        for number, line in enumerate(lines[since:], start=since):
            try:
                out.append({"n": number, **json.loads(line)})
            except ValueError:
                break  # a line being written: read it next time
        return out

    def pending(self) -> list[dict[str, Any]]:
        """Questions for a person not answered yet."""
        if not self.person_dir.exists():
            return []
        out = []
        for path in sorted(self.person_dir.glob("request-*.json")):
            request_id = path.stem.removeprefix("request-")
            if not (self.person_dir / f"answer-{request_id}.json").exists():
                out.append(json.loads(path.read_text(encoding="utf-8")))
        return out

    def interrupted(self) -> bool:
        """Whether an interrupt or a stop ended the run before all its scenarios ran, or it wrote no report."""
        ended = next((e for e in reversed(self.events()) if e.get("type") == "run"), None)
        return ended is None or bool(ended.get("interrupted"))

    def state(self) -> str:
        if self.process.poll() is None:
            return "waiting for you" if self.pending() else "running"
        return "stopped" if self.stopped and self.interrupted() else "finished"


class RunManager:
    """Starts and follows at most one run."""

    def __init__(self, root: Path, report_dir: Path, config: str | None = None) -> None:
        self.root = root
        self.report_dir = report_dir
        self.config = config
        self.current: Run | None = None
        self._lock = threading.Lock()
        self._work = Path(tempfile.mkdtemp(prefix="syncproof-ui-"))

    def start(self, options: RunOptions) -> Run:
        with self._lock:
            if self.current is not None and self.current.process.poll() is None:
                raise SyncproofError("a run is in progress", "wait for it to finish, or stop it first")
            folder = self._work / datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            folder.mkdir(parents=True)
            env = {**os.environ, EVENTS_ENV: str(folder / "events.jsonl"), PERSON_DIR_ENV: str(folder / "person"),
                   STOP_ENV: str(folder / "stop"), "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
            process = subprocess.Popen(  # noqa: S603 - our own CLI with arguments we built
                [sys.executable, "-m", "syncproof", *options.arguments(self.report_dir, self.config)],
                cwd=self.root, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True, start_new_session=True)
            run = Run(options, folder, process, datetime.now(UTC).isoformat(timespec="seconds"))
            threading.Thread(target=self._drain, args=(run,), daemon=True).start()
            self.current = run
            return run

    @staticmethod
    def _drain(run: Run) -> None:
        assert run.process.stdout is not None
        for line in run.process.stdout:
            run.output.append(line.rstrip("\n"))
            del run.output[:-400]

    def stop(self) -> None:
        """Stop the run: the request is kept first, then the interrupt ends the scenario in hand."""
        run = self.current
        if run is None or run.process.poll() is not None:
            return
        run.stopped = True
        request_stop(run.stop_path)  # read by the run before each scenario, whatever becomes of the interrupt
        for request in run.pending():  # a step waiting for a person ends as not done
            self.answer(request["id"], "failed", "the run was stopped", None)
        try:
            os.killpg(run.process.pid, signal.SIGINT)
        except ProcessLookupError:  # it ended meanwhile
            pass

    def answer(self, request_id: str, outcome: str, note: str | None,
               screenshot: dict[str, str] | None) -> str | None:
        """Write the person's answer; a screenshot (``{"name", "data": base64}``) goes into the report folder."""
        run = self.current
        if run is None or not re.fullmatch(r"[0-9]+-[0-9]+", request_id):
            raise SyncproofError(f"no step is waiting for answer {request_id!r}", "reload the page")
        if outcome not in ("done", "failed"):
            raise SyncproofError(f"outcome must be done or failed, not {outcome!r}", "click Done or Failed")
        evidence = None
        if screenshot and screenshot.get("data"):
            try:
                data = base64.b64decode(screenshot["data"], validate=True)
            except (binascii.Error, ValueError):
                raise SyncproofError("the screenshot could not be read", "attach the file again") from None
            if len(data) > MAX_SCREENSHOT_BYTES:
                raise SyncproofError("the screenshot is larger than 10 MB", "attach a smaller file")
            name = _SAFE_NAME.sub("_", Path(screenshot.get("name") or "screenshot.png").name)[-80:]
            target = self.report_dir / "evidence" / f"{request_id}-{name}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            evidence = str(target.relative_to(self.report_dir))
        path = run.person_dir / f"answer-{request_id}.json"
        partial = run.person_dir / f".answer-{request_id}.part"
        partial.write_text(json.dumps({"outcome": outcome, "note": note or "", "evidence": evidence}),
                           encoding="utf-8")
        os.replace(partial, path)
        return evidence
