"""eBay's error answers as :class:`EbayError` (an :class:`~connectors.ApiError`).

Every Sell API answers an error as ``{"errors": [{"errorId": 34915, "domain": "API_FULFILLMENT",
"category": "REQUEST", "message": "The refund amount exceeds order amount.", "longMessage": ...,
"parameters": [{"name": ..., "value": ...}]}]}``. The first error names the problem; its
``errorId`` is kept as ``code``. 401 is an invalid or expired access token (renewed
once by the client); 403 a missing scope.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx

from ._exceptions import ApiError, AuthenticationFailed

__all__ = ["EbayError", "error_of", "first_error"]

#: errorIds whose fix is known, with the fix
_HINTS = {
    "34915": "the refund is more than the order (or line) still holds: read the order's refunds first",
    "34907": "send the amount as a positive decimal string with at most two decimals",
    "34903": "send reasonForRefund (BUYER_RETURN, BUYER_CANCEL, ...)",
    "30800": "filter values take the form creationdate:[2026-01-01T00:00:00.000Z..]",
    "31100": "limit must be between 1 and 1000 (getOrders) or 1000 (getTransactions)",
}


class EbayError(ApiError):
    """A Sell API ``errors`` answer: ``code`` is the first error's ``errorId``."""


def first_error(response: httpx.Response) -> dict[str, Any]:
    try:
        body = json.loads(response.content or b"{}", parse_float=Decimal)
        errors = body.get("errors") if isinstance(body, dict) else None
        return errors[0] if errors and isinstance(errors[0], dict) else {}
    except (ValueError, AttributeError, TypeError):
        return {}


def error_of(response: httpx.Response) -> Exception:
    """The error ``response`` stands for (an :class:`EbayError`, or AuthenticationFailed for 401/403)."""
    error = first_error(response)
    code = str(error.get("errorId") or "")
    message = str(error.get("longMessage") or error.get("message") or response.reason_phrase)
    where = f"{response.request.method} {response.request.url.path}"
    if response.status_code == 401:
        return AuthenticationFailed(f"eBay refused the access token at {where} ({code}: {message})")
    if response.status_code == 403:
        return AuthenticationFailed(
            f"eBay refused {where} (HTTP 403 {code}: {message})",
            hint="the seller's consent must include the sell.fulfillment and sell.finances scopes: authorise the "
                 "application again with both")
    parameters = ", ".join(f"{p.get('name')}={p.get('value')}" for p in error.get("parameters") or []
                           if isinstance(p, dict))
    return EbayError(f"eBay answered HTTP {response.status_code} at {where}: {code or 'error'}: {message}"
                     + (f" ({parameters})" if parameters else ""),
                     status=response.status_code, code=code, detail=str(error.get("message") or ""),
                     path=response.request.url.path, hint=_HINTS.get(code, ""))
