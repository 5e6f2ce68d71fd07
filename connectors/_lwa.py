"""Login with Amazon (LWA): exchange a seller's refresh token for access tokens.

SP-API calls carry an LWA access token in ``x-amz-access-token`` (no AWS SigV4
since October 2023). A token lives ``expires_in`` seconds (3600); this module
caches it and renews it ``refresh_margin`` seconds before it expires::

    lwa = LoginWithAmazon(LwaCredentials(client_id, client_secret, refresh_token))
    lwa.access_token()          # one POST to /auth/o2/token, then cached
    # -> 'Atza|...'

The token request is form-encoded (``grant_type=refresh_token``, ``refresh_token``,
``client_id``, ``client_secret``). LWA answers errors as
``{"error": "invalid_grant", "error_description": "..."}``; they become
:class:`AuthenticationFailed` naming the credential to check.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlsplit

import httpx

from ._exceptions import AuthenticationFailed
from ._http import ApiClient
from ._token_cache import CachedToken

__all__ = ["LwaCredentials", "LoginWithAmazon", "LWA_TOKEN_URL"]

LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"

_HINTS = {
    "invalid_client": "check the LWA client identifier and client secret of your SP-API app "
                      "(Developer Central > app > LWA credentials); a rotated secret must be updated here",
    "invalid_grant": "check the refresh token: it must belong to this app and seller; if the seller "
                     "revoked or re-authorized the app, authorize again and store the new refresh token",
    "unauthorized_client": "check that the LWA app is allowed to use the refresh_token grant",
}


@dataclass(frozen=True)
class LwaCredentials:
    """An SP-API app's LWA client id and secret and a seller's refresh token (never printed)."""

    client_id: str = field(repr=False)
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)


class _TokenClient(ApiClient):
    """HTTP client for the LWA token endpoint; errors become AuthenticationFailed."""

    system = "amazon-lwa"

    def is_write(self, request: httpx.Request) -> bool:
        return False  # asking for a token changes nothing: safe to retry and never write-guarded

    def raise_for_error(self, response: httpx.Response) -> None:
        if not response.is_error:
            return
        try:
            body: Any = response.json()
        except ValueError:
            body = {}
        error = str(body.get("error", "")) if isinstance(body, dict) else ""
        description = str(body.get("error_description", "")) if isinstance(body, dict) else ""
        what = f"{error}: {description}" if error else f"HTTP {response.status_code}"
        raise AuthenticationFailed(
            f"Login with Amazon refused the token request ({what})",
            hint=_HINTS.get(error, "check the LWA client id, client secret and refresh token"),
        )


class LoginWithAmazon(CachedToken):
    """Cached LWA access tokens for one app and seller; thread-safe.

    ``clock`` returns wall-clock seconds (inject one in tests); ``token_requests``
    counts how many times the token endpoint was asked.
    """

    def __init__(
        self,
        credentials: LwaCredentials,
        *,
        token_url: str = LWA_TOKEN_URL,
        clock: Callable[[], float] = time.time,
        refresh_margin: float = 60.0,
        **client_options: Any,
    ) -> None:
        parts = urlsplit(token_url)
        self._path = parts.path or "/auth/o2/token"
        self._client = _TokenClient(f"{parts.scheme}://{parts.netloc}", **client_options)
        self._credentials = credentials
        super().__init__(clock=clock, refresh_margin=refresh_margin)

    def _mint(self) -> tuple[str, float]:
        c = self._credentials
        form = {"grant_type": "refresh_token", "refresh_token": c.refresh_token,
                "client_id": c.client_id, "client_secret": c.client_secret}
        response = self._client.request("POST", self._path, data=form)
        try:
            body = response.json()
            token, lifetime = str(body["access_token"]), float(body.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError):
            raise AuthenticationFailed("Login with Amazon answered without an access token",
                                       hint="check the LWA token endpoint URL") from None
        return token, lifetime

    def close(self) -> None:
        self._client.close()
