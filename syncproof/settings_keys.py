"""One setting of ``syncproof.toml``: its name, type, default, allowed values and the line documenting it.

The tables of :mod:`syncproof.config` and each channel's table (:mod:`syncproof.channels`)
are tuples of :class:`Key`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

__all__ = ["Key", "key"]


@dataclass(frozen=True)
class Key:
    """One setting: its type, default, allowed values and the line that documents it."""

    name: str
    kind: type
    default: Any
    doc: str
    choices: tuple[str, ...] = ()


def key(name: str, kind: type, default: Any, doc: str, choices: Iterable[str] = ()) -> Key:
    return Key(name, kind, default, doc, tuple(choices))
