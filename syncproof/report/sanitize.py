"""Keeping secrets and bulk out of the report: scrubbing, bounding and masking.

Evidence reaches the report already redacted by the connectors'
:class:`~connectors._http.Redactor`; this module is the second line of defence:

- :func:`scrub` replaces values of secret headers and keys anywhere in nested
  evidence, and masks configured identifiers (:func:`add_literals`);
- :func:`bound` cuts long strings (HTTP bodies) to :data:`MAX_BODY_CHARS`;
- :func:`mask_identifier` shows an account id or store name as ``TS…67``.
"""

from __future__ import annotations

import threading
from typing import Any

from ..body_encodings import starts_as_json
from ..channels import secret_headers, secret_keys  # the one list of secret names
from ..gzip_evidence import split_gzip_note

__all__ = ["MAX_BODY_CHARS", "REDACTED", "scrub", "bound", "mask_identifier", "add_literals", "clear_literals",
           "pseudonymise_personal_data", "personal_scrubber"]

REDACTED = "[redacted]"
#: Longest HTTP body kept in the report; the rest is cut with a note.
MAX_BODY_CHARS = 16_000

_literals: set[str] = set()
_masks: list[tuple[str, str]] | None = None  # (literal, its mask), longest first; worked out when first needed
_lock = threading.Lock()
_personal: Any = None  # a syncproof.recording Scrubber with a Pseudonymiser, when personal data is pseudonymised


def add_literals(*values: str) -> None:
    """Mask these configured values (account ids, shop names) wherever they appear."""
    global _masks
    with _lock:
        _literals.update(v for v in values if isinstance(v, str) and len(v) >= 3)
        _masks = None


def clear_literals() -> None:
    """Forget the configured values and the pseudonyms (between test sessions)."""
    global _personal, _masks
    with _lock:
        _literals.clear()
        _masks = None
        _personal = None


def pseudonymise_personal_data(seed: int) -> Any:
    """From now on, replace personal data in report evidence with Faker values, as cassettes do.

    Live, audit and record-from-live runs turn this on: buyer names, emails, phones,
    address lines and coordinates, tax identifiers, IP addresses, user agents and dates of birth,
    written as text or as numbers (by key, in lists of name/value entries, by column in a report document, and any
    e-mail address or already seen full name in text) become consistent fake values.
    Returns the scrubber, for the clients' redactor.
    """
    from syncproof.recording._scrub import Pseudonymiser, Scrubber

    global _personal
    with _lock:
        if _personal is None:
            _personal = Scrubber(personal=Pseudonymiser(seed=seed))
        return _personal


def personal_scrubber() -> Any:
    """The scrubber pseudonymising personal data, or None when it is off (sandbox and replay runs)."""
    return _personal


def mask_identifier(value: Any) -> Any:
    """``TSTDRV1234567`` -> ``TS•••••••••67``: enough to recognise, not to reuse."""
    if not isinstance(value, str) or not value:
        return value
    if len(value) <= 4:
        return "•" * len(value)
    keep = 2 if len(value) < 12 else 3
    return value[:keep] + "•" * (len(value) - 2 * keep) + value[-keep:]


def _literal_masks() -> list[tuple[str, str]]:
    global _masks
    with _lock:
        if _masks is None:
            _masks = [(literal, mask_identifier(literal)) for literal in sorted(_literals, key=len, reverse=True)]
        return _masks


def _text(text: str, masks: list[tuple[str, str]] | None = None) -> str:
    for literal, masked in _literal_masks() if masks is None else masks:
        text = text.replace(literal, masked)
    return text


def bound(text: str, limit: int = MAX_BODY_CHARS) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n… [{len(text) - limit} more characters not kept in the report]"


def scrub(value: Any, *, limit: int = MAX_BODY_CHARS) -> Any:
    """A copy of ``value`` with secret-named fields redacted, literals masked, strings bounded,
    and personal data pseudonymised when that is on (:func:`pseudonymise_personal_data`)."""
    from syncproof.recording._personal_keys import personal_member

    names = secret_headers() | secret_keys()
    masks = _literal_masks()
    personal = _personal

    def walk(value: Any, key: str | None, parent: str | None) -> Any:
        if isinstance(value, dict):
            entry = personal_member(value, key) if personal is not None else None
            return {str(k): (REDACTED if str(k).lower() in names and v not in (None, "")
                             else personal.entry_value(entry[1], v) if entry is not None and k == entry[0]
                             else walk(v, str(k), key)) for k, v in value.items()}  # a name/value entry's value
        if isinstance(value, (list, tuple)):
            return [walk(v, key, parent) for v in value]
        if isinstance(value, str):
            if personal is not None:
                # by key, and a report document's personal columns by header
                value = personal._field(key, parent, value) if key is not None else personal.value(value)
                value = _embedded_json(personal, value)
            return bound(_text(_scrub_header_lines(value), masks), limit)
        # a number under a personal key (a coordinate, a postcode or phone given as a number) its fake, as in cassettes
        return personal.number(key, parent, value) if personal is not None else value

    return walk(value, None, None)


def _embedded_json(personal: Any, text: str) -> str:
    """An HTTP body kept as JSON text (after the line saying it was served gzip-compressed, when it was): its
    personal fields pseudonymised by key too."""
    note, body = split_gzip_note(text)
    if not starts_as_json(body):
        return text
    from syncproof.model import json_dumps, json_loads

    try:
        parsed = json_loads(body)
    except (ValueError, RecursionError):
        return text
    return note + json_dumps(personal.value(parsed), indent=2, ensure_ascii=False)


def _scrub_header_lines(text: str) -> str:
    """Redact ``Name: value`` lines whose name is a secret header (raw header dumps)."""
    if ":" not in text:
        return text
    names = secret_headers()
    lowered = text.lower()  # a line naming a secret header has that name in the lowered text
    if not any(name in lowered for name in names):
        return text
    lines = text.split("\n")
    changed = False
    for i, line in enumerate(lines):
        name, sep, rest = line.partition(":")
        if sep and name.strip().lower() in names and rest.strip() and rest.strip() != REDACTED:
            lines[i] = f"{name}: {REDACTED}"
            changed = True
    return "\n".join(lines) if changed else text
