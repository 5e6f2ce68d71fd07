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
from typing import (
    AbstractSet,
    Any,
    Callable,
    Hashable,
    Iterable,
    Iterator,
    Mapping,
    MutableSequence,
    NamedTuple,
    Sequence,
)

from connectors.settlement_file import SettlementBatch, SettlementRow, batches_of, is_amazon_order_id

from ._kernel import compiled as _compiled  # the per-row loop compiled; None: the same loop in Python
from .settlement_connector import ConnectorTally

__all__ = ["SettlementTally", "RowKind", "OrderFigures", "FlaggedOrders"]

ZERO = Decimal(0)
_SHIFT = 32  # a packed sum: units << _SHIFT | rows
_ROWS = (1 << _SHIFT) - 1
_GROWTH = 1 << 14  # orders a column grows by, at least
_DONE, _GROW = 0, 1  # why the compiled loop stopped: every row tallied, the columns must grow (else: widen a cell)
_NOT = bytes.maketrans(b"\x00\x01", b"\x01\x00")  # flags the other way round


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
        self._cell_memos: dict[int, object] = {}  # exponent -> the compiled look-up's memo of _cell_of[exponent]
        self._cell_index: dict[_Cell, int] = {}
        self._cells: list[_Cell] = []
        self._slow: list[tuple[int, RowKind]] = []  # ~(a cell as _cell_of gives it) -> (cell, the rows' kind)
        #: ~(such a cell) -> the cell its rows of an order are summed in when the connector model also wants each
        #: of them (its refund rows: see _recorded_refunds), else -1 (its rows are tallied by _slow_rows)
        self._recorded_cells: list[int] = []
        self._sums: list[MutableSequence[int] | None] = []  # per cell of order rows: order number -> packed sum
        self._loose: list[int] = []  # per cell: packed sum of the rows outside any order
        self._foreign: list[int] = []  # per cell: packed sum of the rows of non-Amazon order ids
        self._number: dict[str, int] = {}  # order id -> order number, in the order they first occur
        self._first_lines = array("q")
        self._capacity = 0
        self._months: dict[Hashable, str] = {}  # a posted-date key (SettlementBatch.posted_keys) -> its month
        self._totals: list[int] | None = None  # each cell's packed sum, once asked for
        self._ids: list[str] | None = None  # the order ids by number, once asked for
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
        plain = batch.plain_amounts() if _compiled is not None else None
        units: Sequence[int] | str  # the compiled loop reads plain amounts from their text
        exponent: int | Sequence[int]
        if plain is not None:
            units, exponent = plain
        else:
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
                if _compiled is not None:
                    self._cell_memos[exponent] = _compiled.memo()
            if _compiled is not None and exponent in self._cell_memos and all(type(c) is list for c in columns):
                found = _compiled.cells(columns, cell_of, self._cell_memos[exponent])  # type: ignore[arg-type]
            else:
                found = list(map(cell_of.get, zip(*columns, strict=True)))
        else:  # amounts written with different exponents: each row's is part of its key
            cell_of = self._cell_of.setdefault(None, {})
            found = list(map(cell_of.get, zip(exponent, *columns, strict=True)))
        if None in found:
            self._new_cells(found, cell_of, exponent, columns, rest)
        cells: list[int] = found  # type: ignore[assignment]  # every row's cell now
        ids = texts("order_id")
        #: the rows of no order, and the refund rows of orders the connector model wants one by one; each with
        #: its rows' units
        slow: tuple[list[int], list[int]] = ([], [])
        recorded: tuple[list[int], list[int]] = ([], [])
        if _compiled is not None and type(ids) is list and type(units) in (list, str):
            read = self._add_compiled(rest, ids, cells, units, slow, recorded)  # type: ignore[arg-type]
            if type(units) is str:  # every amount of the text read: the batch's total is their sum
                batch.plain_amounts_read(read)
        else:
            if isinstance(units, str):  # pragma: no cover - only the compiled loop is given the text
                units = batch.amount_units().units
            self._add_rows(rest, ids, cells, units, slow, recorded)
        if slow[0]:
            self._slow_rows(rest, *slow, ids, cells)
        if recorded[0]:
            self._recorded_refunds(rest, *recorded, ids, cells)

    def _add_compiled(self, rest: "_Rest", ids: list[str], cells: list[int], units: list[int] | str,
                      slow: tuple[list[int], list[int]], recorded: tuple[list[int], list[int]]) -> int:
        """What :meth:`_add_rows` does, by the compiled loop; the columns grow and widen here. ``units`` may be
        the amounts' text (:meth:`SettlementBatch.plain_amounts`), read as the loop goes: the sum of the units
        read from it is returned (0 for a list)."""
        new_rows: list[int] = []  # the rows numbering an order, in the order numbered
        start, last, n, read = 0, None, 0, 0
        while True:
            stop, start, last, n, units_read = _compiled.rows(
                ids, cells, units, self._sums, self._number, is_amazon_order_id, self._recorded_cells, *slow,
                *recorded, new_rows, start, last, n, len(self._first_lines), self._capacity)
            read += units_read
            if stop == _DONE:
                break
            if stop == _GROW:
                self._grow()
            else:  # row ``start``'s sum outgrew its cell's machine integers
                cell = cells[start]
                self._widen(cell if cell >= 0 else self._recorded_cells[~cell])
        self._first_lines.extend(map(rest.lines.__getitem__, new_rows))
        return read

    def _add_rows(self, rest: "_Rest", ids: Sequence[str], cells: Sequence[int], units: Sequence[int],
                  slow: tuple[list[int], list[int]], recorded: tuple[list[int], list[int]]) -> None:
        """Number each order on its first row and add the rows of orders to their sums; hand the others on.

        The rows of no order (and of a kind not an order's) go to ``slow``, tallied after the
        others. A refund row the connector model wants one by one is summed as any row of an
        order, and handed on to ``recorded``. Each gets the row's index and its units.
        """
        sums, number, get, first_lines = self._sums, self._number, self._number.get, self._first_lines
        recorded_cells = self._recorded_cells
        slow_rows, slow_units = slow
        last, n = None, 0  # the order id of the last row numbered, and its number
        for i, order_id, cell, value in zip(itertools.count(), ids, cells, units, strict=False):
            record = cell < 0
            if record:
                cell = recorded_cells[~cell]
                if cell < 0:  # not an order's row
                    slow_rows.append(i)
                    slow_units.append(value)
                    continue
            if order_id != last:  # an order's rows are mostly consecutive: one look-up for them
                known = get(order_id)
                if known is None:
                    if not order_id or not is_amazon_order_id(order_id):  # the row belongs to no order
                        slow_rows.append(i)
                        slow_units.append(value)
                        continue
                    # the order's first row: orders are numbered in the order they first occur
                    known = number[order_id] = len(first_lines)
                    first_lines.append(rest.lines[i])
                    if known == self._capacity:
                        self._grow()
                last, n = order_id, known
            try:
                sums[cell][n] += (value << 32) + 1  # type: ignore[index]  # _SHIFT; a cell of order rows
            except OverflowError:
                self._widen(cell)
                sums[cell][n] += (value << _SHIFT) + 1  # type: ignore[index]
            if record:
                recorded[0].append(i)
                recorded[1].append(value)

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

    def _slow_rows(self, rest: "_Rest", rows: list[int], units: list[int], ids: Sequence[str],
                   cells: Sequence[int]) -> None:
        """The rows of no order: no order id, one that is not an Amazon order's, or a kind not an order's.

        An order row naming an id that is not an Amazon order's counts to that id in
        :attr:`not_orders`; the others to the sums outside any order, and the connector model
        gets each of them.
        """
        slow, infos, kinds = self._slow, self._cells, self._kinds
        connector = self.connector
        quantities: Iterable[int | None] = itertools.repeat(None)
        if connector is not None:
            add, months, month_of, posted = connector.add, self._months, self._month, rest.posted_keys
            adjustments, skus, quantities = rest.adjustments, rest.skus, rest.quantities_of(rows)
        for i, row_units, quantity in zip(rows, units, quantities, strict=False):
            encoded, order_id = cells[i], ids[i]
            if encoded >= 0:  # a row of a cell of orders' rows, without an Amazon order id
                cell, kind = encoded, kinds[rest.text(i)]
            else:
                cell, kind = slow[~encoded]
            info = infos[cell]
            if kind.order_row and order_id:  # not an Amazon order id
                self._foreign[cell] += (row_units << _SHIFT) + 1
                entry = self.not_orders.get(order_id)
                if entry is None:
                    entry = self.not_orders[order_id] = [ZERO, 0, rest.lines[i], set()]
                entry[0] += _decimal(row_units, info.exponent)
                entry[1] += 1
                entry[3].add(info.transaction_type)
                continue
            self._loose[cell] += (row_units << _SHIFT) + 1
            if connector is not None:
                found = kind.found
                add(found.category, found.key, False, months.get(posted[i]) or month_of(rest, i),
                    _decimal(row_units, info.exponent), order_id, adjustments[i], skus[i], quantity)

    def _recorded_refunds(self, rest: "_Rest", rows: list[int], units: list[int], ids: Sequence[str],
                          cells: Sequence[int]) -> None:
        """The connector model's refund rows of orders (summed already), given to it a column at a time;
        their amounts stay integer units until the refunds are grouped."""
        assert self.connector is not None  # refund rows are recorded only for the connector model
        months, posted = self._months, rest.posted_keys
        month = [months.get(posted[i]) or self._month(rest, i) for i in rows]
        kinds = [self._slow[~encoded] for encoded in _pick(cells, rows)]  # (cell, kind)
        self.connector.add_refunds(_pick(ids, rows), _pick(rest.adjustments, rows), month,
                                   [kind.found.key for _, kind in kinds], units,
                                   [self._cells[cell].exponent for cell, _ in kinds], _pick(rest.skus, rows),
                                   rest.quantities_of(rows))

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
            self._recorded_cells.append(cell if kind.order_row else -1)
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

    def orders_flagged(self, flags: bytes) -> "FlaggedOrders":
        """The orders whose byte in ``flags`` (one per order number, as ``EngineStore.synced_flags`` gives them)
        is 1, as a set of their ids."""
        return FlaggedOrders(self._number, self._numbered_ids(), flags)

    def orders_not_flagged(self, flags: bytes) -> list[tuple[str, "OrderFigures"]]:
        """The orders whose byte in ``flags`` is 0 and their figures, in the order they first occur."""
        numbers = list(itertools.compress(range(len(flags)), flags.translate(_NOT)))
        return list(zip(_pick(self._numbered_ids(), numbers), self._figures(numbers), strict=True))

    def _numbered_ids(self) -> list[str]:
        """The order ids by number (kept until more rows are tallied)."""
        if self._ids is None or len(self._ids) != len(self._number):
            self._ids = list(self._number)
        return self._ids

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
        """Each order's total, row count, first line and transaction types, read a cell at a time.

        Units are added as integers per exponent and each order's total made of them once: the
        Decimal that adding its rows' amounts gives (the same value and exponent).
        """
        return self._figures(list(map(self._number.__getitem__, order_ids)))

    def _figures(self, numbers: list[int]) -> list["OrderFigures"]:
        """:meth:`order_figures` of the orders of these numbers (read fastest in ascending order)."""
        count = len(numbers)
        by_exponent: dict[int, tuple[list[int], list[int]]] = {}  # exponent -> each order's (units, rows) at it
        types: list[dict[str, None]] = [{} for _ in numbers]
        for cell, sums in zip(self._cells, self._sums, strict=True):
            if sums is None:
                continue
            column = _pick(sums, numbers)
            units, rows = by_exponent.get(cell.exponent) or by_exponent.setdefault(cell.exponent,
                                                                                   ([0] * count, [0] * count))
            for k in itertools.compress(range(count), column):
                units[k] += column[k] >> _SHIFT
                rows[k] += column[k] & _ROWS
                types[k][cell.transaction_type] = None
        totals, counts = [ZERO] * count, [0] * count
        for exponent, (units, rows) in by_exponent.items():
            for k in itertools.compress(range(count), rows):
                totals[k] += _decimal(units[k], exponent)
                counts[k] += rows[k]
        return [OrderFigures(total, rows_of, self._first_lines[n], tuple(found))
                for total, rows_of, n, found in zip(totals, counts, numbers, types, strict=True)]

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


class FlaggedOrders(AbstractSet[str]):
    """Some of a tally's orders, a flag per order number: a set of their ids without the set being built (most
    of a settlement's orders are synced; their ids are the tally's own strings)."""

    def __init__(self, numbers: Mapping[str, int], ids: Sequence[str], flags: bytes) -> None:
        if len(flags) != len(ids):
            raise ValueError("a flag is needed for each order number")
        self._numbers, self._ids, self._flags = numbers, ids, flags
        self._count = flags.count(1)

    def __contains__(self, order_id: object) -> bool:
        n = self._numbers.get(order_id)  # type: ignore[call-overload]  # any object may be asked about
        return n is not None and n < len(self._flags) and self._flags[n] == 1  # (an order tallied since: not)

    def __iter__(self) -> Iterator[str]:
        return itertools.compress(self._ids, self._flags)

    def __len__(self) -> int:
        return self._count

    @classmethod
    def _from_iterable(cls, it: Iterable[Any]) -> AbstractSet[Any]:  # what &, | and - give: a plain set
        return set(it)


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
