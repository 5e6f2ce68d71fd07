"""The audit's result: a table of mismatches, and the check result that carries it.

An empty table is a pass; when part of the window could not be read (a vendor that lists
records only some time after they happen, or no longer keeps them) the pass says so,
naming the part (``incomplete``). A failed result names the count and the first mismatch in
its message, and holds the whole table as evidence (``{"mismatches": [...]}``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from syncproof.verdict import CheckResult, FailureCategory

__all__ = ["Mismatch", "AuditResult", "MAX_EVIDENCE_ROWS"]

#: rows kept in a check's evidence (the count is always exact)
MAX_EVIDENCE_ROWS = 500


@dataclass(frozen=True)
class Mismatch:
    """One row of the table: which check, order and refund, what differs, expected and actual."""

    check_id: str
    channel: str
    order: str
    refund: str
    what: str
    expected: Any
    actual: Any
    netsuite: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"check": self.check_id, "channel": self.channel, "order": self.order, "refund": self.refund,
                "netsuite": self.netsuite, "what": self.what, "expected": _text(self.expected),
                "actual": _text(self.actual)}

    def sentence(self) -> str:
        where = f"{self.channel} order {self.order}" + (f" refund {self.refund}" if self.refund else "")
        if self.netsuite:
            where += f" (NetSuite {self.netsuite})"
        return f"{where}: {self.what}: expected {_text(self.expected)}, found {_text(self.actual)}"


def _text(value: Any) -> Any:
    if value is None:
        return "nothing"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "nothing"
    return str(value) if not isinstance(value, (int, dict)) else value


@dataclass
class AuditResult:
    """What one audit found: the mismatches, how much it looked at, and the requests it made."""

    title: str
    checks: tuple[str, ...]
    mismatches: list[Mismatch] = field(default_factory=list)
    audited: dict[str, int] = field(default_factory=dict)  # e.g. {"shopify refunds": 2500}
    requests: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: why an empty table may not mean all is well (part of the window a vendor cannot show yet, or any more)
    incomplete: list[str] = field(default_factory=list)
    settlements: list[dict[str, Any]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.mismatches

    def table(self) -> list[dict[str, Any]]:
        return [m.to_json() for m in self.mismatches]

    def for_check(self, check_id: str) -> list[Mismatch]:
        return [m for m in self.mismatches if m.check_id == check_id]

    def check_result(self, check_id: str | None = None) -> CheckResult:
        """The result for ``check_id`` (or for all the audit's checks): the table as evidence."""
        rows = self.for_check(check_id) if check_id else list(self.mismatches)
        cid = check_id or self.checks[0]
        scope = ", ".join(f"{n:,} {what}" for what, n in self.audited.items()) or "nothing"
        evidence = [{"audited": dict(self.audited), "requests": dict(self.requests),
                     "mismatches": [m.to_json() for m in rows[:MAX_EVIDENCE_ROWS]],
                     "mismatch_count": len(rows)}]
        if self.notes:
            evidence[0]["notes"] = list(self.notes)
        if self.incomplete:
            evidence[0]["incomplete"] = list(self.incomplete)
        title = f"{self.title}" + (f" ({check_id})" if check_id else "")
        if not rows:
            limits = f"; may be incomplete: {'; '.join(self.incomplete)}" if self.incomplete else ""
            return CheckResult(cid, title, True, "no mismatches", "no mismatches",
                               f"{self.title}: audited {scope}; no mismatches{limits}", evidence)
        more = f" (and {len(rows) - 1} more, listed in the evidence)" if len(rows) > 1 else ""
        return CheckResult(cid, title, False, "no mismatches", f"{len(rows)} mismatch(es)",
                           f"{self.title}: {len(rows)} mismatch(es) in {scope}; first: {rows[0].sentence()}{more}",
                           evidence, FailureCategory.DATA_MISMATCH)
