"""``syncproof ui``: a local web app to pick scenarios, run them, watch, do manual steps, compare and sign off.

Modules, one concern each::

    catalog   the features, scenarios and check ids a run can select, and the -k expression for a selection
    runs      one run at a time as a ``syncproof run`` subprocess: its live events, manual steps, stop
    app       the Starlette application (JSON API + the page), served on loopback by uvicorn
    static/   the page, its script and styles (inline-served; nothing from the network)
"""

from .app import create_app, serve

__all__ = ["create_app", "serve"]
