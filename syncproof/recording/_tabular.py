"""Tab-separated documents: their personal columns, found by the names in their header row.

    >>> columns = personal_columns(["order-id", "buyer-email", "recipient-name", "ship-address-1", "ship-state"])
    >>> columns
    {1: 'email', 2: 'name', 3: 'street'}

A report document (an SP-API flat-file order report, an Amazon Fulfilled Shipments report) is
tab-separated text whose first row (its first line holding a tab) names its columns: ``buyer-email``, ``buyer-name``,
``buyer-phone-number``, ``recipient-name``, ``ship-address-1`` to ``-3``, ``ship-city``,
``ship-postal-code``, the buyer's tax identifier (``cpf``, ``buyer-vat-number``)... Which columns are
personal is :func:`~._personal_keys.column_kind`'s rule. Only the cells of those columns change: the other
columns, the separators and the line endings stay as they were, byte for byte, so a settlement
flat file (which names no person) comes out as it went in.

Rows and cells are read as a tab-separated reader reads them: a row ends at ``\r\n``, ``\n`` or
``\r`` only, and a cell a quote opens and closes (as a spreadsheet writes one holding a tab, a line
break or a quote) is one cell, read inside its quotes and written back in them.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

from ._personal_keys import column_kind

__all__ = ["personal_columns", "scrub_columns"]


def personal_columns(header: list[str]) -> dict[int, str]:
    """The index of each personal column of a document whose header row is ``header``, and its kind."""
    found: dict[int, str] = {}
    for index, name in enumerate(header):
        kind = column_kind(name)
        if kind is not None:
            found[index] = kind
    return found


#: one cell: quoted (``"..."``, ``""`` standing for a quote, holding tabs and line breaks) when a quote opens it
#: and one closes it before a tab, a line break or the end; else up to the next tab or line break
_CELL = re.compile(r'"(?:[^"]|"")*"(?=\t|\r|\n|\Z)|[^\t\r\n]*')
#: what follows a cell: a tab (the row goes on) or a line break (:meth:`str.splitlines` also breaks at a form
#: feed, U+2028 and others, which a cell may hold)
_AFTER_CELL = re.compile(r"\t|\r\n|\n|\r|\Z")

Span = tuple[int, int]


def _rows(text: str, at: int) -> Iterator[list[Span]]:
    """Each row of ``text`` from ``at`` as the spans of its cells, quotes included."""
    row: list[Span] = []
    while True:
        cell = _CELL.match(text, at)
        assert cell is not None  # the second alternative matches the empty string
        row.append(cell.span())
        after = _AFTER_CELL.match(text, cell.end())
        assert after is not None  # a cell ends at a tab, a line break or the end
        at = after.end()
        if after.group() != "\t":
            yield row
            if at == len(text):
                return
            row = []


def _is_quoted(cell: str) -> bool:
    """Whether ``cell`` (as :data:`_CELL` reads it) is a quoted one."""
    return len(cell) >= 2 and cell[0] == cell[-1] == '"'


def _unquoted(cell: str) -> str:
    return cell[1:-1].replace('""', '"') if _is_quoted(cell) else cell


def _quoted_as(cell: str, value: str) -> str:
    """``value`` written as ``cell`` was: in quotes when it was quoted."""
    return '"' + value.replace('"', '""') + '"' if _is_quoted(cell) else value


def scrub_columns(text: str, fake: Callable[[str, str], str]) -> str:
    """``text`` with each cell of its personal columns replaced by ``fake(kind, cell)``, when it is a
    tab-separated document (its first line holding a tab names its columns; lines above it, such as the line the
    report's evidence puts before a gunzipped document, stay as they are); otherwise ``text`` itself."""
    first_tab = text.find("\t")
    if first_tab < 0:
        return text
    rows = _rows(text, max(text.rfind("\n", 0, first_tab), text.rfind("\r", 0, first_tab)) + 1)
    header = next(rows)
    columns = personal_columns([_unquoted(text[start:end]) for start, end in header])
    if not columns:
        return text
    pieces, kept = [], 0
    for row in rows:
        for index, kind in columns.items():
            if index < len(row):
                start, end = row[index]
                value = _unquoted(text[start:end])
                if value:
                    pieces += [text[kept:start], _quoted_as(text[start:end], fake(kind, value))]
                    kept = end
    return "".join(pieces) + text[kept:]
