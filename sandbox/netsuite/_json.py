"""JSON with exact money: Decimal in, Decimal out, never float.

    >>> loads('{"amount": 19.99}')
    {'amount': Decimal('19.99')}
    >>> dumps({"amount": Decimal("19.90")})
    '{"amount": 19.90}'

``dumps`` writes a Decimal as a JSON number with its exact text (trailing zeros
kept, no exponent), which the standard encoder cannot do.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

__all__ = ["loads", "dumps", "decimal_text"]


def loads(text: str | bytes) -> Any:
    """Parse JSON, turning every non-integer number into a Decimal."""
    return json.loads(text, parse_float=Decimal)


def decimal_text(value: Decimal) -> str:
    """The plain (non-exponent) text of ``value``; negative zero becomes zero."""
    if value == 0:
        value = abs(value)
    return format(value, "f")


def dumps(value: Any) -> str:
    """Serialise ``value``; Decimals become JSON numbers with their exact text."""
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


def _write(value: Any, out: list[str]) -> None:
    if isinstance(value, Decimal):
        out.append(decimal_text(value))
    elif isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        out.append(json.dumps(value))
    elif isinstance(value, float):
        raise TypeError("floats are not allowed in emulator output; use Decimal")
    elif isinstance(value, dict):
        out.append("{")
        for index, (key, item) in enumerate(value.items()):
            if index:
                out.append(", ")
            out.append(json.dumps(str(key)))
            out.append(": ")
            _write(item, out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(", ")
            _write(item, out)
        out.append("]")
    else:
        raise TypeError(f"cannot serialise {type(value).__name__} to JSON")
