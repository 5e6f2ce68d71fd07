"""Comparing two recordings of a scenario apart from what changes on every run.

    comparable(old_text) == comparable(new_text)   # same requests, same answers

Timestamps and dates become ``<time>``/``<date>``; other volatile values become
numbered placeholders in order of first appearance (so two fields that held the same
value must still hold the same value): UUIDs, opaque random tokens (Amazon transaction and event-group ids),
request ids, the Shopify throttle's currently available points, and the metadata
that describes the recording itself (``recorded_at``, ``rerecord``).
"""

from __future__ import annotations

import re

__all__ = ["comparable"]

_PATTERNS = [
    (
        "time",
        re.compile(
            r"\d{4}-\d{2}-\d{2}T\d{2}(?::|%3A)\d{2}(?::|%3A)\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}|%2B\d{2}%3A\d{2})?"
        ),
    ),
    ("time", re.compile(r"\b\d{8}T\d{6}Z\b")),
    ("date", re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{4}\b")),
    ("uuid", re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE)),
    ("token", re.compile(r"(?<![\w/.-])(?=[\w-]*[A-Z])(?=[\w-]*[a-z])[A-Za-z0-9_-]{24,}(?![\w/.-])")),
]
_LINES = [
    (re.compile(r'("currentlyAvailable": )[0-9.]+'), r"\1N"),
    (re.compile(r"(x-amzn-requestid: ).*", re.IGNORECASE), r"\1ID"),
    (re.compile(r"^(\s*recorded_at: ).*$", re.MULTILINE), r"\1T"),
    (re.compile(r"^(\s*rerecord: )(?:.*\n)(?:\s{4,}.*\n)*", re.MULTILINE), r"\1CMD\n"),
]


def comparable(text: str) -> str:
    """``text`` with its volatile values replaced by stable, numbered placeholders."""
    for pattern, replacement in _LINES:
        text = pattern.sub(replacement, text)
    seen: dict[tuple[str, str], str] = {}

    def number(kind: str):
        def replace(match: re.Match) -> str:
            if kind in ("time", "date"):  # which instants coincide depends on timing: not compared
                return f"<{kind}>"
            key = (kind, match.group(0))
            if key not in seen:
                seen[key] = f"<{kind}-{sum(1 for k in seen if k[0] == kind) + 1}>"
            return seen[key]
        return replace

    for kind, pattern in _PATTERNS:
        text = pattern.sub(number(kind), text)
    return text
