"""Shopify GraphQL Admin API emulator (orders, refunds, suggested refunds, cost throttling).

    >>> from sandbox.shopify import ShopifyBackend, create_app, DEMO_TOKEN
    >>> from sandbox._server import serve
    >>> backend = ShopifyBackend()
    >>> with serve(create_app(backend)) as server:
    ...     ...  # POST server.url + "/admin/api/2025-07/graphql.json"
"""

from ._throttle import LeakyBucket, ThrottleStatus
from .app import DEMO_TOKEN, SINGLE_QUERY_MAX_COST, create_app
from .models import DEMO_SHOP_NAME, ShopifyBackend, UserInputError, gid, parse_gid

#: The demo shop's handle; its domain is ``{DEMO_SHOP}.myshopify.com``.
DEMO_SHOP = "syncproof-demo"

__all__ = [
    "ShopifyBackend", "create_app", "LeakyBucket", "ThrottleStatus", "UserInputError",
    "DEMO_SHOP", "DEMO_SHOP_NAME", "DEMO_TOKEN", "SINGLE_QUERY_MAX_COST", "gid", "parse_gid",
]
