"""A cart client's refund call given both the amount to pay back and the fee kept from it, checked the same way for
every cart connector (Shopify's, WooCommerce's): refused before any request, even when a refund carrying the call's
marker exists already, which is not returned as if it answered the call.

    >>> refused_before_any_request(client, order.channel_order_id, {mug.line_id: 1}, "NS-CR-2",
    ...                            usd("8.00"), kept_fee=usd("2.00"))
"""

from __future__ import annotations

from typing import Any, Mapping

import pytest

from syncproof.model import Money

__all__ = ["refused_before_any_request"]


def refused_before_any_request(client: Any, order: str, lines: Mapping[str, int], marker: str, amount: Money, *,
                               kept_fee: Money) -> None:
    """Refund ``lines`` of ``order`` once with ``marker``, then ask the same refund with ``amount`` and ``kept_fee``:
    a ValueError naming the two, and no exchange with the cart."""
    client.create_refund(order, lines, marker=marker)
    sent: list[Any] = []
    client.on_exchange = sent.append
    try:
        with pytest.raises(ValueError, match="the amount to refund or the fee kept from it, not both"):
            client.create_refund(order, lines, marker=marker, amount=amount, kept_fee=kept_fee)
    finally:
        client.on_exchange = None
    assert sent == []
