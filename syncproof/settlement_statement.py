"""A settlement as Seller Central's statement view shows it, computed from its rows.

Every row is put on its :class:`~syncproof.settlement_categories.StatementLine`
by the one mapping table (:data:`~syncproof.settlement_categories.MAPPING`);
net proceeds is the sum of every line and equals the summary's total-amount
when the settlement balances. Amazon fees are also given per fee type; rows the
table does not know are on the ``unknown`` line and listed with their text.

    with open_settlement("settlement.txt") as settlement:
        statement = statement_of(settlement)
    statement.line(StatementLine.PRODUCT_CHARGES), statement.net_proceeds == statement.total_amount
    # -> (Money('1234.56', 'USD'), True)

Pure: no I/O beyond the rows given.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable, Protocol

from syncproof.model import Money
from syncproof.settlement_categories import StatementLine, classify

__all__ = ["Statement", "StatementBuilder", "UnknownAmount", "statement_of", "LISTED_UNKNOWN"]

ZERO = Decimal(0)
#: How many distinct unknown amounts a statement lists (every one is counted).
LISTED_UNKNOWN = 100


class _Row(Protocol):
    """What the statement reads of a settlement row (read-only, so frozen rows fit)."""

    @property
    def line_number(self) -> int: ...
    @property
    def transaction_type(self) -> str: ...
    @property
    def amount_type(self) -> str: ...
    @property
    def amount_description(self) -> str: ...
    @property
    def amount(self) -> Money: ...


@dataclass(frozen=True, slots=True)
class UnknownAmount:
    """Rows with one combination of texts the mapping table does not know."""

    transaction_type: str
    amount_type: str
    amount_description: str
    rows: int
    first_line: int
    amount: Money

    def to_json(self) -> dict[str, Any]:
        return {"transaction_type": self.transaction_type, "amount_type": self.amount_type,
                "amount_description": self.amount_description, "rows": self.rows, "first_line": self.first_line,
                "amount": self.amount.to_json()}


@dataclass(frozen=True)
class Statement:
    """One settlement's statement view: every line, Amazon fees per fee type, the unknown amounts."""

    settlement_id: str
    currency: str
    lines: dict[StatementLine, Money]  # every line, in statement order, zero ones included
    amazon_fees: dict[str, Money]  # fee type -> amount
    by_key: dict[str, Money]  # every key of the mapping table seen -> amount
    unknown: tuple[UnknownAmount, ...]
    unknown_rows: int
    total_amount: Money
    file_rows: int  # rows of the file (a legacy row may hold several amounts)
    amounts: int

    def line(self, line: StatementLine) -> Money:
        return self.lines[line]

    @property
    def net_proceeds(self) -> Money:
        return Money.total(self.lines.values(), self.currency)

    @property
    def difference(self) -> Money:
        """Net proceeds minus the total-amount; zero when the settlement balances."""
        return self.net_proceeds - self.total_amount

    @property
    def balanced(self) -> bool:
        return self.net_proceeds.rounded() == self.total_amount.rounded()

    def section_total(self, section: str) -> Money:
        """The sum of a section's lines (``sales``, ``refunds``, ``expenses``)."""
        return Money.total((m for line, m in self.lines.items() if line.section == section), self.currency)

    def to_json(self) -> dict[str, Any]:
        """Every figure a decimal string with its currency."""
        return {
            "settlement_id": self.settlement_id, "currency": self.currency,
            "lines": [{"line": line.value, "label": line.label, "amount": amount.to_json()}
                      for line, amount in self.lines.items()],
            "sections": {s: self.section_total(s).to_json() for s in ("sales", "refunds", "expenses")},
            "amazon_fees_by_type": {k: v.to_json() for k, v in self.amazon_fees.items()},
            "net_proceeds": self.net_proceeds.to_json(), "total_amount": self.total_amount.to_json(),
            "difference": self.difference.to_json(), "balanced": self.balanced,
            "file_rows": self.file_rows, "amounts": self.amounts, "unknown_rows": self.unknown_rows,
            "unknown": [u.to_json() for u in self.unknown],
        }


class StatementBuilder:
    """Adds rows one at a time (one streaming pass), then :meth:`build` gives the statement."""

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self._lines: dict[StatementLine, Decimal] = {line: ZERO for line in StatementLine}
        self._keys: dict[str, Decimal] = {}
        self._fees: dict[str, Decimal] = {}
        self._unknown: dict[tuple[str, str, str], list] = {}  # text -> [rows, first line, amount]
        self._unknown_rows = 0
        self._amounts = 0
        self._file_rows = 0
        self._last_line = -1

    def add(self, row: _Row) -> None:
        amount = row.amount.amount
        self._amounts += 1
        if row.line_number != self._last_line:
            self._file_rows += 1
            self._last_line = row.line_number
        found = classify(row.transaction_type, row.amount_type, row.amount_description)
        self._lines[found.line] += amount
        self._keys[found.key] = self._keys.get(found.key, ZERO) + amount
        if found.line is StatementLine.AMAZON_FEES:
            fee_type = found.key.split(".", 1)[-1]
            self._fees[fee_type] = self._fees.get(fee_type, ZERO) + amount
        elif not found.known:
            self._unknown_rows += 1
            text = (row.transaction_type.strip(), row.amount_type.strip(), row.amount_description.strip())
            entry = self._unknown.get(text)
            if entry is None and len(self._unknown) < LISTED_UNKNOWN:
                entry = self._unknown[text] = [0, row.line_number, ZERO]
            if entry is not None:
                entry[0] += 1
                entry[2] += amount

    def build(self, settlement_id: str, total_amount: Money) -> Statement:
        currency = self.currency

        def money(values: dict[str, Decimal]) -> dict[str, Money]:
            return {k: Money(v, currency) for k, v in sorted(values.items())}

        return Statement(
            settlement_id=settlement_id, currency=currency,
            lines={line: Money(v, currency) for line, v in self._lines.items()},
            amazon_fees=money(self._fees), by_key=money(self._keys),
            unknown=tuple(UnknownAmount(*text, rows, first, Money(amount, currency))
                          for text, (rows, first, amount) in self._unknown.items()),
            unknown_rows=self._unknown_rows, total_amount=total_amount, file_rows=self._file_rows,
            amounts=self._amounts)


class _Settlement(Protocol):
    @property
    def summary(self) -> Any: ...

    def rows(self) -> Iterable[_Row]: ...


def statement_of(settlement: _Settlement) -> Statement:
    """The statement of an open :class:`~connectors.settlement_file.SettlementFile` (reads its rows once)."""
    summary = settlement.summary
    builder = StatementBuilder(summary.currency)
    for row in settlement.rows():
        builder.add(row)
    return builder.build(summary.settlement_id, summary.total)
