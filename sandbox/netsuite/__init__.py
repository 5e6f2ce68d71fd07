"""An emulated Oracle NetSuite account: REST record service, transforms, SuiteQL, TBA.

    >>> from sandbox.netsuite import NetSuiteBackend, serve
    >>> with serve(NetSuiteBackend()) as netsuite:
    ...     netsuite.url        # http://127.0.0.1:<port>, REST under /services/rest

Modules, one concern each::

    models      NetSuiteBackend: records, external ids, transforms, applications (state)
    responses   create_app(backend): the HTTP routes (Starlette) and the TBA/throttle gate
    render      records in REST shape (links, sublists, expandSubResources)
    fields      the fields each record type has: others are refused, and never returned
    transforms  allowed transformations and the target's lines (remaining quantities)
    lines       item lines and totals, Decimal money
    ledger      SuiteQL rows for a transaction (sign conventions)
    suiteql     the SQLite mirror and the SuiteQL engine
    auth        TBA (OAuth 1.0a HMAC-SHA256) verification, DEMO_CREDENTIALS
    throttle    concurrency governance (on at the base tier's 5) and forced 429s
    errors      NetSuite's error bodies
    server      serve() and the ``python -m sandbox.netsuite`` entry point
"""

from .auth import DEMO_CREDENTIALS, Credentials, TbaVerifier
from .errors import ERROR_CONTENT_TYPE, NetSuiteError
from .models import NetSuiteBackend
from .responses import create_app
from .server import RunningNetSuite, main, serve

__all__ = [
    "DEMO_CREDENTIALS", "Credentials", "TbaVerifier", "ERROR_CONTENT_TYPE", "NetSuiteError",
    "NetSuiteBackend", "create_app", "RunningNetSuite", "serve", "main",
]
