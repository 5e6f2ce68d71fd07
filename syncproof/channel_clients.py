"""A run's channel clients by name, each built the first time a step asks for it.

    clients = ChannelClients({"shopify": lambda: ShopifyClient(...), "amazon": lambda: SpApiClient(...)})
    clients["shopify"]          # built now, then kept
    list(clients)               # ['shopify', 'amazon']: every channel the run talks to, built or not
    clients.built()             # [<ShopifyClient>]: what there is to close

Recorded runs (``record``, ``replay``) build fresh clients for every scenario, and a scenario
talks to one channel or two: building only those spares the others' clients (an httpx client
each, eBay's and Amazon's token clients besides) scenario after scenario.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Iterator, Mapping

__all__ = ["ChannelClients", "built_clients"]


class ChannelClients(Mapping[str, Any]):
    """Channel name -> client, the client made by its factory on first use (once, whichever thread asks first)."""

    def __init__(self, factories: Mapping[str, Callable[[], Any]]) -> None:
        self._factories = dict(factories)
        self._built: dict[str, Any] = {}
        self._lock = threading.Lock()

    def __getitem__(self, name: str) -> Any:
        built = self._built.get(name)
        if built is None:
            with self._lock:
                if name not in self._built:
                    self._built[name] = self._factories[name]()
                built = self._built[name]
        return built

    def __iter__(self) -> Iterator[str]:
        return iter(self._factories)

    def __len__(self) -> int:
        return len(self._factories)

    def __contains__(self, name: object) -> bool:
        return name in self._factories

    def built(self) -> list[Any]:
        """The clients made so far, in the order they were first asked for."""
        with self._lock:
            return list(self._built.values())


def built_clients(clients: Mapping[str, Any]) -> list[Any]:
    """The clients of ``clients`` that exist (a plain mapping's values; a :class:`ChannelClients`' built ones)."""
    return clients.built() if isinstance(clients, ChannelClients) else list(clients.values())
