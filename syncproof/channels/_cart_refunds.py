"""The refund actions of a channel whose client makes a refund of order lines in one call (Shopify, WooCommerce).

The client's ``create_refund(order_ref, {line id: quantity}, shipping=, note=, restock_type=, notify=, marker=,
kept_fee=)`` pays back what the lines (and the shipping) come to, less ``kept_fee`` when given: a fee the merchant
keeps, such as a restocking fee.
"""

from __future__ import annotations

from typing import Any, Mapping

from ..model import Money, Order, Refund

__all__ = ["CartRefunds", "refund_marker"]


def refund_marker(note: str, quantities: Mapping[str, int], shipping: bool, kept_fee: Money | None = None) -> str:
    """The token a scenario's refund carries in its note, so that a retried refund (answer lost on the way back)
    finds the first one instead of doubling it: the note, the refunded SKUs and quantities, the shipping and the
    fee kept, if any."""
    marker = f"{note}|" + ",".join(f"{sku}x{qty}" for sku, qty in sorted(quantities.items())) + f"|ship={shipping}"
    return marker if kept_fee is None else f"{marker}|kept={kept_fee.amount}"


class CartRefunds:
    """``refund`` and ``refund_keeping_fee`` of the scenario actions, through ``self.client`` with ``self.restock``."""

    client: Any
    restock: str

    def refund(self, order: Order, quantities: Mapping[str, int], *, shipping: bool, note: str) -> Refund:
        return self._refund(order, quantities, shipping=shipping, note=note)

    def refund_keeping_fee(self, order: Order, quantities: Mapping[str, int], fee: Money, *, shipping: bool,
                           note: str) -> Refund:
        """A refund paying back ``fee`` less than the lines come to: the merchant keeps it."""
        return self._refund(order, quantities, shipping=shipping, note=note, kept_fee=fee)

    def _refund(self, order: Order, quantities: Mapping[str, int], *, shipping: bool, note: str,
                kept_fee: Money | None = None) -> Refund:
        lines = {order.line_for_sku(sku).line_id: qty for sku, qty in quantities.items()}
        return self.client.create_refund(order.channel_ref or order.channel_order_id, lines, shipping=shipping,
                                         note=note, restock_type=self.restock, notify=False,
                                         marker=refund_marker(note, quantities, shipping, kept_fee),
                                         kept_fee=kept_fee)
