"""How the sandbox connector makes each defect of :mod:`syncproof.connector_defects`.

The engine stays as it is; the connector changes what it hands the engine (a refund with a
line altered, settings with a switch flipped), wraps what the engine hands on (the cart
client, the NetSuite transform), or does one wrong thing after a sync (posts again, writes
into the wrong field, leaves its own status unrecorded). Every defect lives only here, in
the sandbox connector's process.

The defects made change at each scenario's start when the run scopes some to scenarios
(:meth:`Defects.for_scenario`): the engine is built again, so no wrapper of the previous
scenario's defects is left on it; the wrapper of the NetSuite client's transform, which outlives
the engine, asks at every call whether its defect is still made, and the settlement posting
module is patched for one settlement sync at a time (``settlement_defects``).
"""

from __future__ import annotations

import inspect
from dataclasses import replace
from decimal import Decimal
from typing import Any

from connectors.netsuite import external_ids
from syncproof.config import Config, RefundSettings
from syncproof.engine import SyncEngine
from syncproof.model import Money, Refund, TransactionType

__all__ = ["Defects"]

_REFUND_TYPES = (TransactionType.CASH_REFUND, TransactionType.CREDIT_MEMO)
#: the defects made by wrapping the cart client's create_refund
_PUSH_DEFECTS = frozenset({"push_quantity_one", "push_shipping_dropped", "push_tax_dropped"})


def _takes(method: Any, name: str) -> bool:
    """Whether a cart client's ``method`` takes the keyword ``name`` (a cart that sends tax per line does)."""
    return name in inspect.signature(method).parameters


class _Cart:
    """The cart client as the engine sees it, with the push defects applied to ``create_refund``."""

    def __init__(self, client: Any, defects: "Defects") -> None:
        self._client = client
        self._defects = defects

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def create_refund(self, order_ref: str, lines: dict[str, int], **kwargs: Any) -> Any:
        if "push_quantity_one" in self._defects.names:
            lines = {line: 1 for line in lines}
        if "push_shipping_dropped" in self._defects.names:
            kwargs["shipping"] = False
        if "push_tax_dropped" in self._defects.names and _takes(self._client.create_refund, "refund_tax"):
            kwargs["refund_tax"] = False
        return self._client.create_refund(order_ref, lines, **kwargs)


class Defects:
    """The active defects of one sandbox connector."""

    def __init__(self, names: tuple[str, ...], connector: Any) -> None:
        self.always = frozenset(names)  # made in every scenario
        self.names = self.always
        self.connector = connector
        self._again: set[tuple[str, str]] = set()
        self._echoed: set[str] = set()
        self.rewire()

    def __contains__(self, name: str) -> bool:
        return name in self.names

    def for_scenario(self, names: tuple[str, ...]) -> None:
        """Make ``names`` (and the defects made in every scenario) from now on, and no other: a fresh engine
        carries only their wrappers. The caller holds the connector's lock."""
        wanted = self.always | frozenset(names)
        if wanted == self.names:
            return
        self.names = wanted
        connector = self.connector
        connector.engine = SyncEngine.build(connector.netsuite, connector.store, connector.config)
        self.rewire()

    # --- wiring into a (re)built engine -----------------------------------------------------------
    def rewire(self) -> None:
        engine = self.connector.engine
        if "refund_not_linked" in self.names:
            books = engine.books
            original = books.transform_once

            def transform_once(source, source_id, target, external_id, **fields):
                if target not in _REFUND_TYPES or source not in (TransactionType.CASH_SALE, TransactionType.INVOICE):
                    return original(source, source_id, target, external_id, **fields)
                found = books.find(target, external_id)
                if found is not None:
                    return found.id
                return books.client.create(target.record_type, _standalone(books, source, source_id, external_id,
                                                                           fields))

            books.transform_once = transform_once
        if "unlinked_refund_pushed" in self.names:
            engine.refunds._report_unlinked = lambda channel: []
        if "refund_in_base_currency" in self.names:
            self._refunds_in_base_currency(engine.books)

    def _refunds_in_base_currency(self, books: Any) -> None:
        """``refund_in_base_currency``: every refund transform names the account's base currency (USD). The
        client outlives the engine, so its wrapper checks at every call that the defect is still made."""
        client = books.client
        transform = client.transform
        if getattr(transform, "in_base_currency", False):
            return
        refund_types = {t.record_type for t in _REFUND_TYPES}

        def in_base(source: str, source_id: str, target: str, payload: dict[str, Any], **kwargs: Any) -> Any:
            if target in refund_types and "refund_in_base_currency" in self.names:
                payload = {**payload, "currency": {"id": self.connector.engine.books.currency_id("USD")}}
            return transform(source, source_id, target, payload, **kwargs)

        in_base.in_base_currency = True  # type: ignore[attr-defined]
        client.transform = in_base

    def skips(self, channel: str) -> bool:
        """``channel_not_synced``: the Amazon integration is never run."""
        return channel == "amazon" and "channel_not_synced" in self.names

    # --- settings -------------------------------------------------------------------------------
    def keeps_settings(self, before: Config, after: Config, *, change: bool) -> bool:
        """True when the connector ignores a settings change (``settings_change_ignored``)."""
        return change and "settings_change_ignored" in self.names

    def after_settings_change(self, before: Config, after: Config) -> None:
        """``settings_retroactive``: refunds already synced are re-posted the new way."""
        if "settings_retroactive" not in self.names:
            return
        engine, store = self.connector.engine, self.connector.store
        for record in store.refunds():
            settings = after.channel(record.channel).refunds
            if record.direction != "to_netsuite" or record.status != "synced":
                continue
            paid = TransactionType.CUSTOMER_REFUND.value in record.related
            if record.netsuite_type == TransactionType.CREDIT_MEMO.value and settings.customer_refund and not paid:
                order = store.order(record.channel, record.channel_order_id)
                payout = engine.refunds._pay_out(record.channel, record.channel_refund_id, order,
                                                 str(record.netsuite_id), settings)
                store.finish_refund(record.channel, record.channel_refund_id, netsuite_type=record.netsuite_type,
                                    netsuite_id=str(record.netsuite_id), total=str(record.total),
                                    currency=str(record.currency),
                                    related={**record.related, TransactionType.CUSTOMER_REFUND.value: payout})

    # --- refunds to NetSuite ------------------------------------------------------------------------
    def to_netsuite(self, refund: Refund, settings: RefundSettings) -> None:
        connector = self.connector
        store, engine = connector.store, connector.engine
        channel, key = refund.channel.value, (refund.channel.value, refund.refund_id)
        existing = store.refund(channel, refund.refund_id)
        if existing is not None and existing.direction == "from_netsuite":
            if "echo_to_netsuite" in self.names and key not in self._again:
                self._again.add(key)
                engine.refunds.to_netsuite(replace(refund, refund_id=f"{refund.refund_id}~echo"), settings)
                connector.hidden_refunds.add((channel, f"{refund.refund_id}~echo"))
            return
        if existing is not None and existing.status == "synced":
            self._rerun(refund, settings, existing)
            return
        order = store.order(channel, refund.channel_order_id)
        if "unsyncable_refund_dropped" in self.names and (order is None or order.status != "synced"):
            return
        result = engine.refunds.to_netsuite(self._posted(refund, order), self._settings(settings))
        if "refund_status_not_updated" in self.names and result.status == "created":
            connector.hidden_refunds.add(key)

    def _rerun(self, refund: Refund, settings: RefundSettings, existing: Any) -> None:
        connector, key = self.connector, (refund.channel.value, refund.refund_id)
        if key in self._again:
            return
        if "duplicate_on_rerun" in self.names:
            self._again.add(key)
            copy = replace(refund, refund_id=f"{refund.refund_id}~again")
            connector.engine.refunds.to_netsuite(copy, self._settings(settings))
            connector.hidden_refunds.add((refund.channel.value, copy.refund_id))
        elif "rerun_reposts" in self.names:
            self._again.add(key)
            connector.netsuite.delete(TransactionType(existing.netsuite_type).record_type, str(existing.netsuite_id))
            connector.store.mark_refund(refund.channel.value, refund.refund_id, "retry")
            connector.engine.refunds.to_netsuite(refund, self._settings(settings))

    def _settings(self, settings: RefundSettings) -> RefundSettings:
        if "charges_on_fee_item" in self.names:
            settings = replace(settings, positive_adjustment_item=settings.negative_adjustment_item)
        if "kept_fee_on_refund_item" in self.names:
            settings = replace(settings, negative_adjustment_item=settings.positive_adjustment_item)
        if "always_return_authorization" in self.names:
            settings = replace(settings, return_authorization=True)
        if "return_authorization_missing" in self.names:
            settings = replace(settings, return_authorization=False)
        if "customer_refund_missing" in self.names:
            settings = replace(settings, customer_refund=False)
        if "tax_dropped" in self.names:
            settings = replace(settings, refund_tax=False)
        return settings

    def _posted(self, refund: Refund, order_record: Any) -> Refund:
        """The refund as the defective connector reads it from the channel."""
        lines = list(refund.lines)
        if "shipping_dropped" in self.names:
            refund = replace(refund, shipping=None, shipping_tax=None)
        if "kept_fee_dropped" in self.names and refund.adjustment is not None and refund.adjustment.amount < 0:
            refund = replace(refund, adjustment=None)
        if "order_refund_as_adjustment" in self.names and refund.extra.get("level") == "order":
            refund = replace(refund, lines=(), shipping=None, shipping_tax=None, adjustment=refund.total)
            lines = []
        if lines and "cent_off" in self.names:
            lines[0] = replace(lines[0], amount=lines[0].amount + Money(Decimal("0.01"), refund.currency))
        if "quantity_one" in self.names:
            lines = [replace(line, quantity=1) for line in lines]
        if lines and "wrong_sku" in self.names:
            order = self.connector.orders.get((refund.channel.value, refund.channel_order_id))
            other = next((line.sku for line in (order.lines if order else ()) if line.sku != lines[0].sku), None)
            if other:
                lines[0] = replace(lines[0], sku=other)
        return replace(refund, lines=tuple(lines))

    # --- refunds from NetSuite ------------------------------------------------------------------
    def from_netsuite(self, channel: str, client: Any, settings: RefundSettings) -> None:
        connector = self.connector
        engine, store = connector.engine, connector.store
        cart = _Cart(client, self) if self.names & _PUSH_DEFECTS else client
        for result in engine.refunds.from_netsuite(channel, cart, settings):
            if result.status != "created":
                continue
            if "push_status_not_updated" in self.names:
                connector.hidden_refunds.add((channel, result.refund_id))
            if "order_ref_overwritten" in self.names:
                order = store.order(channel, result.channel_order_id)
                connector.netsuite.update("salesOrder", str(order.sales_order_id),
                                          {engine.books.order_id_field: result.refund_id})
        if "echo_cart_refund" in self.names:
            own = external_ids.refund(channel, "")
            for row in engine.refunds.netsuite_refunds_for_synced_orders(channel):
                ns_id = str(row["id"])
                if str(row.get("externalid") or "").startswith(own) and ns_id not in self._echoed:
                    self._echoed.add(ns_id)
                    engine.refunds._push_to_cart(channel, cart, row, settings)


def _standalone(books: Any, source: TransactionType, source_id: str, external_id: str,
                fields: dict[str, Any]) -> dict[str, Any]:
    """The refund as a record of its own for the order's customer, not transformed from the billing record.

    ``fields`` are those of :meth:`NetSuiteRecords.transform_once` (``memo``, ``lines``...).
    """
    record = books.get(source, source_id)
    by_line = {str(line.get("line")): line for line in record.get("item", {}).get("items", [])}
    items = []
    for line in fields.get("lines") or []:
        copy = {k: v for k, v in line.to_body().items() if k != "orderLine"}
        if "item" not in copy:
            copy["item"] = {"id": str(by_line.get(str(line.order_line), {}).get("item", {}).get("id"))}
        items.append(copy)
    entity = record.get("entity") or {}
    return {"entity": {"id": str(entity.get("id"))}, "externalId": external_id, "memo": fields.get("memo"),
            "item": {"items": items}}
