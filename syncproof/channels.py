"""What a scenario does in a marketplace or cart: place a test order, refund it, read refunds back.

Each channel has one adapter over its connector, so the steps say "refund 1 of SKU X in
shopify" and stay the same for every channel:

    >>> shop = channel_for(runtime, "shopify")
    >>> order = shop.place_order(lines, shipping=None, customer=("Ada Lovelace", "ada@example.com"))
    >>> refund = shop.refund(order, {"SP-MUG-01": 1}, shipping=False)
"""

from __future__ import annotations

from typing import Any, Mapping, Protocol, Sequence

from .errors import SyncproofError
from .model import Order, OrderLine, Refund, Shipping

__all__ = ["ChannelActions", "ShopifyActions", "channel_for"]


class ChannelActions(Protocol):
    name: str

    def place_order(self, lines: Sequence[OrderLine], *, shipping: Shipping | None,
                    customer: tuple[str, str], note: str) -> Order: ...

    def refund(self, order: Order, quantities: Mapping[str, int], *, shipping: bool, note: str) -> Refund: ...

    def refunds(self, order: Order) -> list[Refund]: ...

    def order(self, order: Order) -> Order: ...

    @property
    def currency(self) -> str: ...


class ShopifyActions:
    """Shopify through the GraphQL Admin API: orderCreate, refundCreate, and reads."""

    name = "shopify"

    def __init__(self, client: Any, restock: str = "RETURN") -> None:
        self.client = client
        self.restock = restock

    @property
    def currency(self) -> str:
        """The shop's currency, as the shop reports it."""
        return str(self.client.shop()["currencyCode"])

    def place_order(self, lines: Sequence[OrderLine], *, shipping: Shipping | None,
                    customer: tuple[str, str], note: str) -> Order:
        order = self.client.create_order(lines, shipping=shipping, email=customer[1], note=note)
        return order

    def refund(self, order: Order, quantities: Mapping[str, int], *, shipping: bool, note: str) -> Refund:
        lines = {order.line_for_sku(sku).line_id: qty for sku, qty in quantities.items()}
        # the marker makes a retried refund (answer lost on the way back) find the first one instead of doubling it
        marker = f"{note}|" + ",".join(f"{sku}x{qty}" for sku, qty in sorted(quantities.items())) + f"|ship={shipping}"
        return self.client.create_refund(order.channel_ref, lines, shipping=shipping, note=note,
                                         restock_type=self.restock, notify=False, marker=marker)

    def refunds(self, order: Order) -> list[Refund]:
        return self.client.get_refunds(order.channel_ref)

    def order(self, order: Order) -> Order:
        return self.client.get_order(order.channel_ref)


def channel_for(runtime: Any, name: str) -> ChannelActions:
    """The actions adapter for channel ``name`` on the run's target."""
    if name == "shopify":
        if runtime.shopify is None:
            raise SyncproofError("Shopify is not configured for this run", "set [shopify] enabled = true")
        return ShopifyActions(runtime.shopify)
    if name == "amazon":
        if runtime.amazon is None:
            raise SyncproofError("Amazon is not configured for this run", "set [amazon] enabled = true")
        from .amazon_actions import AmazonActions

        return AmazonActions(runtime)
    raise SyncproofError(f"unknown channel {name!r}", "use shopify or amazon")
