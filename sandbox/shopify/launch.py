"""The Shopify emulator as the sandbox launcher starts it (see :mod:`sandbox._emulator`)."""

from __future__ import annotations

from typing import Any

from .._emulator import Emulator

__all__ = ["emulator", "SANDBOX_RESTORE_RATE"]

#: Points a second the sandbox's cost bucket refills at: a Shopify Plus store's rate (shopify.dev, "GraphQL
#: Admin API rate limits": Standard 100 points/second, Plus 1000), so a sandbox run is not paced like a
#: Standard store. With ``live_rate_limits`` the bucket refills at the Standard store's 100 points/second.
SANDBOX_RESTORE_RATE = 1000.0


def emulator(backend: Any = None, *, live_rate_limits: bool = False) -> Emulator:
    from . import DEMO_SHOP, ShopifyBackend, app  # read at start: a test may give the demo shop other values

    backend = backend or ShopifyBackend()
    token = app.DEMO_TOKEN
    shop = app.create_app(backend, token=token)
    if not live_rate_limits:
        shop.state.bucket.configure(restore_rate=SANDBOX_RESTORE_RATE)
    # forgetting the shop refills its cost bucket too, so that what a scenario after a reset is throttled
    # for does not depend on the queries of the scenarios before it
    return Emulator("shopify", backend, shop, reset=shop.state.reset,
                    connection={"access_token": token, "shop": DEMO_SHOP})
