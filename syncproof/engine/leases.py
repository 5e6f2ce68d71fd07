"""Leases: one writer at a time, across the processes of one machine.

Two kinds, both held through an OS file lock (``fcntl.flock``) that the kernel drops
when the holding process dies, so a killed run never leaves a stale lease behind:

- the **writer lease** of an engine store and channel (``EngineStore.writer``): a second
  process syncing the same channel with the same store waits up to ``lease_wait``
  seconds, then stops with :class:`LeaseBusy` naming the holder (pid, host, since);
- the **cart lock** of one channel order (:func:`cart_lock`): the look-up of a
  refund's marker and the create that follows run inside it, so two processes with
  *separate* stores on one machine cannot both miss the marker and both create.

The cart locks live in ``$SYNCPROOF_LOCK_DIR`` (default: a per-user folder in the
system temporary folder), which serialises the processes of one machine only. Across
machines the guarantee is the cart's own: refunds pushed to Shopify on Admin API
2026-01 or later carry an ``@idempotent`` key derived from the marker, so Shopify
creates the refund once whoever sends it; on older versions two machines pushing the
same NetSuite refund at the same instant can still both create (see the README).

Within one process the leases are re-entrant and shared by threads (a lock per key).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import socket
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, ContextManager, Iterator

from syncproof.errors import SyncproofError

__all__ = ["LeaseBusy", "hold", "cart_lock", "lock_dir", "DEFAULT_WAIT", "CART_WAIT"]

#: seconds a second writer waits for the store lease before giving up
DEFAULT_WAIT = 60.0
#: seconds a push waits for another process's look-up-and-create on the same order
CART_WAIT = 120.0
_POLL = 0.05


class LeaseBusy(SyncproofError):
    """Another process holds the lease and did not release it in time."""


class _Held:
    def __init__(self) -> None:
        self.thread_lock = threading.RLock()
        self.fd: int | None = None
        self.depth = 0


_held: dict[str, _Held] = {}
_registry_lock = threading.Lock()


def lock_dir() -> Path:
    """Where cart locks live: ``$SYNCPROOF_LOCK_DIR`` or ``<tmp>/syncproof-locks-<uid>``."""
    configured = os.environ.get("SYNCPROOF_LOCK_DIR", "").strip()
    if configured:
        return Path(configured)
    return Path(tempfile.gettempdir()) / f"syncproof-locks-{os.getuid()}"


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "another process"
    if not isinstance(info, dict) or not info.get("pid"):
        return "another process"
    return f"pid {info.get('pid')} on {info.get('host')}, since {info.get('since')}"


def _stamp(fd: int, purpose: str) -> None:
    info = {"pid": os.getpid(), "host": socket.gethostname(), "purpose": purpose,
            "since": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(info).encode(), 0)


@contextmanager
def hold(path: Path, *, purpose: str, wait: float, busy: Callable[[str], LeaseBusy],
         sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> Iterator[None]:
    """Hold the lease kept in the file ``path``; ``busy(holder)`` is raised after ``wait`` seconds."""
    key = str(path.resolve())
    with _registry_lock:
        entry = _held.setdefault(key, _Held())
    with entry.thread_lock:
        if entry.depth == 0:
            entry.fd = _acquire(path, purpose, wait, busy, sleep, clock)
        entry.depth += 1
        try:
            yield
        finally:
            entry.depth -= 1
            if entry.depth == 0 and entry.fd is not None:
                fd, entry.fd = entry.fd, None
                os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)


def _acquire(path: Path, purpose: str, wait: float, busy: Callable[[str], LeaseBusy],
             sleep: Callable[[float], None], clock: Callable[[], float]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = clock() + max(0.0, wait)
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if clock() >= deadline:
                holder = _holder(path)
                os.close(fd)
                raise busy(holder) from None
            sleep(_POLL)
            continue
        _stamp(fd, purpose)
        return fd


def cart_lock(system: str, base_url: str, order_ref: str, *, wait: float = CART_WAIT) -> ContextManager[None]:
    """The lock of one cart order on this machine (look-up by marker and create run inside it)."""
    digest = hashlib.sha256(f"{system}|{base_url.rstrip('/')}|{order_ref}".encode()).hexdigest()[:32]

    def busy(holder: str) -> LeaseBusy:
        return LeaseBusy(f"{system} order {order_ref} is being refunded by another syncproof process ({holder}) "
                         f"and it did not finish within {wait:g} s",
                         "let that run finish, then run again: the refund is looked up by its marker first")

    return hold(lock_dir() / f"{system}-{digest}.lock", purpose=f"{system} order {order_ref}", wait=wait, busy=busy)
