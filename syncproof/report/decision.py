"""What a run's verdict means, and which human decisions it allows.

The machine verdict is one of:

``accepted``
    every check id of the design is covered and every selected scenario passed,
    on the customer's own accounts (``--target live``, or recording from live);
``demo``
    the scenarios ran on the emulators (``sandbox``) or from cassettes (``replay``,
    or ``record`` from the sandbox): emulators, not go-live evidence;
``incomplete``
    nothing failed, but a check id is not covered, scenarios were deselected
    (``-k``/``-m``), skipped or not run;
``rejected``
    a selected scenario failed or errored.

A failure beats everything; a demo run stays a demo whatever its coverage (the
reason still names what was left out). The exit code of ``syncproof run`` does
not follow the verdict: it is 0 when every selected scenario passed, 1 when one failed.

A sign-off with decision ``accepted`` is refused unless the verdict is ``accepted``;
``force`` overrides, and the sign-off then records that it was forced against
which verdict, so the report says so.

    >>> compute_verdict({"total": 2, "passed": 2}, [], target="sandbox")["status"]
    'demo'
    >>> acceptance_refusal({"status": "demo"}, "accepted")
    'the run is DEMO: emulators, not go-live evidence'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .checks_catalog import CHECK_IDS

__all__ = ["LIVE", "VERDICTS", "VERDICT_MEANING", "acceptance_refusal", "compute_verdict", "evidence_of"]

VERDICTS = ("accepted", "demo", "incomplete", "rejected")
LIVE = "live"

#: One phrase per verdict, as the report and the CLI say it.
VERDICT_MEANING = {
    "accepted": "every check passed on the customer's accounts",
    "demo": "emulators, not go-live evidence",
    "incomplete": "not every check was covered by this run",
    "rejected": "a scenario failed",
}


def evidence_of(metadata: Mapping[str, Any]) -> str:
    """Where the run's HTTP went: ``live`` (the customer's accounts), ``emulators`` or ``cassettes``."""
    target = metadata.get("target")
    if target == "live" or (target == "record" and metadata.get("record_from") == "live"):
        return LIVE
    if target == "replay":
        return "cassettes"
    return "emulators"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def compute_verdict(counts: Mapping[str, int], gaps: list[str], *, target: str | None = None,
                    record_from: str | None = None, deselected: int = 0,
                    unreadable: Sequence[str] = ()) -> dict[str, Any]:
    """The verdict for scenario ``counts`` (by status), uncovered check ids and the run's target.

    ``deselected`` counts scenarios left out by ``-k``/``-m`` (not the audit scenarios,
    which are a separate mode). ``unreadable``: a line per feature file or step module that
    could not be collected; its scenarios were never run, whatever the others did.
    """
    ran = counts.get("passed", 0) + counts.get("failed", 0) + counts.get("error", 0)
    bad = counts.get("failed", 0) + counts.get("error", 0)
    open_ = counts.get("skipped", 0) + counts.get("not-run", 0)
    evidence = evidence_of({"target": target, "record_from": record_from})
    left_out = []
    if open_:
        left_out.append(f"{_plural(open_, 'scenario')} skipped or not run")
    if deselected:
        left_out.append(f"{_plural(deselected, 'scenario')} deselected")
    if gaps:
        left_out.append(f"{_plural(len(gaps), 'check id')} not covered ({', '.join(gaps)})")
    if unreadable:
        left_out.append(f"{_plural(len(unreadable), 'file')} of scenarios that could not be read "
                        f"({'; '.join(unreadable)})")
    if bad:
        status = "rejected"
        reason = f"{bad} of {counts.get('total', 0)} scenarios failed or errored."
    elif ran == 0:
        status = "incomplete"
        reason = "No scenario ran."
    elif evidence != LIVE:
        status = "demo"
        where = "recorded cassettes" if evidence == "cassettes" else "the sandbox emulators"
        reason = (f"All {ran} scenarios that ran passed, on {where}. "
                  "Run with --target live on the customer's accounts for an acceptance.")
    elif left_out:
        status = "incomplete"
        reason = f"All {ran} scenarios that ran passed, but not everything was tested."
    else:
        status = "accepted"
        reason = f"All {ran} scenarios passed on the customer's accounts; all {len(CHECK_IDS)} check ids covered."
    if left_out and status != "accepted":
        reason += " Left out: " + "; ".join(left_out) + "."
    covered = len(CHECK_IDS) - len(gaps)
    return {"status": status, "reason": reason, "meaning": VERDICT_MEANING[status], "evidence": evidence,
            "gaps": gaps, "deselected": deselected, "unreadable": list(unreadable),
            "coverage": f"{covered}/{len(CHECK_IDS)}"}


def acceptance_refusal(verdict: Mapping[str, Any], decision: str) -> str | None:
    """Why ``decision`` may not be signed on a run with ``verdict``, or None when it may."""
    status = verdict.get("status")
    if decision != "accepted" or status == "accepted":
        return None
    return f"the run is {str(status).upper()}: {VERDICT_MEANING.get(str(status), 'not an acceptance')}"
