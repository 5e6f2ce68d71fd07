"""Orders the integration tests start from, placed on a channel's emulator and synced to NetSuite."""

from __future__ import annotations


def synced_shopify_order(runtime, engine, mug: str, tee: str, note: str):
    """A Shopify order of two ``mug`` and one ``tee`` with 5.00 USD shipping, synced to NetSuite."""
    from syncproof.channels import channel_for
    from syncproof.model import Money, OrderLine, Shipping

    def usd(value: str) -> Money:
        return Money(value, "USD")

    shop = channel_for(runtime, "shopify")
    order = shop.place_order(
        [OrderLine("1", mug, 2, usd("14.50"), usd("2.32"), usd("0"), "mug"),
         OrderLine("2", tee, 1, usd("22.00"), usd("1.76"), usd("0"), "tee")],
        shipping=Shipping(usd("5.00"), usd("0.40")), customer=("Test Buyer", "buyer@example.com"), note=note)
    assert engine.orders.sync(order).synced
    return shop, order
