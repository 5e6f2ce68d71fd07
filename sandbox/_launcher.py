"""Start all three emulators on loopback for a sandbox run.

    >>> box = start_sandbox()
    >>> box.urls()
    {'netsuite': 'http://127.0.0.1:41234', 'shopify': 'http://127.0.0.1:41235', 'amazon': 'http://127.0.0.1:41236'}
    >>> box.stop()
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._server import RunningServer, start

__all__ = ["Sandbox", "start_sandbox"]


@dataclass
class Sandbox:
    """The running emulators, their state (``netsuite``, ``shopify``, ``amazon``) and demo credentials."""

    netsuite: Any
    shopify: Any
    amazon: Any
    servers: dict[str, RunningServer] = field(default_factory=dict)

    @property
    def netsuite_url(self) -> str:
        return self.servers["netsuite"].url

    @property
    def netsuite_credentials(self) -> Any:
        return self.netsuite.credentials

    @property
    def shopify_url(self) -> str:
        return self.servers["shopify"].url

    @property
    def shopify_shop(self) -> str:
        from .shopify import DEMO_SHOP

        return DEMO_SHOP

    @property
    def shopify_token(self) -> str:
        from .shopify import DEMO_TOKEN

        return DEMO_TOKEN

    @property
    def amazon_url(self) -> str:
        return self.servers["amazon"].url

    @property
    def amazon_lwa_url(self) -> str:
        return self.servers["amazon"].url + "/auth/o2/token"

    @property
    def amazon_credentials(self) -> Any:
        return self.amazon.credentials

    def urls(self) -> dict[str, str]:
        return {name: server.url for name, server in self.servers.items()}

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()
        self.servers.clear()


def start_sandbox(host: str = "127.0.0.1") -> Sandbox:
    """Start the NetSuite, Shopify and Amazon emulators, each on a free loopback port."""
    from . import amazon, netsuite, shopify

    box = Sandbox(netsuite=netsuite.NetSuiteBackend(), shopify=shopify.ShopifyBackend(),
                  amazon=amazon.AmazonBackend())
    try:
        box.servers["netsuite"] = start(netsuite.create_app(box.netsuite), host, name="netsuite")
        box.servers["shopify"] = start(shopify.create_app(box.shopify), host, name="shopify")
        box.servers["amazon"] = start(amazon.create_app(box.amazon), host, name="amazon")
    except BaseException:
        box.stop()
        raise
    return box
