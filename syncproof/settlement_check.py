"""Offline check of settlement files: does each balance, and what does it hold?

``syncproof settlement check FILE [FILE...]`` calls :func:`run_check`; the
pieces are usable alone::

    >>> report = check_file("settlement.txt")
    >>> report.balanced, report.by_category["order_fee"]
    (True, Money('-1234.56', 'USD'))
    >>> render(report, Console())

:func:`check_file` raises :class:`~connectors.settlement_file.SettlementFileError`
for a file that cannot be read; :func:`run_check` prints that error as one
line and carries on with the next file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Iterable

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from connectors.settlement_file import (
    Balance,
    SettlementFileError,
    balance,
    is_amazon_order_id,
    open_settlement,
)
from syncproof.model import Money
from syncproof.settlement_categories import SettlementCategory, classify

__all__ = ["FileReport", "ForeignOrderRow", "check_file", "render", "run_check",
           "EXIT_OK", "EXIT_FAILED", "EXIT_USAGE"]

EXIT_OK = 0
EXIT_FAILED = 1  # a file does not balance or cannot be read
EXIT_USAGE = 2  # no file given

#: How many rows with a non-Amazon order id a report lists (all are counted).
LISTED_FOREIGN_ROWS = 50


@dataclass(frozen=True, slots=True)
class ForeignOrderRow:
    """A row whose order-id is not an Amazon order id (FBA shipment, removal, MCF, liquidation...)."""

    line_number: int
    order_id: str
    transaction_type: str
    amount_type: str
    amount_description: str
    amount: Money


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
    row_count: int
    balance: Balance
    by_category: dict[str, Money] = field(default_factory=dict)
    by_key: dict[str, Money] = field(default_factory=dict)
    by_transaction_type: dict[str, Money] = field(default_factory=dict)
    foreign_order_rows: tuple[ForeignOrderRow, ...] = ()
    foreign_order_count: int = 0

    @property
    def balanced(self) -> bool:
        return self.balance.balanced

    @property
    def status(self) -> str:
        """``balanced`` or ``unbalanced``."""
        return "balanced" if self.balanced else "unbalanced"

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "format": self.format,
            "settlement_id": self.settlement_id,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "deposit_date": self.deposit_date.isoformat(),
            "currency": self.currency,
            "total": self.total.to_json(),
            "rows_sum": self.balance.rows_sum.to_json(),
            "difference": self.balance.difference.to_json(),
            "row_count": self.row_count,
            "status": self.status,
            "by_category": {k: v.to_json() for k, v in self.by_category.items()},
            "by_key": {k: v.to_json() for k, v in self.by_key.items()},
            "by_transaction_type": {k: v.to_json() for k, v in self.by_transaction_type.items()},
            "foreign_order_count": self.foreign_order_count,
            "foreign_order_rows": [
                {"line": r.line_number, "order_id": r.order_id, "transaction_type": r.transaction_type,
                 "amount_type": r.amount_type, "amount_description": r.amount_description,
                 "amount": r.amount.to_json()}
                for r in self.foreign_order_rows
            ],
        }


def check_file(path: str | os.PathLike[str]) -> FileReport:
    """Read one settlement file, balance it and total it per category and transaction type.

    Raises :class:`SettlementFileError` when the file cannot be read.
    """
    by_category: dict[str, Decimal] = {c.value: Decimal(0) for c in SettlementCategory}
    by_key: dict[str, Decimal] = {}
    by_type: dict[str, Decimal] = {}
    foreign: list[ForeignOrderRow] = []
    foreign_count = 0
    with open_settlement(path) as settlement:
        summary = settlement.summary
        for row in settlement.rows():
            value = row.amount.amount
            found = classify(row.transaction_type, row.amount_type, row.amount_description)
            by_category[found.category.value] += value
            by_key[found.key] = by_key.get(found.key, Decimal(0)) + value
            kind = row.transaction_type.strip() or "(none)"
            by_type[kind] = by_type.get(kind, Decimal(0)) + value
            if row.order_id and not is_amazon_order_id(row.order_id.strip()):
                foreign_count += 1
                if len(foreign) < LISTED_FOREIGN_ROWS:
                    foreign.append(ForeignOrderRow(row.line_number, row.order_id, row.transaction_type,
                                                   row.amount_type, row.amount_description, row.amount))
        result = balance(settlement)
    currency = summary.currency

    def money(values: dict[str, Decimal]) -> dict[str, Money]:
        return {k: Money(v, currency) for k, v in sorted(values.items())}

    return FileReport(
        path=os.fspath(path), format=settlement.format, settlement_id=summary.settlement_id,
        start=summary.start, end=summary.end, deposit_date=summary.deposit_date, currency=currency,
        total=summary.total, row_count=result.row_count, balance=result,
        by_category={k: Money(v, currency) for k, v in by_category.items() if v or k in _ALWAYS_SHOWN},
        by_key=money(by_key), by_transaction_type=money(by_type),
        foreign_order_rows=tuple(foreign), foreign_order_count=foreign_count,
    )


_ALWAYS_SHOWN = {"order_item", "order_fee", "refund", "refund_fee"}


def render(report: FileReport, console: Console) -> None:
    """Print a report: one status line, the period, then category and transaction-type totals."""
    mark = "[green]balanced[/]" if report.balanced else "[bold red]NOT balanced[/]"
    console.print(f"[bold]{escape(report.path)}[/]: settlement {escape(report.settlement_id)} "
                  f"({report.format}) {mark}")
    console.print(f"  period {report.start:%Y-%m-%d %H:%M} to {report.end:%Y-%m-%d %H:%M} UTC, "
                  f"deposit {report.deposit_date:%Y-%m-%d}, {report.row_count:,} rows")
    console.print(f"  total-amount {report.total}, rows sum {report.balance.rows_sum}, "
                  f"difference {report.balance.difference}")
    table = Table(title="Totals per category", show_edge=False)
    table.add_column("category")
    table.add_column("group")
    table.add_column(f"amount ({report.currency})", justify="right")
    for name, amount in report.by_category.items():
        table.add_row(name, SettlementCategory(name).group, str(amount.rounded().amount))
    console.print(table)
    kinds = Table(title="Totals per transaction type", show_edge=False)
    kinds.add_column("transaction-type")
    kinds.add_column(f"amount ({report.currency})", justify="right")
    for name, amount in report.by_transaction_type.items():
        kinds.add_row(escape(name), str(amount.rounded().amount))
    console.print(kinds)
    if report.foreign_order_count:
        shown = len(report.foreign_order_rows)
        listed = f" (first {shown} listed)" if report.foreign_order_count > shown else ""
        console.print(
            f"  {report.foreign_order_count:,} rows carry an order-id that is not an Amazon order"
            f"{listed}:"
        )
        for row in report.foreign_order_rows:
            console.print(f"    line {row.line_number}: {escape(row.order_id)} {escape(row.transaction_type)} / "
                          f"{escape(row.amount_description)} {row.amount}")


def run_check(paths: Iterable[str | os.PathLike[str]], console: Console) -> int:
    """Check each file and print its report; the exit code for ``syncproof settlement check``.

    0 when every file balances, 1 when one does not balance or cannot be read,
    2 when no file is given.
    """
    paths = list(paths)
    if not paths:
        console.print("[red]error:[/] no settlement file given (syncproof settlement check FILE [FILE...])")
        return EXIT_USAGE
    code = EXIT_OK
    for path in paths:
        try:
            report = check_file(path)
        except SettlementFileError as exc:
            console.print(f"[bold red]error:[/] {escape(os.fspath(path))}: {escape(str(exc))}")
            code = EXIT_FAILED
            continue
        render(report, console)
        if not report.balanced:
            code = EXIT_FAILED
    return code
