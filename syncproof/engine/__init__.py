"""syncproof's thin sync engine: it performs the syncs the scenarios check.

- ``store``: the engine's own record of orders, refunds, settlements and sync errors.
- ``orders``, ``refunds``, ``settlements``: the syncs themselves.

The engine never builds HTTP requests, REST bodies or SuiteQL: it calls the connectors
(NetSuite through :class:`connectors.netsuite.NetSuiteRecords`, in the domain's words).
"""

from __future__ import annotations

from dataclasses import dataclass

from connectors.netsuite import NetSuiteRecords

from ..config import Config
from .orders import OrderSync
from .refunds import RefundSync
from .settlements import SettlementSync
from .store import EngineStore

__all__ = ["SyncEngine"]


@dataclass
class SyncEngine:
    """The engine's parts for one configuration: NetSuite records, store, order and refund sync.

        engine = SyncEngine.build(runtime.netsuite, runtime.store, config)
        engine.orders.sync(order)
    """

    config: Config
    books: NetSuiteRecords
    store: EngineStore
    orders: OrderSync
    refunds: RefundSync
    settlements: SettlementSync

    @classmethod
    def build(cls, netsuite, store: EngineStore, config: Config, *, run_tag: str = "") -> "SyncEngine":
        """``run_tag`` (live runs) is written into the memo of every record made, for ``syncproof cleanup``."""
        books = NetSuiteRecords(netsuite, order_id_field=config.netsuite.order_id_field,
                                channel_field=config.netsuite.channel_field, run_tag=run_tag,
                                subsidiary=config.netsuite.subsidiary)
        refunds = RefundSync(books, store, config)
        return cls(config, books, store, OrderSync(books, store, config), refunds,
                   SettlementSync(books, store, config, refunds=refunds))

    def with_config(self, config: Config) -> "SyncEngine":
        """The same engine reading ``config``: a settings change governs the next sync."""
        return SyncEngine.build(self.books.client, self.store, config, run_tag=self.books.run_tag)
