"""The compiled loops of the settlement tally and its look-up of synced orders (_tally_kernel.c), when built.

``pip install`` builds them; where they could not be built (no C compiler, no Python
headers) ``compiled`` is ``None`` and the same work is done in Python.
"""

from __future__ import annotations

try:
    from . import _tally_kernel as compiled
except ImportError:  # pragma: no cover - depends on the install
    compiled = None  # type: ignore[assignment]  # not built: callers check

__all__ = ["compiled"]
