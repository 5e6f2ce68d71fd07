"""Tab-separated documents: their personal columns, found by the names in their header row.

    >>> columns = personal_columns(["order-id", "buyer-email", "recipient-name", "ship-address-1", "ship-state"])
    >>> columns
    {1: 'email', 2: 'name', 3: 'street'}

A report document (an SP-API flat-file order report, an Amazon Fulfilled Shipments report) is
tab-separated text whose first row names its columns: ``buyer-email``, ``buyer-name``,
``buyer-phone-number``, ``recipient-name``, ``ship-address-1`` to ``-3``, ``ship-city``,
``ship-postal-code``, the buyer's tax identifier (``cpf``, ``buyer-vat-number``)... Which columns are
personal is :func:`~._personal_keys.column_kind`'s rule. Only the cells of those columns change: the other
columns, the separators and the line endings stay as they were, byte for byte, so a settlement
flat file (which names no person) comes out as it went in.
"""

from __future__ import annotations

import re
from typing import Callable

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


#: where a row ends: after ``\n``, or after a ``\r`` that no ``\n`` follows (:meth:`str.splitlines` also splits
#: at a form feed, U+2028 and others, which a cell may hold)
_ROW_END = re.compile(r"(?<=\n)|(?<=\r)(?!\n)")


def _ending(line: str) -> int:
    """How many characters end ``line``: ``\\r\\n``, ``\\n``, ``\\r`` or none."""
    if line.endswith("\r\n"):
        return 2
    return 1 if line.endswith(("\n", "\r")) else 0


def scrub_columns(text: str, fake: Callable[[str, str], str]) -> str:
    """``text`` with each cell of its personal columns replaced by ``fake(kind, cell)``, when it is a
    tab-separated document (a first row of two or more tab-separated names); otherwise ``text`` itself."""
    if "\t" not in text:
        return text
    lines = [line for line in _ROW_END.split(text) if line]
    first = lines[0]
    header = first[:len(first) - _ending(first)]
    if "\t" not in header:
        return text
    columns = personal_columns(header.split("\t"))
    if not columns:
        return text
    scrubbed = [first]
    for line in lines[1:]:
        end = len(line) - _ending(line)
        cells = line[:end].split("\t")
        for index, kind in columns.items():
            if index < len(cells) and cells[index]:
                cells[index] = fake(kind, cells[index])
        scrubbed.append("\t".join(cells) + line[end:])
    return "".join(scrubbed)
