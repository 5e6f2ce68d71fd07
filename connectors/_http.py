"""HTTP plumbing shared by every connector: retries, concurrency, evidence, write guard.

A connector subclasses :class:`ApiClient` and overrides three hooks:

- ``raise_for_error(response)`` turns the vendor's error body into its ``ApiError``;
- ``retry_delay(response, attempt, is_write)`` says whether (and after how long) to retry;
- ``is_write(request)`` says whether a request changes data (for the write guard).

Every exchange is handed, redacted, to ``on_exchange`` so the report can show it.
"""

from __future__ import annotations

import functools
import random
import re
import ssl
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from syncproof.model import json_loads

from ._evidence_json import indented_json
from ._exceptions import (
    ConnectionFailed,
    ConnectorError,
    RateLimited,
    WriteOutcomeUnknown,
    WriteRefused,
)

__all__ = [
    "ApiClient",
    "Exchange",
    "Redactor",
    "RetryPolicy",
    "WriteGuard",
    "HostGuard",
    "DEFAULT_REDACTOR",
]

REDACTED = "[redacted]"

#: Header names whose values are secrets on any HTTP API (compared case-insensitively). A vendor's own
#: names are its client's (``ApiClient.secret_headers``), which its channel's spec hands to the run's redactor.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
#: Query-string and form/JSON keys whose values are secrets on any API: OAuth 1.0a and 2.0 parameters
#: (NetSuite TBA, Login with Amazon), passwords, signatures; a vendor's own are ``ApiClient.secret_keys``.
SECRET_KEYS = frozenset({
    "refresh_token", "client_secret", "access_token", "client_id", "id_token", "password", "token_secret",
    "consumer_secret", "signature", "oauth_signature", "oauth_token", "oauth_consumer_key",
})

#: The secret parameters of a pre-signed link, wherever the link is written (a body's ``url`` field, free text):
#: S3's ``X-Amz-Signature``/``Credential``/``Security-Token`` (SP-API report documents), Cloud Storage's
#: ``X-Goog-Signature``/``Credential`` and ``Signature`` (Shopify's bulk operation result links). Whoever holds
#: such a link reads what it points at until it expires.
PRESIGNED_SECRET = re.compile(
    r"((?<![\w-])(?:X-Amz-(?:Signature|Credential|Security-Token)|X-Goog-(?:Signature|Credential)|Signature)=)"
    r"[^&\"'\s<]+", re.IGNORECASE)

_PRESIGNED_NAMES = ("signature=", "credential=", "security-token=")


def redact_presigned(text: str) -> str:
    """``text`` with :data:`PRESIGNED_SECRET` values redacted (the pattern is run only where a name occurs: in
    ASCII text, its lower case holds one; other text, which case-insensitive matching folds otherwise, always)."""
    if "=" not in text:
        return text
    if text.isascii():
        lowered = text.lower()
        if not any(name in lowered for name in _PRESIGNED_NAMES):
            return text
    return PRESIGNED_SECRET.sub(r"\1" + REDACTED, text)


@dataclass
class Redactor:
    """Replaces secrets in headers, URLs and bodies with a placeholder."""

    headers: frozenset[str] = SECRET_HEADERS
    keys: frozenset[str] = SECRET_KEYS
    literals: tuple[str, ...] = ()  # configured values (account ids, shop names) to mask anywhere

    def with_names(self, headers: Iterable[str] = (), keys: Iterable[str] = ()) -> "Redactor":
        """This redactor, also redacting the values of ``headers`` and ``keys``."""
        return replace(self, headers=self.headers | {h.lower() for h in headers}, keys=self.keys | set(keys))

    def header_items(self, headers: Iterable[tuple[str, str]]) -> dict[str, str]:
        return {k: (REDACTED if k.lower() in self.headers else self.text(v)) for k, v in headers}

    def url(self, url: str) -> str:
        parts = urlsplit(url)
        if parts.query:
            query = [
                (k, REDACTED if k.lower() in self.keys else v)
                for k, v in parse_qsl(parts.query, keep_blank_values=True)
            ]
            parts = parts._replace(query=urlencode(query, safe="[]:/"))
        return self.text(urlunsplit(parts))

    def body(self, content: bytes, content_type: str) -> str:
        if not content:
            return ""
        text = content.decode("utf-8", errors="replace")
        if "json" in content_type:
            try:  # numbers kept as their exact text: 12345678901234567.89 never becomes 1.2345678901234568e+16
                return self.text(indented_json(self._scrub(json_loads(text)), text))
            except (ValueError, RecursionError):
                pass
        if "x-www-form-urlencoded" in content_type:
            pairs = [(k, REDACTED if k.lower() in self.keys else v) for k, v in parse_qsl(text, keep_blank_values=True)]
            return self.text(urlencode(pairs))
        return self.text(text)

    def scrub_parsed(self, value: Any, source: bytes) -> Any:
        """``value``, parsed from the JSON ``source``, as :meth:`_scrub` gives it: ``value`` itself (no copy) when no
        key of it can be secret, that is when ``source`` is ASCII without escapes and its lower case holds none of
        the secret key names (every key is then written in it as it is, and lower-cased as ``source`` is)."""
        names = _ascii_names(self.keys)
        if names is None or not source.isascii() or b"\\" in source:
            return self._scrub(value)
        lowered = source.lower()
        return self._scrub(value) if any(name in lowered for name in names) else value

    def _scrub(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: (REDACTED if k.lower() in self.keys else self._scrub(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [self._scrub(v) for v in value]
        return value

    def text(self, text: str) -> str:
        for literal in self.literals:
            if literal:
                text = text.replace(literal, REDACTED)
        return redact_presigned(text)


DEFAULT_REDACTOR = Redactor()


@functools.lru_cache(maxsize=16)
def _ascii_names(keys: frozenset[str]) -> tuple[bytes, ...] | None:
    """``keys`` as the bytes :meth:`Redactor.scrub_parsed` looks for, or None when one is not ASCII."""
    if not all(key.isascii() for key in keys):
        return None
    return tuple(key.encode("ascii") for key in keys)


@dataclass
class Exchange:
    """One HTTP request and its response, redacted, as evidence."""

    system: str
    method: str
    url: str
    status: int | None
    duration_ms: float
    request_headers: dict[str, str]
    request_body: str
    response_headers: dict[str, str]
    response_body: str
    attempt: int = 1
    replayed: bool = False
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class RetryPolicy:
    """Jittered exponential backoff: ``base * 2**attempt`` capped, times a random factor."""

    max_attempts: int = 6
    base_delay: float = 0.25
    max_delay: float = 20.0
    jitter: float = 0.5

    def backoff(self, attempt: int) -> float:
        delay = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return delay * (1 - self.jitter + random.random() * self.jitter)


@dataclass
class WriteGuard:
    """Refuses writes: always (read-only clients) or with a reason (production accounts)."""

    reason: str
    hint: str = WriteRefused.hint

    def check(self, request: httpx.Request) -> None:
        raise WriteRefused(f"refused {request.method} {request.url.path}: {self.reason}", hint=self.hint)


@dataclass
class HostGuard:
    """Refuses writes to any host ``allowed(host)`` rejects: the production guard, decided per request.

    It looks at the host each request actually goes to (derived from an account id or
    configured as a base URL), so no configuration can aim a write at production.
    """

    allowed: Callable[[str], bool]
    kind: str = "production"
    hint: str = WriteRefused.hint

    def check(self, request: httpx.Request) -> None:
        host = request.url.host
        if not self.allowed(host):
            raise WriteRefused(f"refused {request.method} {request.url.path}: {host} is a {self.kind} host",
                               hint=self.hint)


def _raw_items(headers: httpx.Headers) -> list[tuple[str, str]]:
    """Header names as sent (not lower-cased), values decoded."""
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers.raw]


class _Transient(Exception):
    """A transport failure that may be retried; ``final`` is raised when retries run out."""

    def __init__(self, final: ConnectorError) -> None:
        super().__init__(str(final))
        self.final = final


@dataclass
class ClientStats:
    requests: int = 0
    retries: int = 0
    writes: int = 0
    by_status: dict[int, int] = field(default_factory=dict)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One certificate-verifying TLS context for every client: building one loads the CA bundle (~60 ms)."""
    return httpx.create_ssl_context()


class ApiClient:
    """Base of the connectors' HTTP clients.

        >>> class Things(ApiClient):
        ...     system = "things"       # named in every error line
        >>> answers = httpx.MockTransport(lambda request: httpx.Response(200, json={"id": 1}))
        >>> with Things("https://things.test", transport=answers) as client:
        ...     client.request("GET", "/things/1").json()
        {'id': 1}
    """

    system = "http"
    #: the vendor's own secret header and key names, redacted besides the plumbing's by the default redactor
    secret_headers: frozenset[str] = frozenset()
    secret_keys: frozenset[str] = frozenset()

    @classmethod
    def default_redactor(cls) -> Redactor:
        """The plumbing's secret names and this vendor's."""
        return DEFAULT_REDACTOR.with_names(cls.secret_headers, cls.secret_keys)

    def __init__(
        self,
        base_url: str,
        *,
        auth: httpx.Auth | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        max_concurrency: int = 5,
        on_exchange: Callable[[Exchange], None] | None = None,
        redactor: Redactor | None = None,
        write_guard: WriteGuard | None = None,
        host_guard: HostGuard | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self.on_exchange = on_exchange
        self.redactor = redactor if redactor is not None else self.default_redactor()
        self.write_guard = write_guard
        self.host_guard = host_guard
        self.sleep = sleep
        self.stats = ClientStats()
        self._slots = threading.BoundedSemaphore(max(1, max_concurrency))
        self._http = httpx.Client(
            base_url=self.base_url, auth=auth, headers=headers or {}, timeout=timeout,
            transport=transport, follow_redirects=False, verify=_tls_context(),
        )

    # hooks -----------------------------------------------------------------
    def raise_for_error(self, response: httpx.Response) -> None:
        if response.is_error:
            raise ConnectorError(f"{self.system} answered HTTP {response.status_code} for "
                                 f"{response.request.method} {response.request.url.path}")

    def retry_delay(self, response: httpx.Response, attempt: int, is_write: bool) -> float | None:
        """Seconds to wait before retrying ``response``, or None to not retry."""
        if response.status_code == 429:
            return self._retry_after(response) or self.retry.backoff(attempt)
        if response.status_code >= 500 and not is_write:
            return self.retry.backoff(attempt)
        return None

    def is_write(self, request: httpx.Request) -> bool:
        return request.method not in ("GET", "HEAD", "OPTIONS")

    # plumbing --------------------------------------------------------------
    @staticmethod
    def _retry_after(response: httpx.Response) -> float | None:
        value = response.headers.get("retry-after")
        try:
            return max(0.0, float(value)) if value else None
        except ValueError:
            return None

    def close(self) -> None:
        self._http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send a request with retries; return the successful response or raise."""
        request = self._http.build_request(method, url, **kwargs)
        is_write = self.is_write(request)
        if is_write:
            for guard in (self.host_guard, self.write_guard):
                if guard is not None:
                    guard.check(request)
        attempt = 0
        while True:
            attempt += 1
            delay: float | None
            try:
                response = self._send_once(request, attempt, is_write)
            except _Transient as transient:
                if attempt >= self.retry.max_attempts:
                    raise transient.final from None
                delay = self.retry.backoff(attempt)
            else:
                delay = self.retry_delay(response, attempt, is_write)
                if delay is None:
                    self.raise_for_error(response)
                    return response
                if attempt >= self.retry.max_attempts:
                    if response.status_code == 429 or self._is_throttled(response):
                        raise RateLimited(
                            f"{self.system} still throttled after {attempt} attempts at "
                            f"{request.method} {request.url.path}")
                    self.raise_for_error(response)
                    return response
            self.stats.retries += 1
            self.sleep(delay)
            request = self._http.build_request(method, url, **kwargs)

    def _is_throttled(self, response: httpx.Response) -> bool:
        return False

    def _send_once(self, request: httpx.Request, attempt: int, is_write: bool) -> httpx.Response:
        started = time.perf_counter()
        where = f"{request.method} {request.url.path}"
        with self._slots:
            self.stats.requests += 1
            if is_write:
                self.stats.writes += 1
            try:
                response = self._http.send(request)
                response.read()
            except httpx.ConnectError as exc:
                # never reached the server: safe to retry, reads and writes alike
                self._capture(request, None, started, attempt, f"ConnectError: {exc}")
                raise _Transient(
                    ConnectionFailed(
                        f"cannot reach {self.system} at {request.url.scheme}://{request.url.netloc.decode()}: {exc}"
                    )
                ) from exc
            except httpx.TransportError as exc:
                self._capture(request, None, started, attempt, f"{type(exc).__name__}: {exc}")
                if is_write:
                    raise WriteOutcomeUnknown(f"{self.system} did not answer {where} ({type(exc).__name__})") from None
                raise _Transient(
                    ConnectionFailed(
                        f"{self.system} did not answer {where} after {attempt} attempts ({type(exc).__name__})"
                    )
                ) from exc
        self.stats.by_status[response.status_code] = self.stats.by_status.get(response.status_code, 0) + 1
        self._capture(request, response, started, attempt, None)
        return response

    def _capture(self, request: httpx.Request, response: httpx.Response | None, started: float,
                 attempt: int, error: str | None) -> None:
        if self.on_exchange is None:
            return
        r = self.redactor
        exchange = Exchange(
            system=self.system,
            method=request.method,
            url=r.url(str(request.url)),
            status=response.status_code if response is not None else None,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
            request_headers=r.header_items(_raw_items(request.headers)),
            request_body=r.body(request.content, request.headers.get("content-type", "")),
            response_headers=r.header_items(_raw_items(response.headers)) if response is not None else {},
            response_body=r.body(response.content, response.headers.get("content-type", ""))
            if response is not None
            else "",
            attempt=attempt,
            replayed=bool(response is not None and response.extensions.get("syncproof_replayed")),
            error=error,
        )
        self.on_exchange(exchange)
