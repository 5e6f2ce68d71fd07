"""Cucumber JSON from the results, for tools that read Cucumber's report format.

One element per feature (``uri``, ``id``, ``keyword``, ``name``, ``line``,
``description``, ``tags``), one ``scenario`` element per scenario, and per step
``keyword``, ``name``, ``line``, ``rows`` (data tables), ``doc_string`` and
``result`` (``status`` passed|failed|skipped|undefined, ``duration`` in
nanoseconds, ``error_message``). Not-run steps are reported as ``skipped``.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["to_cucumber"]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _step(step: dict[str, Any]) -> dict[str, Any]:
    status = {"not-run": "skipped"}.get(step["status"], step["status"])
    result: dict[str, Any] = {"status": status}
    if step.get("duration_ms") is not None:
        result["duration"] = int(step["duration_ms"] * 1_000_000)
    if step.get("error"):
        result["error_message"] = step["error"]
    data: dict[str, Any] = {"keyword": step["keyword"] + " ", "name": step["text"], "line": step["line"],
                            "result": result, "match": {"location": ""}}
    if step.get("datatable"):
        data["rows"] = [{"cells": row} for row in step["datatable"]]
    if step.get("docstring") is not None:
        data["doc_string"] = {"value": step["docstring"], "line": step["line"] + 1}
    return data


def to_cucumber(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The Cucumber JSON document (a list of features) for a results document."""
    out = []
    for feature in results["features"]:
        fid = _slug(feature["name"])
        out.append({
            "uri": feature["file"], "id": fid, "keyword": feature.get("keyword") or "Feature",
            "name": feature["name"], "line": feature.get("line", 1), "description": feature["description"],
            "tags": [{"name": f"@{t}", "line": 1} for t in feature["tags"]],
            "elements": [{
                "id": f"{fid};{_slug(s['name'])}",
                "keyword": s["keyword"], "name": s["name"], "line": s["line"], "description": s["description"],
                "type": "scenario",
                "tags": [{"name": f"@{t}", "line": s["line"] - 1} for t in s["tags"]],
                "steps": [_step(st) for st in s["steps"]],
            } for s in feature["scenarios"]],
        })
    return out
