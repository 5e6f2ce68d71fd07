"""Shopify's order search syntax, the part syncproof uses: ``updated_at:>'2024-01-01T00:00:00Z'``.

Terms are separated by spaces (``AND`` is implied and may be written); supported
fields are ``updated_at``, ``created_at`` and ``processed_at`` with ``>``, ``>=``,
``<``, ``<=`` or equality, and ``financial_status``. Other terms are ignored, as
Shopify ignores search terms it does not know.

A search is worked out once per state of the store: :func:`search_orders` filters and
sorts every order one time (each date parsed once), keeps the result with the store's
revision, and every page after that seeks its cursor in a dictionary and reads only
the orders it returns, so paging through N orders costs O(N), not O(N) a page.
"""

from __future__ import annotations

import operator
import re
from datetime import datetime, timezone
from typing import Callable, Iterable

from .models import OrderRecord, ShopifyBackend

__all__ = ["filter_orders", "search_orders", "OrderSearch"]

_TERM = re.compile(r"""(\w+):(>=|<=|>|<)?('([^']*)'|"([^"]*)"|(\S+))""")
_DATES = ("updated_at", "created_at", "processed_at")
_COMPARE: dict[str, Callable[[datetime, datetime], bool]] = {
    ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le, "": operator.eq}
_SORT = {"ID": "id", "CREATED_AT": "created_at", "UPDATED_AT": "updated_at", "PROCESSED_AT": "processed_at",
         "ORDER_NUMBER": "number", "TOTAL_PRICE": "total_price"}
#: searches kept per store revision (an audit pages through two: one per financial status)
_KEPT = 8


def _moment(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _date_test(attr: str, compare: Callable[[datetime, datetime], bool],
               right: datetime) -> Callable[[OrderRecord], bool]:
    return lambda order: compare(_moment(getattr(order, attr)), right)


def _status_test(status: str) -> Callable[[OrderRecord], bool]:
    return lambda order: order.financial_status.lower() == status


def _predicates(query: str | None) -> list[Callable[[OrderRecord], bool]]:
    """One test per known term; the right-hand dates are parsed here, once per search."""
    tests: list[Callable[[OrderRecord], bool]] = []
    for match in _TERM.finditer(query or ""):
        name, op = match.group(1), match.group(2) or ""
        value = next(v for v in match.group(4, 5, 6) if v is not None)
        if name in _DATES:
            tests.append(_date_test(name, _COMPARE[op], _moment(value)))
        elif name == "financial_status":
            tests.append(_status_test(value.lower()))
    return tests


def _sort_key(sort_key: str) -> Callable[[OrderRecord], tuple]:
    attr = _SORT.get(sort_key, "id")
    if attr == "total_price":
        return lambda o: (o.total_price, o.id)
    if attr in _DATES:
        return lambda o: (_moment(getattr(o, attr)), o.id)
    return lambda o: (getattr(o, attr), o.id)


def filter_orders(orders: Iterable[OrderRecord], query: str | None, sort_key: str = "ID",
                  reverse: bool = False) -> list[OrderRecord]:
    """Orders matching ``query``, sorted by ``sort_key`` (then id), reversed when asked."""
    tests = _predicates(query)
    matching = [o for o in orders if all(test(o) for test in tests)]
    return sorted(matching, key=_sort_key(sort_key), reverse=bool(reverse))


class OrderSearch:
    """One search's orders in order, with each order's position for cursor seeks."""

    def __init__(self, records: list[OrderRecord]) -> None:
        self.records = records
        self.position = {record.id: index for index, record in enumerate(records)}

    def page(self, after_id: int | None, first: int,
             visible: Callable[[OrderRecord], bool]) -> tuple[list[OrderRecord], bool] | None:
        """``(orders, has_next_page)`` after the order ``after_id`` (None: from the start), only
        orders ``visible`` counted; None when ``after_id`` is not in this search."""
        if after_id is None:
            start = 0
        elif after_id in self.position:
            start = self.position[after_id] + 1
        else:
            return None
        page: list[OrderRecord] = []
        for index in range(start, len(self.records)):
            record = self.records[index]
            if not visible(record):
                continue
            if len(page) == first:
                return page, True
            page.append(record)
        return page, False


def search_orders(backend: ShopifyBackend, query: str | None, sort_key: str = "ID",
                  reverse: bool = False) -> OrderSearch:
    """The search over every order, worked out once per revision of the store's state."""
    key = ("orders", query or "", sort_key, bool(reverse))
    with backend.lock:
        kept = backend.derived()
        found = kept.get(key)
        if found is None:
            found = OrderSearch(filter_orders(backend.list_orders(), query, sort_key, reverse))
            searches = [k for k in kept if k[0] == "orders"]
            if len(searches) >= _KEPT:
                del kept[searches[0]]
            kept[key] = found
        return found
