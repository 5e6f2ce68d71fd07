"""Steps that need a person: say exactly what to do, wait, then let the step verify.

Issuing an Amazon refund in Seller Central cannot be done through any API, so on a live
target such a step prints the order, SKU and amount, waits for the person, and then
polls the APIs for the result. Without a terminal (CI) the step fails with a clear
message instead of hanging; the sandbox target performs these actions itself.
"""

from __future__ import annotations

import sys
from typing import TextIO

from .errors import SyncproofError

__all__ = ["ask_person", "PersonNeeded"]


class PersonNeeded(SyncproofError):
    """A step needs a person and none can be asked (no --interactive, or no terminal)."""

    category = "configuration"


def ask_person(instructions: str, *, interactive: bool, question: str = "Press Enter when done",
               stdin: TextIO | None = None, stdout: TextIO | None = None) -> str:
    """Print ``instructions``, wait for the person's answer and return it (stripped)."""
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
