"""Order sync: a channel order becomes a NetSuite customer, sales order and billing record.

Lines are matched to NetSuite items by SKU (the item's ``itemId``). Every SKU is
resolved before anything is written, so an order with an unknown SKU is a recorded
error naming the SKU and nothing is half-created. Each record carries an external
id derived from the channel's order id, so a rerun creates nothing new.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from syncproof.config import Config
from syncproof.model import Order, OrderLine, TransactionType

from .netsuite_records import ADJUSTMENT_RECORD, NetSuiteRecords
from .store import EngineStore, OrderRecord

__all__ = ["OrderSync", "OrderSyncResult", "external_ids", "line_rate", "SHIPPING_ITEM"]

SHIPPING_ITEM = "Shipping"
BILLING = {"cash_sale": TransactionType.CASH_SALE, "invoice": TransactionType.INVOICE}


class external_ids:  # noqa: N801 - a namespace of pure functions
    """The external ids syncproof gives NetSuite records, derived from channel identities."""

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


def line_rate(amount: Decimal, quantity: int) -> Decimal:
    """The unit rate for ``amount`` over ``quantity``, exact to six places (the amount is sent too)."""
    if quantity <= 0:
        return amount
    return (amount / quantity).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP).normalize()


@dataclass(frozen=True)
class OrderSyncResult:
    """The outcome of syncing one order: the store record, or the recorded reason it was not synced."""

    channel_order_id: str
    record: OrderRecord | None
    error: str | None = None
    created: bool = False

    @property
    def synced(self) -> bool:
        return self.record is not None


class OrderSync:
    """Syncs channel orders into NetSuite and records them in the engine store."""

    def __init__(self, books: NetSuiteRecords, store: EngineStore, config: Config) -> None:
        self.books = books
        self.store = store
        self.config = config

    def sync(self, order: Order) -> OrderSyncResult:
        channel = order.channel.value
        existing = self.store.order(channel, order.channel_order_id)
        if existing is not None and existing.status == "synced":
            return OrderSyncResult(order.channel_order_id, existing)
        skus = [line.sku for line in order.lines]
        items = self.books.item_ids(skus)
        missing = sorted({sku for sku in skus if sku not in items})
        if missing:
            reason = (f"order {order.channel_order_id}: no NetSuite item has itemId "
                      f"{', '.join(repr(s) for s in missing)}; create the item or fix the SKU in {channel}")
            self.store.record_error(channel, "order", order.channel_order_id, reason)
            return OrderSyncResult(order.channel_order_id, None, reason)
        billing = BILLING[self.config.channel(channel).billing]
        customer_id = self.books.ensure_customer(
            external_ids.customer(channel, order.customer_email or order.customer_name or order.channel_order_id),
            email=order.customer_email, name=order.customer_name or f"{channel} customer")
        lines = [self._item_line(items[line.sku], line) for line in order.lines]
        if order.shipping is not None and order.shipping.amount:
            shipping_item = self.books.ensure_item(SHIPPING_ITEM, "Shipping", record_type=ADJUSTMENT_RECORD)
            lines.append({"item": {"id": shipping_item}, "quantity": 1, "rate": order.shipping.amount.amount,
                          "amount": order.shipping.amount.amount, "tax1Amt": order.shipping.tax.amount,
                          "description": order.shipping.title})
        body: dict[str, Any] = {
            "entity": {"id": customer_id},
            self.books.order_id_field: order.channel_order_id,
            "memo": f"{channel} order {order.channel_order_id}",
            "item": {"items": lines},
        }
        if order.created_at:
            body["tranDate"] = order.created_at[:10]
        sales_order_id = self.books.upsert_sales_order(external_ids.sales_order(channel, order.channel_order_id), body)
        billing_id = self.books.transform_once(TransactionType.SALES_ORDER, sales_order_id, billing,
                                               external_ids.billing(channel, order.channel_order_id))
        record = self.store.record_order(
            channel, order.channel_order_id, channel_ref=order.channel_ref, currency=order.currency,
            customer_id=customer_id, sales_order_id=sales_order_id, billing_type=billing.value,
            billing_id=billing_id)
        return OrderSyncResult(order.channel_order_id, record, created=True)

    @staticmethod
    def _item_line(item_id: str, line: OrderLine) -> dict[str, Any]:
        net = line.net.amount
        return {"item": {"id": item_id}, "quantity": line.quantity, "rate": line_rate(net, line.quantity),
                "amount": net, "tax1Amt": line.tax.amount, "description": line.title or line.sku}
