"""The results document: the single source every output is rendered from.

:func:`build_results` turns merged scenario records into the document below;
:func:`load_results` / :func:`save_results` read and write it;
:func:`canonical_bytes` is the byte form its sign-off hash is taken over.

Outline (``schema`` = :data:`SCHEMA`)::

    schema, generator
    run:        id, started, finished, duration_s, workers,
                metadata (target, driver, netsuite_account*, stores*, go_live_date, ...; *masked),
                environment (versions, python, platform, git {commit, dirty}, user, host, rootdir)
    verdict:    status accepted|demo|incomplete|rejected, reason, meaning, evidence live|emulators|cassettes,
                gaps [check ids], deselected n, unreadable [lines: files of scenarios not collected],
                coverage "n/14"
    deselected: [{nodeid, name, check_ids, channel, reason, counts}]
    summary:    scenarios {total, passed, failed, error, skipped, not-run},
                steps {...}, checks {total, passed, failed}, categories {category: n},
                channels {channel: n}
    matrix:     [{id, title, status passed|failed|incomplete|gap, counts, channels,
                  by_channel {channel: passed|failed|incomplete|not-covered|not-applicable},
                  scenarios [{nodeid, name, label, status, channel, channels, example}]}]
    features:   [{name, file, description, tags, status, counts,
                  scenarios [{nodeid, name, description, line, tags, check_ids, channel, example,
                              status, category, reason, failing_step, expected, actual,
                              failed_check, steps [{keyword, text, line, datatable, docstring,
                              background, status, duration_ms, error, exchanges}],
                              checks, exchanges, settlements, notes,
                              connector_defects (the sandbox connector's, in this scenario),
                              duration_ms, worker}]}]
    failures:   [{nodeid, feature, scenario, check_ids, channel, status, category, reason,
                  step {index, keyword, text, line}, failed_check, expected, actual}]
    settlements:[{...as recorded, nodeid, scenario}]
    changes:    {previous, last_accepted}: what changed against earlier runs (:mod:`.history`), or null
    signoff:    null until stamped (see :mod:`syncproof.report.signoff`)

Verdict rules (:mod:`syncproof.report.decision`): **rejected** when a scenario
failed or errored; **demo** when the run was on the emulators or cassettes;
**incomplete** when a check id is not covered, scenarios were deselected, skipped
or not run; otherwise **accepted**. ``deselected`` lists the scenarios ``-k``/``-m``
left out (and the audit scenarios, which are a separate mode and do not count).
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from ..atomic import FileTooLarge, NotARegularFile, read_regular_text, write_text
from ..errors import SyncproofError
from .checks_catalog import CHANNELS, CHECK_IDS, CHECK_TITLES
from .coverage import channel_mark, combined_status
from .decision import compute_verdict
from .environment import gather
from .sanitize import scrub
from .seal import seal_hash, sealed_bytes

__all__ = ["SCHEMA", "build_results", "compute_verdict", "load_results", "save_results",
           "canonical_bytes", "results_hash", "VOLATILE_KEYS"]

SCHEMA = "syncproof.results/1"
_STATUSES = ("passed", "failed", "error", "skipped", "not-run")
_STEP_STATUSES = ("passed", "failed", "skipped", "not-run")
#: Keys whose values change from run to run (timings, ids, where it ran); see tests' normaliser.
VOLATILE_KEYS = frozenset({"id", "started", "finished", "duration_s", "duration_ms", "workers", "worker",
                           "environment", "changes"})


def _version() -> str:
    from .environment import _version as v
    return v("syncproof") or "dev"


def _row_status(statuses: list[str]) -> str:
    return combined_status(statuses, none="gap")


def _touched(scenario: dict[str, Any]) -> list[str]:
    return scenario.get("channels") or ([scenario["channel"]] if scenario.get("channel") else [])


def _matrix(scenarios: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = list(CHECK_IDS) + sorted({cid for s in scenarios for cid in s["check_ids"]} - set(CHECK_IDS))
    rows = []
    for cid in ids:
        proving = [s for s in scenarios if cid in s["check_ids"]]
        rows.append({
            "id": cid,
            "title": CHECK_TITLES.get(cid, "Not a check id of the design."),
            "known": cid in CHECK_TITLES,
            "status": _row_status([s["status"] for s in proving]),
            "counts": dict(Counter(s["status"] for s in proving)),
            "channels": sorted({ch for s in proving for ch in _touched(s)}),
            "by_channel": {ch: channel_mark(cid, ch, [s["status"] for s in proving if ch in _touched(s)])
                           for ch in CHANNELS},
            "scenarios": [{"nodeid": s["nodeid"], "name": s["name"], "label": s.get("label", s["name"]),
                           "status": s["status"], "channels": _touched(s),
                           "channel": s["channel"], "example": s["example"]} for s in proving],
        })
    return rows


def _failure(s: dict[str, Any]) -> dict[str, Any]:
    index = s.get("failing_step")
    step = s["steps"][index] if index is not None and index < len(s["steps"]) else None
    return {
        "nodeid": s["nodeid"], "feature": s["feature"]["name"], "scenario": s.get("label", s["name"]),
        "check_ids": s["check_ids"], "channel": s["channel"], "status": s["status"],
        "category": s.get("category"), "reason": s.get("reason"),
        "step": ({"index": index, "keyword": step["keyword"], "text": step["text"], "line": step["line"]}
                 if step else None),
        "failed_check": s.get("failed_check"), "expected": s.get("expected"), "actual": s.get("actual"),
    }


def _features(scenarios: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_file: dict[str, dict[str, Any]] = {}
    for s in scenarios:
        f = s["feature"]
        entry = by_file.setdefault(f["file"], {**f, "scenarios": []})
        entry["scenarios"].append(s)
    features = []
    for file in sorted(by_file):
        entry = by_file[file]
        entry["scenarios"].sort(key=lambda s: (s["line"], s["nodeid"]))
        statuses = [s["status"] for s in entry["scenarios"]]
        entry["counts"] = dict(Counter(statuses))
        entry["status"] = _row_status(statuses) if statuses else "not-run"
        features.append(entry)
    return features


def build_results(records: Iterable[dict[str, Any]], *, metadata: dict[str, Any] | None = None,
                  rootdir: Path | None = None, started: str | None = None, finished: str | None = None,
                  duration_s: float | None = None, workers: int | None = None,
                  deselected: Iterable[dict[str, Any]] = (), unreadable: Iterable[str] = ()) -> dict[str, Any]:
    """The results document for scenario records (``ScenarioRecord.to_json()`` dicts).

    ``deselected``: ``{nodeid, name, check_ids, channel, reason, counts}`` for scenarios
    collected but left out; ``counts`` is False for those that are not part of an
    acceptance run (the audit). ``unreadable``: a line per feature file or step module that
    could not be collected (the verdict says so; it is never ACCEPTED).
    """
    scenarios = [scrub(dict(r)) for r in records]
    for s in scenarios:
        s.pop("started", None)
    counts = Counter(s["status"] for s in scenarios)
    scenario_counts = {"total": len(scenarios), **{k: counts.get(k, 0) for k in _STATUSES}}
    step_counts = Counter(st["status"] for s in scenarios for st in s["steps"])
    checks = [c for s in scenarios for c in s["checks"]]
    features = _features(scenarios)
    ordered = [s for f in features for s in f["scenarios"]]
    matrix = _matrix(ordered)
    gaps = [row["id"] for row in matrix if row["known"] and row["status"] == "gap"]
    left_out = sorted((dict(d) for d in deselected), key=lambda d: d["nodeid"])
    meta = scrub(dict(metadata or {}))
    return {
        "schema": SCHEMA,
        "generator": f"syncproof {_version()}",
        "run": {
            "id": uuid.uuid4().hex,
            "started": started, "finished": finished, "duration_s": duration_s, "workers": workers,
            "metadata": meta,
            "environment": gather(rootdir or Path.cwd(), (rootdir or Path.cwd()) / "features"),
        },
        "verdict": compute_verdict(scenario_counts, gaps, target=meta.get("target"),
                                   record_from=meta.get("record_from"),
                                   deselected=sum(1 for d in left_out if d.get("counts", True)),
                                   unreadable=[scrub(line) for line in unreadable]),
        "deselected": left_out,
        "summary": {
            "scenarios": scenario_counts,
            "steps": {"total": sum(step_counts.values()), **{k: step_counts.get(k, 0) for k in _STEP_STATUSES}},
            "checks": {"total": len(checks), "passed": sum(1 for c in checks if c.get("passed")),
                       "failed": sum(1 for c in checks if not c.get("passed"))},
            "categories": dict(sorted(Counter(s["category"] for s in ordered if s.get("category")).items())),
            "channels": dict(sorted(Counter(s["channel"] for s in ordered if s["channel"]).items())),
        },
        "matrix": matrix,
        "features": features,
        "failures": [_failure(s) for s in ordered if s["status"] in ("failed", "error")],
        "settlements": [{**st, "nodeid": s["nodeid"], "scenario": s.get("label", s["name"])}
                        for s in ordered for st in s["settlements"]],
        "changes": None,
        "signoff": None,
    }


def canonical_bytes(results: dict[str, Any]) -> bytes:
    """What the sign-off hash covers: the results with the sign-off record, without its seal fields."""
    return sealed_bytes(results)


def results_hash(results: dict[str, Any]) -> str:
    """SHA-256 (hex) of :func:`canonical_bytes`."""
    return seal_hash(results)


def save_results(results: dict[str, Any], path: Path) -> Path:
    """Write the results document atomically (a full disk leaves the previous file, never half of one)."""
    return write_text(path, json.dumps(results, indent=2, ensure_ascii=False) + "\n")


def load_results(path: Path | str) -> dict[str, Any]:
    """Read a results document, refusing anything else with one line naming the file and the fix."""
    target = Path(path)
    try:
        text = read_regular_text(target, limit=MAX_RESULTS_BYTES, encoding="utf-8-sig")
        data = json.loads(text)
    except (NotARegularFile, FileTooLarge) as exc:
        raise ResultsFileError(f"{target} cannot be a syncproof results file: {exc}", _RESULTS_HINT) from None
    except UnicodeDecodeError:
        raise ResultsFileError(f"{target} is not UTF-8 text, so not a syncproof results file", _RESULTS_HINT) from None
    except RecursionError:
        raise ResultsFileError(f"{target} nests too deeply to be a syncproof results file", _RESULTS_HINT) from None
    except ValueError as exc:
        raise ResultsFileError(f"{target} is not valid JSON (truncated or edited?): {exc}", _RESULTS_HINT) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ResultsFileError(f"{target} is not a syncproof results file (expected schema {SCHEMA})", _RESULTS_HINT)
    return data


_RESULTS_HINT = "pass the results.json a run wrote into its report folder (not report.html, junit.xml or cucumber.json)"
#: the largest results document read (a large audit run is tens of megabytes)
MAX_RESULTS_BYTES = 500_000_000


class ResultsFileError(SyncproofError):
    """A file given as a results document is not one."""
