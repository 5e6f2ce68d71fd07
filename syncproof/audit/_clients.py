"""Read-only copies of the run's clients: every write is refused before it is sent.

An audit must never change anything, whatever account it points at. Each client of
the run is copied with a :class:`~connectors.WriteGuard` that always refuses,
so a write attempt raises :class:`~connectors.WriteRefused` and fails the
audit. Reads pass as before: SuiteQL ``POST`` and Shopify GraphQL queries are reads
(each connector's ``is_write`` says so). The copies share the originals' HTTP
connections (and so their cassettes on record/replay targets) but count their own
requests in ``stats``.

    ro = ReadOnlyClients.of(runtime)
    ro.netsuite.create("salesOrder", {})   # raises WriteRefused
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from connectors import ApiClient, ClientStats, WriteGuard

from ..channels import names as channel_names

__all__ = ["READ_ONLY", "ReadOnlyClients", "read_only"]

READ_ONLY = WriteGuard("audit runs are read-only",
                       hint="an audit only reads; nothing it does may change NetSuite, Shopify or Amazon")


def read_only(client: ApiClient | None) -> Any:
    """A copy of ``client`` that refuses every write and counts its own requests."""
    if client is None:
        return None
    twin: Any = copy.copy(client)
    twin.write_guard = READ_ONLY
    twin.stats = ClientStats()
    downloads = getattr(client, "_downloads", None)
    if isinstance(downloads, ApiClient):  # Amazon report documents: GETs only, guarded all the same
        twin._downloads = copy.copy(downloads)
        twin._downloads.write_guard = READ_ONLY
        twin._downloads.stats = ClientStats()
    return twin


def _requests(client: Any) -> int:
    downloads = getattr(client, "_downloads", None)
    return client.stats.requests + (downloads.stats.requests if isinstance(downloads, ApiClient) else 0)


@dataclass
class ReadOnlyClients:
    """The audit's clients: NetSuite, and each channel's the run has (``clients.client("shopify")``)."""

    netsuite: Any
    channels: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, runtime: Any) -> "ReadOnlyClients":
        return cls(read_only(runtime.netsuite),
                   {name: read_only(runtime.client(name)) for name in runtime.channels})

    def client(self, channel: str) -> Any:
        return self.channels.get(channel)

    def __getattr__(self, name: str) -> Any:
        if name in channel_names():  # clients.shopify is clients.client("shopify")
            return (self.__dict__.get("channels") or {}).get(name)
        raise AttributeError(name)

    def requests(self) -> dict[str, int]:
        """Requests each system received from the audit, by system."""
        counts = {"netsuite": _requests(self.netsuite)}
        counts.update({name: _requests(client) for name, client in self.channels.items() if client is not None})
        return counts

    def writes(self) -> int:
        """Writes sent by the audit's clients (always 0: the guard refuses before sending)."""
        clients = [c for c in (self.netsuite, *self.channels.values()) if c is not None]
        return sum(c.stats.writes for c in clients)
