"""What the audit readers of channels that list refunds as money movements (Amazon, eBay) share."""

from __future__ import annotations

from typing import Any, Iterable

from ..model import Refund

__all__ = ["refunds_by_order"]


def refunds_by_order(refunds: Iterable[Refund], progress: Any, what: str) -> dict[str, list[Refund]]:
    """``refunds`` grouped by their order id, reporting progress every 500 as ``what``."""
    by_order: dict[str, list[Refund]] = {}
    for count, refund in enumerate(refunds, start=1):
        by_order.setdefault(refund.channel_order_id, []).append(refund)
        if progress and count % 500 == 0:
            progress.page(what, count)
    return by_order
