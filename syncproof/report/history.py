"""Every run kept in a local history, and what changed between two runs.

The history lives in the report folder: ``history/<run-id>.json`` holds each run's
results and ``history.sqlite3`` indexes them (started, target, driver, verdict,
counts, the sign-off decision). A run's results carry ``changes`` against the
previous run and against the last accepted one (machine verdict ACCEPTED, or signed
off as accepted), so the report can say what changed since:

    checks          check ids whose matrix status changed
    scenarios       scenarios whose status changed (by node id)
    new_failures    scenarios failing now that did not fail then
    fixed           scenarios that failed then and pass now
    amounts         settlement and check amounts that differ (by scenario and field)

    diff(old, new)["new_failures"]
    # [{'nodeid': '...', 'label': 'A full refund on amazon ...', 'from': 'passed', 'to': 'failed'}]
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SyncproofError
from .results import load_results

__all__ = ["INDEX", "FOLDER", "HistoryEntry", "changes_for", "diff", "entries", "find", "record", "record_signoff"]

INDEX = "history.sqlite3"
FOLDER = "history"
_FAILED = ("failed", "error")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, started TEXT, finished TEXT, target TEXT, driver TEXT, verdict TEXT,
    total INTEGER, passed INTEGER, failed INTEGER, coverage TEXT, decision TEXT, path TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class HistoryEntry:
    """One run in the index."""

    id: str
    started: str | None
    finished: str | None
    target: str | None
    driver: str | None
    verdict: str | None
    total: int
    passed: int
    failed: int
    coverage: str | None
    decision: str | None
    path: Path

    @property
    def accepted(self) -> bool:
        return self.verdict == "accepted" or self.decision == "accepted"

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "path": str(self.path)}


@contextmanager
def _index(folder: Path) -> Iterator[sqlite3.Connection]:
    folder.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(folder / INDEX, timeout=10)) as db:
        db.execute(_SCHEMA)
        with db:
            yield db


def entries(folder: Path | str) -> list[HistoryEntry]:
    """The runs in ``folder``'s history, oldest first."""
    folder = Path(folder)
    if not (folder / INDEX).exists():
        return []
    with _index(folder) as db:
        rows = db.execute("SELECT id, started, finished, target, driver, verdict, total, passed, failed, coverage, "
                          "decision, path FROM runs ORDER BY started, rowid").fetchall()
    return [HistoryEntry(id_, started, finished, target, driver, verdict, total, passed, failed, coverage, decision,
                         folder / path)
            for (id_, started, finished, target, driver, verdict, total, passed, failed, coverage, decision,
                 path) in rows]


def _summary(results: dict[str, Any]) -> dict[str, Any]:
    run, counts = results["run"], results["summary"]["scenarios"]
    return {"id": run["id"], "started": run.get("started"), "finished": run.get("finished"),
            "target": run["metadata"].get("target"), "driver": run["metadata"].get("driver"),
            "verdict": results["verdict"]["status"], "total": counts["total"], "passed": counts["passed"],
            "failed": counts["failed"] + counts["error"], "coverage": results["verdict"].get("coverage"),
            "decision": (results.get("signoff") or {}).get("decision")}


def record(results: dict[str, Any], folder: Path | str) -> Path:
    """Keep ``results`` in the history of ``folder``; return where its copy is."""
    folder = Path(folder)
    copy = folder / FOLDER / f"{results['run']['id']}.json"
    copy.parent.mkdir(parents=True, exist_ok=True)
    partial = copy.with_name(f".{copy.name}.part")
    partial.write_text(json.dumps(results, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, copy)
    row = _summary(results)
    with _index(folder) as db:
        db.execute("INSERT OR REPLACE INTO runs VALUES (:id, :started, :finished, :target, :driver, :verdict, "
                   ":total, :passed, :failed, :coverage, :decision, :path)",
                   {**row, "path": str(copy.relative_to(folder))})
    return copy


def record_signoff(results_path: Path | str, folder: Path | str | None = None) -> None:
    """After a sign-off: refresh the run's copy and decision in the history (if the run is in one)."""
    results = load_results(results_path)
    folder = Path(folder) if folder else Path(results_path).parent
    if any(e.id == results["run"]["id"] for e in entries(folder)):
        record(results, folder)


def find(folder: Path | str, ref: str) -> dict[str, Any]:
    """A run's results by results-file path, run id or unique id prefix."""
    path = Path(ref)
    if path.suffix == ".json" and path.exists():
        return load_results(path)
    matches = [e for e in entries(folder) if e.id.startswith(ref)]
    if len(matches) != 1:
        what = "no run" if not matches else f"{len(matches)} runs"
        raise SyncproofError(f"{what} in the history of {folder} match {ref!r}",
                             "give a results.json path or a longer run id (see `syncproof history`)")
    return load_results(matches[0].path)


def _scenarios(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["nodeid"]: s for f in results["features"] for s in f["scenarios"]}


def _amounts(results: dict[str, Any]) -> dict[tuple[str, str], Any]:
    out: dict[tuple[str, str], Any] = {}
    for st in results.get("settlements", []):
        balance = st.get("balance") if isinstance(st.get("balance"), dict) else {}
        for key, value in (("posted", st.get("posted")), ("exceptions", st.get("exceptions_total")),
                           ("total-amount", balance.get("total_amount")), ("deposit", st.get("deposit"))):
            if value is not None:
                out[(st["nodeid"], f"settlement {key}")] = value
    for s in _scenarios(results).values():
        for check in s.get("checks", []):
            if isinstance(check.get("actual"), dict) and set(check["actual"]) == {"amount", "currency"}:
                out[(s["nodeid"], f"{check['check_id']} {check.get('title', '')}".strip())] = check["actual"]
    return out


def _show(value: Any) -> str:
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return f"{value['amount']} {value['currency']}"
    return str(value)


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What changed from run ``old`` to run ``new``."""
    before, after = _scenarios(old), _scenarios(new)
    label = {k: (after.get(k) or before[k]).get("label") or (after.get(k) or before[k])["name"]
             for k in set(before) | set(after)}
    scenarios = [{"nodeid": k, "label": label[k], "from": before[k]["status"] if k in before else "not in run",
                  "to": after[k]["status"] if k in after else "not in run"}
                 for k in sorted(set(before) | set(after))
                 if (before.get(k) or {}).get("status") != (after.get(k) or {}).get("status")]
    old_rows = {row["id"]: row["status"] for row in old["matrix"]}
    checks = [{"id": row["id"], "from": old_rows.get(row["id"], "not in run"), "to": row["status"]}
              for row in new["matrix"] if old_rows.get(row["id"]) != row["status"]]
    old_amounts, new_amounts = _amounts(old), _amounts(new)
    amounts = [{"nodeid": k[0], "label": label.get(k[0], k[0]), "what": k[1], "from": _show(old_amounts[k]),
                "to": _show(new_amounts[k])}
               for k in sorted(set(old_amounts) & set(new_amounts)) if old_amounts[k] != new_amounts[k]]
    return {
        "against": {"id": old["run"]["id"], "started": old["run"].get("started"),
                    "verdict": old["verdict"]["status"], "target": old["run"]["metadata"].get("target")},
        "checks": checks, "scenarios": scenarios,
        "new_failures": [c for c in scenarios if c["to"] in _FAILED and c["from"] not in _FAILED],
        "fixed": [c for c in scenarios if c["from"] in _FAILED and c["to"] == "passed"],
        "amounts": amounts,
    }


def changes_for(results: dict[str, Any], folder: Path | str) -> dict[str, Any]:
    """``{"previous": diff | None, "last_accepted": diff | None}`` for a new run against the history."""
    earlier = [e for e in entries(folder) if e.id != results["run"]["id"] and e.path.exists()]
    previous = earlier[-1] if earlier else None
    accepted = next((e for e in reversed(earlier) if e.accepted), None)
    out: dict[str, Any] = {"previous": None, "last_accepted": None}
    for key, entry in (("previous", previous), ("last_accepted", accepted)):
        if entry is not None:
            try:
                out[key] = diff(load_results(entry.path), results)
            except (OSError, ValueError):
                out[key] = None
    return out
