"""An OAuth access token kept until shortly before it expires, shared by the clients that mint one from a refresh
token (Login with Amazon, eBay's identity API)."""

from __future__ import annotations

import threading
from typing import Callable

__all__ = ["CachedToken"]


class CachedToken:
    """The current access token, minted again ``refresh_margin`` seconds before it expires; thread-safe.

    A subclass mints with :meth:`_mint` (the token and its lifetime in seconds); ``clock``
    returns wall-clock seconds (inject one in tests); ``token_requests`` counts the mints.
    """

    def __init__(self, *, clock: Callable[[], float], refresh_margin: float) -> None:
        self._clock = clock
        self._margin = refresh_margin
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at = 0.0
        self.token_requests = 0

    def access_token(self) -> str:
        """The cached token, minted first when it expires within ``refresh_margin`` seconds."""
        with self._lock:
            if self._token is None or self._clock() >= self._expires_at - self._margin:
                self.token_requests += 1
                asked_at = self._clock()
                token, lifetime = self._mint()
                self._token, self._expires_at = token, asked_at + lifetime
            return self._token

    def invalidate(self, token: str) -> None:
        """Forget ``token`` (the API said it is invalid or expired) so the next call mints a new one."""
        with self._lock:
            if self._token == token:
                self._token = None

    def _mint(self) -> tuple[str, float]:
        raise NotImplementedError
