"""Which hosts are a NetSuite sandbox: writes anywhere else are refused unless production writes are allowed."""

from __future__ import annotations

import re

from .._http import HostGuard

__all__ = ["is_sandbox_host", "PRODUCTION_HOST_GUARD"]

#: REST hosts of sandbox and release-preview accounts (``1234567-sb1.suitetalk.api.netsuite.com``)
_SANDBOX_HOST = re.compile(r"^[0-9a-z]+-(?:sb|rp)[0-9]*\.suitetalk\.api\.netsuite\.com$")
#: hosts that are never a production NetSuite: loopback (the emulators) and the cassettes' placeholders
_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
_PLACEHOLDER_SUFFIX = ".sandbox.syncproof"


def is_sandbox_host(host: str) -> bool:
    """Whether requests to ``host`` reach a NetSuite sandbox or release preview, or no NetSuite at all."""
    host = (host or "").strip().lower().rstrip(".")
    return (bool(_SANDBOX_HOST.match(host)) or host in _LOCAL_HOSTS or host.startswith("127.")
            or host.endswith(_PLACEHOLDER_SUFFIX))


PRODUCTION_HOST_GUARD = HostGuard(
    is_sandbox_host, kind="production NetSuite",
    hint="sandbox hosts look like 1234567-sb1.suitetalk.api.netsuite.com: point [netsuite] account_id and base_url "
         "at a sandbox, or pass --allow-production-writes if you really mean to write to production")
