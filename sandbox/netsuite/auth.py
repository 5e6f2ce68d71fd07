"""Token-based authentication (OAuth 1.0a, HMAC-SHA256), verified as NetSuite does.

A request carries::

    Authorization: OAuth realm="1234567_SB1", oauth_consumer_key="...", oauth_token="...",
        oauth_signature_method="HMAC-SHA256", oauth_timestamp="...", oauth_nonce="...",
        oauth_version="1.0", oauth_signature="..."

The signature base string covers the method, the URL as the client saw it
(scheme, host, port, path) and the oauth and query parameters; a JSON body is
not signed. The realm must be the account id. Anything that does not verify is
a 401 ``INVALID_LOGIN``.

    >>> verifier = TbaVerifier(DEMO_CREDENTIALS)
    >>> verifier.verify("GET", "http://127.0.0.1:8000/services/rest/record/v1/customer/1", headers)
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Callable, Mapping
from urllib.parse import urlsplit

from oauthlib.oauth1.rfc5849 import signature, utils

from .errors import INVALID_LOGIN_DETAIL, NetSuiteError

__all__ = ["Credentials", "DEMO_CREDENTIALS", "TbaVerifier"]


@dataclass(frozen=True)
class Credentials:
    """An account id and the TBA consumer and token pairs for it."""

    account_id: str
    consumer_key: str
    consumer_secret: str
    token_id: str
    token_secret: str


#: Obviously fake credentials the sandbox target uses by default.
DEMO_CREDENTIALS = Credentials(
    account_id="1234567_SB1",
    consumer_key="sandbox-consumer-key-0000000000000000000000000000000000000000000",
    consumer_secret="sandbox-consumer-secret-00000000000000000000000000000000000000000",
    token_id="sandbox-token-id-0000000000000000000000000000000000000000000000000",
    token_secret="sandbox-token-secret-000000000000000000000000000000000000000000000",
)


class TbaVerifier:
    """Checks a request's TBA ``Authorization`` header against one set of credentials.

    ``reject_reused_nonces`` refuses a (timestamp, nonce) pair seen before;
    ``max_clock_skew`` (seconds, None to skip) refuses stale or future timestamps.
    """

    def __init__(self, credentials: Credentials, *, reject_reused_nonces: bool = True,
                 max_clock_skew: float | None = 300, clock: Callable[[], float] = time.time) -> None:
        self.credentials = credentials
        self.reject_reused_nonces = reject_reused_nonces
        self.max_clock_skew = max_clock_skew
        self.clock = clock
        self._seen: set[tuple[str, str, str]] = set()
        self._lock = threading.Lock()

    def forget_nonces(self) -> None:
        with self._lock:
            self._seen.clear()

    def verify(self, method: str, url: str, headers: Mapping[str, str]) -> None:
        """Return if the request is signed by the configured credentials; else raise 401."""
        header = headers.get("authorization") or headers.get("Authorization")
        if not header or not header.strip().lower().startswith("oauth "):
            raise _refused()
        try:
            params = {k: utils.unescape(v) for k, v in utils.parse_authorization_header(header)}
        except (ValueError, TypeError):
            raise _refused() from None
        creds = self.credentials
        if (params.get("realm") or "").upper() != creds.account_id.upper():
            raise _refused()
        if params.get("oauth_consumer_key") != creds.consumer_key \
                or params.get("oauth_token") != creds.token_id:
            raise _refused()
        if params.get("oauth_signature_method") != "HMAC-SHA256":
            raise _refused()
        if params.get("oauth_version", "1.0") != "1.0":
            raise _refused()
        timestamp, nonce = params.get("oauth_timestamp", ""), params.get("oauth_nonce", "")
        if not timestamp.isdigit() or not nonce:
            raise _refused()
        if self.max_clock_skew is not None and abs(self.clock() - int(timestamp)) > self.max_clock_skew:
            raise _refused()
        query = urlsplit(url).query
        collected = signature.collect_parameters(
            uri_query=query, body=None, headers={"Authorization": header},
            exclude_oauth_signature=True, with_realm=False)
        base = signature.signature_base_string(
            method.upper(), signature.base_string_uri(url), signature.normalize_parameters(collected))
        expected = signature.sign_hmac_sha256_with_client(
            base, SimpleNamespace(client_secret=creds.consumer_secret,
                                  resource_owner_secret=creds.token_secret))
        if not signature.safe_string_equals(expected, params.get("oauth_signature", "")):
            raise _refused()
        if self.reject_reused_nonces:
            key = (params["oauth_consumer_key"], timestamp, nonce)
            with self._lock:
                if key in self._seen:
                    raise _refused()
                self._seen.add(key)


def _refused() -> NetSuiteError:
    return NetSuiteError(401, "INVALID_LOGIN", INVALID_LOGIN_DETAIL)
