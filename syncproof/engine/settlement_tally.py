"""One pass over a settlement's rows: totals by category, transaction type and account, and per order.

The sums are kept in integer units of the file's amounts (cents for ``19.99``), so a
quarter of a million orders cost a list of small integers each, not a dict of
Decimals; amounts come back as Decimal at the edges, exactly what adding the rows'
Decimals from zero gives (same value, same exponent). A file whose amounts are not
all written with the same number of decimals is summed in Decimal from the first
amount that differs on.

    >>> tally = SettlementTally(kind_of, connector=None, end_month="2024-10")
    >>> tally.add(settlement.rows())
    >>> tally.order_total("112-1234567-1234567")
    Decimal('23.97')
"""

from __future__ import annotations

from decimal import Decimal
from operator import itemgetter
from typing import Any, Callable, Iterable, Iterator, NamedTuple

from connectors.settlement_file import SettlementRow, is_amazon_order_id

from .settlement_connector import ConnectorTally

__all__ = ["SettlementTally", "RowKind"]

ZERO = Decimal(0)
_ROWS, _FIRST_LINE, _TYPES, _PRESENT, _SLOTS = 0, 1, 2, 3, 4  # an order's entry: counts, then one sum per key
_VALUE_CACHE = 1 << 17
_pick = itemgetter(0, 1, 2, 7, 8, 9)  # line, transaction type, order id, amount type, description, amount


class RowKind(NamedTuple):
    """What a row's (transaction type, amount type, description) is: its category and account."""

    category: str  # the category's value
    account: str
    order_row: bool  # an order or refund amount (matched against the synced orders)
    found: Any  # the classification, for the connector model's tally
    fee: bool = False  # an order or refund fee: the connector model posts it on the order, per month
    refund: bool = False  # a refund amount: the connector model posts it against the order


_NO_CONNECTOR, _CONNECTOR_ROW, _FEE_ROW = 0, 1, 2


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
        self._kinds: dict[tuple[str, str, str], tuple[int, int, int, bool, Any, int, str]] = {}
        self._texts: list[tuple[tuple[str, str, str], RowKind]] = []
        self._text_sums: list = []  # per distinct text: the sum of its rows
        self._keys: list[tuple[str, str]] = []  # slot -> (category, account), or (fee key, month) for fees
        self._slot_of: dict[tuple[str, str], int] = {}
        self._account_slots = 0  # bit mask of the slots that are (category, account) sums
        self._fee_slot_of: dict[tuple[str, str], int] = {}  # (fee key, month) -> slot (connector model)
        self._months: dict[Any, str] = {}  # posted date -> its month
        self._grown: dict[tuple[tuple[str, ...], str], tuple[str, ...]] = {}  # an order's transaction types
        self._non_order_sums: list = []  # per slot: rows without an order
        self._non_order_seen: set[int] = set()
        self._zeros: list = []
        self._orders: dict[str, list] = {}
        #: non-Amazon ids in the order-id column: id -> [amount, rows, first line, transaction types]
        self.not_orders: dict[str, list] = {}
        self._values: dict[int, tuple[Decimal, Any]] = {}  # id(amount) -> (the amount, its units)
        self._exponent: int | None = None  # the amounts' exponent while every amount has it
        self._decimal = False  # summing in Decimal (the amounts' exponents differ)

    # --- the pass ---------------------------------------------------------------------------
    def add(self, rows: Iterable[SettlementRow]) -> None:
        """Tally every row."""
        kinds, orders, values, value = self._kinds, self._orders, self._values, self._value
        text_sums, non_order_sums, non_order_seen = self._text_sums, self._non_order_sums, self._non_order_seen
        connector, end_month, grown = self.connector, self._end_month, self._grown
        for row in rows:
            line, transaction_type, order_id, amount_type, description, money = _pick(row)
            amount = money.amount
            hit = values.get(id(amount))
            units = value(amount) if hit is None else hit[1]
            kind = kinds.get((transaction_type, amount_type, description))
            if kind is None:
                kind = self._new_kind(transaction_type, amount_type, description)
            text, slot, bit, order_row, found, action, transaction_type = kind  # one string for all its rows
            text_sums[text] += units
            if order_row and order_id:
                entry = orders.get(order_id)
                if entry is None:
                    if not is_amazon_order_id(order_id):
                        self._not_order(order_id, amount, line, transaction_type)
                        continue
                    entry = orders[order_id] = [0, line, (), 0, *self._zeros]
                entry[_ROWS] += 1
                types = entry[_TYPES]
                if transaction_type not in types:
                    entry[_TYPES] = grown.get((types, transaction_type)) or self._grow(types, transaction_type)
                entry[_PRESENT] |= bit
                try:
                    entry[slot] += units
                except IndexError:  # a key first seen after this order's entry was made
                    entry.extend([0] * (slot + 1 - len(entry)))
                    entry[slot] += units
                if action == _FEE_ROW:
                    self._add_fee(entry, found.key, row.posted_date, units)
                elif action == _CONNECTOR_ROW and connector is not None:
                    connector.add(row, found.category, found.key, True, end_month)
            else:
                non_order_sums[slot - _SLOTS] += units
                non_order_seen.add(slot - _SLOTS)
                if connector is not None:
                    connector.add(row, found.category, found.key, False, end_month)

    def _grow(self, types: tuple[str, ...], transaction_type: str) -> tuple[str, ...]:
        """``types`` and one more transaction type: one tuple shared by every order with those types."""
        grown = self._grown[(types, transaction_type)] = (*types, transaction_type)
        return grown

    def _add_fee(self, entry: list, key: str, posted: Any, units: Any) -> None:
        """A fee row of an order, summed per (fee key, month) in the order's entry."""
        month = self._months.get(posted)
        if month is None:
            month = self._months[posted] = posted.strftime("%Y-%m") if posted else self._end_month
        slot = self._fee_slot_of.get((key, month))
        if slot is None:
            slot = self._fee_slot_of[(key, month)] = self._new_slot((key, month))
        entry[_PRESENT] |= 1 << slot
        slot += _SLOTS
        try:
            entry[slot] += units
        except IndexError:
            entry.extend([0] * (slot + 1 - len(entry)))
            entry[slot] += units

    def _new_slot(self, key: tuple[str, str]) -> int:
        slot = len(self._keys)
        self._keys.append(key)
        self._zeros.append(0)
        self._non_order_sums.append(0)
        return slot

    def _new_kind(self, transaction_type: str, amount_type: str, description: str) -> tuple:
        text = (transaction_type, amount_type, description)
        row_kind = self._kind_of(*text)
        key = (row_kind.category, row_kind.account)
        slot = self._slot_of.get(key)
        if slot is None:
            slot = self._slot_of[key] = self._new_slot(key)
            self._account_slots |= 1 << slot
        self._texts.append((text, row_kind))
        self._text_sums.append(0)
        action = _NO_CONNECTOR
        if self.connector is not None:
            action = _FEE_ROW if row_kind.fee else _CONNECTOR_ROW if row_kind.refund else _NO_CONNECTOR
        kind = self._kinds[text] = (len(self._texts) - 1, _SLOTS + slot, 1 << slot, row_kind.order_row,
                                    row_kind.found, action, transaction_type)
        return kind

    def _not_order(self, ref: str, amount: Decimal, line: int, transaction_type: str) -> None:
        entry = self.not_orders.setdefault(ref, [ZERO, 0, line, set()])
        entry[0] += amount
        entry[1] += 1
        entry[3].add(transaction_type)

    def _value(self, amount: Decimal):
        """The units a row's amount adds; the first amount of another exponent turns the sums to Decimal."""
        if not self._decimal:
            exponent = amount.as_tuple().exponent
            if self._exponent is None:
                self._exponent = exponent  # type: ignore[assignment]  # finite: Money refuses the others
            if exponent == self._exponent:
                units: Any = int(amount.scaleb(-exponent))
            else:
                self._to_decimal()
                units = amount
        else:
            units = amount
        if len(self._values) >= _VALUE_CACHE:
            self._values.clear()
        self._values[id(amount)] = (amount, units)  # holding the amount keeps its id unique
        return units

    def _to_decimal(self) -> None:
        amount = self._amount
        self._text_sums[:] = [amount(v) for v in self._text_sums]
        for slot in self._non_order_seen:
            self._non_order_sums[slot] = amount(self._non_order_sums[slot])
        for entry in self._orders.values():
            present = entry[_PRESENT]
            for slot in range(len(entry) - _SLOTS):
                if present >> slot & 1:
                    entry[_SLOTS + slot] = amount(entry[_SLOTS + slot])
        self._values.clear()
        self._decimal = True

    def _amount(self, value) -> Decimal:
        """A sum as Decimal: what adding its rows' amounts to ``Decimal(0)`` gives."""
        if isinstance(value, Decimal):
            return ZERO + value
        return ZERO + Decimal(value).scaleb(self._exponent or 0)

    # --- what the pass found ---------------------------------------------------------------------
    @property
    def by_category(self) -> dict[str, Decimal]:
        """Sum per category, in the order the categories first occur."""
        return self._grouped(lambda text, kind: kind.category)

    @property
    def by_type(self) -> dict[str, Decimal]:
        """Sum per transaction type, in the order they first occur."""
        return self._grouped(lambda text, kind: text[0])

    def _grouped(self, group: Callable[[tuple[str, str, str], RowKind], str]) -> dict[str, Decimal]:
        sums: dict[str, Decimal] = {}
        for (text, kind), value in zip(self._texts, self._text_sums, strict=True):
            name = group(text, kind)
            sums[name] = sums.get(name, ZERO) + self._amount(value)
        return sums

    @property
    def non_order(self) -> dict[tuple[str, str], Decimal]:
        """Sum per (category, account) of the rows that belong to no order."""
        return {self._keys[slot]: self._amount(self._non_order_sums[slot]) for slot in sorted(self._non_order_seen)}

    def order_ids(self) -> Iterator[str]:
        """The Amazon order ids of the order and refund rows, in the order they first occur."""
        return iter(self._orders)

    def __contains__(self, order_id: object) -> bool:
        return order_id in self._orders

    def order_rows(self, order_id: str) -> tuple[int, int, tuple[str, ...]]:
        """An order's row count, first line and transaction types (in the order they occur)."""
        entry = self._orders[order_id]
        return entry[_ROWS], entry[_FIRST_LINE], entry[_TYPES]

    def order_amounts(self, order_id: str) -> dict[tuple[str, str], Decimal]:
        """An order's sum per (category, account) of its rows."""
        entry = self._orders[order_id]
        present = entry[_PRESENT] & self._account_slots
        return {self._keys[slot]: self._amount(entry[_SLOTS + slot])
                for slot in range(len(entry) - _SLOTS) if present >> slot & 1}

    def fees(self, order_ids: Iterable[str]) -> dict[tuple[str, str, str], Decimal]:
        """The connector model's fee sums of these orders: (order id, fee key, month) -> amount, zeros left out."""
        fee_slots = sorted(self._fee_slot_of.items(), key=itemgetter(1))
        found: dict[tuple[str, str, str], Decimal] = {}
        for order_id in order_ids:
            entry = self._orders[order_id]
            present = entry[_PRESENT]
            for (key, month), slot in fee_slots:
                if present >> slot & 1 and entry[_SLOTS + slot]:
                    found[(order_id, key, month)] = self._amount(entry[_SLOTS + slot])
        return found

    def order_total(self, order_id: str) -> Decimal:
        """The sum of an order's rows."""
        entry = self._orders[order_id]
        present = entry[_PRESENT] & self._account_slots
        slots = [entry[_SLOTS + slot] for slot in range(len(entry) - _SLOTS) if present >> slot & 1]
        if self._decimal:
            return sum((self._amount(v) for v in slots), ZERO)
        return self._amount(sum(slots))
