"""Refund sync, one direction per channel (``[<channel>.refunds] direction``).

- **to NetSuite**: a refund made in the marketplace or cart, on an order the engine
  synced, becomes the record the refund settings call for, made by transform from the
  order's billing record (cash sale -> cash refund; invoice -> credit memo, plus a
  customer refund when asked; or a return authorization first). Lines per SKU,
  shipping and other amounts on the adjustment items, tax as charged.
- **from NetSuite**: cash refunds and credit memos created (directly or through a return
  authorization) from the billing records of synced orders become cart refunds.

Every write is idempotent (external ids derived from the channel refund id; cart
refunds carry a marker in their note) and the store records intent before writing,
so a retry or a rerun never makes a second record. Refunds the engine cannot sync
(order never synced, deleted in NetSuite, nothing left to refund) are recorded
exceptions, never silent gaps.

Exactly once, per direction:

- **to NetSuite**: intent (``pending``, with the external id and the channel's total)
  -> return authorization and refund by transform, each looked up by external id
  before every attempt -> customer refund upserted once by external id -> result
  (``synced``). A refusal (4xx) drops the intent and is a recorded exception; transient
  failures that outlast the bounded retries mark the refund ``retry`` and record the
  reason, and the next sync posts it (looking up first). :meth:`RefundSync.resolve_pending`,
  run before the first sync of an engine, settles intents a killed run left behind.
- **from NetSuite**: intent under ``netsuite:<id>`` -> cart refund created with a marker
  (the connector looks the marker up before creating and after a lost answer; retries
  are bounded the same way) -> the intent is swapped for the cart refund's own id.
  A killed run leaves the NetSuite refund unsynced in the store, so the next pass pushes
  it again and the marker finds the cart refund already made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Sequence

from connectors import ConnectorError, NetSuiteError, RefundNotExpressible
from connectors.netsuite import (
    ADJUSTMENT_DESCRIPTION,
    SHIPPING_DESCRIPTION,
    BilledLine,
    BillingRecord,
    CurrencyUnresolved,
    ItemLine,
    NetSuiteRecords,
    WriteGaveUp,
    external_ids,
    is_transient,
)
from syncproof.config import Config, RefundSettings
from syncproof.errors import SettingsRefused
from syncproof.model import Channel, Money, Refund, TransactionType

from .leases import cart_lock
from .orders import SHIPPING_ITEM
from .store import EngineStore, OrderRecord, RefundRecord

__all__ = ["RefundSync", "RefundSyncResult", "RefundPlan", "plan_records", "netsuite_refund_as_domain",
           "NOTE_MARKER"]

NOTE_MARKER = "syncproof:netsuite-refund:"
#: the store key of a refund being pushed to a cart, until the cart gives it its own id
PUSH_KEY = "netsuite:"


@dataclass(frozen=True)
class RefundPlan:
    """The NetSuite records a refund becomes under the current settings."""

    return_authorization: bool
    refund_type: TransactionType
    customer_refund: bool

    @property
    def types(self) -> list[TransactionType]:
        chain = [TransactionType.RETURN_AUTHORIZATION] if self.return_authorization else []
        chain.append(self.refund_type)
        if self.customer_refund:
            chain.append(TransactionType.CUSTOMER_REFUND)
        return chain


def plan_records(billing: TransactionType, settings: RefundSettings) -> RefundPlan:
    """What the settings call for when a ``billing`` record is refunded (pure)."""
    if billing is TransactionType.CASH_SALE:
        return RefundPlan(settings.return_authorization, TransactionType.CASH_REFUND, False)
    if billing is TransactionType.INVOICE:
        return RefundPlan(settings.return_authorization, TransactionType.CREDIT_MEMO, settings.customer_refund)
    raise ValueError(f"orders billed as {billing.label} cannot be refunded by transform")


@dataclass
class RefundSyncResult:
    """One refund's outcome: synced now, synced before, or a recorded exception."""

    channel: str
    refund_id: str
    channel_order_id: str
    status: str  # created | unchanged | exception
    record: RefundRecord | None = None
    reason: str | None = None
    netsuite_ids: dict[str, str] = field(default_factory=dict)


class RefundSync:
    """Performs refund sync in the direction each channel's settings name."""

    def __init__(self, books: NetSuiteRecords, store: EngineStore, config: Config) -> None:
        self.books = books
        self.store = store
        self.config = config
        self._resolved = False

    # --- cart/marketplace -> NetSuite ------------------------------------------------------
    def to_netsuite(self, refund: Refund, settings: RefundSettings | None = None) -> RefundSyncResult:
        channel = refund.channel.value
        settings = settings or self.config.channel(channel).refunds
        if settings.direction != "to_netsuite":
            return self._exception(refund, f"{channel} refunds sync from NetSuite, so refund {refund.refund_id} "
                                   "is not posted to NetSuite (no echo)", record=False)
        with self.store.writer(channel):
            return self._to_netsuite(refund, settings)

    def _to_netsuite(self, refund: Refund, settings: RefundSettings) -> RefundSyncResult:
        channel = refund.channel.value
        if not self._resolved:
            self.resolve_pending()
        existing = self.store.refund(channel, refund.refund_id)
        if existing is not None and existing.status == "synced":
            return RefundSyncResult(channel, refund.refund_id, refund.channel_order_id, "unchanged", existing)
        order = self.store.order(channel, refund.channel_order_id)
        if order is None or order.status != "synced" or not order.billing_id:
            return self._exception(refund, f"refund {refund.refund_id} is on {channel} order "
                                   f"{refund.channel_order_id}, which was never synced to NetSuite")
        billing = TransactionType(order.billing_type)
        plan = plan_records(billing, settings)
        external_id = external_ids.refund(channel, refund.refund_id)
        total = str(refund.total.rounded().amount)
        self.store.begin_refund(channel, refund.refund_id, refund.channel_order_id, direction="to_netsuite",
                                netsuite_type=plan.refund_type.value, external_id=external_id,
                                total=total, currency=refund.currency)  # intent, before any write
        try:
            ids = self._post(refund, order, billing, plan, settings)
        except SettingsRefused:
            self.store.forget_refund(channel, refund.refund_id)
            raise
        except ConnectorError as exc:
            if isinstance(exc, WriteGaveUp) or is_transient(exc):
                self.store.mark_refund(channel, refund.refund_id, "retry")  # kept: the next sync posts it
                return self._exception(refund, self._retry_reason(refund, exc))
            if not isinstance(exc, NetSuiteError):
                raise
            self.store.forget_refund(channel, refund.refund_id)  # refused: nothing was written
            return self._exception(refund, self._refusal_reason(refund, order, exc))
        record = self.store.finish_refund(
            channel, refund.refund_id, netsuite_type=plan.refund_type.value, netsuite_id=ids[plan.refund_type.value],
            total=total, currency=refund.currency,
            related={k: v for k, v in ids.items() if k != plan.refund_type.value})
        return RefundSyncResult(channel, refund.refund_id, refund.channel_order_id, "created", record, netsuite_ids=ids)

    def _post(self, refund: Refund, order: OrderRecord, billing: TransactionType, plan: RefundPlan,
              settings: RefundSettings) -> dict[str, str]:
        channel = refund.channel.value
        billing_id = str(order.billing_id)  # a synced order always has one
        billed = self.books.billing_record(billing, billing_id)  # 404 when deleted in NetSuite
        if plan.customer_refund:
            self._check_nothing_open(refund, billed)
        memo = self.books.memo(f"{channel} refund {refund.refund_id} on order {refund.channel_order_id}")
        lines: list[ItemLine] | None = self._transform_lines(refund, billed.lines, settings)
        ids: dict[str, str] = {}
        source_type, source_id = billing, billing_id
        if plan.return_authorization:
            ra = TransactionType.RETURN_AUTHORIZATION
            ids[ra.value] = self.books.transform_once(billing, billing_id, ra,
                                                      external_ids.return_authorization(channel, refund.refund_id),
                                                      memo=memo, lines=lines)
            source_type, source_id = ra, ids[ra.value]
            lines = None  # the return authorization holds exactly the refunded lines
        cash = plan.refund_type is TransactionType.CASH_REFUND
        refund_id = self.books.transform_once(source_type, source_id, plan.refund_type,
                                              external_ids.refund(channel, refund.refund_id), memo=memo, lines=lines,
                                              account=settings.refund_account if cash else None,
                                              payment_method=settings.payment_method if cash else None)
        ids[plan.refund_type.value] = refund_id
        if plan.customer_refund:
            ids[TransactionType.CUSTOMER_REFUND.value] = self._customer_refund(refund, order, refund_id, settings)
        return ids

    def _transform_lines(self, refund: Refund, billed: Sequence[BilledLine],
                         settings: RefundSettings) -> list[ItemLine]:
        lines = self.books.refund_lines(billed, refund, refund_tax=settings.refund_tax)
        if settings.refund_shipping and refund.shipping is not None and refund.shipping:
            lines.append(self._adjustment_line(settings.positive_adjustment_item, refund.shipping.amount,
                                               refund.shipping_tax.amount if refund.shipping_tax and settings.refund_tax
                                               else Decimal(0), SHIPPING_DESCRIPTION))
        if refund.adjustment is not None and refund.adjustment:
            item = (
                settings.positive_adjustment_item if refund.adjustment.amount > 0 else settings.negative_adjustment_item
            )
            lines.append(self._adjustment_line(item, refund.adjustment.amount, Decimal(0), ADJUSTMENT_DESCRIPTION))
        return lines

    def _adjustment_line(self, item: str, amount: Decimal, tax: Decimal, description: str) -> ItemLine:
        item_id = self.books.item_ids([item]).get(item)
        if item_id is None:
            raise SettingsRefused(f"the refund adjustment item {item!r} does not exist in NetSuite",
                                  "create it as an Other Charge for Sale item or change the refund settings")
        return self.books.charge_line(item_id, amount, tax, description)

    @staticmethod
    def _check_nothing_open(refund: Refund, invoice: BillingRecord) -> None:
        """Before any write: a customer refund needs the credit memo unapplied, and NetSuite applies
        a credit memo made from an invoice to that invoice while it has an amount remaining."""
        if invoice.amount_remaining > 0:
            raise SettingsRefused(
                f"refund {refund.refund_id}: customer_refund = true, but invoice {invoice.tranid} of order "
                f"{refund.channel_order_id} still has {invoice.amount_remaining} {refund.currency} remaining, so "
                "NetSuite would apply the credit memo to it and leave nothing to refund",
                "record the order's payment against the invoice in NetSuite, or set customer_refund = false")

    def _customer_refund(self, refund: Refund, order: OrderRecord, credit_memo_id: str,
                         settings: RefundSettings) -> str:
        return self._pay_out(refund.channel.value, refund.refund_id, order, credit_memo_id, settings)

    def _pay_out(self, channel: str, refund_id: str, order: OrderRecord, credit_memo_id: str,
                 settings: RefundSettings) -> str:
        """The customer refund paying out a credit memo, upserted once by its external id."""
        return self.books.pay_out(credit_memo_id, external_ids.customer_refund(channel, refund_id),
                                  customer_id=order.customer_id, memo=self.books.memo(f"{channel} refund {refund_id}"),
                                  account=settings.refund_account, payment_method=settings.payment_method)

    @staticmethod
    def _refusal_reason(refund: Refund, order: OrderRecord, exc: NetSuiteError) -> str:
        where = f"refund {refund.refund_id} on {refund.channel.value} order {refund.channel_order_id}"
        if exc.status == 404:
            return (f"{where}: its billing record ({order.billing_type} {order.billing_id}) no longer exists in "
                    "NetSuite (deleted?)")
        return f"{where} was refused by NetSuite: {exc.detail or exc.message}"

    @staticmethod
    def _retry_reason(refund: Refund, exc: ConnectorError) -> str:
        where = f"refund {refund.refund_id} on {refund.channel.value} order {refund.channel_order_id}"
        detail = exc.message if isinstance(exc, WriteGaveUp) else " ".join(str(exc).split())[:300]
        return (
            f"{where} could not be posted to NetSuite now ({detail}); it stays queued and is retried on the next sync"
        )

    def _exception(self, refund: Refund, reason: str, *, record: bool = True) -> RefundSyncResult:
        if record:
            self.store.record_error(refund.channel.value, "refund", refund.refund_id, reason)
        return RefundSyncResult(refund.channel.value, refund.refund_id, refund.channel_order_id, "exception",
                                reason=reason)

    def resolve_pending(self) -> list[RefundRecord]:
        """After a crash: settle refunds to NetSuite whose intent was recorded but whose result was not.

        Each is looked up by its external id. Found: it is recorded ``synced`` (with its
        return authorization, and its customer refund, made now if the settings call for
        one and it is missing). Not found: it is marked ``retry`` and the next sync of
        the refund posts it. A failure here leaves it as it was. Returns the refunds settled.
        """
        self._resolved = True
        settled = []
        for pending in self.store.unfinished_refunds():
            if pending.direction != "to_netsuite":
                continue  # pushes to a cart are settled by the next from_netsuite pass (marker look-up)
            try:
                record = self._settle(pending)
            except ConnectorError as exc:
                if not (isinstance(exc, WriteGaveUp) or is_transient(exc)):
                    self.store.record_error(pending.channel, "refund", pending.channel_refund_id,
                                            f"refund {pending.channel_refund_id}: settling its interrupted sync was "
                                            "refused: " + " ".join(str(exc).split())[:300])
                continue
            if record is not None:
                settled.append(record)
        return settled

    def _settle(self, pending: RefundRecord) -> RefundRecord | None:
        channel, refund_id = pending.channel, pending.channel_refund_id
        kind = TransactionType(pending.netsuite_type)
        found = self.books.find(kind, pending.external_id or external_ids.refund(channel, refund_id))
        if found is None:
            if pending.status == "pending":
                self.store.mark_refund(channel, refund_id, "retry")
            return None
        netsuite_id = found.id
        related: dict[str, str] = {}
        ra = self.books.find(
            TransactionType.RETURN_AUTHORIZATION, external_ids.return_authorization(channel, refund_id)
        )
        if ra is not None:
            related[TransactionType.RETURN_AUTHORIZATION.value] = ra.id
        if kind is TransactionType.CREDIT_MEMO:
            order = self.store.order(channel, pending.channel_order_id)
            settings = self.config.channel(channel).refunds
            eid = external_ids.customer_refund(channel, refund_id)
            paid = self.books.find(TransactionType.CUSTOMER_REFUND, eid)
            if paid is None and settings.customer_refund and order is not None:
                related[TransactionType.CUSTOMER_REFUND.value] = self._pay_out(channel, refund_id, order, netsuite_id,
                                                                               settings)
            elif paid is not None:
                related[TransactionType.CUSTOMER_REFUND.value] = paid.id
        total = pending.total if pending.total else (str(found.total) if found.total is not None else "")
        currency = pending.currency or found.currency or ""
        return self.store.finish_refund(channel, refund_id, netsuite_type=kind.value, netsuite_id=netsuite_id,
                                        total=total, currency=currency, related=related)

    # --- NetSuite -> cart -------------------------------------------------------------------
    def netsuite_refunds_for_synced_orders(self, channel: str) -> list[dict[str, Any]]:
        """Cash refunds and credit memos made from synced orders' billing records, one query a page."""
        billing = {o.billing_id: o for o in self.store.orders(channel) if o.billing_id}
        found = self.books.refunds_from_billing(billing)
        for row in found:
            row["order"] = billing[str(row["billingid"])]
        return found

    def unlinked_netsuite_refunds(self) -> list[dict[str, Any]]:
        """Cash refunds and credit memos since go-live that were not made from any synced order's billing record."""
        synced = {o.billing_id for o in self.store.orders() if o.billing_id}
        return [row for row in self.books.refunds_since(self.config.project.go_live.isoformat())
                if str(row.get("billingid") or "") not in synced]

    def _report_unlinked(self, channel: str) -> list[RefundSyncResult]:
        """NetSuite refunds not created from a synced order are reported once each, never pushed."""
        results = []
        for row in self.unlinked_netsuite_refunds():
            ns_id = str(row["id"])
            label = f"NetSuite {TransactionType(str(row['type'])).label} {row.get('tranid') or ns_id}"
            origin = (
                f"created from record {row['billingid']}" if row.get("billingid") else "not created from any record"
            )
            reason = (f"{label} is {origin}, not from an order syncproof synced, so it is reported and not pushed "
                      f"to {channel}")
            if not self.store.errors(channel, ns_id):
                self.store.record_error(channel, "refund", ns_id, reason)
            results.append(RefundSyncResult(channel, ns_id, "", "exception", reason=reason))
        return results

    def from_netsuite(self, channel: str, cart: Any, settings: RefundSettings | None = None) -> list[RefundSyncResult]:
        """Push NetSuite refunds of synced orders to the cart; never refunds the channel itself made."""
        settings = settings or self.config.channel(channel).refunds
        if settings.direction != "from_netsuite":
            return []
        with self.store.writer(channel):
            return self._from_netsuite(channel, cart, settings)

    def _from_netsuite(self, channel: str, cart: Any, settings: RefundSettings) -> list[RefundSyncResult]:
        results = []
        own_prefix = external_ids.refund(channel, "")
        for row in self.netsuite_refunds_for_synced_orders(channel):
            ns_id = str(row["id"])
            if str(row.get("externalid") or "").startswith(own_prefix):
                continue  # made from a channel refund: pushing it back would echo it
            existing = self.store.refund_by_netsuite_id(ns_id)
            if existing is not None and existing.status == "synced":
                results.append(RefundSyncResult(channel, existing.channel_refund_id, existing.channel_order_id,
                                                "unchanged", existing))
                continue
            try:
                results.append(self._push_to_cart(channel, cart, row, settings))
            except ConnectorError as exc:
                if not (isinstance(exc, WriteGaveUp) or is_transient(exc)):
                    raise
                self.store.mark_refund(channel, f"{PUSH_KEY}{ns_id}", "retry")
                reason = (f"NetSuite {TransactionType(str(row['type'])).label} {row.get('tranid') or ns_id} could not "
                          f"be pushed to {channel} now ({' '.join(str(exc).split())[:300]}); it stays queued and is "
                          "retried on the next sync")
                self.store.record_error(channel, "refund", ns_id, reason)
                results.append(RefundSyncResult(channel, ns_id, row["order"].channel_order_id, "exception",
                                                reason=reason))
        return results + self._report_unlinked(channel)

    def _push_to_cart(self, channel: str, cart: Any, row: dict[str, Any], settings: RefundSettings) -> RefundSyncResult:
        order: OrderRecord = row["order"]
        kind = TransactionType(str(row["type"]))
        try:
            ns_refund = netsuite_refund_as_domain(self.books, kind, str(row["id"]), Channel(channel),
                                                  order.channel_order_id, order.currency or "USD", settings)
        except CurrencyUnresolved as exc:  # never pushed in a currency guessed from the order
            reason = f"{exc}; it is not pushed to {channel}"
            self.store.record_error(channel, "refund", str(row["id"]), reason)
            return RefundSyncResult(channel, str(row["id"]), order.channel_order_id, "exception", reason=reason)
        cart_order = cart.get_order(order.channel_ref)
        lines: dict[str, int] = {}
        for sku, quantity in ns_refund.quantity_by_sku().items():
            try:
                lines[cart_order.line_for_sku(sku).line_id] = quantity
            except KeyError:
                reason = (f"NetSuite {kind.label} {row.get('tranid') or row['id']} refunds SKU {sku}, which is not on "
                          f"{channel} order {order.channel_order_id}")
                self.store.record_error(channel, "refund", str(row["id"]), reason)
                return RefundSyncResult(channel, str(row["id"]), order.channel_order_id, "exception", reason=reason)
        marker = f"{NOTE_MARKER}{row['id']}"
        total = str(ns_refund.total.rounded().amount)
        placeholder = f"{PUSH_KEY}{row['id']}"
        self.store.begin_refund(channel, placeholder, order.channel_order_id, direction="from_netsuite",
                                netsuite_type=kind.value, external_id=str(row.get("externalid") or ""),
                                total=total, currency=ns_refund.currency, netsuite_id=str(row["id"]))  # intent
        try:
            created = self._create_cart_refund(
                cart, order.channel_ref or order.channel_order_id, lines, marker, shipping=ns_refund.shipping or False,
                note=f"{kind.label} {row.get('tranid') or row['id']} from NetSuite",
                restock_type=settings.restock.upper(), amount=ns_refund.total)
        except RefundNotExpressible as exc:
            self.store.forget_refund(channel, placeholder)  # refused before anything was sent
            reason = (f"NetSuite {kind.label} {row.get('tranid') or row['id']} refunds {ns_refund.total.rounded()}, "
                      f"which {channel} cannot pay back: {exc.message}; it is not pushed")
            self.store.record_error(channel, "refund", str(row["id"]), reason)
            return RefundSyncResult(channel, str(row["id"]), order.channel_order_id, "exception", reason=reason)
        record = self.store.replace_refund(
            channel, placeholder, created.refund_id, order.channel_order_id, direction="from_netsuite",
            netsuite_type=kind.value, netsuite_id=str(row["id"]), total=total,
            currency=ns_refund.currency, external_id=str(row.get("externalid") or ""))
        return RefundSyncResult(channel, created.refund_id, order.channel_order_id, "created", record,
                                netsuite_ids={kind.value: str(row["id"])})


    def _create_cart_refund(self, cart: Any, order_ref: str, lines: dict[str, int], marker: str, *,
                            shipping: Any, note: str, restock_type: str, amount: Money) -> Any:
        """``cart.create_refund`` of ``amount`` with the marker, retried a bounded number of times.

        The connector looks the marker up before creating and after a lost answer, so
        an attempt never makes a second cart refund; the look-up and the create run
        under the order's cart lock, so another process on this machine cannot slip
        its own create in between (across machines, the cart's idempotency key).
        """
        attempts = self.books.write_attempts
        for attempt in range(1, attempts + 1):
            try:
                with cart_lock(getattr(cart, "system", "cart"), getattr(cart, "base_url", ""), order_ref):
                    return cart.create_refund(order_ref, lines, shipping=shipping, note=note,
                                              restock_type=restock_type, notify=False, marker=marker, amount=amount)
            except ConnectorError as exc:
                if not is_transient(exc):
                    raise
                if attempt == attempts:
                    raise WriteGaveUp(f"{getattr(cart, 'system', 'cart')} refund {marker}", attempts, exc) from None
                self.books.retries += 1
                retry, sleep = getattr(cart, "retry", None), getattr(cart, "sleep", None)
                if retry is not None and sleep is not None:
                    sleep(retry.backoff(attempt))
        raise AssertionError("unreachable")


def netsuite_refund_as_domain(books: NetSuiteRecords, kind: TransactionType, record_id: str, channel: Channel,
                              channel_order_id: str, currency: str, settings: RefundSettings) -> Refund:
    """A NetSuite refund record read back in the channel's terms: lines per SKU, shipping, adjustments."""
    return books.refund_as_domain(kind, record_id, channel=channel, channel_order_id=channel_order_id,
                                  currency=currency, shipping_item=SHIPPING_ITEM,
                                  adjustment_items=(settings.positive_adjustment_item,
                                                    settings.negative_adjustment_item))
