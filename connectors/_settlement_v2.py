"""V2 settlement rows a block of lines at a time: field values cached by their text, checks per column.

A block is the lines of about 64 KB of text, each split into its fields. A block
whose every line is a plain row of the settlement (24 or 23 fields, the summary's
settlement-id, no total-amount or currency, every amount, date and quantity valid)
is checked column by column and its rows built without a per-field step in Python;
any other block is read line by line by the reader, which skips blank lines, fits
short and long lines and names the first bad field. Both give the same rows.

Each distinct text of an amount, date or quantity field is parsed once while it is
in its cache. The caches are bounded and sized to a block's needs and more: the
amount cache holds the ~61,000 distinct amounts of a million-row settlement; posting
times are nearly all distinct, so that cache only needs to hold a block's.
"""

from __future__ import annotations

import functools
import itertools
import re
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter, itemgetter
from typing import Callable, Iterable, Iterator, Sequence

from connectors._settlement_model import SettlementRow
from connectors._settlement_values import parse_amount, parse_date, parse_datetime, parse_quantity
from syncproof.model import Money

__all__ = ["BLOCK_CHARS", "V2_WIDTH", "V2Values", "Block", "amounts_sum", "v2_row"]

BLOCK_CHARS = 1 << 16  # characters read at a time; small enough to stay in the processor's cache
V2_WIDTH = 24

AMOUNT_CACHE = 1 << 17  # distinct amounts kept (a million-row settlement has about 61,000)
MOMENT_CACHE = 1 << 15  # distinct posting times kept (a block has at most a few thousand lines)
SMALL_CACHE = 1 << 12  # distinct posted dates and quantities kept

_AMOUNT_COLUMN, _DAY_COLUMN, _MOMENT_COLUMN, _QUANTITY_COLUMN = 14, 16, 17, 22
_amount_of = attrgetter("amount")
_make_row = functools.partial(tuple.__new__, SettlementRow)


def _money_parser(currency: str) -> Callable[[str], Money]:
    """A function from amount text to Money for one file's (validated) currency."""
    new, set_field, plain_limit = object.__new__, object.__setattr__, 16

    def money(raw: str) -> Money:
        if len(raw) <= plain_limit and raw.isascii() and raw.replace(".", "", 1).removeprefix("-").isdigit():
            value = Decimal(raw)  # plain 123.45 / -0.30: digits, one dot, a sign
        else:
            value = parse_amount(raw)
        # Money's own constructor, without re-checking what is checked here: a finite
        # Decimal and the summary's validated currency.
        result = new(Money)
        set_field(result, "amount", value)
        set_field(result, "currency", currency)
        return result

    return money


def _day(raw: str) -> date | None:
    return parse_date(raw) if raw.strip() else None


def _moment(raw: str) -> datetime | None:
    return parse_datetime(raw) if raw.strip() else None


def _quantity(raw: str) -> int | None:
    return parse_quantity(raw) if raw.strip() else None


class V2Values:
    """One file's parsed amounts, posted dates, posting times and quantities, keyed by their text.

    ``value(column, text)`` parses on a miss (raising ``ValueError``) and remembers;
    ``fill(column, texts)`` does so for a block's texts at once.
    """

    def __init__(self, currency: str) -> None:
        self.amounts: dict[str, Money] = {}
        self.days: dict[str, date | None] = {}
        self.moments: dict[str, datetime | None] = {}
        self.quantities: dict[str, int | None] = {}
        self._columns: dict[int, tuple[dict, Callable[[str], object], int]] = {
            _AMOUNT_COLUMN: (self.amounts, _money_parser(currency), AMOUNT_CACHE),
            _DAY_COLUMN: (self.days, _day, SMALL_CACHE),
            _MOMENT_COLUMN: (self.moments, _moment, MOMENT_CACHE),
            _QUANTITY_COLUMN: (self.quantities, _quantity, SMALL_CACHE),
        }

    def value(self, column: int, text: str):
        cache, parse, limit = self._columns[column]
        try:
            return cache[text]
        except KeyError:
            pass
        value = parse(text)
        if len(cache) >= limit:
            cache.clear()
        cache[text] = value
        return value

    def fill(self, column: int, texts: Iterable[str], missing: list[str] | None = None) -> bool:
        """Parse and keep every text of a block's column; False when one is not valid.

        ``missing``: those of ``texts`` known not to be kept yet, when the caller knows.
        """
        cache, parse, limit = self._columns[column]
        distinct = set(texts)
        if missing is None:
            if cache.keys() >= distinct:
                return True
            missing = [t for t in distinct if t not in cache]
        if len(cache) + len(missing) > limit:
            cache.clear()
            missing = list(distinct)
        try:
            for text in missing:
                cache[text] = parse(text)
        except ValueError:
            return False
        return True


_MOMENT = r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2} (?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9] UTC)?"
_MOMENTS = re.compile(_MOMENT + r"(?:\n" + _MOMENT + ")*")


class Block:
    """A block of plain rows of one settlement: every line's fields in one list, read by column.

    ``Block.of(text, settlement_id)`` is ``None`` unless every line of ``text`` starts
    with the settlement id and has 24 fields (or every line 23), the lines being
    joined by newlines. Splitting the whole text at its tabs leaves each line's last
    field joined to the next line's first (the settlement id): with ``stride`` fields
    to a line after the first, field ``j`` of every line is ``fields[j::stride]``.
    """

    __slots__ = ("fields", "lines", "stride", "_tail")

    def __init__(self, fields: list[str], lines: int, stride: int, settlement_id: str) -> None:
        self.fields, self.lines, self.stride, self._tail = fields, lines, stride, len(settlement_id) + 1

    @classmethod
    def of(cls, text: str, settlement_id: str) -> "Block | None":
        lines = text.count("\n") + 1
        fields = text.split("\t")
        stride = (len(fields) - 1) // lines
        if stride not in (V2_WIDTH - 1, V2_WIDTH - 2) or len(fields) != stride * lines + 1:
            return None
        # Every line starts with the id; then each newline sits in one of the joined fields, so
        # every line has ``stride`` tabs.
        if not text.startswith(settlement_id + "\t") or text.count("\n" + settlement_id + "\t") != lines - 1:
            return None
        if "".join(fields[stride::stride]).count("\n") != lines - 1:
            return None
        return cls(fields, lines, stride, settlement_id)

    def column(self, index: int) -> Sequence[str]:
        """Field ``index`` (1 to 23) of every line; the 24th is empty in a 23-field block."""
        stride = self.stride
        if index < stride:
            return self.fields[index::stride]
        if index > stride:
            return [""] * self.lines
        joined = self.fields[stride::stride]
        last = joined.pop()
        return [*map(itemgetter(slice(0, -self._tail)), joined), last]

    def checked(self, values: "V2Values", *, moments: bool) -> bool:
        """True when no line is a second summary and every date, time and quantity is valid.

        The values are then in ``values``, posting times only with ``moments``: without,
        times in the common form are checked by their form and their date.
        """
        column = self.column
        if any(column(4)) or any(column(5)):
            return False
        if not values.fill(_DAY_COLUMN, column(_DAY_COLUMN)) or not values.fill(_QUANTITY_COLUMN,
                                                                                  column(_QUANTITY_COLUMN)):
            return False
        distinct = set(column(_MOMENT_COLUMN))
        if not moments and _MOMENTS.fullmatch("\n".join(distinct)):
            return values.fill(_DAY_COLUMN, {text[:10] for text in distinct})
        return values.fill(_MOMENT_COLUMN, distinct)

    def amounts(self, values: V2Values) -> list[Money] | None:
        """Every line's amount, or ``None`` when one is not an amount."""
        texts = self.column(_AMOUNT_COLUMN)
        cache = values.amounts
        amounts: list = list(map(cache.get, texts, texts))  # a text not in the cache stands for itself
        if str in set(map(type, amounts)):
            if not values.fill(_AMOUNT_COLUMN, texts, [a for a in amounts if type(a) is str]):
                return None
            amounts = list(map(cache.__getitem__, texts))
        return amounts

    def line_fields(self, index: int) -> list[str]:
        """The 24 fields of line ``index`` (from 0) of the block."""
        stride = self.stride
        fields = self.fields[index * stride:index * stride + stride + 1]
        fields[0] = fields[0].rpartition("\n")[2]  # the settlement id, after the line before's last field
        fields[-1] = fields[-1].partition("\n")[0]
        if stride < V2_WIDTH - 1:
            fields.append("")
        return fields

    def rows(self, first_line: int, amounts: list[Money], values: V2Values) -> Iterator[SettlementRow]:
        """The block's rows, numbered from ``first_line`` (dates, times and quantities in ``values``)."""
        c = self.column
        return map(_make_row, zip(
            itertools.count(first_line), c(6), c(7), c(8), c(9), c(10), c(11), c(12), c(13), amounts, c(15),
            map(values.days.__getitem__, c(_DAY_COLUMN)), map(values.moments.__getitem__, c(_MOMENT_COLUMN)),
            c(18), c(19), c(20), c(21), map(values.quantities.__getitem__, c(_QUANTITY_COLUMN)), c(23),
            itertools.repeat("amount")))


def v2_row(line: int, f: Sequence[str], amount: Money, day: date | None, moment: datetime | None,
           quantity: int | None) -> SettlementRow:
    """One V2 row from its 24 fields and its parsed values."""
    return SettlementRow(line, f[6], f[7], f[8], f[9], f[10], f[11], f[12], f[13], amount, f[15], day, moment,
                         f[18], f[19], f[20], f[21], quantity, f[23], "amount")


def amounts_sum(amounts: list[Money], start: Decimal) -> Decimal:
    """``start`` plus every amount, summed at C speed."""
    return sum(map(_amount_of, amounts), start)
