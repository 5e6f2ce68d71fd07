"""JSON Lines documents (a Shopify bulk operation's result file): each line scrubbed by key.

    >>> hide = lambda v: {**v, "email": "x"} if "email" in v else v
    >>> scrub_json_lines('{"id": 1}\\n{"email": "a@b.example"}\\n', hide)
    '{"id": 1}\\n{"email": "x"}\\n'

A JSON Lines file does not parse as one JSON value, so without this it would be scrubbed as text
only. Each line is parsed and scrubbed as a JSON body is; a line nothing in which changes stays byte
for byte, a changed one is written back on one line. Text of which a line does not parse as JSON is
not JSON Lines and comes back as it is.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ..model import json_dumps
from ._format import parse_json

__all__ = ["scrub_json_lines"]

#: a line and its ending (``\r\n``, ``\n`` or ``\r``: :meth:`str.splitlines` also ends a line where a JSON
#: string may hold the character)
_LINE = re.compile(r"([^\r\n]*)(\r\n|\n|\r|\Z)")


def scrub_json_lines(text: str, scrub: Callable[[Any], Any]) -> str:
    """``text`` with each line's JSON replaced by ``scrub(value)``, when every line that is not blank is a JSON
    object and there are two or more of them; otherwise ``text`` itself."""
    pieces: list[str] = []
    objects = 0
    for match in _LINE.finditer(text):
        line, end = match.groups()
        if line.strip():
            if not line.lstrip().startswith("{"):
                return text
            try:
                value = parse_json(line)
            except (ValueError, RecursionError):
                return text
            scrubbed = scrub(value)
            line = line if scrubbed == value else json_dumps(scrubbed, ensure_ascii=False)
            objects += 1
        pieces += [line, end]
        if not end:
            break
    return "".join(pieces) if objects >= 2 else text
