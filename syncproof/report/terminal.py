"""What the run prints: one line per finished scenario, and a verdict summary at the end.

:func:`terminal_summary` prints with a rich ``Console`` (the CLI passes its own);
the pytest plugin renders the same summary to text (:func:`summary_text`) and
hands it to pytest's terminal writer, so pytest's output stays intact.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

__all__ = ["print_diff", "progress_line", "summary_text", "terminal_summary"]

_STYLE = {"accepted": "bold green", "rejected": "bold red", "incomplete": "bold yellow", "demo": "bold blue",
          "passed": "green", "failed": "red", "error": "red", "skipped": "yellow",
          "not-run": "dim", "gap": "yellow", "incomplete-row": "yellow"}
_MARK = {"passed": "✓", "failed": "✗", "error": "✗", "skipped": "–", "not-run": "○"}


def progress_line(data: dict[str, Any]) -> str:
    """``✗ failed  RS-MN-3 [shopify] Refund to credit memo — data mismatch: reason``."""
    ids = ",".join(data.get("check_ids") or []) or "-"
    channel = f" [{data['channel']}]" if data.get("channel") else ""
    line = f"{_MARK.get(data['status'], '•')} {data['status']:<7} {ids}{channel} {data['name']}"
    if data.get("reason") and data["status"] != "passed":
        line += f" — {data['category'] + ': ' if data.get('category') else ''}{data['reason']}"
    return line


def terminal_summary(results: dict[str, Any], console: Console, report_path: Path | str | None = None) -> None:
    """Print the verdict, the counts, the matrix by check id and where the report is."""
    verdict = results["verdict"]
    counts = results["summary"]["scenarios"]
    console.print()
    console.print(Text.assemble(("syncproof verdict: ", "bold"),
                                (verdict["status"].upper(), _STYLE[verdict["status"]]),
                                f" ({verdict['meaning']})" if verdict.get("meaning") else ""))
    console.print(verdict["reason"])
    console.print(f"scenarios: {counts['total']} · passed {counts['passed']} · failed {counts['failed']} · "
                  f"errors {counts['error']} · skipped {counts['skipped']} · not run {counts['not-run']} · "
                  f"checks covered {verdict['coverage']}")
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for column in ("check", "result", "passed", "failed", "other", "channels"):
        table.add_column(column)
    for row in results["matrix"]:
        c = row["counts"]
        other = sum(v for k, v in c.items() if k not in ("passed", "failed", "error"))
        style = _STYLE.get(row["status"], _STYLE.get(row["status"] + "-row", ""))
        table.add_row(row["id"], Text(row["status"] if row["status"] != "gap" else "not covered", style=style),
                      str(c.get("passed", 0)), str(c.get("failed", 0) + c.get("error", 0)), str(other),
                      ", ".join(row["channels"]))
    console.print(table)
    for failure in results["failures"]:
        ids = ",".join(failure["check_ids"]) or "-"
        console.print(Text.assemble(("✗ ", "red"), (f"{ids} ", "bold"), failure["scenario"],
                                    (f" [{failure['category']}] " if failure.get("category") else " ", "magenta"),
                                    failure.get("reason") or ""), soft_wrap=True)
    left_out = results.get("deselected") or []
    chosen = [d for d in left_out if d.get("counts", True)]
    audit = len(left_out) - len(chosen)
    if chosen:
        names = "; ".join(d["name"] for d in chosen[:5]) + ("; …" if len(chosen) > 5 else "")
        console.print(f"{len(chosen)} deselected by -k/-m, so the run is not complete: {names}", soft_wrap=True)
    if audit:
        console.print(f"{audit} deselected: the read-only audit scenarios, which run with --audit", soft_wrap=True)
    if report_path:
        console.print(Text.assemble(("report: ", "bold"), str(report_path)), soft_wrap=True)


def summary_text(results: dict[str, Any], report_path: Path | str | None = None, *, width: int = 100,
                 color: bool = False) -> str:
    """The summary as text (with ANSI colours when ``color``), for pytest's terminal writer."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, color_system="standard" if color else None,
                      highlight=False, soft_wrap=False)
    terminal_summary(results, console, report_path)
    return buffer.getvalue()


def print_diff(changes: dict[str, Any], console: Console) -> None:
    """What changed between two runs (:func:`syncproof.report.history.diff`), one line per change."""
    against = changes["against"]
    console.print(f"compared with run {against['id'][:12]} ({against.get('started') or '-'}, "
                  f"{against.get('target') or '-'}, {str(against.get('verdict')).upper()})", soft_wrap=True)
    if not (changes["checks"] or changes["scenarios"] or changes["amounts"]):
        console.print("nothing changed")
        return
    for c in changes["new_failures"]:
        console.print(Text.assemble(("new failure ", "red"), c["label"], f" ({c['from']} -> {c['to']})"),
                      soft_wrap=True)
    for c in changes["fixed"]:
        console.print(Text.assemble(("fixed       ", "green"), c["label"]), soft_wrap=True)
    shown = {c["nodeid"] for c in changes["new_failures"] + changes["fixed"]}
    for c in changes["scenarios"]:
        if c["nodeid"] not in shown:
            console.print(f"scenario    {c['label']}: {c['from']} -> {c['to']}", soft_wrap=True)
    for c in changes["checks"]:
        console.print(f"check       {c['id']}: {c['from']} -> {c['to']}", soft_wrap=True)
    for a in changes["amounts"]:
        console.print(f"amount      {a['what']} in {a['label']}: {a['from']} -> {a['to']}", soft_wrap=True)
