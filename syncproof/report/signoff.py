"""Stamping a report with a sign-off, checking it later, and re-rendering.

The sign-off record stored in ``results.json`` under ``signoff``::

    {"name", "role", "decision": "accepted"|"rejected"|"conditional", "comment",
     "signed_at": ISO 8601 UTC, "verdict": the machine verdict signed against,
     "forced": why an "accepted" was signed against another verdict (or null),
     "results_sha256": hex, "hash_covers": "..."}

Deciding ``accepted`` on a run whose verdict is not ``accepted`` (demo, incomplete,
rejected) is refused unless ``force`` (:func:`~syncproof.report.decision.acceptance_refusal`).

The record is sealed by :mod:`syncproof.report.seal`: ``results_sha256`` is the SHA-256
of the results *including* this record (without the seal's own fields), so editing the
decision or the signer breaks it; ``signature`` (when ``$SYNCPROOF_SIGNING_KEY`` is set)
is an HMAC-SHA256 of the same bytes, which nobody without the key can recompute.
:func:`verify` fails when the results or the sign-off changed, when report.html is
missing or differs from a fresh rendering, when the hash differs from one recorded
outside the file, and, with the key set, when the signature is missing or wrong.
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
from .seal import HASH_COVERS, KEY_VARIABLE, SIGNATURE_ALG, signature, signature_matches, signing_key

__all__ = ["sign", "verify", "render", "VerifyResult", "DECISIONS", "SignOffError"]

DECISIONS = ("accepted", "rejected", "conditional")


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
    }
    seal = {"results_sha256": results_hash(results), "hash_covers": HASH_COVERS}
    key = signing_key()
    if key is not None:
        seal.update(signature=signature(results, key), signature_alg=SIGNATURE_ALG)
    results["signoff"].update(seal)
    save_results(results, path)
    return render(path)["html"]


def verify(results_path: Path | str, html_path: Path | str | None = None, *,
           expected_sha256: str | None = None) -> VerifyResult:
    """Check the sign-off of ``results_path``: its hash, its signature, its report.

    ``html_path`` defaults to ``report.html`` next to the results and must exist;
    ``expected_sha256`` is the hash recorded outside the file at sign-off.
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
        problems.append(f"results or sign-off changed after sign-off: signed {expected}, now {actual}")
    if expected_sha256 and expected_sha256.strip().lower() != expected:
        problems.append(f"the hash recorded at sign-off is {expected_sha256.strip()}, the file claims {expected}")
    problems += _signature_problems(results, signoff)
    html = Path(html_path) if html_path else path.with_name(FILES["html"])
    if not html.is_file():
        problems.append(f"{html} does not exist; re-render it with `syncproof report {path}` and verify again")
    else:
        text = html.read_text(encoding="utf-8", errors="replace")
        shown = re.findall(r'<code class="hash">([0-9a-f]{64})</code>', text)
        if expected not in shown:
            problems.append(f"{html.name} does not show the signed hash {expected}")
        elif text != render_html(results):
            problems.append(f"{html.name} differs from a fresh rendering of {path.name} "
                            "(edited after sign-off, or rendered by another syncproof version)")
    return VerifyResult(not problems, True, expected, actual, problems)


def _signature_problems(results: dict, signoff: dict) -> list[str]:
    key = signing_key()
    claimed = signoff.get("signature")
    if key is None:
        if claimed:
            return [f"the sign-off is signed with a key; set {KEY_VARIABLE} to check its signature"]
        return []
    if not claimed:
        return [f"the sign-off carries no signature although {KEY_VARIABLE} is set (a plain hash anyone can "
                "recompute); sign it again with the key"]
    if not signature_matches(results, key, claimed):
        return [f"the signature does not match (edited after sign-off, or signed with another {KEY_VARIABLE})"]
    return []


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
