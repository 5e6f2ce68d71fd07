"""Progress lines while an audit fetches: one line per page, to stderr, at most every half second."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """``progress.page("netsuite refunds", rows, total)`` prints ``audit: netsuite refunds 3,000 / 5,120``."""

    def __init__(self, stream: TextIO | None = None, *, enabled: bool = True, every: float = 0.5) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.every = every
        self._last = 0.0

    def page(self, what: str, done: int, total: int | None = None, *, final: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not final and now - self._last < self.every:
            return
        self._last = now
        shown = f"{done:,}" + (f" / {total:,}" if total is not None else "")
        print(f"audit: {what} {shown}", file=self.stream, flush=True)

    def note(self, text: str) -> None:
        if self.enabled:
            print(f"audit: {text}", file=self.stream, flush=True)
