"""Settlement rows a batch at a time, read by column: what a one-pass tally needs without a row object per row.

A batch is a run of consecutive rows of one file. Its text columns are read by the
:class:`~connectors.settlement_file.SettlementRow` field name, its amounts as exact
integer units of the file's currency (``AmountUnits``: ``-12.30`` is ``-1230`` units of
``10**-2``), and any one row can be built whole. V2 files give column blocks
(:class:`connectors._settlement_v2.ColumnBatch`), read from the fields of a block of
lines; every other run of rows is a :class:`RowsBatch`.

    for batch in settlement.batches():
        amounts = batch.amount_units()
        for order_id, units in zip(batch.texts("order_id"), amounts.units):
            ...
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import Hashable, Iterable, Iterator, Sequence

from connectors._settlement_model import SettlementRow

__all__ = ["SettlementBatch", "RowsBatch", "AmountUnits", "batches_of", "units_of"]

BATCH_ROWS = 512  # rows a batch of rows holds
ZERO = Decimal(0)
_line, _posted_date, _amount = attrgetter("line_number"), attrgetter("posted_date"), attrgetter("amount")
_quantity = attrgetter("quantity")


@dataclass(frozen=True, slots=True)
class AmountUnits:
    """A batch's amounts as integers: row ``i`` is ``units[i]`` times ten to its exponent, in ``currency``.

    ``exponent`` is one int when every amount of the batch has it (``-2`` for ``19.99``,
    ``0`` for ``1999``), else one per row; each amount's own exponent is kept, so
    ``Decimal(units[i]).scaleb(exponent)`` is the amount exactly, as written.
    """

    units: Sequence[int]
    exponent: int | Sequence[int]
    currency: str


class SettlementBatch:
    """Consecutive rows of one settlement file, read by column (see the module docstring)."""

    count: int  # rows in the batch

    def lines(self) -> Sequence[int]:
        """Each row's line number in the file."""
        raise NotImplementedError

    def texts(self, field: str) -> Sequence[str]:
        """Each row's text of one field, named as on :class:`SettlementRow` (``"order_id"``)."""
        raise NotImplementedError

    def posted_dates(self) -> Sequence[date | None]:
        """Each row's posted date (``None`` when the file leaves it empty)."""
        raise NotImplementedError

    def posted_keys(self) -> Sequence[Hashable]:
        """Each row's posted date as a key: rows of equal keys have the same posted date (rows of one date may
        have different keys). Cheaper than :meth:`posted_dates` where a batch has the dates' texts."""
        return self.posted_dates()

    def amount_units(self) -> AmountUnits:
        """Each row's amount as integer units of the file's currency."""
        raise NotImplementedError

    def plain_amounts(self) -> tuple[str, int] | None:
        """The rows' amounts as their texts joined by newlines, and the exponent of their units, when every
        amount is written plainly with that exponent's decimals (``-12.30``: -1230 units of ``10**-2``); else
        ``None``. The text then holds what :meth:`amount_units` gives, without the integers being made."""
        return None

    def plain_amounts_read(self, units: int) -> None:
        """Told by a caller that read every amount of :meth:`plain_amounts`: the sum of their units, which
        :meth:`total` then gives instead of reading them again."""

    def quantities(self) -> Sequence[int | None]:
        """Each row's quantity (``None`` when the file leaves it empty)."""
        raise NotImplementedError

    def quantities_of(self, rows: Sequence[int]) -> list[int | None]:
        """The quantities of these rows (indexes from 0), as :meth:`quantities` gives them."""
        quantities = self.quantities()
        return [quantities[i] for i in rows]

    def total(self) -> Decimal:
        """The sum of the batch's amounts, from ``Decimal(0)``: what adding the rows' Decimals gives."""
        raise NotImplementedError

    def row(self, index: int) -> SettlementRow:
        """Row ``index`` of the batch (from 0), built whole."""
        raise NotImplementedError

    def rows(self) -> Iterator[SettlementRow]:
        """Every row of the batch, built whole, in file order."""
        raise NotImplementedError


class RowsBatch(SettlementBatch):
    """A batch of rows already built (legacy files, and V2 lines read one by one)."""

    __slots__ = ("_rows", "count")

    def __init__(self, rows: Sequence[SettlementRow]) -> None:
        self._rows = rows
        self.count = len(rows)

    def lines(self) -> Sequence[int]:
        return list(map(_line, self._rows))

    def texts(self, field: str) -> Sequence[str]:
        return list(map(attrgetter(field), self._rows))

    def posted_dates(self) -> Sequence[date | None]:
        return list(map(_posted_date, self._rows))

    def amount_units(self) -> AmountUnits:
        currency = self._rows[0].amount.currency if self._rows else ""
        return units_of([money.amount for money in map(_amount, self._rows)], currency)

    def quantities(self) -> Sequence[int | None]:
        return list(map(_quantity, self._rows))

    def total(self) -> Decimal:
        return sum((money.amount for money in map(_amount, self._rows)), ZERO)

    def row(self, index: int) -> SettlementRow:
        return self._rows[index]

    def rows(self) -> Iterator[SettlementRow]:
        return iter(self._rows)


def units_of(amounts: Sequence[Decimal], currency: str) -> AmountUnits:
    """Decimal amounts as integer units, each at its own exponent (one exponent when they share it)."""
    exponents: list[int] = [amount.as_tuple().exponent for amount in amounts]  # type: ignore[misc]  # finite
    units = [int(amount.scaleb(-exponent)) for amount, exponent in zip(amounts, exponents, strict=True)]
    shared = set(exponents)
    return AmountUnits(units, shared.pop() if len(shared) == 1 else exponents, currency)


def batches_of(rows: Iterable[SettlementRow], size: int = BATCH_ROWS) -> Iterator[RowsBatch]:
    """``rows`` in batches of ``size``; a row that fails to read ends the batches after the rows before it."""
    iterator = iter(rows)
    while True:
        batch: list[SettlementRow] = []
        try:
            batch.extend(itertools.islice(iterator, size))
        except Exception:
            if batch:  # the rows read before the one that failed
                yield RowsBatch(batch)
            raise
        if not batch:
            return
        yield RowsBatch(batch)
