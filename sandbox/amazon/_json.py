"""JSON in and out of the Amazon emulator, with money kept as Decimal.

SP-API sends Finances amounts as JSON numbers (``"currencyAmount": 12.5``) and
Orders amounts as strings (``"Amount": "12.50"``). The standard library cannot
write a :class:`~decimal.Decimal` as a number, so :func:`dumps` writes each
Decimal through a placeholder and swaps the exact digits back in: no float ever
touches an amount.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

__all__ = ["dumps", "loads"]

_MARK = "\u0000dec:"
_PLACEHOLDER = re.compile(r'"\\u0000dec:(-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)"')


def _mark(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{_MARK}{value}"
    if isinstance(value, dict):
        return {k: _mark(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mark(v) for v in value]
    return value


def dumps(value: Any) -> str:
    """Serialise ``value``; Decimals become JSON numbers with their exact digits."""
    return _PLACEHOLDER.sub(lambda m: m.group(1), json.dumps(_mark(value), separators=(",", ":")))


def loads(text: str | bytes) -> Any:
    """Parse JSON with every non-integer number as a Decimal."""
    return json.loads(text, parse_float=Decimal)
