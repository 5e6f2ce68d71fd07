"""Bounded, idempotent writes: what a failed write does next.

- **upsert** (``PUT .../eid:X``) is idempotent by nature: a lost answer, a transport
  failure or a 5xx is simply sent again.
- **transform** (``POST .../!transform/...`` with ``externalId``) is looked up by its
  external id before every attempt; a lost answer (``WriteOutcomeUnknown``) or a 5xx
  is followed by that look-up, never by a blind second POST; a ``DUP_RCRD`` refusal
  means the record exists, and the look-up returns it.
- a refusal (any other 4xx) is raised at once: retrying would not change the answer.

Attempts are bounded; when they run out :class:`WriteGaveUp` is raised, naming the
write and the last failure, and the caller records it as a retryable sync error.
"""

from __future__ import annotations

from typing import Callable, TypeVar

from .._exceptions import ApiError, ConnectionFailed, ConnectorError, NetSuiteError, RateLimited

__all__ = ["WRITE_ATTEMPTS", "WriteGaveUp", "is_transient", "BoundedWrites"]

T = TypeVar("T")

#: attempts at one write before giving up (each after a look-up by external id where one applies)
WRITE_ATTEMPTS = 4


def is_transient(exc: BaseException) -> bool:
    """Whether ``exc`` may pass if the same call is made again (throttling, 5xx, no answer)."""
    if isinstance(exc, (ConnectionFailed, RateLimited)):  # WriteOutcomeUnknown is a ConnectionFailed
        return True
    return isinstance(exc, ApiError) and (exc.status >= 500 or exc.status == 429)


class WriteGaveUp(ConnectorError):
    """A write still failed transiently after every attempt; nothing is known to be doubled.

    ``cause`` is the last failure. The sync that made the write records it as retryable.
    """

    hint = "the write is retried, after a look-up by its external id, on the next sync"

    def __init__(self, what: str, attempts: int, cause: BaseException) -> None:
        super().__init__(f"{what} failed {attempts} times, last: {_one_line(cause)}")
        self.what = what
        self.attempts = attempts
        self.cause = cause


def _one_line(exc: BaseException) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())[:300]


class BoundedWrites:
    """Runs writes at most ``write_attempts`` times, pausing with the client's backoff between attempts."""

    def __init__(self, client: object, write_attempts: int = WRITE_ATTEMPTS) -> None:
        self.client = client
        self.write_attempts = max(1, write_attempts)
        #: extra attempts made at writes (after a lost answer, a 5xx or a failed look-up)
        self.retries = 0

    def _pause(self, attempt: int) -> None:
        retry = getattr(self.client, "retry", None)
        sleep = getattr(self.client, "sleep", None)
        if retry is not None and sleep is not None:
            sleep(retry.backoff(attempt))

    def idempotent_write(self, what: str, write: Callable[[], T],
                         lookup: Callable[[], T | None] | None = None) -> T:
        """Run ``write`` until it succeeds, at most ``write_attempts`` times.

        With ``lookup`` (the record by its external id), every attempt looks first and
        returns what it finds, so a write whose answer was lost is never made twice;
        a ``DUP_RCRD`` refusal is answered by the look-up too. Without it, ``write``
        must be idempotent itself (an upsert by external id).
        """
        last: BaseException | None = None
        for attempt in range(1, self.write_attempts + 1):
            if attempt > 1:
                self.retries += 1
                self._pause(attempt - 1)
            if lookup is not None:
                try:
                    found = lookup()
                except ConnectorError as exc:
                    if not is_transient(exc):
                        raise
                    last = exc  # cannot know whether it exists: do not write blind
                    continue
                if found is not None:
                    return found
            try:
                return write()
            except NetSuiteError as exc:
                if exc.code == "DUP_RCRD" and lookup is not None:
                    last = exc  # it exists: the next attempt's look-up returns it
                    continue
                if not is_transient(exc):
                    made_meanwhile = self._look_again(lookup)
                    if made_meanwhile is not None:
                        return made_meanwhile
                    raise
                last = exc
            except ConnectorError as exc:
                if not is_transient(exc):
                    raise
                last = exc
        assert last is not None
        raise WriteGaveUp(what, self.write_attempts, last)

    @staticmethod
    def _look_again(lookup: Callable[[], T | None] | None) -> T | None:
        """After a refusal: the record if another writer made it meanwhile (e.g. "nothing left to bill")."""
        if lookup is None:
            return None
        try:
            return lookup()
        except ConnectorError:
            return None
