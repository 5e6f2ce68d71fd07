"""Merging the scenario records of several pytest-xdist workers (or one serial run).

Every worker collects every scenario but runs only some; for each node id the
merged record is the one that ran (any status but ``not-run``), else the
collected skeleton. Records come out ordered by node id, so a distributed run
and a serial run of the same features give the same results.
"""

from __future__ import annotations

from typing import Any, Iterable

__all__ = ["merge_parts"]


def merge_parts(parts: Iterable[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(records ordered by node id, merged run metadata) from the parts' JSON."""
    chosen: dict[str, dict[str, Any]] = {}
    metadata: dict[str, Any] = {}
    for part in parts:
        metadata.update(part.get("metadata") or {})
        for record in part.get("records", []):
            current = chosen.get(record["nodeid"])
            if current is None or (current["status"] == "not-run" and record["status"] != "not-run"):
                chosen[record["nodeid"]] = record
    return [chosen[k] for k in sorted(chosen)], metadata
