"""Indented JSON of an exchange's body, as the report shows it.

    >>> from syncproof.model import json_loads
    >>> indented_json(json_loads('{"total": 12.50}'), '{"total": 12.50}')
    '{\\n  "total": 12.50\\n}'

The text is exactly ``syncproof.model.json_dumps(value, indent=2, ensure_ascii=False)``:
every non-integer number an exact decimal, nothing escaped but what JSON must escape. The
standard library writes indented JSON with its pure-Python encoder, which is most of what
showing a body costs; orjson writes the same text in C, each Decimal given as its exact text.
What orjson would write otherwise is left to ``json_dumps``: integers beyond 64 bits, keys that
are not strings and lone surrogates (orjson refuses them), and the bodies whose source ``text``
names ``NaN``, ``Infinity`` or an escaped NUL (parsing reads the constants as floats, which
``json_dumps`` refuses, and ``json_dumps`` reads a string starting with NUL and ``dec:`` as a
number).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson

from syncproof.model import json_dumps

__all__ = ["indented_json"]

#: source text in which orjson's writing could differ from ``json_dumps``'s (see the module docstring)
_LEFT_TO_JSON_DUMPS = ("NaN", "Infinity", "\\u0000")
_LEFT_TO_JSON_DUMPS_BYTES = tuple(marker.encode("ascii") for marker in _LEFT_TO_JSON_DUMPS)


def _exact(value: Any) -> Any:
    if isinstance(value, Decimal):
        # json_dumps's text of a Decimal: no exponent, trailing zeros kept, negative zero as zero
        return orjson.Fragment(format(abs(value) if value == 0 else value, "f"))
    raise TypeError(f"{type(value).__name__} is not written by orjson")


def indented_json(value: Any, text: str | bytes) -> str:
    """``json_dumps(value, indent=2, ensure_ascii=False)`` of ``value``, parsed (numbers as Decimal) from ``text``."""
    markers = _LEFT_TO_JSON_DUMPS_BYTES if isinstance(text, bytes) else _LEFT_TO_JSON_DUMPS
    if not any(marker in text for marker in markers):  # type: ignore[operator]
        try:
            return orjson.dumps(value, default=_exact, option=orjson.OPT_INDENT_2).decode("utf-8")
        except TypeError:  # orjson.JSONEncodeError
            pass
    return json_dumps(value, indent=2, ensure_ascii=False)
