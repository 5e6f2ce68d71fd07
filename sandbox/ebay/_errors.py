"""The eBay emulator's error answers, shaped as eBay sends them.

Sell APIs: ``{"errors": [{"errorId", "domain", "category", "message", "longMessage"?, "parameters"?}]}``
with the status the contract gives each errorId. Identity endpoint: the OAuth 2 shape
``{"error", "error_description"}``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SellApiError", "OAuthError", "fulfillment_error", "finances_error"]


class SellApiError(Exception):
    """One Sell API error answer."""

    def __init__(self, status: int, error_id: int, message: str, *, domain: str, category: str = "REQUEST",
                 parameters: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.error_id, self.message = status, error_id, message
        self.domain, self.category, self.parameters = domain, category, parameters or {}

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"errorId": self.error_id, "domain": self.domain, "category": self.category,
                                 "message": self.message}
        if self.parameters:
            error["parameters"] = [{"name": k, "value": v} for k, v in self.parameters.items()]
        return {"errors": [error]}


class OAuthError(Exception):
    """An identity endpoint error: ``{"error", "error_description"}``."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status, self.error, self.description = status, error, description

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


def fulfillment_error(error_id: int, message: str, status: int = 400, category: str = "REQUEST",
                      **parameters: str) -> SellApiError:
    return SellApiError(status, error_id, message, domain="API_FULFILLMENT", category=category,
                        parameters=parameters)


def finances_error(error_id: int, message: str, status: int = 400, **parameters: str) -> SellApiError:
    return SellApiError(status, error_id, message, domain="API_FINANCES", parameters=parameters)
