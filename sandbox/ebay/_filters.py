"""The ``filter`` syntax of the Sell APIs' list methods, and their paging parameters.

A filter is comma-separated ``name:value`` criteria; a time range is ``name:[start..end]``
(either end may be left out, both inclusive, ISO 8601 UTC), a set of values is
``name:{A|B}``::

    >>> parse_filter("creationdate:[2026-11-01T00:00:00.000Z..],orderfulfillmentstatus:{NOT_STARTED|IN_PROGRESS}")
    {'creationdate': (datetime(2026, 11, 1, ...), None), 'orderfulfillmentstatus': {'NOT_STARTED', 'IN_PROGRESS'}}
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Callable

__all__ = ["parse_filter", "parse_time", "page", "Range"]

Range = tuple["datetime | None", "datetime | None"]
_CRITERION = re.compile(r"(?P<name>[A-Za-z]+):(?P<value>\[[^\]]*\]|\{[^}]*\})")


def parse_time(text: str) -> datetime:
    """An ISO 8601 instant (``2026-11-01T00:00:00.000Z``); ValueError when it is not one."""
    if "T" not in text:
        raise ValueError(text)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def parse_filter(text: str, *, ranges: set[str], sets: set[str],
                 bad_name: Callable[[str], Exception], bad_value: Callable[[str, str], Exception],
                 bad_date: Callable[[str], Exception]) -> dict[str, Any]:
    """The criteria of ``text``: ranges as ``(start, end)``, sets as ``set``; the ``bad_*`` errors otherwise."""
    found: dict[str, Any] = {}
    rest = text
    for match in _CRITERION.finditer(text):
        rest = rest.replace(match.group(0), "", 1)
        name, value = match.group("name"), match.group("value")
        key = name.lower() if name.lower() in ranges | sets else name
        if key not in ranges and key not in sets:
            raise bad_name(name)
        if key in ranges:
            if not value.startswith("[") or ".." not in value:
                raise bad_value(value, name)
            start, _, end = value[1:-1].partition("..")
            try:
                found[key] = (parse_time(start) if start else None, parse_time(end) if end else None)
            except ValueError:
                raise bad_date(name) from None
        else:
            if not value.startswith("{"):
                raise bad_value(value, name)
            found[key] = {v for v in value[1:-1].split("|") if v}
    if rest.strip(" ,"):
        leftover = rest.strip(" ,").split(",")[0]
        name = leftover.split(":", 1)[0]
        if ":" not in leftover or name.lower() not in ranges | sets:
            raise bad_name(name)
        raise bad_value(leftover.split(":", 1)[1], name)
    return found


def page(query: dict[str, str], *, default: int, maximum: int, bad_limit: Callable[[str], Exception],
         bad_offset: Callable[[str], Exception]) -> tuple[int, int]:
    """``(limit, offset)`` from the query: limit 1..maximum (default ``default``), offset 0 or more."""
    raw_limit, raw_offset = query.get("limit"), query.get("offset")
    try:
        limit = int(raw_limit) if raw_limit not in (None, "") else default
    except ValueError:
        raise bad_limit(str(raw_limit)) from None
    if not 1 <= limit <= maximum:
        raise bad_limit(str(raw_limit))
    try:
        offset = int(raw_offset) if raw_offset not in (None, "") else 0
    except ValueError:
        raise bad_offset(str(raw_offset)) from None
    if offset < 0:
        raise bad_offset(str(raw_offset))
    return limit, offset


def in_range(moment: datetime, window: Range | None) -> bool:
    if window is None:
        return True
    start, end = window
    return (start is None or moment >= start) and (end is None or moment <= end)
