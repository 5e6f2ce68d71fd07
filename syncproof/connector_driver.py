"""The ``connector`` driver: the real NetSuite Connector syncs, syncproof watches.

Instead of syncing itself, each "is synced" step polls NetSuite (and the cart) every
``[project] poll_interval_seconds`` until the record the connector should have made
appears, or ``poll_timeout_seconds`` pass. What it finds is written to the engine store
exactly as the engine would have written it, so the same checks then run. A timeout
fails the step with the last state seen on both sides.

Matching needs no help from the connector: the sales order is found by the channel
order id in ``[netsuite] order_id_field``, its billing record by ``createdFrom``, and a
refund by ``createdFrom`` (directly or through a return authorization) and its total.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, TypeVar

from .config import Config
from .engine.netsuite_records import NetSuiteRecords, suiteql_literal
from .engine.store import EngineStore, OrderRecord, RefundRecord
from .errors import SyncproofError
from .model import Order, Refund

__all__ = ["ConnectorWatch", "Poller", "SyncDidNotHappen"]

T = TypeVar("T")


class SyncDidNotHappen(SyncproofError):
    """The connector did not make the expected record before the timeout."""

    category = "sync did not happen"


@dataclass
class Poller:
    """Calls a probe every ``interval`` seconds until it returns something or ``timeout`` passes."""

    interval: float
    timeout: float
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    polls: int = field(default=0, init=False)

    def until(self, probe: Callable[[], T | None], *, what: str, last_state: Callable[[], str]) -> T:
        deadline = self.clock() + self.timeout
        while True:
            self.polls += 1
            found = probe()
            if found is not None:
                return found
            if self.clock() >= deadline:
                raise SyncDidNotHappen(
                    f"{what} did not happen within {self.timeout:g} s; last seen: {last_state()}",
                    "check the connector's sync schedule and its error log, or raise [project] poll_timeout_seconds")
            self.sleep(self.interval)


class ConnectorWatch:
    """Waits for the real connector's order and refund syncs and records them in the store."""

    def __init__(
        self, books: NetSuiteRecords, store: EngineStore, config: Config, poller: Poller | None = None
    ) -> None:
        self.books = books
        self.store = store
        self.config = config
        self.poller = poller or Poller(config.project.poll_interval_seconds, config.project.poll_timeout_seconds)

    def transactions(self, ids: list[str]) -> list[dict[str, Any]]:
        """Id, type and tranid of the given NetSuite transactions (one SuiteQL query)."""
        wanted = [suiteql_literal(int(i)) for i in ids if i]
        if not wanted:
            return []
        return list(self.books.client.suiteql(
            f"SELECT id, type, tranid, externalid FROM transaction WHERE id IN ({', '.join(wanted)}) ORDER BY id"))

    # --- orders --------------------------------------------------------------------------------
    def _order_rows(self, order: Order) -> list[dict[str, Any]]:
        field_name = self.books.order_id_field.lower()
        return list(self.books.client.suiteql(
            "SELECT so.id, so.entity, bill.id AS billid, bill.type AS billtype "
            "FROM transaction so "
            "LEFT JOIN transactionline bl ON bl.createdfrom = so.id AND bl.mainline = 'T' "
            "LEFT JOIN transaction bill ON bill.id = bl.transaction AND bill.type IN ('CashSale', 'CustInvc') "
            f"WHERE so.type = 'SalesOrd' AND so.{field_name} = {suiteql_literal(order.channel_order_id)} "
            "ORDER BY so.id"))

    def order_synced(self, order: Order) -> OrderRecord:
        channel = order.channel.value

        def probe() -> OrderRecord | None:
            for row in self._order_rows(order):
                if row.get("billid"):
                    return self.store.record_order(
                        channel, order.channel_order_id, channel_ref=order.channel_ref, currency=order.currency,
                        customer_id=str(row.get("entity") or ""), sales_order_id=str(row["id"]),
                        billing_type=str(row["billtype"]), billing_id=str(row["billid"]))
            return None

        def last_state() -> str:
            rows = self._order_rows(order)
            netsuite = ("no sales order with " f"{self.books.order_id_field} = {order.channel_order_id}" if not rows
                        else f"sales order {rows[0]['id']} without a cash sale or invoice")
            return f"{channel}: order {order.channel_order_id} exists; NetSuite: {netsuite}"

        return self.poller.until(probe, what=f"the connector's sync of {channel} order {order.channel_order_id}",
                                 last_state=last_state)

    # --- refunds to NetSuite -----------------------------------------------------------------------
    def _refund_rows(self, billing_id: str) -> list[dict[str, Any]]:
        return self.books.refunds_from_billing([billing_id])

    def refund_synced(self, refund: Refund, order: OrderRecord) -> RefundRecord:
        channel = refund.channel.value
        wanted = refund.total.rounded().amount
        claimed = {r.netsuite_id for r in self.store.refunds(channel, order.channel_order_id)}

        def probe() -> RefundRecord | None:
            for row in self._refund_rows(order.billing_id or "0"):
                total = abs(Decimal(str(row.get("foreigntotal") or 0)))
                if str(row["id"]) in claimed or total != wanted:
                    continue
                related = {"RtnAuth": str(row["raid"])} if row.get("raid") else {}
                return self.store.record_refund(
                    channel, refund.refund_id, order.channel_order_id, direction="to_netsuite",
                    netsuite_type=str(row["type"]), netsuite_id=str(row["id"]), total=str(wanted),
                    currency=refund.currency, related=related)
            return None

        def last_state() -> str:
            rows = self._refund_rows(order.billing_id or "0")
            seen = (
                ", ".join(
                    f"{r['type']} {r.get('tranid') or r['id']} total {abs(Decimal(str(r.get('foreigntotal') or 0)))}"
                    for r in rows
                )
                or "no refund record"
            )
            return (f"{channel}: refund {refund.refund_id} of {wanted} {refund.currency} on order "
                    f"{order.channel_order_id}; NetSuite: {seen} from {order.billing_type} {order.billing_id}")

        return self.poller.until(probe, what=f"the connector's sync of {channel} refund {refund.refund_id}",
                                 last_state=last_state)

    # --- refunds from NetSuite to the cart -----------------------------------------------------------
    def cart_refund_synced(self, channel: str, cart_refunds: Callable[[], list[Refund]], order: OrderRecord,
                           netsuite_type: str, netsuite_id: str) -> RefundRecord:
        known = {r.channel_refund_id for r in self.store.refunds(channel, order.channel_order_id)}

        def probe() -> RefundRecord | None:
            for refund in cart_refunds():
                if refund.refund_id not in known:
                    return self.store.record_refund(
                        channel, refund.refund_id, order.channel_order_id, direction="from_netsuite",
                        netsuite_type=netsuite_type, netsuite_id=netsuite_id,
                        total=str(refund.total.rounded().amount), currency=refund.currency)
            return None

        def last_state() -> str:
            refunds = cart_refunds()
            return (f"NetSuite: {netsuite_type} {netsuite_id} on order {order.channel_order_id}; {channel}: "
                    f"{len(refunds)} refund(s), none new")

        return self.poller.until(probe, what=f"the connector's push of NetSuite {netsuite_type} {netsuite_id} "
                                 f"to {channel}", last_state=last_state)
