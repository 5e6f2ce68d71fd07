"""How the report's HTTP evidence shows a body that was served gzip-compressed: as its text.

    >>> from syncproof.body_encodings import gzipped
    >>> DecodingRedactor().body(gzipped(b"settlement-id\\tdeposit-date\\n"), "text/plain")
    '[served gzip-compressed (47 bytes), shown gunzipped]\\nsettlement-id\\tdeposit-date\\n'

An SP-API report document with ``compressionAlgorithm: GZIP`` is downloaded gzipped, with no
``Content-Encoding`` (the connector gunzips it itself), so the bytes read as UTF-8 would be
unreadable characters in the report. The evidence shows the document's text instead, read as
:mod:`syncproof.body_encodings` reads it for cassettes (UTF-8, else Windows-1252), after a line
saying it was served gzip-compressed. A text that starts as JSON does is read as JSON, whatever
type the gzipped bytes were served as, so that its secret keys are redacted; the redactor's own
rules for a body (:meth:`DecodingRedactor.plain_body`, a recorded or pseudonymised run's
scrubbing) then apply to that text. Bytes that do not decompress are shown as any other body is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from connectors import Redactor

from .body_encodings import GZIP_MAGIC, gunzipped, read_text, starts_as_json, utf8

__all__ = ["DecodingRedactor", "gzip_note", "split_gzip_note"]


#: the line before a gunzipped body in the evidence, around how many bytes came over HTTP
_NOTE_BEFORE, _NOTE_AFTER = "[served gzip-compressed (", " bytes), shown gunzipped]\n"
_GZIP_NOTE = re.compile(re.escape(_NOTE_BEFORE) + r"\d+" + re.escape(_NOTE_AFTER))


def gzip_note(served: int) -> str:
    """The line before a gunzipped body in the evidence: ``served`` is how many bytes came over HTTP."""
    return f"{_NOTE_BEFORE}{served}{_NOTE_AFTER}"


def split_gzip_note(text: str) -> tuple[str, str]:
    """A body as the evidence shows it: its :func:`gzip_note` ("" when it has none) and the body's text."""
    note = _GZIP_NOTE.match(text)
    return (note.group(), text[note.end():]) if note else ("", text)


def _inner_type(text: str, served_as: str) -> str:
    """The type a gunzipped ``text`` is read as: JSON when it reads as JSON's start, whatever type its gzipped
    bytes were ``served_as`` (an octet stream names the compressed bytes), so that its secret keys are
    redacted; else the type it was served as."""
    return "application/json" if starts_as_json(text) else served_as


@dataclass
class DecodingRedactor(Redactor):
    """The connectors' redactor, showing a gzipped body gunzipped (see the module's docstring)."""

    def body(self, content: bytes, content_type: str) -> str:
        if content[:2] == GZIP_MAGIC:
            plain = gunzipped(content)
            if plain is not None:
                text, _ = read_text(plain)
                return gzip_note(len(content)) + self.plain_body(utf8(text), _inner_type(text, content_type))
        return self.plain_body(content, content_type)

    def plain_body(self, content: bytes, content_type: str) -> str:
        """A body that is not gzipped (or has been gunzipped), as the report shows it."""
        return super().body(content, content_type)
