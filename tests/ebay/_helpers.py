"""Helpers the eBay tests share (the fixtures are in conftest.py)."""

from __future__ import annotations

from connectors import RetryPolicy
from syncproof.model import Money, OrderLine, Shipping

FAST = RetryPolicy(max_attempts=4, base_delay=0.001, max_delay=0.01)


def usd(value: str) -> Money:
    return Money(value, "USD")


#: the refund feature's full-refund order: 2 mugs and a tee, shipped for 5.99 with 0.48 tax (61.55 in all)
LINES = (OrderLine("1", "SP-MUG-01", 2, usd("14.50"), usd("2.32"), usd("0")),
         OrderLine("2", "SP-TEE-02", 3, usd("22.00"), usd("5.28"), usd("0")))
SHIPPING = Shipping(usd("5.99"), usd("0.48"))
