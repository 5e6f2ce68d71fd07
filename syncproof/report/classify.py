"""Sorting a failed step's exception into one of the report's failure categories.

The rules, first match wins:

1. :class:`~syncproof.verdict.CheckFailed` carries a result: its category
   (``data mismatch`` when the result has none).
2. Any exception with a ``category`` attribute (a :class:`FailureCategory` or
   its value) uses it.
3. Connector errors (``connectors``): ``ApiError`` and every other
   ``ConnectorError`` are ``API error``.
4. Configuration errors (class name containing ``ConfigError``) are ``configuration``.
5. An ``AssertionError`` (or timeout) saying a record "did not sync" or timed
   out is ``sync did not happen``.
6. Anything else is a ``data mismatch``.
"""

from __future__ import annotations

import re

from syncproof.verdict import CheckFailed, FailureCategory

__all__ = ["classify", "reason_of"]

_SYNC_WORDS = re.compile(r"did not sync|didn't sync|not synced|never synced|timed out|timeout", re.IGNORECASE)


def _category_value(value: object) -> str | None:
    if isinstance(value, FailureCategory):
        return value.value
    if isinstance(value, str):
        for member in FailureCategory:
            if value.lower() in (member.value.lower(), member.name.lower()):
                return member.value
    return None


def _is_connector_error(exc: BaseException) -> bool:
    try:
        from connectors import ConnectorError
    except ImportError:  # the report works without the connectors package
        return any(c.__name__ == "ConnectorError" for c in type(exc).__mro__)
    return isinstance(exc, ConnectorError)


def classify(exc: BaseException) -> str:
    """The failure category (a :class:`FailureCategory` value) for ``exc``."""
    if isinstance(exc, CheckFailed):
        return exc.result.category.value if exc.result.category else FailureCategory.DATA_MISMATCH.value
    explicit = _category_value(getattr(exc, "category", None))
    if explicit:
        return explicit
    if _is_connector_error(exc):
        return FailureCategory.API_ERROR.value
    if any("ConfigError" in c.__name__ for c in type(exc).__mro__):
        return FailureCategory.CONFIGURATION.value
    if isinstance(exc, (AssertionError, TimeoutError)) and (
            isinstance(exc, TimeoutError) or _SYNC_WORDS.search(str(exc))):
        return FailureCategory.SYNC_DID_NOT_HAPPEN.value
    return FailureCategory.DATA_MISMATCH.value


def reason_of(exc: BaseException, limit: int = 500) -> str:
    """One line saying what went wrong: the check's message, or the exception's first line."""
    if isinstance(exc, CheckFailed):
        text = exc.result.message
    else:
        text = str(exc).strip() or type(exc).__name__
        if not isinstance(exc, AssertionError) and type(exc).__name__ not in text:
            text = f"{type(exc).__name__}: {text}"
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"
