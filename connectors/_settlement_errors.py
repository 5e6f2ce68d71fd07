"""The one error a settlement flat file can raise.

See :mod:`connectors.settlement_file` for the tree.
"""

from __future__ import annotations

from connectors._exceptions import ConnectorError

__all__ = ["SettlementFileError"]


class SettlementFileError(ConnectorError):
    """A settlement file could not be read: where, what and how to fix it.

    ``line`` is the 1-based physical line (the header is line 1), ``column`` the
    column name from the header (or ``""`` when the problem is the whole line),
    ``value`` the offending text, shortened for display.

        >>> err = SettlementFileError("not an amount", line=7, column="amount", value="12,3x")
        >>> str(err)
        "line 7, column 'amount', value '12,3x': not an amount"
    """

    def __init__(self, reason: str, *, line: int = 0, column: str = "", value: str | None = None,
                 hint: str = "", source: str = "") -> None:
        self.reason = reason
        self.line = line
        self.column = column
        self.value = value
        self.source = source
        super().__init__(_compose(reason, line, column, value, source), hint=hint)


def _compose(reason: str, line: int, column: str, value: str | None, source: str) -> str:
    where = []
    if source:
        where.append(source)
    if line:
        where.append(f"line {line}")
    if column:
        where.append(f"column {column!r}")
    if value is not None:
        where.append(f"value {_shorten(value)!r}")
    return f"{', '.join(where)}: {reason}" if where else reason


def _shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 3] + "..."
