"""eBay OAuth: a seller's refresh token becomes short-lived User access tokens.

The Sell APIs take ``Authorization: Bearer <User access token>``. A token is minted at
the identity endpoint (``POST /identity/v1/oauth2/token`` on ``api.ebay.com``, or
``api.sandbox.ebay.com``) with the application's keyset as HTTP Basic credentials
(``client_id:client_secret``) and a form body ``grant_type=refresh_token``,
``refresh_token`` and the space-separated ``scope`` list. The body is prepared and the
answer parsed by oauthlib; an error answer (``{"error": "invalid_grant",
"error_description": ...}``) becomes :class:`AuthenticationFailed` naming the credential
to check. The token is cached and renewed ``refresh_margin`` seconds before its
``expires_in`` (7200 s) runs out::

    auth = EbayOAuth(EbayCredentials(client_id, client_secret, refresh_token), token_url=IDENTITY_URL)
    auth.access_token()           # one POST, then cached
    # -> 'v^1.1#i^1#...'
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence
from urllib.parse import urlsplit

import httpx
from oauthlib.oauth2 import OAuth2Error, WebApplicationClient

from ._exceptions import AuthenticationFailed
from ._http import ApiClient
from ._token_cache import CachedToken

__all__ = ["EbayCredentials", "EbayOAuth", "SELL_SCOPES", "IDENTITY_PATH", "SCOPE_ROOT"]

IDENTITY_PATH = "/identity/v1/oauth2/token"
SCOPE_ROOT = "https://api.ebay.com/oauth/api_scope/"
#: The scopes syncproof asks for: orders and refunds (Fulfillment), transactions and payouts (Finances).
SELL_SCOPES = (SCOPE_ROOT + "sell.fulfillment", SCOPE_ROOT + "sell.finances")

_HINTS = {
    "invalid_client": "check the App ID (client id) and Cert ID (client secret) of the eBay application keyset "
                      "(developer.ebay.com > Application Keys); production and sandbox keysets differ",
    "invalid_grant": "check the refresh token: it must have been issued to this application for this seller, and "
                     "it expires (18 months) or is revoked when the seller withdraws consent; mint a new one",
    "invalid_scope": "the refresh token was granted without sell.fulfillment or sell.finances: get the seller's "
                     "consent again with both scopes",
}


@dataclass(frozen=True)
class EbayCredentials:
    """An eBay application's keyset and a seller's refresh token (never printed)."""

    client_id: str = field(repr=False)
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)


class _IdentityClient(ApiClient):
    """HTTP for the identity endpoint; its OAuth error answers become AuthenticationFailed."""

    system = "ebay-identity"

    def is_write(self, request: httpx.Request) -> bool:
        return False  # minting a token changes nothing: safe to retry and never write-guarded

    def raise_for_error(self, response: httpx.Response) -> None:
        if response.is_error and response.status_code < 500 and response.status_code != 429:
            _refused(response.text, response.status_code)
        super().raise_for_error(response)


def _refused(text: str, status: int | None = None) -> None:
    try:
        WebApplicationClient("").parse_request_body_response(text or "{}")
    except OAuth2Error as error:
        raise AuthenticationFailed(
            f"eBay refused the token request ({error.error}: {error.description or 'no description'})",
            hint=_HINTS.get(error.error, "check the eBay client id, client secret and refresh token")) from None
    except (ValueError, KeyError):
        pass
    raise AuthenticationFailed(f"eBay refused the token request (HTTP {status})" if status else
                               "eBay answered the token request without an access token",
                               hint="check the identity endpoint URL and the eBay credentials")


class EbayOAuth(CachedToken):
    """Cached User access tokens for one application and seller; thread-safe.

    ``clock`` returns wall-clock seconds (inject one in tests); ``token_requests`` counts
    how many tokens were minted.
    """

    def __init__(self, credentials: EbayCredentials, *, token_url: str, scopes: Sequence[str] = SELL_SCOPES,
                 clock: Callable[[], float] = time.time, refresh_margin: float = 300.0,
                 **client_options: Any) -> None:
        parts = urlsplit(token_url)
        self._path = parts.path or IDENTITY_PATH
        self._client = _IdentityClient(f"{parts.scheme}://{parts.netloc}",
                                       auth=httpx.BasicAuth(credentials.client_id, credentials.client_secret),
                                       **client_options)
        self._oauth = WebApplicationClient(credentials.client_id)
        self._credentials = credentials
        self.scopes = tuple(scopes)
        super().__init__(clock=clock, refresh_margin=refresh_margin)

    def _mint(self) -> tuple[str, float]:
        body = self._oauth.prepare_refresh_body(refresh_token=self._credentials.refresh_token,
                                                scope=list(self.scopes))
        response = self._client.request("POST", self._path, content=body.encode(),
                                        headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            token = self._oauth.parse_request_body_response(response.text)
        except (OAuth2Error, ValueError, Warning):
            _refused(response.text)
            raise AssertionError("unreachable") from None
        if not token.get("access_token"):
            _refused(response.text)
        return str(token["access_token"]), float(token.get("expires_in") or 7200)

    def close(self) -> None:
        self._client.close()
