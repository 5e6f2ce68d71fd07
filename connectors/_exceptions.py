"""Errors raised by the connectors.

Every error has a one-line ``str()`` naming what went wrong and where, and a
``hint`` saying how to fix it. The tree::

    ConnectorError
    ├── ConnectionFailed          the host could not be reached, or timed out after retries
    │   └── WriteOutcomeUnknown   a write was sent but its answer was lost: look up before retrying
    ├── AuthenticationFailed      credentials were refused (401/403, bad signature, bad token)
    ├── RateLimited               still throttled after every retry
    ├── ApiError                  the API answered with an error body
    │   ├── NetSuiteError         o:errorDetails: status, code, detail, path
    │   ├── ShopifyError          GraphQL errors or userErrors: field and message
    │   │   └── BulkQueryFailed   a bulk query refused, FAILED (errorCode), CANCELED or EXPIRED
    │   └── AmazonError           {"errors": [{code, message, details}]}
    ├── RefundNotExpressible      the cart cannot pay back the amount asked (negative, or over what is refundable)
    └── WriteRefused              a write on a read-only client or an unguarded production account
"""

from __future__ import annotations

__all__ = [
    "ConnectorError",
    "ConnectionFailed",
    "WriteOutcomeUnknown",
    "AuthenticationFailed",
    "RateLimited",
    "ApiError",
    "NetSuiteError",
    "ShopifyError",
    "BulkQueryFailed",
    "AmazonError",
    "WriteRefused",
    "RefundNotExpressible",
]


class ConnectorError(Exception):
    """Base of every connector error: a message and a hint for the fix."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        if hint:
            self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ConnectionFailed(ConnectorError):
    hint = "check the host name and your network, or that the sandbox emulator is running"


class WriteOutcomeUnknown(ConnectionFailed):
    hint = "the write may have been applied: look the record up by its external id before retrying"


class AuthenticationFailed(ConnectorError):
    hint = "check the credentials in your environment variables (syncproof doctor tests them)"


class RateLimited(ConnectorError):
    hint = "the API kept throttling: lower the concurrency ([netsuite] max_concurrency) or retry later"


class ApiError(ConnectorError):
    """The API answered with an error. ``status`` is the HTTP status code."""

    def __init__(self, message: str, *, status: int, code: str = "", detail: str = "",
                 path: str = "", hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.code = code
        self.detail = detail
        self.path = path


class NetSuiteError(ApiError):
    """NetSuite's ``o:errorDetails``: status, ``o:errorCode``, ``detail``, ``o:errorPath``."""


class ShopifyError(ApiError):
    """A GraphQL error or a mutation's ``userErrors`` (field and message)."""


class BulkQueryFailed(ShopifyError):
    """A Shopify bulk query operation that was refused or did not complete."""

    hint = "the audit reads the window page by page instead"


class AmazonError(ApiError):
    """Selling Partner API ``errors``: code, message, details."""


class WriteRefused(ConnectorError):
    hint = "writes are allowed only on sandbox accounts and declared test stores"


class RefundNotExpressible(ConnectorError):
    """A refund whose money the cart cannot express; nothing was sent."""

    hint = "refund it by hand in the cart, or correct the NetSuite refund"
