"""What the audit readers of channels that list refunds as money movements (Amazon, eBay) share, and what a
channel's payout reader hands the payout audit (:class:`Movement`, :class:`PayoutRun`, :class:`MoneyMoved`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from ..model import Money, Refund

__all__ = ["refunds_by_order", "Movement", "PayoutRun", "MoneyMoved"]


@dataclass(frozen=True)
class Movement:
    """One money movement of the seller's account (eBay: a Finances transaction), signed from the seller's side:
    ``amount`` in the currency of the sale, ``paid`` in the currency it is (to be) paid out in."""

    movement_id: str
    kind: str  # e.g. SALE, REFUND
    order_id: str
    date: str
    status: str
    amount: Money
    paid: Money
    payout_id: str = ""


@dataclass(frozen=True)
class PayoutRun:
    """One payout to the seller's bank account and the movements the channel lists for it."""

    payout_id: str
    status: str
    date: str
    amount: Money
    count: int  # how many movements the channel says it paid out
    movements: tuple[Movement, ...]
    #: for a payout read by the id movements of the window name, not listed for the window: where it is dated
    #: (``after the window``: it paid them out later); empty for a payout dated in the window
    outside_window: str = ""

    @property
    def label(self) -> str:
        """``payout 5000106638 (2026-11-03T09:00:00.000Z)``, or ``(..., after the window)`` for one read by id."""
        return f"payout {self.payout_id} ({self.date}{', ' + self.outside_window if self.outside_window else ''})"


@dataclass
class MoneyMoved:
    """What a channel's payout reader found over a window: the payouts dated in it and those dated after it that
    pay out movements of the window (``outside_window``), the movements in it not yet paid out, the movements of the
    window naming a payout the channel does not know (by payout id), and the domain refund of every refund movement
    among them (by movement id)."""

    payouts: list[PayoutRun] = field(default_factory=list)
    unpaid: list[Movement] = field(default_factory=list)
    refunds: dict[str, Refund] = field(default_factory=dict)
    unknown_payouts: dict[str, list[Movement]] = field(default_factory=dict)


def refunds_by_order(refunds: Iterable[Refund], progress: Any, what: str) -> dict[str, list[Refund]]:
    """``refunds`` grouped by their order id, reporting progress every 500 as ``what``."""
    by_order: dict[str, list[Refund]] = {}
    for count, refund in enumerate(refunds, start=1):
        by_order.setdefault(refund.channel_order_id, []).append(refund)
        if progress and count % 500 == 0:
            progress.page(what, count)
    return by_order
