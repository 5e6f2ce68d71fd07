"""The external ids syncproof gives NetSuite records, derived from channel identities.

A record's external id is what makes every write idempotent: it is looked up (or
upserted) by it before anything new is made, and it ties the record back to the
channel's order, refund or settlement.
"""

from __future__ import annotations

import hashlib

__all__ = ["external_ids"]


class external_ids:  # noqa: N801 - a namespace of pure functions
    """``external_ids.refund("shopify", "9001")`` -> ``"shopify-refund-9001"``."""

    @staticmethod
    def customer(channel: str, key: str) -> str:
        return f"{channel}-customer-{hashlib.sha256(key.lower().encode()).hexdigest()[:16]}"

    @staticmethod
    def sales_order(channel: str, order_id: str) -> str:
        return f"{channel}-order-{order_id}"

    @staticmethod
    def billing(channel: str, order_id: str) -> str:
        return f"{channel}-bill-{order_id}"

    @staticmethod
    def refund(channel: str, refund_id: str) -> str:
        return f"{channel}-refund-{refund_id}"

    @staticmethod
    def return_authorization(channel: str, refund_id: str) -> str:
        return f"{channel}-ra-{refund_id}"

    @staticmethod
    def customer_refund(channel: str, refund_id: str) -> str:
        return f"{channel}-custrefund-{refund_id}"

    @staticmethod
    def payment(channel: str, order_id: str) -> str:
        """The customer payment that pays an invoiced order (the channel collected the money)."""
        return f"{channel}-payment-{order_id}"

    @staticmethod
    def settlement(settlement_id: str) -> str:
        """The deposit or journal entry posted for an Amazon settlement."""
        return f"amazon-settlement-{settlement_id}"

    @staticmethod
    def settlement_summary(settlement_id: str, what: str, month: str | None = None) -> str:
        """One summary transaction of a settlement in the connector's model (``what``: fees, refunds...),
        per month when the settlement spans two."""
        return f"amazon-settlement-{settlement_id}-{what}" + (f"-{month}" if month else "")
