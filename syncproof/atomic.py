"""Files written whole or not at all, and files read safely.

- :func:`write_text` writes to a temporary file in the target's folder, flushes it
  to disk and renames it over the target: a full disk, a killed process or a
  read-only folder leaves the old file (or none), never a truncated one.
- :func:`read_regular_text` reads only regular files, up to a size limit, so a
  path that is ``/dev/zero``, a FIFO or a directory is refused instead of hanging
  or filling memory.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

__all__ = ["write_text", "read_regular_text", "NotARegularFile", "FileTooLarge", "MAX_CONFIG_BYTES"]

#: the largest configuration file read (syncproof.toml is a few kilobytes)
MAX_CONFIG_BYTES = 1_000_000


class NotARegularFile(OSError):
    """The path is a device, FIFO, socket or directory."""


class FileTooLarge(OSError):
    """The file is larger than the limit it is read with."""


def write_text(path: Path | str, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (temporary file in the same folder, then rename)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp, stat.S_IMODE(target.stat().st_mode))
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return target


def read_regular_text(path: Path | str, *, limit: int = MAX_CONFIG_BYTES, encoding: str = "utf-8") -> str:
    """The text of ``path`` if it is a regular file of at most ``limit`` bytes."""
    target = Path(path)
    info = os.stat(target)
    if not stat.S_ISREG(info.st_mode):
        raise NotARegularFile(f"{target} is not a regular file")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)  # never block on a FIFO swapped in after the check
    fd = os.open(target, flags)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise NotARegularFile(f"{target} is not a regular file")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(f"{target} is larger than {limit:,} bytes")
    return data.decode(encoding)
