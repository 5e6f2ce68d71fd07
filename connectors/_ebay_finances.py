"""Finances API transactions and payouts, and how a ``REFUND`` transaction becomes a domain :class:`Refund`.

``getTransactions`` lists every monetary transaction of the seller's account:
``transactionType`` ``SALE``, ``REFUND``, ``CREDIT``, ``DISPUTE``, ``NON_SALE_CHARGE``,
``SHIPPING_LABEL``, ``TRANSFER``; each with ``transactionId``, ``orderId`` (order-related
types), ``amount`` and ``bookingEntry`` (``CREDIT`` to or ``DEBIT`` from the seller), and
``transactionDate``, ``transactionStatus`` (``FUNDS_ON_HOLD``, ``FUNDS_PROCESSING``,
``FUNDS_AVAILABLE_FOR_PAYOUT``, ``PAYOUT`` once paid out; ``COMPLETED``/``FAILED`` for
transfers) and, once eBay has begun processing its payout, ``payoutId``.
:class:`FinanceTransaction` keeps the amount signed from the seller's side (a refund is
negative) twice: ``amount`` in the currency of the sale (``convertedFromValue`` when eBay
converted it), ``paid`` as eBay pays it out (``value`` in ``currency``). A payout
(``getPayouts``: ``payoutId``, ``payoutStatus``, ``payoutDate``, ``amount``,
``transactionCount``) pays out the ``paid`` amounts of its transactions.

A ``REFUND`` transaction is money eBay returned to the buyer, whichever way the seller
issued it. It becomes the domain refund the Fulfillment API lists for the same refund
(found by ``refundReferenceId`` = ``transactionId``, keeping the Fulfillment ``refundId``
and its lines), or, when the Fulfillment API lists none (a refund issued without the
buyer's request: an external transaction the connector cannot retrieve), a refund of the
transaction's amount with no lines, identified by the ``transactionId``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from syncproof.model import Money, Refund

from ._ebay_orders import CHANNEL, amount, converted

__all__ = ["FinanceTransaction", "Payout", "transaction_from_json", "payout_from_json", "refund_from_transaction",
           "TRANSACTION_TYPES", "PAID_OUT"]

#: getTransactions' transactionType values (Finances API, TransactionTypeEnum).
TRANSACTION_TYPES = ("SALE", "REFUND", "CREDIT", "DISPUTE", "NON_SALE_CHARGE", "SHIPPING_LABEL", "TRANSFER")
#: TransactionStatusEnum: "the corresponding transaction has been paid out to the seller's account"
PAID_OUT = "PAYOUT"


@dataclass(frozen=True)
class FinanceTransaction:
    """One Finances API transaction; amounts signed from the seller's side (DEBIT negative): ``amount`` in the
    currency of the sale, ``paid`` in the currency it is paid out in."""

    transaction_id: str
    transaction_type: str
    status: str
    date: str
    amount: Money
    order_id: str | None
    booking_entry: str
    raw: dict[str, Any] = field(repr=False, compare=False)
    paid: Money | None = None
    payout_id: str | None = None

    @property
    def paid_out(self) -> bool:
        return self.status == PAID_OUT


@dataclass(frozen=True)
class Payout:
    """One seller payout (``getPayouts``)."""

    payout_id: str
    status: str
    date: str
    amount: Money
    transaction_count: int
    raw: dict[str, Any] = field(repr=False, compare=False)


def transaction_from_json(raw: dict[str, Any], currency: str = "USD") -> FinanceTransaction:
    booking = str(raw.get("bookingEntry") or "")

    def signed(value: Money) -> Money:
        return -abs(value) if booking == "DEBIT" else value

    return FinanceTransaction(
        transaction_id=str(raw.get("transactionId") or ""), transaction_type=str(raw.get("transactionType") or ""),
        status=str(raw.get("transactionStatus") or ""), date=str(raw.get("transactionDate") or ""),
        amount=signed(amount(raw.get("amount"), currency)), order_id=raw.get("orderId"), booking_entry=booking,
        raw=raw, paid=signed(converted(raw.get("amount"), currency)),
        payout_id=str(raw["payoutId"]) if raw.get("payoutId") else None)


def payout_from_json(raw: dict[str, Any], currency: str = "USD") -> Payout:
    return Payout(payout_id=str(raw.get("payoutId") or ""), status=str(raw.get("payoutStatus") or ""),
                  date=str(raw.get("payoutDate") or ""), amount=converted(raw.get("amount"), currency),
                  transaction_count=int(raw.get("transactionCount") or 0), raw=raw)


def refund_from_transaction(transaction: FinanceTransaction, fulfillment: list[Refund]) -> Refund:
    """The domain refund of a ``REFUND`` transaction: the matching Fulfillment refund, else an external one."""
    for refund in fulfillment:
        if refund.extra.get("reference_id") == transaction.transaction_id:
            return replace(refund, extra={**refund.extra, "transaction_id": transaction.transaction_id,
                                          "source": "fulfillment"})
    paid = abs(transaction.amount)
    return Refund(channel=CHANNEL, channel_order_id=str(transaction.order_id or ""),
                  refund_id=transaction.transaction_id, currency=paid.currency, adjustment=paid,
                  note="refunded without a buyer request: an external transaction the connector cannot retrieve",
                  created_at=transaction.date or None,
                  extra={"transaction_id": transaction.transaction_id, "source": "finances", "external": True})
