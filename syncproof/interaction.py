"""Steps that need a person: say exactly what to do, wait, then let the step verify.

Issuing an Amazon refund in Seller Central cannot be done through any API, so on a live
target such a step prints the order, SKU and amount, waits for the person, and then
polls the APIs for the result. Without a terminal (CI) the step fails with a clear
message instead of hanging; the sandbox target performs these actions itself (with
``--interactive`` it first asks the person, as a rehearsal of the live run).

Under ``syncproof ui`` (``$SYNCPROOF_PERSON_DIR`` set) the question goes to the browser
instead of the terminal: the step writes ``request-<n>.json`` there and waits for
``answer-<n>.json``::

    {"outcome": "done" | "failed", "answer": "...", "note": "...", "evidence": "file name or null"}

"Failed" fails the step with the person's note; the note and any attached screenshot
are recorded as evidence of the scenario.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from .errors import SyncproofError

__all__ = ["PERSON_DIR_ENV", "PersonNeeded", "PersonReportedFailure", "ask_person"]

PERSON_DIR_ENV = "SYNCPROOF_PERSON_DIR"
_numbers = itertools.count(1)


class PersonNeeded(SyncproofError):
    """A step needs a person and none can be asked (no --interactive, or no terminal)."""

    category = "configuration"


class PersonReportedFailure(SyncproofError):
    """The person doing a manual step said it could not be done."""

    category = "sync did not happen"


def _ask_browser(folder: Path, instructions: str, question: str, sleep: Callable[[float], Any]) -> str:
    from .report import record_note
    from .report.events import emit
    from .report.recorder import current_scenario

    number = next(_numbers)
    scenario = current_scenario()
    step = scenario.current_step() if scenario is not None else None
    request = {"id": f"{os.getpid()}-{number}", "instructions": instructions, "question": question,
               "scenario": scenario.label if scenario else None, "nodeid": scenario.nodeid if scenario else None,
               "step": f"{step.keyword} {step.text}" if step else None}
    folder.mkdir(parents=True, exist_ok=True)
    answer_path = folder / f"answer-{request['id']}.json"
    partial = folder / f".request-{request['id']}.part"
    partial.write_text(json.dumps(request), encoding="utf-8")
    os.replace(partial, folder / f"request-{request['id']}.json")
    emit("person", **request)
    while not answer_path.exists():
        sleep(0.2)
    answer = json.loads(answer_path.read_text(encoding="utf-8"))
    note = (answer.get("note") or "").strip()
    evidence = answer.get("evidence")
    record_note(f"person: {answer.get('outcome')} — {instructions}" + (f" Note: {note}" if note else "")
                + (f" Screenshot: {evidence}" if evidence else ""))
    emit("person-answered", id=request["id"], outcome=answer.get("outcome"))
    if answer.get("outcome") != "done":
        raise PersonReportedFailure(f"the person could not do it: {instructions}" + (f" ({note})" if note else ""),
                                    "fix what the note says, then run the scenario again")
    return str(answer.get("answer") or "").strip()


def ask_person(instructions: str, *, interactive: bool, question: str = "Press Enter when done",
               stdin: TextIO | None = None, stdout: TextIO | None = None,
               sleep: Callable[[float], Any] = time.sleep) -> str:
    """Print ``instructions``, wait for the person's answer and return it (stripped)."""
    folder = os.environ.get(PERSON_DIR_ENV)
    if interactive and folder:
        return _ask_browser(Path(folder), instructions, question, sleep)
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if not interactive or not stdin.isatty():
        raise PersonNeeded(f"this step needs a person: {instructions}",
                           "run `syncproof run --interactive` in a terminal, or use --target sandbox, which "
                           "performs it itself")
    stdout.write(f"\n>>> ACTION NEEDED\n{instructions}\n{question}: ")
    stdout.flush()
    answer = stdin.readline()
    if not answer:
        raise PersonNeeded(f"no answer was given for: {instructions}", "run again and answer the prompt")
    return answer.strip()
