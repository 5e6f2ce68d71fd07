"""Helpers the Shopify tests share (the fixtures are in conftest.py)."""

from __future__ import annotations

from decimal import Decimal

from syncproof.model import Money, OrderLine, Shipping


def usd(amount: str) -> Money:
    return Money(Decimal(amount), "USD")


def sample_lines() -> list[OrderLine]:
    """Two lines: 2 x 10.00 (tax 2.00) and 1 x 30.00 (tax 3.00)."""
    return [
        OrderLine(line_id="", sku="MUG-1", quantity=2, unit_price=usd("10.00"), tax=usd("2.00"),
                  discount=usd("0"), title="Mug"),
        OrderLine(line_id="", sku="TEE-1", quantity=1, unit_price=usd("30.00"), tax=usd("3.00"),
                  discount=usd("0"), title="Tee"),
    ]


def sample_shipping() -> Shipping:
    return Shipping(amount=usd("5.00"), tax=usd("0.50"), title="Standard")
