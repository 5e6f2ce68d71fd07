"""SuiteQL text and paging: the one quoting function and the one pager.

- :func:`literal` quotes a value for SuiteQL (single quotes doubled; ints pass through);
  every value from a channel, a scenario or a setting goes through it.
- :func:`rows` reads every row of a query, 1,000 a request (``limit``/``offset``), and
  refuses a query that needs a second page but has no ORDER BY (offset paging is only
  stable under a total order).
- :func:`rows_by_date` keeps a query built for a date range under SuiteQL's 100,000
  rows a query: when the first page's ``totalResults`` is over the limit, the range is
  halved and each half read on its own (recursively). No split costs no extra request.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable, Iterable, Iterator, Protocol

from .._exceptions import NetSuiteError

__all__ = ["SUITEQL_MAX_PAGE", "SUITEQL_ROW_LIMIT", "PageProgress", "literal", "date_literal", "in_list", "rows",
           "rows_by_date"]

SUITEQL_MAX_PAGE = 1000
SUITEQL_ROW_LIMIT = 100_000
_ORDER_BY = re.compile(r"\border\s+by\b", re.IGNORECASE)


class PageProgress(Protocol):
    """Told about each page read (``syncproof.audit.Progress`` is one)."""

    def page(self, what: str, done: int, total: int | None = None, *, final: bool = False) -> None: ...

    def note(self, text: str) -> None: ...


class _Pages(Protocol):
    def suiteql_page(self, query: str, *, limit: int = ..., offset: int = ...) -> dict[str, Any]: ...


def literal(value: str | int) -> str:
    """A value quoted for SuiteQL (single quotes doubled); ints pass through."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def date_literal(day: dt.date) -> str:
    """``TO_DATE('2026-01-31', 'YYYY-MM-DD')``."""
    return f"TO_DATE({literal(day.isoformat())}, 'YYYY-MM-DD')"


def in_list(values: Iterable[str | int]) -> str:
    """The inside of an ``IN (...)``: each value quoted."""
    return ", ".join(literal(v) for v in values)


def rows(client: _Pages, query: str, *, page_size: int = SUITEQL_MAX_PAGE, progress: PageProgress | None = None,
         what: str = "rows", first_page: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """Every row of ``query``, page by page, until ``hasMore`` is false (``links`` dropped)."""
    ordered = bool(_ORDER_BY.search(query))
    offset, seen = 0, 0
    page = first_page
    while True:
        if page is None:
            page = client.suiteql_page(query, limit=page_size, offset=offset)
        if page.get("hasMore") and not ordered:
            raise NetSuiteError(
                f"SuiteQL query returns more than {page_size} rows but has no ORDER BY, so its pages "
                f"could overlap or skip rows: add an ORDER BY on a unique column (query: {query[:80]}...)",
                status=0, code="SYNCPROOF_UNORDERED_PAGING")
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
        offset += page_size
        page = None


def rows_by_date(client: _Pages, build: Callable[[dt.date, dt.date], str], start: dt.date, end: dt.date, *,
                 limit: int = SUITEQL_ROW_LIMIT, progress: PageProgress | None = None,
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
