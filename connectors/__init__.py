"""Connectors: one per vendor API, speaking syncproof's domain model (``syncproof.model``).

- :mod:`connectors.netsuite` (a package): REST record service and SuiteQL, TBA, records in the domain's words.
- :mod:`connectors.shopify`, :mod:`connectors.amazon`: the carts and marketplaces.
- :mod:`connectors.settlement_file`: Amazon settlement flat files.

Shared by all of them, and exported here: the errors every connector raises, and
the HTTP client with its retry policy, write guard, redaction and exchange records, a connection
pool clients built one after the other can share, and the indented JSON evidence bodies are shown in.
Nothing outside ``connectors`` imports a ``connectors._`` module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._exceptions import (
    AmazonError,
    ApiError,
    AuthenticationFailed,
    BulkQueryFailed,
    ConnectionFailed,
    ConnectorError,
    NetSuiteError,
    RateLimited,
    RefundNotExpressible,
    ShopifyError,
    WriteOutcomeUnknown,
    WriteRefused,
)

if TYPE_CHECKING:
    from ._evidence_json import indented_json
    from ._http import (
        DEFAULT_REDACTOR,
        PRESIGNED_SECRET,
        REDACTED,
        SECRET_HEADERS,
        SECRET_KEYS,
        ApiClient,
        ClientStats,
        Exchange,
        HostGuard,
        Redactor,
        RetryPolicy,
        WriteGuard,
        redact_presigned,
    )
    from ._pool import SharedPool

#: The HTTP plumbing (httpx, TLS) is imported when one of its names is first asked for, so that a command
#: or module needing only the errors does not pay for it.
_LAZY = {
    **dict.fromkeys(("DEFAULT_REDACTOR", "PRESIGNED_SECRET", "REDACTED", "SECRET_HEADERS", "SECRET_KEYS", "ApiClient",
                     "ClientStats", "Exchange", "HostGuard", "Redactor", "RetryPolicy", "WriteGuard",
                     "redact_presigned"), "._http"),
    "SharedPool": "._pool",
    "indented_json": "._evidence_json",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "ConnectorError", "ConnectionFailed", "WriteOutcomeUnknown", "AuthenticationFailed", "RateLimited", "ApiError",
    "NetSuiteError", "ShopifyError", "BulkQueryFailed", "AmazonError", "WriteRefused", "RefundNotExpressible",
    "ApiClient", "ClientStats", "Exchange", "HostGuard", "Redactor", "RetryPolicy", "WriteGuard", "DEFAULT_REDACTOR",
    "REDACTED", "PRESIGNED_SECRET", "redact_presigned", "SharedPool",
    "SECRET_HEADERS", "SECRET_KEYS", "indented_json",
]
