"""Bodies the cassettes' scrubber and the report's evidence read through an encoding: gzipped documents and
text that is not UTF-8.

    >>> gunzipped(gzip.compress(b"settlement-id\\n"))
    b'settlement-id\\n'
    >>> text, encode = read_text("Caf\\u00e9".encode("cp1252"))
    >>> text, encode(text) == "Caf\\u00e9".encode("cp1252")
    ('Café', True)

A report document (SP-API ``getReportDocument`` with ``compressionAlgorithm: GZIP``) is downloaded
gzipped, with no ``Content-Encoding``: the connector gunzips it itself, so its cassette holds it
gzipped again, compressed without a time in its header (``mtime=0``) so that the same text always
gives the same bytes. Text that is not UTF-8 is read as Windows-1252 byte for byte (the five bytes
cp1252 leaves undefined as Latin-1), as the settlement reader reads it, and written back the same
way: every byte is read, so no text in the body escapes the scrubber.
"""

from __future__ import annotations

import gzip
import zlib
from typing import Callable

__all__ = ["GZIP_MAGIC", "gunzipped", "gzipped", "read_text", "starts_as_json", "utf8"]

GZIP_MAGIC = b"\x1f\x8b"

#: each byte's character in Windows-1252 (the five it leaves undefined as Latin-1), and back, both as
#: :meth:`str.translate` tables between those characters and the Latin-1 ones of the same bytes
_CP1252 = {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)}
_TO_CP1252 = {b: char for b, char in _CP1252.items() if char != chr(b)}
_FROM_CP1252 = {ord(char): chr(b) for b, char in _TO_CP1252.items()}


def gunzipped(body: bytes) -> bytes | None:
    """The decompressed bytes of a gzipped ``body``, or None when they do not decompress."""
    try:
        return gzip.decompress(body)
    except (OSError, EOFError, zlib.error):
        return None


def gzipped(content: bytes) -> bytes:
    """``content`` gzipped, the same bytes for the same content (no time in the header)."""
    return gzip.compress(content, mtime=0)


def _cp1252_text(body: bytes) -> str:
    return body.decode("latin-1").translate(_TO_CP1252)


def _cp1252_bytes(text: str) -> bytes:
    # a character cp1252 cannot hold (one a fake value brought in) becomes "?"
    return text.translate(_FROM_CP1252).encode("latin-1", errors="replace")


def read_text(body: bytes) -> tuple[str, Callable[[str], bytes]]:
    """``body`` as text (UTF-8, else Windows-1252 byte for byte) and how to write such text back."""
    try:
        return body.decode("utf-8"), utf8
    except UnicodeDecodeError:
        return _cp1252_text(body), _cp1252_bytes


def utf8(text: str) -> bytes:
    """``text`` as UTF-8 (what :func:`read_text` writes UTF-8 text back with)."""
    return text.encode("utf-8")


def starts_as_json(text: str) -> bool:
    """Whether ``text`` starts as a JSON object or array does (a body read as JSON whatever type it was served as)."""
    return text.lstrip()[:1] in ("{", "[")
