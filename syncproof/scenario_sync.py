"""Who performs the syncs a scenario checks, behind one interface: :class:`Sync`.

    sync = runtime.sync(config)              # chosen once, by [project] driver
    record = sync.order(order)               # the order in NetSuite, as the store records it
    results = sync.refunds(made)             # the refund sync the scenario waits for

- :class:`EngineSync` (``--driver engine``): syncproof's engine performs each sync when asked.
- :class:`ConnectorSync` (``--driver connector``): the NetSuite Connector syncs on its own and
  the :class:`~syncproof.connector_driver.ConnectorWatch` waits until its records appear; on the
  sandbox the sandbox NetSuite Connector also takes the scenario's settings and reports
  its own record of every sync.

Steps call the interface and never ask which driver runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Protocol, Sequence

from .config import Config
from .connector_driver import ConnectorWatch, RefundOutcome
from .engine.refunds import RefundSyncResult
from .engine.store import EngineStore, OrderRecord, RefundRecord
from .model import Money, Order, Refund, TransactionType

__all__ = ["ConnectorSync", "EngineSync", "OrderNotSynced", "RefundsMade", "SettlementImport", "Sync",
           "scenario_sync"]


class OrderNotSynced(AssertionError):
    """The engine could not sync an order the scenario needs in NetSuite."""


@dataclass(frozen=True)
class RefundsMade:
    """What a scenario did that a refund sync picks up.

    ``channel_refund``: a refund made in the channel; ``netsuite_refund``: one made in NetSuite
    from the synced order's billing record; ``unlinked_refund``: one made in NetSuite outside
    every synced order. ``channel_refunds`` reads the order's refunds in the channel.
    """

    channel: str
    direction: str
    order: Order | None = None
    order_record: OrderRecord | None = None
    channel_refund: Refund | None = None
    netsuite_refund: tuple[TransactionType, str] | None = None
    unlinked_refund: tuple[TransactionType, str] | None = None
    channel_refunds: Callable[[], list[Refund]] = list
    cart: Any = None  # the channel's client, for pushing NetSuite refunds to it


@dataclass
class SettlementImport:
    """The connector's record of one settlement import (the sandbox connector's status API)."""

    settlement_id: str
    status: str
    reason: str | None
    total: Money


class Sync(Protocol):
    """The syncs a scenario waits for, whoever performs them."""

    def use_settings(self, *, order_import: bool = True, change: bool = False) -> None:
        """Give the connector the scenario's settings (billing record, refund settings, order import)."""

    def order(self, order: Order) -> OrderRecord:
        """The order synced to NetSuite (OrderNotSynced, or SyncDidNotHappen when the connector never did)."""

    def settle(self) -> None:
        """Let the connector run its cycles (nothing to wait for: orders left out, refunds not to sync)."""

    def refund_to_netsuite(self, refund: Refund, order_record: OrderRecord | None) -> RefundSyncResult:
        """One channel refund synced to NetSuite (or the exception recorded for it)."""

    def refunds(self, made: RefundsMade) -> list[RefundSyncResult]:
        """The refund sync of what ``made`` describes, in the channel's direction."""

    def refunds_again(self, made: RefundsMade, first: RefundRecord | None) -> list[RefundSyncResult]:
        """The same refunds synced once more (a rerun): unchanged when nothing new was made."""

    def again(self, made: RefundsMade) -> None:
        """Another sync run after a settings change."""

    def connector_record(self) -> EngineStore:
        """The connector's own record of orders and refunds."""

    def refund_records(self, channel: str, refund_id: str, order_record: OrderRecord | None) -> list[dict[str, Any]]:
        """Id, type and tranid of every NetSuite record of a channel refund."""

    def settlement(self, client: Any, settlement_id: str, *, again: bool = False) -> Any:
        """The import of settlement ``settlement_id`` from the reports of ``client`` (its outcome: status,
        reason, total)."""


class EngineSync:
    """syncproof's engine performs each sync when the scenario asks for it."""

    def __init__(self, runtime: Any, config: Config) -> None:
        self.runtime = runtime
        self.config = config
        self.engine = runtime.engine(config)

    def use_settings(self, *, order_import: bool = True, change: bool = False) -> None:
        return None  # the engine reads the scenario's settings at each sync

    def order(self, order: Order) -> OrderRecord:
        result = self.engine.orders.sync(order)
        if not result.synced or result.record is None:
            raise OrderNotSynced(f"{order.channel.value} order {order.channel_order_id} did not sync: {result.error}")
        return result.record

    def settle(self) -> None:
        return None

    def refund_to_netsuite(self, refund: Refund, order_record: OrderRecord | None) -> RefundSyncResult:
        return self.engine.refunds.to_netsuite(refund)

    def refunds(self, made: RefundsMade) -> list[RefundSyncResult]:
        if made.direction == "from_netsuite":
            return self.engine.refunds.from_netsuite(made.channel, made.cart)
        return [self.refund_to_netsuite(refund, made.order_record) for refund in made.channel_refunds()]

    def refunds_again(self, made: RefundsMade, first: RefundRecord | None) -> list[RefundSyncResult]:
        return self.refunds(made)

    def again(self, made: RefundsMade) -> None:
        self.refunds(made)

    def connector_record(self) -> EngineStore:
        return self.runtime.store

    def refund_records(self, channel: str, refund_id: str, order_record: OrderRecord | None) -> list[dict[str, Any]]:
        return self.engine.books.refund_transactions(channel, refund_id)

    def settlement(self, client: Any, settlement_id: str, *, again: bool = False) -> Any:
        since = dt.datetime.combine(self.config.project.go_live, dt.time(), dt.timezone.utc)
        outcome = next((o for o in self.engine.settlements.run(client, created_since=since)
                        if o.settlement_id == settlement_id), None)
        if outcome is None:
            raise AssertionError(f"settlement {settlement_id} was not found by the Reports API: the sync did "
                                 "not happen")
        if outcome.status == "failed":
            raise AssertionError(outcome.reason)
        return outcome


class ConnectorSync:
    """The connector syncs; the watch waits for its records (and, on the sandbox, reads its own record)."""

    def __init__(self, runtime: Any, config: Config) -> None:
        self.runtime = runtime
        self.config = config
        self.status = getattr(runtime, "connector_status", None)
        self.watch = ConnectorWatch(runtime.engine(config).books, runtime.store, config, status=self.status)

    def use_settings(self, *, order_import: bool = True, change: bool = False) -> None:
        if self.status is not None:  # the sandbox connector takes the scenario's settings
            self.status.push_settings(self.config, order_import=order_import, change=change)

    def order(self, order: Order) -> OrderRecord:
        return self.watch.order_synced(order)

    def settle(self) -> None:
        self.watch.settle()

    def refund_to_netsuite(self, refund: Refund, order_record: OrderRecord | None) -> RefundSyncResult:
        return _result(refund.channel.value, refund.refund_id, refund.channel_order_id,
                       self.watch.refund_synced(refund, order_record))

    def refunds(self, made: RefundsMade) -> list[RefundSyncResult]:
        if made.direction != "from_netsuite":
            assert made.channel_refund is not None, "no refund was made in the channel"
            return [self.refund_to_netsuite(made.channel_refund, made.order_record)]
        if made.netsuite_refund is not None and made.order_record is not None:
            kind, ns_id = made.netsuite_refund
            outcome = self.watch.cart_refund_synced(made.channel, made.channel_refunds, made.order_record,
                                                    kind.value, ns_id)
            refund_id = outcome.record.channel_refund_id if outcome.record else ns_id
            return [_result(made.channel, refund_id, made.order_record.channel_order_id, outcome)]
        if made.unlinked_refund is not None:
            self.use_settings()  # no order was placed, so the connector has not had the scenario's settings yet
            ns_id = made.unlinked_refund[1]
            outcome = self.watch.netsuite_refund_reported(made.channel, ns_id) or RefundOutcome("absent")
            return [_result(made.channel, ns_id, "", outcome)]
        self.watch.settle()  # a refund made in the cart: nothing may come of it
        return []

    def refunds_again(self, made: RefundsMade, first: RefundRecord | None) -> list[RefundSyncResult]:
        refund = made.channel_refund
        assert refund is not None, "no refund was made in the channel"
        outcome = self.watch.refund_rerun(refund, first, made.order_record)
        return [_result(made.channel, refund.refund_id, refund.channel_order_id, outcome)]

    def again(self, made: RefundsMade) -> None:
        self.watch.settle(again=[made.order_record] if made.order_record is not None else [])

    def connector_record(self) -> EngineStore:
        return self.watch.connector_view()

    def refund_records(self, channel: str, refund_id: str, order_record: OrderRecord | None) -> list[dict[str, Any]]:
        return self.watch.transactions(self.watch.refund_records(channel, refund_id, order_record))

    def settlement(self, client: Any, settlement_id: str, *, again: bool = False) -> Any:
        if self.status is None:  # a real connector's settlement import is not observable: the engine imports
            return EngineSync(self.runtime, self.config).settlement(client, settlement_id, again=again)
        self.use_settings()
        status = self.status

        def probe() -> SettlementImport | None:
            outcome = (status.read().get("settlement_outcomes") or {}).get(settlement_id)
            if outcome is None:
                return None
            return SettlementImport(settlement_id, outcome["status"], outcome.get("reason"),
                                    Money(Decimal(outcome["total_amount"]), outcome["currency"]))

        if again:
            self.watch.settle(1, settlements=True)
        imported = self.watch.poller.until(
            probe, what=f"the connector's import of settlement {settlement_id}",
            last_state=lambda: f"settlement {settlement_id} not in the connector's status (its last "
            f"error: {status.read().get('last_error') or 'none'})")
        if imported.status == "failed":
            raise AssertionError(imported.reason)
        return imported


def _result(channel: str, refund_id: str, order_id: str, outcome: RefundOutcome) -> RefundSyncResult:
    return RefundSyncResult(channel, refund_id, order_id, outcome.status, outcome.record, outcome.reason)


def scenario_sync(runtime: Any, config: Config) -> Sync:
    """The run's :class:`Sync` for a scenario's settings: the driver decides, once."""
    if config.project.driver == "connector":
        return ConnectorSync(runtime, config)
    return EngineSync(runtime, config)


def results_for(results: Sequence[RefundSyncResult], refund_id: str) -> RefundSyncResult | None:
    """The result of one refund among a sync's results."""
    return next((r for r in results if r.refund_id == refund_id), None)
