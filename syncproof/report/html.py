"""Rendering the results document as one self-contained HTML file.

Everything is inline (CSS, JS, no fonts or CDNs), so the file opens offline
and can be mailed to a client. Jinja2 autoescaping is on; helper filters
format money (``{"amount", "currency"}`` dicts stay exact strings), pretty-print
evidence and line expected vs actual up field by field (:func:`diff_rows`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .checks_catalog import CHANNELS, CHECK_TITLES
from .coverage import MARKS

__all__ = ["anchor", "diff_rows", "fmt", "netsuite_links", "readable", "render_html", "tie_out"]

_MISSING = object()


def _is_money(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"amount", "currency"}


def fmt(value: Any) -> str:
    """A value as the report shows it: money as ``12.30 USD``, structures as indented JSON."""
    if value is None:
        return "—"
    if _is_money(value):
        return f"{value['amount']} {value['currency']}"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int,)):
        return str(value)
    return json.dumps(value, indent=2, ensure_ascii=False)


def readable(value: Any) -> str:
    """A value for a table cell: lists joined with commas, mappings as ``key value; ...``, no JSON."""
    if isinstance(value, list):
        return ", ".join(readable(v) for v in value) or "—"
    if isinstance(value, dict) and not _is_money(value):
        return "; ".join(f"{str(k).replace('_', ' ')} {readable(v)}" for k, v in value.items()) or "—"
    return fmt(value)


_ACCOUNT = re.compile(r"^[0-9A-Za-z]+(_(SB|RP)\d*)?$", re.IGNORECASE)
_RECORD = re.compile(r"^(?P<kind>.*?)\s*#?(?P<id>\d+)$")


def netsuite_links(records: Any, metadata: dict[str, Any]) -> list[dict[str, Any]]:
    """``"deposit 1008"`` (or a list of them) as ``[{"text", "kind", "id", "url"}]``.

    The URL is the record in the NetSuite UI,
    ``https://<account>.app.netsuite.com/app/accounting/transactions/transaction.nl?id=<id>``,
    with the account in its URL form (``1234567_SB1`` -> ``1234567-sb1``). A run on
    the emulators has no NetSuite UI (no link); a report whose account id is masked
    links through ``system.netsuite.com``, where NetSuite users sign in.
    """
    if records is None:
        return []
    items = records if isinstance(records, list) else [records]
    account = str(metadata.get("netsuite_account") or "")
    target = metadata.get("target")
    if target in ("sandbox", "replay") or (target == "record" and metadata.get("record_from") != "live"):
        host = None
    elif _ACCOUNT.match(account):
        host = f"{account.lower().replace('_', '-')}.app.netsuite.com"
    else:
        host = "system.netsuite.com"
    out = []
    for item in items:
        text = str(item)
        found = _RECORD.match(text.strip())
        record_id = found.group("id") if found else None
        url = (f"https://{host}/app/accounting/transactions/transaction.nl?id={record_id}"
               if host and record_id else None)
        out.append({"text": text, "kind": found.group("kind") if found else "", "id": record_id, "url": url})
    return out


def _amount(value: Any) -> Decimal | None:
    raw = value.get("amount") if _is_money(value) else value
    try:
        return Decimal(str(raw))
    except (InvalidOperation, TypeError, ValueError):
        return None


def tie_out(settlement: dict[str, Any]) -> dict[str, Any] | None:
    """Posted + exceptions against the settlement's total-amount: ``{posted, exceptions, total, holds}``."""
    balance = settlement.get("balance")
    total = balance.get("total_amount") if isinstance(balance, dict) else None
    posted, exceptions = settlement.get("posted"), settlement.get("exceptions_total")
    amounts = [_amount(v) for v in (posted, exceptions, total)]
    p, e, t = amounts
    if total is None or posted is None or p is None or e is None or t is None:
        return None
    return {"posted": fmt(posted), "exceptions": fmt(exceptions) if exceptions is not None else "0",
            "total": fmt(total), "holds": p + e == t}


#: settlement status -> (badge status, words)
SETTLEMENT_STATUS = {
    "posted": ("passed", "Posted"),
    "posted_with_exceptions": ("incomplete", "Posted with exceptions"),
    "too_early": ("skipped", "Too early: not posted"),
    "not_balanced": ("failed", "Does not balance"),
    "unbalanced": ("failed", "Does not balance"),
}


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict) and value and not _is_money(value):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list) and value:
        for i, item in enumerate(value):
            _flatten(item, f"{prefix}[{i}]", out)
    else:
        out[prefix] = value


def diff_rows(expected: Any, actual: Any) -> list[dict[str, Any]]:
    """Expected and actual lined up by field path, each row saying whether they differ.

    ``{"total": "10.00", "sku": "A"}`` vs ``{"total": "9.00", "sku": "A"}`` gives two rows,
    ``total`` marked as differing. Scalars give one row with an empty path.
    """
    exp: dict[str, Any] = {}
    act: dict[str, Any] = {}
    _flatten(expected, "", exp)
    _flatten(actual, "", act)
    paths = list(exp) + [p for p in act if p not in exp]
    rows = []
    for path in paths:
        e, a = exp.get(path, _MISSING), act.get(path, _MISSING)
        rows.append({"path": path,
                     "expected": "(absent)" if e is _MISSING else fmt(e),
                     "actual": "(absent)" if a is _MISSING else fmt(a),
                     "differs": e != a})
    return rows


def anchor(nodeid: str) -> str:
    """A stable HTML id for a scenario."""
    return "sc-" + hashlib.sha1(nodeid.encode("utf-8")).hexdigest()[:12]


def _is_exchange(value: Any) -> bool:
    return isinstance(value, dict) and "method" in value and "url" in value


def _asset(name: str) -> Markup:
    text = resources.files("syncproof.report").joinpath("templates", name).read_text(encoding="utf-8")
    return Markup(text.replace("</", "<\\/") if name.endswith(".js") else text)


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """Where ``PYTHONPYCACHEPREFIX`` keeps Python's bytecode, the compiled templates go too (``jinja2/``),
    so a process loads them instead of compiling them; without the variable nothing is written."""
    prefix = os.environ.get("PYTHONPYCACHEPREFIX")
    if not prefix:
        return None
    folder = Path(prefix) / "jinja2"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


@functools.cache
def _environment() -> Environment:
    """One environment per process: it keeps the compiled templates (compiling the report's takes ~0.25 s)."""
    env = Environment(loader=PackageLoader("syncproof.report", "templates"), bytecode_cache=_bytecode_cache(),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["fmt"] = fmt
    env.filters["anchor"] = anchor
    env.filters["readable"] = readable
    env.globals.update(diff_rows=diff_rows, is_exchange=_is_exchange, is_money=_is_money,
                       check_titles=CHECK_TITLES, netsuite_links=netsuite_links, tie_out=tie_out,
                       settlement_status=SETTLEMENT_STATUS, marks=MARKS)
    return env


def render_html(results: dict[str, Any]) -> str:
    """The report page for a results document."""
    run_channels = {s["channel"] for f in results["features"] for s in f["scenarios"] if s["channel"]}
    channels = [ch for ch in CHANNELS if ch in run_channels or any(row.get("by_channel") for row in results["matrix"])]
    check_ids = [row["id"] for row in results["matrix"]]
    template = _environment().get_template("report.html.j2")
    return template.render(r=results, channels=channels, check_ids=check_ids,
                           css=_asset("report.css"), js=_asset("report.js"))
