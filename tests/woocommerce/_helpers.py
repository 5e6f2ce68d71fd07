"""Helpers the WooCommerce tests share (the fixtures are in conftest.py)."""

from __future__ import annotations

from syncproof.model import Money


def usd(amount: str) -> Money:
    return Money(amount, "USD")
