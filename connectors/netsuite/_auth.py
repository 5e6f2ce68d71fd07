"""NetSuite token-based authentication (TBA): account hosts, realms and OAuth 1.0a signing."""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Mapping

import httpx
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA256, SIGNATURE_TYPE_AUTH_HEADER
from oauthlib.oauth1 import Client as OAuth1Client

__all__ = ["NetSuiteAuth", "NetSuiteCredentials", "UnsignedTBA", "account_base_url", "realm_for",
           "is_sandbox_account", "is_valid_account_id"]

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


class NetSuiteAuth(httpx.Auth):
    """OAuth 1.0a HMAC-SHA256 signing for NetSuite TBA, done by oauthlib.

    NetSuite signs the method, the full URL with its query parameters and the
    OAuth parameters; a JSON body is not signed (no ``oauth_body_hash``).
    ``nonce`` and ``timestamp`` may be fixed for reproducing Oracle's examples.
    """

    def __init__(self, credentials: NetSuiteCredentials, *,
                 nonce: Callable[[], str] | None = None,
                 timestamp: Callable[[], str] | None = None) -> None:
        self.credentials = credentials
        self._nonce = nonce or (lambda: secrets.token_hex(10))
        self._timestamp = timestamp or (lambda: str(int(time.time())))

    def authorization(self, method: str, url: str) -> str:
        c = self.credentials
        client = OAuth1Client(
            c.consumer_key, client_secret=c.consumer_secret,
            resource_owner_key=c.token_id, resource_owner_secret=c.token_secret,
            signature_method=SIGNATURE_HMAC_SHA256, signature_type=SIGNATURE_TYPE_AUTH_HEADER,
            realm=realm_for(c.account_id), nonce=self._nonce(), timestamp=self._timestamp(),
        )
        _, headers, _ = client.sign(url, http_method=method)
        return headers["Authorization"]

    def auth_flow(self, request: httpx.Request):
        request.headers["Authorization"] = self.authorization(request.method, str(request.url))
        yield request


class UnsignedTBA(httpx.Auth):
    """NetSuite's TBA ``Authorization`` header with the account's realm and no OAuth signature.

    For requests nothing receives: a replayed run answers them from its cassettes, matched
    without ``Authorization`` (whose nonce, timestamp and signature change on every run),
    with placeholder credentials a signature would be worked out for no one. Everything that
    reaches a NetSuite, the sandbox emulator included (it verifies each signature), is signed
    by :class:`NetSuiteAuth`.

        NetSuiteClient.for_account(credentials, base_url=url, auth=UnsignedTBA("1234567_SB1"))
    """

    def __init__(self, account_id: str) -> None:
        self.header = f'OAuth realm="{realm_for(account_id)}"'

    def auth_flow(self, request: httpx.Request):
        request.headers["Authorization"] = self.header
        yield request
