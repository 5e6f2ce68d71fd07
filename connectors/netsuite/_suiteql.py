"""SuiteQL text and paging: the one quoting function and the one pager.

- :func:`literal` quotes a value for SuiteQL (single quotes doubled; ints pass through);
  every value from a channel, a scenario or a setting goes through it.
- :func:`rows` reads every row of a query, 1,000 a request (``limit``/``offset``), and
  refuses a query that needs a second page but has no ORDER BY (offset paging is only
  stable under a total order).
- :func:`rows_by_date` keeps a query built for a date range under SuiteQL's 100,000
  results a query: when the first page's ``totalResults`` reaches the limit, the range is
  halved and each half read on its own (recursively); one day still at the limit is read
  on by id. No split costs no extra request.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable, Iterable, Iterator, Protocol

from .._exceptions import NetSuiteError

__all__ = ["SUITEQL_MAX_PAGE", "SUITEQL_ROW_LIMIT", "PageProgress", "literal", "date_literal", "in_list", "rows",
           "rows_by_date"]

SUITEQL_MAX_PAGE = 1000
#: SuiteQL returns at most 100,000 results a query (Oracle help, "Executing SuiteQL Queries Through
#: REST Web Services"), in at most 1,000 pages (Oracle help, "Collection Paging").
SUITEQL_ROW_LIMIT = 100_000
SUITEQL_MAX_PAGES = 1000
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


def result_cap(page_size: int) -> int:
    """How many results one query can return paged ``page_size`` at a time: 1,000 pages, 100,000 at most."""
    return min(SUITEQL_ROW_LIMIT, SUITEQL_MAX_PAGES * page_size)


def rows(client: _Pages, query: str, *, page_size: int = SUITEQL_MAX_PAGE, progress: PageProgress | None = None,
         what: str = "rows", first_page: dict[str, Any] | None = None,
         at_cap: Callable[[str], None] | None = None, cap: int | None = None) -> Iterator[dict[str, Any]]:
    """Every row of ``query``, page by page, until ``hasMore`` is false (``links`` dropped).

    A query whose results reach SuiteQL's cap may have been cut there (NetSuite then counts
    only the results it returns and ends the last page with ``hasMore: false``); rather than
    pass that off as every row, ``at_cap(last id)`` is told (and must read on), or, without it,
    :class:`NetSuiteError` ``SYNCPROOF_SUITEQL_CAP`` is raised naming the query. ``cap`` defaults
    to what NetSuite returns at ``page_size`` a page.
    """
    ordered = bool(_ORDER_BY.search(query))
    offset, seen, last_id = 0, 0, None
    page = first_page
    cap = cap or result_cap(page_size)
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
            last_id = row.get("id", last_id)
            yield row
        if progress:
            progress.page(what, seen, page.get("totalResults"), final=not page.get("hasMore"))
        if not page.get("hasMore"):
            if seen >= cap or int(page.get("totalResults") or 0) >= cap:
                if at_cap is None:
                    raise NetSuiteError(
                        f"SuiteQL query reached the {cap:,} results one query can return, so rows past them "
                        f"would be missing: narrow the query (by date or id range) (query: {query[:80]}...)",
                        status=0, code="SYNCPROOF_SUITEQL_CAP")
                at_cap(str(last_id))
            return
        offset += page_size
        page = None


def rows_by_date(client: _Pages, build: Callable[[dt.date, dt.date, int | None], str], start: dt.date,
                 end: dt.date, *, limit: int = SUITEQL_ROW_LIMIT, progress: PageProgress | None = None,
                 what: str = "rows", after_id: int | None = None) -> Iterator[dict[str, Any]]:
    """Rows of ``build(start, end, after_id)`` (dates ``start <= d < end``, ids over ``after_id`` when
    given, ordered by id), halving the date range while its rows reach ``limit``.

    ``totalResults`` cannot say how far past the cap a query goes (NetSuite counts only what it
    returns), so reaching the limit splits the range. A single day still at the cap is read on by
    id: its rows up to the cap, then the same day again from the last id read, until a read ends
    short of the cap.
    """
    query = build(start, end, after_id)
    first = client.suiteql_page(query, limit=SUITEQL_MAX_PAGE, offset=0)
    total = int(first.get("totalResults") or 0)
    if total >= limit and (end - start).days > 1:
        middle = start + dt.timedelta(days=(end - start).days // 2)
        if progress:
            progress.note(f"{what}: {total:,} rows or more from {start} to {end} reach SuiteQL's {limit:,}; "
                          f"splitting at {middle}")
        yield from rows_by_date(client, build, start, middle, limit=limit, progress=progress, what=what,
                                after_id=after_id)
        yield from rows_by_date(client, build, middle, end, limit=limit, progress=progress, what=what,
                                after_id=after_id)
        return
    reached: list[str] = []
    yield from rows(client, query, progress=progress, what=what, first_page=first,
                    at_cap=reached.append if total >= limit else None, cap=limit)
    if reached and reached[0].isdigit():
        if progress:
            progress.note(f"{what}: {start} alone reaches SuiteQL's {limit:,} rows; reading on after id {reached[0]}")
        yield from rows_by_date(client, build, start, end, limit=limit, progress=progress, what=what,
                                after_id=int(reached[0]))
