"""One pass over a settlement's rows: totals by category, transaction type and account, and per order.

Rows are read a batch at a time by column (``SettlementFile.batches()``), without a row
object per row. Each row falls in a *cell*: its text (transaction type, amount type,
description), the exponent its amount is written with, and for the connector model's
fees the month it was posted. Every order keeps one integer per cell in a column of
machine integers (a Python list only for a cell whose sums outgrow them): the cell's
units (``-12.30`` is ``-1230`` units of ``10**-2``) and its row count, packed as
``units << 32 | rows``. So a quarter of a million orders cost some bytes per cell each,
and their amounts stay exact.

Amounts come back as Decimal at the edges: each cell's units at its exponent, added from
``Decimal(0)``, which is exactly what adding the rows' Decimals gives (same value, same
exponent). Limits: fewer than 2**32 rows of one cell (about 4 billion).

    tally = SettlementTally(kind_of, connector=None, end_month="2024-10")
    tally.add_batches(settlement.batches())
    tally.order_total("112-1234567-1234567")
    # -> Decimal('23.97')
"""

from __future__ import annotations

import functools
import itertools
from array import array
from datetime import date
from decimal import Decimal
from typing import Any, Callable, Hashable, Iterable, Iterator, Mapping, MutableSequence, NamedTuple, Sequence

from connectors.settlement_file import SettlementBatch, SettlementRow, batches_of, is_amazon_order_id

from .settlement_connector import ConnectorTally

try:  # the per-row loop compiled (built by `pip install`); the same loop in Python where it could not be built
    from . import _tally_kernel as _compiled
except ImportError:  # pragma: no cover - depends on the install
    _compiled = None  # type: ignore[assignment]  # not built: the tally checks

__all__ = ["SettlementTally", "RowKind", "OrderFigures"]

ZERO = Decimal(0)
_SHIFT = 32  # a packed sum: units << _SHIFT | rows
_ROWS = (1 << _SHIFT) - 1
_GROWTH = 1 << 14  # orders a column grows by, at least
_DONE, _GROW = 0, 1  # why the compiled loop stopped: every row tallied, the columns must grow (else: widen a cell)


class RowKind(NamedTuple):
    """What a row's (transaction type, amount type, description) is: its category and account."""

    category: str  # the category's value
    account: str
    order_row: bool  # an order or refund amount (matched against the synced orders)
    found: Any  # the classification, for the connector model's tally
    fee: bool = False  # an order or refund fee: the connector model posts it on the order, per month
    refund: bool = False  # a refund amount: the connector model posts it against the order


class OrderFigures(NamedTuple):
    """What the exceptions list of an order: the sum of its rows, their count, first line and transaction types."""

    total: Decimal
    rows: int
    first_line: int
    transaction_types: tuple[str, ...]  # in the order the file first has them


class _Cell(NamedTuple):
    """What the sums tell apart: rows of one cell are summed together."""

    transaction_type: str
    category: str
    slot: int  # its (category, account)
    fee: str | None  # the connector model's fee key (a fee's rows are posted per fee and month), else None
    month: str | None  # the fee's month
    exponent: int


class SettlementTally:
    """Sums of one settlement's rows by category, type, (category, account) and order.

    ``kind_of(transaction_type, amount_type, description)`` classifies a row's text
    (called once per distinct text); ``connector`` gathers the connector model's
    figures from every row when given.
    """

    def __init__(self, kind_of: Callable[[str, str, str], RowKind], *, connector: ConnectorTally | None,
                 end_month: str) -> None:
        self._kind_of = kind_of
        self.connector = connector
        self._end_month = end_month
        self._kinds: dict[tuple[str, str, str], RowKind] = {}
        self._slots: dict[tuple[str, str], int] = {}  # (category, account) -> slot, as first seen
        #: exponent -> a row's (texts[, posted-date key]) -> its cell, ~cell for the rows off the fast path
        #: (None -> (exponent, texts[, posted-date key]) -> cell for batches of mixed exponents)
        self._cell_of: dict[int | None, dict[tuple, int]] = {}
        self._cell_index: dict[_Cell, int] = {}
        self._cells: list[_Cell] = []
        self._slow: list[tuple[int, RowKind]] = []  # ~(a cell as _cell_of gives it) -> (cell, the rows' kind)
        self._numbers_orders: list[bool] = []  # ~(such a cell) -> do its rows with an order id count to the order
        self._sums: list[MutableSequence[int] | None] = []  # per cell of order rows: order number -> packed sum
        self._loose: list[int] = []  # per cell: packed sum of the rows outside any order
        self._foreign: list[int] = []  # per cell: packed sum of the rows of non-Amazon order ids
        self._number: dict[str, int] = {}  # order id -> order number, in the order they first occur
        self._first_lines = array("q")
        self._capacity = 0
        self._months: dict[Hashable, str] = {}  # a posted-date key (SettlementBatch.posted_keys) -> its month
        self._totals: list[int] | None = None  # each cell's packed sum, once asked for
        #: non-Amazon ids in the order-id column: id -> [amount, rows, first line, transaction types]
        self.not_orders: dict[str, list] = {}

    # --- the pass ---------------------------------------------------------------------------
    def add(self, rows: Iterable[SettlementRow]) -> None:
        """Tally every row."""
        self.add_batches(batches_of(rows))

    def add_batches(self, batches: Iterable[SettlementBatch]) -> None:
        """Tally every row of every batch."""
        for batch in batches:
            self._add(batch)

    def _add(self, batch: SettlementBatch) -> None:
        self._totals = None
        amounts = batch.amount_units()
        units, exponent = amounts.units, amounts.exponent
        texts, rest = batch.texts, _Rest(batch)
        columns: list[Sequence[Any]] = [texts("transaction_type"), texts("amount_type"), texts("amount_description")]
        if self.connector is not None:
            columns.append(rest.posted_keys)
        if isinstance(exponent, int):
            cell_of = self._cell_of.get(exponent)
            if cell_of is None:
                cell_of = self._cell_of[exponent] = {}
            found = list(map(cell_of.get, zip(*columns, strict=True)))
        else:  # amounts written with different exponents: each row's is part of its key
            cell_of = self._cell_of.setdefault(None, {})
            found = list(map(cell_of.get, zip(exponent, *columns, strict=True)))
        if None in found:
            self._new_cells(found, cell_of, exponent, columns, rest)
        cells: list[int] = found  # type: ignore[assignment]  # every row's cell now
        ids = texts("order_id")
        if _compiled is not None and type(ids) is list and type(units) is list:
            slow = self._add_compiled(rest, ids, cells, units)
        else:
            slow = self._add_rows(rest, ids, cells, units)
        if slow:
            self._slow_rows(rest, slow, ids, cells, units)

    def _add_compiled(self, rest: "_Rest", ids: list[str], cells: list[int], units: list[int]) -> list[int]:
        """What :meth:`_add_rows` does, by the compiled loop; the columns grow and widen here."""
        slow: list[int] = []
        new_rows: list[int] = []  # the rows numbering an order, in the order numbered
        start, last, n = 0, None, 0
        while True:
            stop, start, last, n = _compiled.rows(
                ids, cells, units, self._sums, self._number, is_amazon_order_id, self._numbers_orders, slow,
                new_rows, start, last, n, len(self._first_lines), self._capacity)
            if stop == _DONE:
                break
            if stop == _GROW:
                self._grow()
            else:  # row ``start``'s sum outgrew its cell's machine integers
                self._widen(cells[start])
        self._first_lines.extend(map(rest.lines.__getitem__, new_rows))
        return slow

    def _add_rows(self, rest: "_Rest", ids: Sequence[str], cells: Sequence[int], units: Sequence[int]) -> list[int]:
        """Number each order on its first row and add the fast-path rows to their sums; return the other rows."""
        sums, number, get, first_lines = self._sums, self._number, self._number.get, self._first_lines
        numbers_orders = self._numbers_orders
        slow: list[int] = []  # the rows off the fast path, tallied after the others
        last, n = None, 0  # the order id of the last row numbered, and its number
        for i, order_id, cell, value in zip(itertools.count(), ids, cells, units, strict=False):
            if cell < 0:  # the connector model wants the row itself, or it belongs to no order
                slow.append(i)
                if order_id == last or not numbers_orders[~cell]:
                    continue
            elif order_id == last:  # an order's rows are mostly consecutive: one look-up for them
                try:
                    sums[cell][n] += (value << 32) + 1  # type: ignore[index]  # _SHIFT; a cell of order rows
                except OverflowError:
                    self._widen(cell)
                    sums[cell][n] += (value << _SHIFT) + 1  # type: ignore[index]
                continue
            known = get(order_id)
            if known is None:
                if not order_id or not is_amazon_order_id(order_id):  # the row belongs to no order
                    if cell >= 0:
                        slow.append(i)
                    continue
                # the order's first row: orders are numbered in the order they first occur
                known = number[order_id] = len(first_lines)
                first_lines.append(rest.lines[i])
                if known == self._capacity:
                    self._grow()
            last, n = order_id, known
            if cell >= 0:
                try:
                    sums[cell][n] += (value << 32) + 1  # type: ignore[index]  # _SHIFT
                except OverflowError:
                    self._widen(cell)
                    sums[cell][n] += (value << _SHIFT) + 1  # type: ignore[index]
        return slow

    def _new_cells(self, found: list[int | None], cell_of: dict[tuple, int], exponent: int | Sequence[int],
                   columns: list[Sequence[Any]], rest: "_Rest") -> None:
        """Find or make the cells of the rows ``found`` has none for, in file order."""
        for i, known in enumerate(found):
            if known is None:
                key = tuple(column[i] for column in columns)
                row_exponent = exponent if isinstance(exponent, int) else exponent[i]
                if not isinstance(exponent, int):
                    key = (row_exponent, *key)
                known = cell_of.get(key)  # made for an earlier row of this batch
                found[i] = self._new_cell(cell_of, key, row_exponent, columns, i, rest) if known is None else known

    def _slow_rows(self, rest: "_Rest", rows: list[int], ids: Sequence[str], cells: Sequence[int],
                   units: Sequence[int]) -> None:
        """The rows off the fast path, their orders numbered already: the connector model wants them one by
        one, or they belong to no order (no order id, or one that is not an Amazon order's)."""
        slow, infos, kinds, number, sums = self._slow, self._cells, self._kinds, self._number, self._sums
        connector = self.connector
        quantities: Iterable[int | None] = itertools.repeat(None)
        refunds: list[tuple[str, str, str, str, int, int, str, int | None]] = []  # for connector.add_refunds
        if connector is not None:
            add, months, month_of, posted = connector.add, self._months, self._month, rest.posted_keys
            adjustments, skus, quantities = rest.adjustments, rest.skus, rest.quantities_of(rows)
        for i, quantity in zip(rows, quantities, strict=False):
            encoded, order_id, row_units = cells[i], ids[i], units[i]
            if encoded >= 0:  # a row of a cell on the fast path, without an Amazon order id
                cell, kind = encoded, kinds[rest.text(i)]
            else:
                cell, kind = slow[~encoded]
            info = infos[cell]
            value = (row_units << _SHIFT) + 1
            order_row = kind.order_row and bool(order_id)
            if order_row:
                n = number.get(order_id)
                if n is None:  # not an Amazon order id
                    self._foreign[cell] += value
                    entry = self.not_orders.get(order_id)
                    if entry is None:
                        entry = self.not_orders[order_id] = [ZERO, 0, rest.lines[i], set()]
                    entry[0] += _decimal(row_units, info.exponent)
                    entry[1] += 1
                    entry[3].add(info.transaction_type)
                    continue
                try:
                    sums[cell][n] += value  # type: ignore[index]
                except OverflowError:
                    self._widen(cell)
                    sums[cell][n] += value  # type: ignore[index]
            else:
                self._loose[cell] += value
            if connector is not None:
                found, month = kind.found, months.get(posted[i]) or month_of(rest, i)
                if order_row and kind.refund:  # its amount stays integer units until the refunds are grouped
                    refunds.append((order_id, adjustments[i], month, found.key, row_units, info.exponent, skus[i],
                                    quantity))
                else:
                    add(found.category, found.key, order_row, month, _decimal(row_units, info.exponent), order_id,
                        adjustments[i], skus[i], quantity)
        if refunds:
            connector.add_refunds(refunds)  # type: ignore[union-attr]  # refund rows only with the connector model

    def _grow(self) -> None:
        more = max(_GROWTH, self._capacity // 8)
        self._capacity += more
        for sums in self._sums:
            if isinstance(sums, array):
                sums.frombytes(bytes(sums.itemsize * more))
            elif sums is not None:
                sums.extend(itertools.repeat(0, more))

    def _widen(self, cell: int) -> None:
        """A cell's sums outgrew machine integers: keep them as Python integers."""
        self._sums[cell] = list(self._sums[cell])  # type: ignore[arg-type]

    def _new_cell(self, cell_of: dict[tuple, int], key: tuple, exponent: int, columns: list[Sequence[Any]],
                  row: int, rest: "_Rest") -> int:
        text = (columns[0][row], columns[1][row], columns[2][row])
        kind = self._kinds.get(text)
        if kind is None:
            kind = self._kinds[text] = self._kind_of(*text)
        connector = self.connector is not None
        fee = connector and kind.fee
        slot = self._slots.setdefault((kind.category, kind.account), len(self._slots))
        identity = _Cell(text[0], kind.category, slot, kind.found.key if fee else None,
                         self._month(rest, row) if fee else None, exponent)
        cell = self._cell_index.get(identity)
        if cell is None:
            cell = self._cell_index[identity] = len(self._cells)
            self._cells.append(identity)
            self._sums.append(array("q", bytes(8 * self._capacity)) if kind.order_row else None)
            self._loose.append(0)
            self._foreign.append(0)
        if kind.order_row and not (connector and kind.refund):  # on the fast path
            encoded = cell
        else:  # the connector model wants the rows one by one, or they belong to no order
            encoded = ~len(self._slow)
            self._slow.append((cell, kind))
            self._numbers_orders.append(kind.order_row)
        cell_of[key] = encoded
        return encoded

    def _month(self, rest: "_Rest", row: int) -> str:
        """The month row ``row`` of the batch was posted in (the settlement's end month when it has no date)."""
        key = rest.posted_keys[row]
        month = self._months.get(key)
        if month is None:
            posted = rest.posted[row]
            month = self._months[key] = posted.strftime("%Y-%m") if posted else self._end_month
        return month

    # --- what the pass found ---------------------------------------------------------------------
    @property
    def by_category(self) -> dict[str, Decimal]:
        """Sum per category, in the order the categories first occur."""
        return self._grouped(lambda cell: cell.category)

    @property
    def by_type(self) -> dict[str, Decimal]:
        """Sum per transaction type, in the order they first occur."""
        return self._grouped(lambda cell: cell.transaction_type)

    def _grouped(self, group: Callable[[_Cell], str]) -> dict[str, Decimal]:
        sums: dict[str, Decimal] = {}
        for cell, packed in zip(self._cells, self._cell_sums(), strict=True):
            name = group(cell)
            sums[name] = sums.get(name, ZERO) + _decimal(packed >> _SHIFT, cell.exponent)
        return sums

    def _cell_sums(self) -> list[int]:
        """Each cell's packed sum over all its rows (kept until more rows are tallied)."""
        if self._totals is None:
            self._totals = [loose + foreign + (sum(order_sums) if order_sums is not None else 0)
                            for order_sums, loose, foreign in zip(self._sums, self._loose, self._foreign,
                                                                  strict=True)]
        return self._totals

    @property
    def non_order(self) -> dict[tuple[str, str], Decimal]:
        """Sum per (category, account) of the rows that belong to no order."""
        return self._by_slot((cell, packed) for cell, packed in zip(self._cells, self._loose, strict=True))

    def order_ids(self) -> Iterator[str]:
        """The Amazon order ids of the order and refund rows, in the order they first occur."""
        return iter(self._number)

    @property
    def order_numbers(self) -> Mapping[str, int]:
        """Each Amazon order id of the order and refund rows -> its number, 0 up, in the order they first occur
        (the tally's own mapping: not to be changed)."""
        return self._number

    def order_ids_numbered(self, numbers: Iterable[int]) -> set[str]:
        """The order ids of these numbers (as :attr:`order_numbers` gives them)."""
        return set(map(list(self._number).__getitem__, numbers))

    def __contains__(self, order_id: object) -> bool:
        return order_id in self._number

    def _order_cells(self, order_id: str) -> list[tuple[_Cell, int]]:
        """(cell, packed sum) of each cell the order has rows in."""
        n = self._number[order_id]
        return [(cell, packed) for cell, sums in zip(self._cells, self._sums, strict=True)
                if sums is not None and (packed := sums[n])]

    def order_rows(self, order_id: str) -> tuple[int, int, tuple[str, ...]]:
        """An order's row count, first line and transaction types (in the order the file first has them)."""
        figures = self.order_figures([order_id])[0]
        return figures.rows, figures.first_line, figures.transaction_types

    def order_figures(self, order_ids: Sequence[str]) -> list["OrderFigures"]:
        """Each order's total, row count, first line and transaction types, read a cell at a time."""
        numbers = list(map(self._number.__getitem__, order_ids))
        totals, rows = [ZERO] * len(numbers), [0] * len(numbers)
        types: list[dict[str, None]] = [{} for _ in numbers]
        for cell, sums in zip(self._cells, self._sums, strict=True):
            if sums is None:
                continue
            column = _pick(sums, numbers)
            for k in itertools.compress(range(len(numbers)), column):
                totals[k] += _decimal(column[k] >> _SHIFT, cell.exponent)
                rows[k] += column[k] & _ROWS
                types[k][cell.transaction_type] = None
        return [OrderFigures(total, count, self._first_lines[n], tuple(found))
                for total, count, n, found in zip(totals, rows, numbers, types, strict=True)]

    def order_amounts(self, order_id: str) -> dict[tuple[str, str], Decimal]:
        """An order's sum per (category, account) of its rows."""
        return self._by_slot(self._order_cells(order_id))

    def _by_slot(self, cells: Iterable[tuple[_Cell, int]]) -> dict[tuple[str, str], Decimal]:
        found: dict[int, Decimal] = {}
        for cell, packed in cells:
            if packed:
                found[cell.slot] = found.get(cell.slot, ZERO) + _decimal(packed >> _SHIFT, cell.exponent)
        keys = list(self._slots)
        return {keys[slot]: found[slot] for slot in sorted(found)}

    def fees(self, order_ids: Iterable[str]) -> dict[tuple[str, str, str], Decimal]:
        """The connector model's fee sums of these orders: (order id, fee key, month) -> amount, zeros left out."""
        found: dict[tuple[str, str, str], Decimal] = {}
        for order_id in order_ids:
            sums: dict[tuple[str, str | None], Decimal] = {}  # (fee key, month): a fee's month is set
            for cell, packed in self._order_cells(order_id):
                if cell.fee is not None:
                    key = (cell.fee, cell.month)
                    sums[key] = sums.get(key, ZERO) + _decimal(packed >> _SHIFT, cell.exponent)
            for (fee, month), amount in sums.items():
                if amount:
                    found[(order_id, fee, month)] = amount  # type: ignore[index]
        return found

    def order_total(self, order_id: str) -> Decimal:
        """The sum of an order's rows."""
        return self.order_figures([order_id])[0].total


class _Rest:
    """A batch's columns the fast path does not read, read when a row first needs them."""

    def __init__(self, batch: SettlementBatch) -> None:
        self._batch = batch

    def text(self, i: int) -> tuple[str, str, str]:
        """Row ``i``'s transaction type, amount type and description."""
        return tuple(self._batch.texts(field)[i]  # type: ignore[return-value]
                     for field in ("transaction_type", "amount_type", "amount_description"))

    @functools.cached_property
    def lines(self) -> Sequence[int]:
        return self._batch.lines()

    @functools.cached_property
    def posted(self) -> Sequence[date | None]:
        return self._batch.posted_dates()

    @functools.cached_property
    def posted_keys(self) -> Sequence[Hashable]:
        return self._batch.posted_keys()

    @functools.cached_property
    def adjustments(self) -> Sequence[str]:
        return self._batch.texts("adjustment_id")

    @functools.cached_property
    def skus(self) -> Sequence[str]:
        return self._batch.texts("sku")

    def quantities_of(self, rows: Sequence[int]) -> list[int | None]:
        return self._batch.quantities_of(rows)


def _pick(values: Sequence[Any], rows: Iterable[int]) -> list[Any]:
    """The values of these rows."""
    return list(map(values.__getitem__, rows))


def _decimal(units: int, exponent: int) -> Decimal:
    """Integer units at an exponent as the Decimal they stand for (``-1230``, ``-2``: ``Decimal('-12.30')``)."""
    return Decimal(units).scaleb(exponent)
