"""Shopify's order search syntax, the part syncproof uses: ``updated_at:>'2024-01-01T00:00:00Z'``.

Terms are separated by spaces (``AND`` is implied and may be written); supported
fields are ``updated_at``, ``created_at`` and ``processed_at`` with ``>``, ``>=``,
``<``, ``<=`` or equality, and ``financial_status``. Other terms are ignored, as
Shopify ignores search terms it does not know.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from .models import OrderRecord

__all__ = ["filter_orders"]

_TERM = re.compile(r"""(\w+):(>=|<=|>|<)?('([^']*)'|"([^"]*)"|(\S+))""")
_DATES = {"updated_at": "updated_at", "created_at": "created_at", "processed_at": "processed_at"}
_SORT = {"ID": "id", "CREATED_AT": "created_at", "UPDATED_AT": "updated_at", "PROCESSED_AT": "processed_at",
         "ORDER_NUMBER": "number", "TOTAL_PRICE": "total_price"}


def _moment(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _matches(order: OrderRecord, name: str, op: str, value: str) -> bool:
    if name in _DATES:
        left, right = _moment(getattr(order, _DATES[name])), _moment(value)
        return {">": left > right, ">=": left >= right, "<": left < right, "<=": left <= right,
                "": left == right}[op]
    if name == "financial_status":
        return order.financial_status.lower() == value.lower()
    return True


def filter_orders(orders: list[OrderRecord], query: str | None, sort_key: str = "ID",
                  reverse: bool = False) -> list[OrderRecord]:
    """Orders matching ``query``, sorted by ``sort_key`` (then id), reversed when asked."""
    result = orders
    for match in _TERM.finditer(query or ""):
        name, op = match.group(1), match.group(2) or ""
        value = next(v for v in match.group(4, 5, 6) if v is not None)
        result = [o for o in result if _matches(o, name, op, value)]
    attr = _SORT.get(sort_key, "id")
    if attr == "total_price":
        key = lambda o: (o.total_price, o.id)  # noqa: E731
    elif attr in ("created_at", "updated_at", "processed_at"):
        key = lambda o: (_moment(getattr(o, attr)), o.id)  # noqa: E731
    else:
        key = lambda o: (getattr(o, attr), o.id)  # noqa: E731
    return sorted(result, key=key, reverse=bool(reverse))
