"""A checked block of V2 lines as a batch: its columns as the fields' texts, its amounts as integer units.

Amounts written plainly with two decimals (``-12.30``) or none (``1230``), as nearly
all are, become integer units straight from their text, at C speed; others go through
the amount cache. Rows are built only when asked for.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Iterator, Sequence

from connectors._settlement_batch import AmountUnits, SettlementBatch, units_of
from connectors._settlement_model import SettlementRow
from connectors._settlement_v2 import Block, V2Values, amounts_sum, v2_row
from syncproof.model import Money

__all__ = ["ColumnBatch"]

ZERO = Decimal(0)
_AMOUNT, _DAY, _MOMENT, _QUANTITY = 14, 16, 17, 22
#: every line's amount with two decimals, or every line's without any: (pattern, exponent)
_PLAIN = (
    (re.compile(r"-?[0-9]{1,13}\.[0-9]{2}(?:\n-?[0-9]{1,13}\.[0-9]{2})*"), -2),
    (re.compile(r"-?[0-9]{1,15}(?:\n-?[0-9]{1,15})*"), 0),
)
#: SettlementRow field -> V2 column
_COLUMNS = {
    "transaction_type": 6, "order_id": 7, "merchant_order_id": 8, "adjustment_id": 9, "shipment_id": 10,
    "marketplace_name": 11, "amount_type": 12, "amount_description": 13, "fulfillment_id": 15,
    "order_item_code": 18, "merchant_order_item_id": 19, "merchant_adjustment_item_id": 20, "sku": 21,
    "promotion_id": 23,
}


class ColumnBatch(SettlementBatch):
    """The rows of a block whose every line is a plain, valid row (see :meth:`of`)."""

    __slots__ = ("_block", "_first", "_values", "_currency", "_plain", "_exponent", "_money", "_units", "_read",
                 "count")

    def __init__(self, block: Block, first_line: int, values: V2Values, currency: str, plain: str | None,
                 exponent: int, money: list[Money] | None) -> None:
        self._block, self._first, self._values, self._currency = block, first_line, values, currency
        self._plain, self._exponent, self._money = plain, exponent, money
        self._units: AmountUnits | None = None
        self._read: int | None = None  # the plain amounts' units summed by a caller that read them
        self.count = block.lines

    @classmethod
    def of(cls, block: Block, first_line: int, values: V2Values, currency: str, *,
           moments: bool) -> "ColumnBatch | None":
        """The block as a batch, or ``None`` when a line is not a plain row or a field is not valid.

        With ``moments`` the posting times are parsed into ``values`` now; else times in the
        common form are checked by their form and date and parsed when rows are built.
        """
        if not block.checked(values, moments=moments):
            return None
        joined = "\n".join(block.column(_AMOUNT))
        for pattern, exponent in _PLAIN:
            if pattern.fullmatch(joined):
                return cls(block, first_line, values, currency, joined, exponent, None)
        money = block.amounts(values)
        if money is None:
            return None
        return cls(block, first_line, values, currency, None, 0, money)

    def lines(self) -> Sequence[int]:
        return range(self._first, self._first + self.count)

    def texts(self, field: str) -> Sequence[str]:
        return self._block.column(_COLUMNS[field])

    def posted_dates(self) -> Sequence[date | None]:
        texts = self._block.column(_DAY)
        self._values.fill(_DAY, texts)  # kept since the check, unless other dates pushed them out
        return list(map(self._values.days.__getitem__, texts))

    def posted_keys(self) -> Sequence[str]:
        return self._block.column(_DAY)  # each text valid since the check

    def quantities(self) -> Sequence[int | None]:
        texts = self._block.column(_QUANTITY)
        self._values.fill(_QUANTITY, texts)
        return list(map(self._values.quantities.__getitem__, texts))

    def quantities_of(self, rows: Sequence[int]) -> list[int | None]:
        texts = list(map(self._block.column(_QUANTITY).__getitem__, rows))
        try:  # each valid since the check, and nearly always kept since
            return list(map(self._values.quantities.__getitem__, texts))
        except KeyError:  # pushed out by other quantities
            value = self._values.value
            return [value(_QUANTITY, text) for text in texts]

    def plain_amounts(self) -> tuple[str, int] | None:
        return None if self._plain is None else (self._plain, self._exponent)

    def plain_amounts_read(self, units: int) -> None:
        if self._plain is not None:
            self._read = units

    def amount_units(self) -> AmountUnits:
        if self._units is None:
            if self._plain is not None:
                units = list(map(int, self._plain.replace(".", "").split("\n")))
                self._units = AmountUnits(units, self._exponent, self._currency)
            else:
                self._units = units_of([money.amount for money in self._amounts()], self._currency)
        return self._units

    def total(self) -> Decimal:
        if self._plain is None:
            return amounts_sum(self._amounts(), ZERO)
        if self._read is not None:
            return ZERO + Decimal(self._read).scaleb(self._exponent)
        units = self._units.units if self._units is not None else map(int, self._plain.replace(".", "").split("\n"))
        return ZERO + Decimal(sum(units)).scaleb(self._exponent)

    def row(self, index: int) -> SettlementRow:
        f = self._block.line_fields(index)
        value = self._values.value
        return v2_row(self._first + index, f, value(_AMOUNT, f[_AMOUNT]), value(_DAY, f[_DAY]),
                      value(_MOMENT, f[_MOMENT]), value(_QUANTITY, f[_QUANTITY]))

    def rows(self) -> Iterator[SettlementRow]:
        block, values = self._block, self._values
        for column in (_DAY, _MOMENT, _QUANTITY):  # each valid since the check; parsed or kept again here
            values.fill(column, block.column(column))
        return block.rows(self._first, self._amounts(), values)

    def _amounts(self) -> list[Money]:
        if self._money is None:
            self._money = self._block.amounts(self._values)  # valid since the check
        return self._money  # type: ignore[return-value]
