"""Rendering the results document as one self-contained HTML file.

Everything is inline (CSS, JS, no fonts or CDNs), so the file opens offline
and can be mailed to a client. Jinja2 autoescaping is on; helper filters
format money (``{"amount", "currency"}`` dicts stay exact strings), pretty-print
evidence and line expected vs actual up field by field (:func:`diff_rows`).
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .checks_catalog import CHECK_TITLES

__all__ = ["render_html", "diff_rows", "fmt", "anchor"]

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
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False)


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


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("syncproof.report", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["fmt"] = fmt
    env.filters["anchor"] = anchor
    env.globals.update(diff_rows=diff_rows, is_exchange=_is_exchange, is_money=_is_money,
                       check_titles=CHECK_TITLES)
    return env


def render_html(results: dict[str, Any]) -> str:
    """The report page for a results document."""
    channels = sorted({s["channel"] for f in results["features"] for s in f["scenarios"] if s["channel"]})
    check_ids = [row["id"] for row in results["matrix"]]
    template = _environment().get_template("report.html.j2")
    return template.render(r=results, channels=channels, check_ids=check_ids,
                           css=_asset("report.css"), js=_asset("report.js"))
