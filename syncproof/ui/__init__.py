"""``syncproof ui``: a local web app to pick scenarios, run them, watch, do manual steps, compare and sign off.

Modules, one concern each::

    catalog   the features, scenarios and check ids a run can select, and the -k expression for a selection
    runs      one run at a time as a ``syncproof run`` subprocess: its live events, manual steps, stop
    app       the Starlette application (JSON API + the page), served on loopback by uvicorn
    loopback  which hosts are loopback, the only ones the app is served on
    static/   the page, its script and styles (inline-served; nothing from the network)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app, serve

__all__ = ["create_app", "serve"]


def __getattr__(name: str) -> Any:
    """The app (Starlette, the report's templates) is imported when first asked for, so that the command can
    refuse a host or a configuration before importing it."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import app

    return getattr(app, name)
