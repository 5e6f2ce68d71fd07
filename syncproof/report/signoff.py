"""Stamping a report with a sign-off, checking it later, and re-rendering.

The sign-off record stored in ``results.json`` under ``signoff``::

    {"name", "role", "decision": "accepted"|"rejected"|"conditional", "comment",
     "signed_at": ISO 8601 UTC, "verdict": the machine verdict signed against,
     "forced": why an "accepted" was signed against another verdict (or null),
     "results_sha256": hex, "hash_covers": "..."}

Deciding ``accepted`` on a run whose verdict is not ``accepted`` (demo, incomplete,
rejected) is refused unless ``force`` (:func:`~syncproof.report.decision.acceptance_refusal`).

``results_sha256`` is the SHA-256 of the *canonical results*: the results
document without its ``signoff`` key, serialised as JSON with sorted keys,
``(",", ":")`` separators and UTF-8 (:func:`~syncproof.report.results.canonical_bytes`).
So the hash does not depend on formatting, and stays valid after the sign-off is
added; any change to the results afterwards breaks it. The signed HTML carries
the same hash in its sign-off block and is checked against it by :func:`verify`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .decision import acceptance_refusal
from .html import render_html
from .outputs import FILES, write_outputs
from .results import load_results, results_hash, save_results

__all__ = ["sign", "verify", "render", "VerifyResult", "DECISIONS", "SignOffError"]

DECISIONS = ("accepted", "rejected", "conditional")
HASH_COVERS = "canonical JSON of results.json without the signoff key: sorted keys, compact separators, UTF-8"


class SignOffError(ValueError):
    """A sign-off was refused (bad decision, empty name, already signed)."""


@dataclass
class VerifyResult:
    """Whether results (and report) still match the signed hash; ``problems`` says why not."""

    ok: bool
    signed: bool
    expected_sha256: str | None
    actual_sha256: str
    problems: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.ok

    def summary(self) -> str:
        """One line for the CLI."""
        if self.ok:
            return f"OK: results match the signed hash {self.actual_sha256}"
        return "FAILED: " + "; ".join(self.problems)


def sign(results_path: Path | str, name: str, role: str, decision: str, comment: str | None = None, *,
         force: bool = False) -> Path:
    """Add a sign-off to ``results_path`` and re-render the report next to it; return the HTML path.

    Refuses a decision other than accepted/rejected/conditional, an empty name or
    role, a results file that no longer matches an earlier sign-off, and, unless
    ``force``, signing twice or deciding "accepted" on a run that is not ACCEPTED.
    """
    path = Path(results_path)
    results = load_results(path)
    decision = (decision or "").strip().lower()
    if decision not in DECISIONS:
        raise SignOffError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    if not (name or "").strip() or not (role or "").strip():
        raise SignOffError("a sign-off needs the signer's name and role")
    if results.get("signoff") and not force:
        raise SignOffError(f"{path} is already signed by {results['signoff'].get('name')}; pass force to re-sign")
    refusal = acceptance_refusal(results["verdict"], decision)
    if refusal and not force:
        raise SignOffError(f"refusing to sign accepted: {refusal}; decide rejected or conditional, "
                           "or pass --force to accept it anyway (the report says so)")
    results["signoff"] = {
        "name": name.strip(), "role": role.strip(), "decision": decision,
        "comment": comment.strip() if comment else None,
        "verdict": results["verdict"]["status"], "forced": refusal,
        "signed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "results_sha256": results_hash(results), "hash_covers": HASH_COVERS,
    }
    save_results(results, path)
    return render(path)["html"]


def verify(results_path: Path | str, html_path: Path | str | None = None) -> VerifyResult:
    """Check that ``results_path`` still hashes to its sign-off, and that the HTML shows that hash.

    ``html_path`` defaults to ``report.html`` next to the results.
    """
    path = Path(results_path)
    results = load_results(path)
    actual = results_hash(results)
    signoff = results.get("signoff")
    if not signoff:
        return VerifyResult(False, False, None, actual, [f"{path} has not been signed off"])
    expected = signoff.get("results_sha256")
    problems = []
    if expected != actual:
        problems.append(f"results changed after sign-off: signed {expected}, now {actual}")
    html = Path(html_path) if html_path else path.with_name(FILES["html"])
    if html.exists():
        text = html.read_text(encoding="utf-8")
        shown = re.findall(r'<code class="hash">([0-9a-f]{64})</code>', text)
        if expected not in shown:
            problems.append(f"{html.name} does not show the signed hash {expected}")
        elif text != render_html(results):
            problems.append(f"{html.name} differs from a fresh rendering of {path.name} "
                            "(edited after sign-off, or rendered by another syncproof version)")
    elif html_path:
        problems.append(f"{html} does not exist")
    return VerifyResult(not problems, True, expected, actual, problems)


def render(results_path: Path | str, out_dir: Path | str | None = None) -> dict[str, Path]:
    """Re-render report.html, junit.xml and cucumber.json from a results file, running nothing.

    Writes next to the results unless ``out_dir`` is given (then results.json is copied
    there too); returns the paths by kind.
    """
    path = Path(results_path)
    results = load_results(path)
    out = Path(out_dir) if out_dir else path.parent
    same = out.resolve() == path.parent.resolve() and path.name == FILES["results"]
    paths = write_outputs(results, out, include_results=not same)
    paths.setdefault("results", path)
    return paths
