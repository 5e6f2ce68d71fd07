"""Offline check of settlement files: does each balance, and what does its statement say?

``syncproof settlement check [--json] FILE [FILE...]`` calls :func:`run_check`;
the pieces are usable alone::

    report = check_file("settlement.txt")
    report.balanced, report.statement.line(StatementLine.PRODUCT_CHARGES)
    # -> (True, Money('1234.56', 'USD'))
    render(report, Console())

:func:`check_file` raises :class:`~connectors.settlement_file.SettlementFileError`
for a file that cannot be read; :func:`run_check` reports that error as one line
and carries on with the next file. A file given twice is checked once, and two
files holding the same settlement id are named in a warning.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import IO, Any, Iterable

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from connectors.settlement_file import (
    Balance,
    SettlementFileError,
    balance,
    open_settlement,
    order_reference_kind,
)
from syncproof.model import Money
from syncproof.settlement_categories import SettlementCategory, classify
from syncproof.settlement_statement import Statement, StatementBuilder

__all__ = ["FileReport", "ForeignOrderRow", "check_file", "render", "run_check", "output_console",
           "REFERENCE_KINDS", "EXIT_OK", "EXIT_FAILED", "EXIT_USAGE"]

EXIT_OK = 0
EXIT_FAILED = 1  # a file does not balance or cannot be read
EXIT_USAGE = 2  # no file given

#: How many rows with a non-Amazon order id a report lists (all are counted).
LISTED_FOREIGN_ROWS = 50

#: What each kind of non-Amazon order id is, and what to do about its rows.
REFERENCE_KINDS: dict[str, tuple[str, str]] = {
    "mcf": ("a multi-channel fulfilment order",
            "an FBA shipment of an order from another channel: post its fees to that channel's order "
            "(merchant-order-id), not to an Amazon order"),
    "fba_shipment": ("an FBA inbound shipment",
                     "a non-order FBA fee: it belongs in the summary transaction, no order to match"),
    "removal": ("a removal or disposal order",
                "a non-order FBA fee: it belongs in the summary transaction, no order to match"),
    "liquidation": ("a liquidation",
                    "liquidation proceeds or fees: non-order amounts for the summary transaction"),
    "unknown": ("an unrecognised reference",
                "look the row up in Seller Central (Payments > Transaction view) before posting it"),
}


@dataclass(frozen=True, slots=True)
class ForeignOrderRow:
    """A row whose order-id is not an Amazon order id, with what it is."""

    line_number: int
    order_id: str
    kind: str  # a key of REFERENCE_KINDS
    transaction_type: str
    amount_type: str
    amount_description: str
    amount: Money

    @property
    def kind_label(self) -> str:
        return REFERENCE_KINDS[self.kind][0]

    @property
    def advice(self) -> str:
        return REFERENCE_KINDS[self.kind][1]

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line_number, "order_id": self.order_id, "kind": self.kind, "what": self.kind_label,
                "what_to_do": self.advice, "transaction_type": self.transaction_type,
                "amount_type": self.amount_type, "amount_description": self.amount_description,
                "amount": self.amount.to_json()}


@dataclass(frozen=True)
class FileReport:
    """What :func:`check_file` found in one settlement file."""

    path: str
    format: str
    settlement_id: str
    start: datetime
    end: datetime
    deposit_date: datetime
    currency: str
    total: Money
    row_count: int  # the file's rows (a legacy row can hold several amounts)
    balance: Balance
    statement: Statement
    by_category: dict[str, Money] = field(default_factory=dict)
    by_transaction_type: dict[str, Money] = field(default_factory=dict)
    foreign_order_rows: tuple[ForeignOrderRow, ...] = ()
    foreign_order_count: int = 0
    foreign_by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def balanced(self) -> bool:
        return self.balance.balanced

    @property
    def status(self) -> str:
        """``balanced`` or ``unbalanced``."""
        return "balanced" if self.balanced else "unbalanced"

    def to_json(self) -> dict[str, Any]:
        """Every figure a decimal string with its currency."""
        return {
            "path": self.path, "format": self.format, "settlement_id": self.settlement_id,
            "start": self.start.isoformat(), "end": self.end.isoformat(),
            "deposit_date": self.deposit_date.isoformat(), "currency": self.currency,
            "total_amount": self.total.to_json(), "rows_sum": self.balance.rows_sum.to_json(),
            "difference": self.balance.difference.to_json(), "rows": self.row_count,
            "amounts": self.statement.amounts, "status": self.status,
            "statement": self.statement.to_json(),
            "posting_categories": {k: v.to_json() for k, v in self.by_category.items()},
            "by_transaction_type": {k: v.to_json() for k, v in self.by_transaction_type.items()},
            "non_amazon_order_ids": {"rows": self.foreign_order_count, "by_kind": dict(self.foreign_by_kind),
                                     "listed": [r.to_json() for r in self.foreign_order_rows]},
        }


def check_file(path: str | os.PathLike[str]) -> FileReport:
    """Read one settlement file: its balance, its statement, its totals per posting category and type.

    Raises :class:`SettlementFileError` when the file cannot be read.
    """
    by_category: dict[str, Decimal] = {c.value: Decimal(0) for c in SettlementCategory}
    by_type: dict[str, Decimal] = {}
    foreign: list[ForeignOrderRow] = []
    by_kind: dict[str, int] = {}
    with open_settlement(path) as settlement:
        summary = settlement.summary
        builder = StatementBuilder(summary.currency)
        for row in settlement.rows():
            value = row.amount.amount
            builder.add(row)
            by_category[classify(row.transaction_type, row.amount_type, row.amount_description).category.value] \
                += value
            kind = row.transaction_type.strip() or "(none)"
            by_type[kind] = by_type.get(kind, Decimal(0)) + value
            order_id = row.order_id.strip()
            if order_id:
                reference = order_reference_kind(order_id, row.transaction_type, row.amount_description)
                if reference != "amazon":
                    by_kind[reference] = by_kind.get(reference, 0) + 1
                    if len(foreign) < LISTED_FOREIGN_ROWS:
                        foreign.append(ForeignOrderRow(row.line_number, order_id, reference, row.transaction_type,
                                                       row.amount_type, row.amount_description, row.amount))
        result = balance(settlement)
    currency = summary.currency
    statement = builder.build(summary.settlement_id, summary.total)
    return FileReport(
        path=os.fspath(path), format=settlement.format, settlement_id=summary.settlement_id,
        start=summary.start, end=summary.end, deposit_date=summary.deposit_date, currency=currency,
        total=summary.total, row_count=statement.file_rows, balance=result, statement=statement,
        by_category={k: Money(v, currency) for k, v in by_category.items() if v or k in _ALWAYS_SHOWN},
        by_transaction_type={k: Money(v, currency) for k, v in sorted(by_type.items())},
        foreign_order_rows=tuple(foreign), foreign_order_count=sum(by_kind.values()),
        foreign_by_kind=dict(sorted(by_kind.items())),
    )


_ALWAYS_SHOWN = {"order_item", "order_fee", "refund", "refund_fee"}


def _amount(money: Money) -> str:
    return str(money.rounded().amount)


def render(report: FileReport, console: Console) -> None:
    """Print a report: status, period, the statement view, fee types, unknown amounts, non-order ids."""
    mark = "[green]balanced[/]" if report.balanced else "[bold red]NOT balanced[/]"
    console.print(f"[bold]{escape(report.path)}[/]: settlement {escape(report.settlement_id)} "
                  f"({report.format}) {mark}")
    console.print(f"  period {report.start:%Y-%m-%d %H:%M} to {report.end:%Y-%m-%d %H:%M} UTC, "
                  f"deposit {report.deposit_date:%Y-%m-%d}, {report.row_count:,} rows")
    console.print(f"  total-amount {report.total}, rows sum {report.balance.rows_sum}, "
                  f"difference {report.balance.difference}")
    statement = report.statement
    table = Table(title="Statement view", show_edge=False, title_justify="left")
    table.add_column("line")
    table.add_column(f"amount ({report.currency})", justify="right")
    for line, amount in statement.lines.items():
        if amount or not line.value.startswith(("sales.marketplace", "sales.liquidation", "expenses.liquidation",
                                                "unknown")):
            table.add_row(line.label, _amount(amount))
    table.add_row("[bold]Net proceeds[/]", f"[bold]{_amount(statement.net_proceeds)}[/]")
    console.print(table)
    if statement.amazon_fees:
        fees = Table(title="Amazon fees by fee type", show_edge=False, title_justify="left")
        fees.add_column("fee type")
        fees.add_column(f"amount ({report.currency})", justify="right")
        for name, amount in statement.amazon_fees.items():
            fees.add_row(escape(name), _amount(amount))
        console.print(fees)
    if statement.unknown_rows:
        console.print(f"  {statement.unknown_rows:,} rows are not in the mapping table (line 'unknown', "
                      "not guessed):")
        for unknown in statement.unknown:
            console.print(f"    line {unknown.first_line}: {escape(unknown.transaction_type)} / "
                          f"{escape(unknown.amount_type)} / {escape(unknown.amount_description)}: "
                          f"{unknown.rows} rows, {unknown.amount}")
    kinds = Table(title="Totals per transaction type", show_edge=False, title_justify="left")
    kinds.add_column("transaction-type")
    kinds.add_column(f"amount ({report.currency})", justify="right")
    for name, amount in report.by_transaction_type.items():
        kinds.add_row(escape(name), _amount(amount))
    console.print(kinds)
    if report.foreign_order_count:
        listed = len(report.foreign_order_rows)
        more = f" (first {listed} listed)" if report.foreign_order_count > listed else ""
        console.print(f"  {report.foreign_order_count:,} rows carry an order-id that is not an Amazon "
                      f"order{more}:")
        for row in report.foreign_order_rows:
            console.print(f"    line {row.line_number}: {escape(row.order_id)} is {row.kind_label} "
                          f"({escape(row.transaction_type)} / {escape(row.amount_description)} {row.amount}): "
                          f"{row.advice}")


class _Console(Console):
    """Rich's console, except that a closed pipe is left to the caller (rich exits with 1)."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def output_console(stream: IO[str] | None = None) -> Console:
    """A console that wraps and truncates nothing unless it writes to a terminal."""
    import sys

    stream = stream or sys.stdout
    if stream.isatty():
        return _Console(file=stream, highlight=False)
    return _Console(file=stream, highlight=False, width=1_000_000, soft_wrap=True, color_system=None,
                    emoji=False)


@dataclass
class _Run:
    reports: list[FileReport] = field(default_factory=list)
    unreadable: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def code(self) -> int:
        return EXIT_FAILED if self.unreadable or any(not r.balanced for r in self.reports) else EXIT_OK

    def summary(self) -> dict[str, int]:
        balanced = sum(1 for r in self.reports if r.balanced)
        return {"files": len(self.reports) + len(self.unreadable), "balanced": balanced,
                "not_balanced": len(self.reports) - balanced, "unreadable": len(self.unreadable)}

    def final_line(self) -> str:
        s = self.summary()
        return (f"{s['files']} files, {s['balanced']} balanced, {s['not_balanced']} not balanced, "
                f"{s['unreadable']} unreadable")


def _unique(paths: Iterable[str | os.PathLike[str]], run: _Run) -> list[str]:
    seen: dict[str, str] = {}
    unique = []
    for path in paths:
        text = os.fspath(path)
        key = os.path.realpath(text)
        if key in seen:
            also = f" (also as {seen[key]})" if seen[key] != text else ""
            run.warnings.append(f"{text} is given more than once{also}: checked once")
            continue
        seen[key] = text
        unique.append(text)
    return unique


def _check_all(paths: list[str], run: _Run, on_report=None, on_error=None) -> None:
    by_settlement: dict[str, str] = {}
    for path in paths:
        try:
            report = check_file(path)
        except SettlementFileError as exc:
            error = {"path": path, "error": str(exc), "hint": getattr(exc, "hint", "") or ""}
            run.unreadable.append(error)
            if on_error:
                on_error(error)
            continue
        run.reports.append(report)
        first = by_settlement.setdefault(report.settlement_id, path)
        if first != path:
            run.warnings.append(f"{path} holds settlement {report.settlement_id}, as {first} does: the same "
                                "settlement downloaded twice? Post it once")
        if on_report:
            on_report(report)


def run_check(paths: Iterable[str | os.PathLike[str]], console: Console, *, as_json: bool = False) -> int:
    """Check each file and print its report; the exit code for ``syncproof settlement check``.

    0 when every file balances, 1 when one does not balance or cannot be read,
    2 when no file is given. With ``as_json`` one JSON document is written
    instead. A closed output (``| head -1``) stops the run quietly with the code
    of the files checked so far.
    """
    run = _Run()
    unique = _unique(paths, run)
    if not unique:
        console.print("[red]error:[/] no settlement file given (syncproof settlement check FILE [FILE...])")
        return EXIT_USAGE
    try:
        if as_json:
            _check_all(unique, run)
            document = {"files": [r.to_json() for r in run.reports], "unreadable": run.unreadable,
                        "warnings": run.warnings, "summary": run.summary()}
            console.file.write(json.dumps(document, indent=2) + "\n")
            console.file.flush()
            return run.code
        for warning in run.warnings:
            console.print(f"[yellow]warning:[/] {escape(warning)}")
        shown = len(run.warnings)

        def show_new_warnings() -> None:
            nonlocal shown
            for warning in run.warnings[shown:]:
                console.print(f"[yellow]warning:[/] {escape(warning)}")
            shown = len(run.warnings)

        def on_report(report: FileReport) -> None:
            render(report, console)
            show_new_warnings()

        def on_error(error: dict[str, str]) -> None:
            console.print(f"[bold red]error:[/] {escape(error['path'])}: {escape(error['error'])}")

        _check_all(unique, run, on_report, on_error)
        console.print(run.final_line())
        console.file.flush()
    except BrokenPipeError:
        _silence_stdout()
    return run.code


def _silence_stdout() -> None:
    """After the reader closed the pipe, point stdout at /dev/null so exiting writes nothing more."""
    import sys

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
