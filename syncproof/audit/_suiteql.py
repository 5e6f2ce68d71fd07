"""SuiteQL at scale: pages of 1,000 rows, and windows split so no query passes 100,000 rows.

SuiteQL answers at most 100,000 rows for one query. A query built for a date range
is run on the whole window first; when its first page says ``totalResults`` is over
the limit, the window is halved and each half run on its own (recursively), so any
window can be read. Splitting costs no extra request when no split is needed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Iterator

from connectors.netsuite import SUITEQL_MAX_PAGE

from ._progress import Progress

__all__ = ["SUITEQL_ROW_LIMIT", "rows", "rows_by_date", "literal", "date_literal", "in_list"]

SUITEQL_ROW_LIMIT = 100_000


def literal(value: str | int) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def date_literal(day: dt.date) -> str:
    return f"TO_DATE('{day.isoformat()}', 'YYYY-MM-DD')"


def in_list(values) -> str:
    return ", ".join(literal(v) for v in values)


def rows(client: Any, query: str, *, progress: Progress | None = None, what: str = "rows",
         first_page: dict | None = None) -> Iterator[dict[str, Any]]:
    """Every row of ``query`` (which must have an ORDER BY), 1,000 a request."""
    offset, seen = 0, 0
    page = first_page
    while True:
        if page is None:
            page = client.suiteql_page(query, limit=SUITEQL_MAX_PAGE, offset=offset)
        items = page.get("items", [])
        seen += len(items)
        for row in items:
            row = dict(row)
            row.pop("links", None)
            yield row
        if progress:
            progress.page(what, seen, page.get("totalResults"), final=not page.get("hasMore"))
        if not page.get("hasMore"):
            return
        offset += SUITEQL_MAX_PAGE
        page = None


def rows_by_date(client: Any, build: Callable[[dt.date, dt.date], str], start: dt.date, end: dt.date, *,
                 limit: int = SUITEQL_ROW_LIMIT, progress: Progress | None = None,
                 what: str = "rows") -> Iterator[dict[str, Any]]:
    """Rows of ``build(start, end)`` (dates ``start <= d < end``), halving the range while over ``limit``."""
    query = build(start, end)
    first = client.suiteql_page(query, limit=SUITEQL_MAX_PAGE, offset=0)
    total = int(first.get("totalResults") or 0)
    if total > limit and (end - start).days > 1:
        middle = start + dt.timedelta(days=(end - start).days // 2)
        if progress:
            progress.note(f"{what}: {total:,} rows from {start} to {end} is over SuiteQL's {limit:,}; "
                          f"splitting at {middle}")
        yield from rows_by_date(client, build, start, middle, limit=limit, progress=progress, what=what)
        yield from rows_by_date(client, build, middle, end, limit=limit, progress=progress, what=what)
        return
    yield from rows(client, query, progress=progress, what=what, first_page=first)
