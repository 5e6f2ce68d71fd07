"""JUnit XML from the results: a ``testsuite`` per feature, a ``testcase`` per scenario.

A failed scenario's ``failure`` (or an errored one's ``error``) carries the
one-sentence reason as ``message`` and its category as ``type``; the body names
the failing step and expected vs actual. CI servers read this file.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

__all__ = ["to_junit_xml"]


def _seconds(ms: float | None) -> str:
    return f"{(ms or 0) / 1000:.3f}"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def to_junit_xml(results: dict[str, Any]) -> str:
    """The JUnit XML document (as text) for a results document."""
    root = ET.Element("testsuites", name="syncproof", tests=str(results["summary"]["scenarios"]["total"]))
    for feature in results["features"]:
        scenarios = feature["scenarios"]
        suite = ET.SubElement(
            root, "testsuite", name=feature["name"], file=feature["file"], tests=str(len(scenarios)),
            failures=str(sum(s["status"] == "failed" for s in scenarios)),
            errors=str(sum(s["status"] == "error" for s in scenarios)),
            skipped=str(sum(s["status"] in ("skipped", "not-run") for s in scenarios)),
            time=_seconds(sum(s.get("duration_ms") or 0 for s in scenarios)))
        for s in scenarios:
            case = ET.SubElement(suite, "testcase", classname=feature["name"], name=s["name"],
                                 file=feature["file"], line=str(s["line"]), time=_seconds(s.get("duration_ms")))
            props = ET.SubElement(case, "properties")
            for cid in s["check_ids"]:
                ET.SubElement(props, "property", name="check_id", value=cid)
            if s["channel"]:
                ET.SubElement(props, "property", name="channel", value=s["channel"])
            for key, value in s["example"].items():
                ET.SubElement(props, "property", name=f"example.{key}", value=value)
            if s["status"] in ("failed", "error"):
                index = s.get("failing_step")
                step = s["steps"][index] if index is not None else None
                body = []
                if step:
                    body.append(f"Step: {step['keyword']} {step['text']} (line {step['line']})")
                if s.get("failed_check"):
                    body += [f"Check: {s['failed_check']}", f"Expected: {_text(s.get('expected'))}",
                             f"Actual: {_text(s.get('actual'))}"]
                tag = "failure" if s["status"] == "failed" else "error"
                el = ET.SubElement(case, tag, message=s.get("reason") or "", type=s.get("category") or "")
                el.text = "\n".join(body)
            elif s["status"] in ("skipped", "not-run"):
                ET.SubElement(case, "skipped", message=s.get("reason") or s["status"])
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
