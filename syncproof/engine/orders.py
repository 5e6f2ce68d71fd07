"""Order sync: a channel order becomes a NetSuite customer, sales order and billing record.

Lines are matched to NetSuite items by SKU (the item's ``itemId``). Every SKU is
resolved before anything is written, so an order with an unknown SKU is a recorded
error naming the SKU and nothing is half-created. Each record carries an external
id derived from the channel's order id, so a rerun creates nothing new.

Exactly once, step by step (the store's order row is the intent and the result):

1. intent: the order is recorded ``pending`` before any write;
2. customer and sales order: upserts by external id (a lost answer is sent again);
   the sales order's id is then noted on the pending row;
3. billing: a transform carrying the billing external id, looked up before every
   attempt (a lost answer or a ``DUP_RCRD`` is found, never doubled);
4. result: the order is recorded ``synced`` with the ids.

Killed anywhere, the next run resolves pending orders first (:meth:`OrderSync.resolve_pending`):
a billing record found by external id finishes the order; a sales order found without
one is billed; nothing found leaves the order to be synced again. Transient failures
are retried a bounded number of times; when they run out the order is marked
``retry``, the reason recorded in ``sync_errors``, and the next sync takes it up again.
"""

from __future__ import annotations

from dataclasses import dataclass

from connectors import ConnectorError
from connectors.netsuite import (
    NetSuiteRecords,
    SubsidiaryRefused,
    WriteGaveUp,
    add_currency_hint,
    external_ids,
    is_transient,
)
from syncproof import channels as channel_registry
from syncproof.config import Config
from syncproof.errors import ConfigError
from syncproof.model import Order, TransactionType

from .store import EngineStore, OrderRecord

__all__ = ["OrderSync", "OrderSyncResult", "SHIPPING_ITEM"]

SHIPPING_ITEM = "Shipping"
BILLING = {"cash_sale": TransactionType.CASH_SALE, "invoice": TransactionType.INVOICE}


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
        self._resolved = False

    def sync(self, order: Order) -> OrderSyncResult:
        with self.store.writer(order.channel.value):
            return self._sync_once(order)

    def _sync_once(self, order: Order) -> OrderSyncResult:
        channel = order.channel.value
        if not self._resolved:
            self.resolve_pending()
        existing = self.store.order(channel, order.channel_order_id)
        if existing is not None and existing.status == "synced":
            return OrderSyncResult(order.channel_order_id, existing)
        try:
            return self._sync(order, existing)
        except SubsidiaryRefused as exc:  # the customer is the first record written: nothing else was
            raise ConfigError(exc.message, exc.hint) from None
        except ConnectorError as exc:
            if not (isinstance(exc, WriteGaveUp) or is_transient(exc)):
                raise
            return self._gave_up(order, exc)

    def _gave_up(self, order: Order, exc: ConnectorError) -> OrderSyncResult:
        channel = order.channel.value
        detail = exc.message if isinstance(exc, WriteGaveUp) else " ".join(str(exc).split())[:300]
        reason = (f"order {order.channel_order_id}: NetSuite did not complete the sync ({detail}); "
                  f"it stays queued and is retried on the next sync")
        if self.store.order(channel, order.channel_order_id) is not None:
            self.store.mark_order(channel, order.channel_order_id, "retry")
        self.store.record_error(channel, "order", order.channel_order_id, reason)
        return OrderSyncResult(order.channel_order_id, None, reason)

    def _sync(self, order: Order, existing: OrderRecord | None) -> OrderSyncResult:
        channel = order.channel.value
        skus = [line.sku for line in order.lines]
        items = self.books.item_ids(skus)
        missing = sorted({sku for sku in skus if sku not in items})
        if missing:
            reason = (f"order {order.channel_order_id}: no NetSuite item has itemId "
                      f"{', '.join(repr(s) for s in missing)}; create the item or fix the SKU in {channel}")
            self.store.record_error(channel, "order", order.channel_order_id, reason)
            return OrderSyncResult(order.channel_order_id, None, reason)
        currency_id = self.books.currency_id(order.currency)
        if currency_id is None:
            reason = (f"order {order.channel_order_id}: NetSuite has no currency {order.currency}; "
                      + add_currency_hint(order.currency, "syncing this order"))
            self.store.record_error(channel, "order", order.channel_order_id, reason)
            return OrderSyncResult(order.channel_order_id, None, reason)
        billing = BILLING[self.config.channel(channel).billing]
        billing_eid = external_ids.billing(channel, order.channel_order_id)
        self.store.begin_order(channel, order.channel_order_id, channel_ref=order.channel_ref,
                               currency=order.currency)  # intent, before any write
        if existing is not None:  # an earlier attempt may have got as far as billing
            record = self._finish_from_billing(channel, order.channel_order_id, billing)
            if record is not None:
                return OrderSyncResult(order.channel_order_id, record, created=True)
        customer_id = self.books.ensure_customer(
            external_ids.customer(channel, order.customer_email or order.customer_name or order.channel_order_id),
            email=order.customer_email, name=order.customer_name or f"{channel} customer", currency_id=currency_id)
        shipping_item = None
        if order.shipping is not None and order.shipping.amount:
            shipping_item = self.books.ensure_item(SHIPPING_ITEM, "Shipping", charge=True)
        sales_order_id = self.books.upsert_order(
            external_ids.sales_order(channel, order.channel_order_id), order, customer_id=customer_id, item_ids=items,
            shipping_item_id=shipping_item, memo=self.books.memo(f"{channel} order {order.channel_order_id}"),
            currency_id=currency_id, channel=channel_registry.get(channel).netsuite_channel)
        self.store.note_sales_order(channel, order.channel_order_id, customer_id=customer_id,
                                    sales_order_id=sales_order_id)
        billing_id = self.books.transform_once(TransactionType.SALES_ORDER, sales_order_id, billing, billing_eid)
        self._pay(channel, order.channel_order_id, billing, billing_id, customer_id)
        record = self.store.record_order(
            channel, order.channel_order_id, channel_ref=order.channel_ref, currency=order.currency,
            customer_id=customer_id, sales_order_id=sales_order_id, billing_type=billing.value,
            billing_id=billing_id)
        return OrderSyncResult(order.channel_order_id, record, created=True)

    def _finish_from_billing(self, channel: str, channel_order_id: str,
                             billing: TransactionType) -> OrderRecord | None:
        """Record the order synced if its billing record exists in NetSuite (found by external id)."""
        found = self.books.find(billing, external_ids.billing(channel, channel_order_id))
        if found is None:
            return None
        pending = self.store.order(channel, channel_order_id)
        sales_order_id = found.created_from or (pending.sales_order_id if pending else None)
        customer_id = found.entity or (pending.customer_id if pending else None)
        return self.store.record_order(
            channel, channel_order_id, channel_ref=pending.channel_ref if pending else None,
            currency=pending.currency if pending else None, customer_id=customer_id,
            sales_order_id=sales_order_id, billing_type=billing.value, billing_id=found.id)

    def resolve_pending(self) -> list[OrderRecord]:
        """After a crash: finish orders whose intent was recorded but whose result was not.

        The billing record found by external id finishes the order; a sales order found
        without one is billed (the billing transform needs no channel data); when neither
        exists the order stays unfinished and its next sync makes it. Failures here are
        left for that next sync. Returns the orders finished.
        """
        self._resolved = True
        finished = []
        for pending in self.store.unfinished_orders():
            channel, order_id = pending.channel, pending.channel_order_id
            billing = BILLING[self.config.channel(channel).billing]
            try:
                record = self._finish_from_billing(channel, order_id, billing)
                if record is None:
                    so = self.books.find(TransactionType.SALES_ORDER, external_ids.sales_order(channel, order_id))
                    if so is None:
                        continue
                    billing_id = self.books.transform_once(TransactionType.SALES_ORDER, so.id, billing,
                                                           external_ids.billing(channel, order_id))
                    self._pay(channel, order_id, billing, billing_id, so.entity or pending.customer_id)
                    record = self.store.record_order(
                        channel, order_id, channel_ref=pending.channel_ref, currency=pending.currency,
                        customer_id=so.entity or pending.customer_id, sales_order_id=so.id,
                        billing_type=billing.value, billing_id=billing_id)
            except ConnectorError as exc:
                if not (isinstance(exc, WriteGaveUp) or is_transient(exc)):
                    self.store.record_error(channel, "order", order_id,
                                            f"order {order_id}: finishing its interrupted sync was refused: "
                                            + " ".join(str(exc).split())[:300])
                continue  # still unfinished: the order's next sync completes it
            finished.append(record)
        return finished

    def _pay(self, channel: str, order_id: str, billing: TransactionType, billing_id: str,
             customer_id: str | None) -> None:
        """An invoice is paid by a customer payment (the channel collected the money at checkout),
        upserted by its external id; a cash sale is paid by itself. Without it the invoice stays
        open and NetSuite applies the refund's credit memo to it, leaving nothing to pay out."""
        if billing is not TransactionType.INVOICE:
            return
        self.books.pay_invoice(external_ids.payment(channel, order_id), billing_id, customer_id=customer_id,
                               memo=self.books.memo(f"{channel} payment of order {order_id}"))
