"""NetSuite token-based authentication (TBA): account hosts, realms and OAuth 1.0a signing."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Mapping
from urllib.parse import quote, unquote

import httpx
from oauthlib.common import urldecode
from oauthlib.oauth1.rfc5849.signature import base_string_uri

__all__ = ["NetSuiteAuth", "NetSuiteCredentials", "account_base_url", "realm_for", "is_sandbox_account",
           "is_valid_account_id"]

_ACCOUNT_ID = re.compile(r"^[0-9A-Za-z]+(?:[_-](?:SB|RP|sb|rp)[0-9]*)?$")


def account_base_url(account_id: str) -> str:
    """The REST host for an account: ``1234567_SB1`` -> ``https://1234567-sb1.suitetalk.api.netsuite.com``.

    Oracle recommends reading the exact URL from the account's Company URLs
    (Setup > Company > Company Information); ``[netsuite].base_url`` overrides this.
    """
    return f"https://{account_id.strip().lower().replace('_', '-')}.suitetalk.api.netsuite.com"


def realm_for(account_id: str) -> str:
    """The OAuth realm: the account id in upper case with an underscore (``1234567_SB1``)."""
    return account_id.strip().upper().replace("-", "_")


def is_valid_account_id(account_id: str) -> bool:
    """Whether ``account_id`` has the shape of a NetSuite account id (``1234567``, ``1234567_SB1``, ``TSTDRV12``)."""
    return bool(_ACCOUNT_ID.match(account_id.strip()))


def is_sandbox_account(account_id: str) -> bool:
    """True for well-formed sandbox (``_SB``) and release-preview (``_RP``) account ids."""
    return is_valid_account_id(account_id) and re.search(r"_(SB|RP)[0-9]*$", realm_for(account_id)) is not None


@dataclass(frozen=True)
class NetSuiteCredentials:
    """Token-based authentication credentials; the secrets never appear in repr()."""

    account_id: str
    consumer_key: str = field(repr=False)
    consumer_secret: str = field(repr=False)
    token_id: str = field(repr=False)
    token_secret: str = field(repr=False)

    FIELDS: ClassVar[tuple[str, ...]] = ("account_id", "consumer_key", "consumer_secret", "token_id", "token_secret")

    @classmethod
    def of(cls, source: Any) -> "NetSuiteCredentials":
        """Credentials copied from anything carrying the five fields, as attributes or keys
        (the sandbox's demo credentials, a spec handed to a process)."""
        if isinstance(source, Mapping):
            return cls(*(str(source[name]) for name in cls.FIELDS))
        return cls(*(str(getattr(source, name)) for name in cls.FIELDS))


def _escape(value: str) -> str:
    """RFC 5849 section 3.6 percent-encoding (everything but ALPHA, DIGIT, ``-``, ``.``, ``_``, ``~``)."""
    return quote(value, safe="~")


@functools.lru_cache(maxsize=512)
def _escaped_base_uri(url: str) -> str:
    """The escaped base string URI (RFC 5849 section 3.4.1.2) of a URL without its query."""
    return _escape(base_string_uri(url))


class NetSuiteAuth(httpx.Auth):
    """OAuth 1.0a HMAC-SHA256 signing for NetSuite TBA (RFC 5849).

    NetSuite signs the method, the full URL with its query parameters and the
    OAuth parameters; a JSON body is not signed (no ``oauth_body_hash``).
    ``nonce`` and ``timestamp`` may be fixed for reproducing Oracle's examples.
    The header is the one oauthlib's client writes (same parameters, order and
    escaping; ``tests/unit/test_netsuite_signature.py`` compares them), built
    without its general-purpose request machinery, which cost more than the
    rest of a replayed request; the base string URI and the query's validation
    are oauthlib's own functions.
    """

    def __init__(self, credentials: NetSuiteCredentials, *,
                 nonce: Callable[[], str] | None = None,
                 timestamp: Callable[[], str] | None = None) -> None:
        self._nonce = nonce or (lambda: secrets.token_hex(10))
        self._timestamp = timestamp or (lambda: str(int(time.time())))
        self.credentials = credentials

    @property
    def credentials(self) -> NetSuiteCredentials:
        return self._credentials

    @credentials.setter
    def credentials(self, c: NetSuiteCredentials) -> None:
        """New credentials (a renewed token) sign every request from here on."""
        self._credentials = c
        self._realm = realm_for(c.account_id)
        self._key = f"{_escape(c.consumer_secret)}&{_escape(c.token_secret)}".encode("utf-8")
        self._fixed = [("oauth_version", "1.0"), ("oauth_signature_method", "HMAC-SHA256"),
                       ("oauth_consumer_key", c.consumer_key), ("oauth_token", c.token_id)]

    def authorization(self, method: str, url: str) -> str:
        oauth = [("oauth_nonce", self._nonce()), ("oauth_timestamp", self._timestamp()), *self._fixed]
        head, _, query = url.partition("#")[0].partition("?")
        signed = [(_escape(k), _escape(v)) for k, v in oauth]
        if query:  # as oauthlib collects them: validated, oauth_ values unescaped once more, no oauth_signature
            signed += [(_escape(k), _escape(unquote(v) if k.startswith("oauth_") else v))
                       for k, v in urldecode(query) if k != "oauth_signature"]
        signed.sort()
        parameters = "&".join(f"{k}={v}" for k, v in signed)
        base = f"{_escape(method.upper())}&{_escaped_base_uri(head)}&{_escape(parameters)}"
        signature = base64.b64encode(hmac.new(self._key, base.encode("utf-8"), hashlib.sha256).digest()).decode()
        fields = ", ".join(f'{_escape(k)}="{_escape(v)}"' for k, v in (*oauth, ("oauth_signature", signature)))
        return f'OAuth realm="{self._realm}", {fields}'

    def auth_flow(self, request: httpx.Request):
        request.headers["Authorization"] = self.authorization(request.method, str(request.url))
        yield request
