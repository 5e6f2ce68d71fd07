"""What the steps of one scenario share: :class:`ScenarioContext`, one typed field per thing a step made.

    ctx.channel, ctx.order.channel_order_id   # set by the Given steps
    ctx.order_record                          # None until the order is synced
    ctx.sales_order_ref                       # AttributeError: no earlier step set 'sales_order_ref'

A field a later step needs and no earlier step set fails with one line naming it (the
scenario lacks a Given step); fields that may legitimately be absent default to None.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .model import Order, OrderLine, Refund, Shipping, TransactionType

if TYPE_CHECKING:
    from .config import Config
    from .engine.refunds import RefundSyncResult
    from .engine.store import OrderRecord
    from .errors import SyncproofError

__all__ = ["ScenarioContext", "SettlementScenario"]

#: a NetSuite record the scenario made: its type and internal id
Made = tuple[TransactionType, str]
#: a settlement row for no order: (transaction-type, amount-type, description, amount, days after the start)
NonOrderRow = tuple[str, str, str, Decimal, int]


@dataclass(repr=False, eq=False)
class SettlementScenario:
    """The orders, refunds and rows a settlement scenario has Amazon settle, and what the sync made of them."""

    synced: list[Order] = field(default_factory=list)
    unsynced: list[Order] = field(default_factory=list)
    refunds_by_order: dict[str, list[Refund]] = field(default_factory=dict)
    non_order: list[NonOrderRow] = field(default_factory=list)
    order_records: dict[str, OrderRecord] = field(default_factory=dict)
    settlement_id: str = field(init=False)
    start: dt.datetime = field(init=False)
    outcome: Any = field(init=False)  # the first import's outcome (status, reason, total)
    second_outcome: Any = field(init=False)
    verified: Any = None  # the settlement verified against NetSuite (syncproof.settlement_verification)

    if not TYPE_CHECKING:  # at run time only: type checkers still see every field's own type
        def __getattr__(self, name: str) -> Any:
            raise _unset(name)


@dataclass(repr=False, eq=False)
class ScenarioContext:
    """The records the steps of one scenario made, by name; ``config`` is the scenario's settings."""

    seed: int
    run_id: str
    config: Config
    # NetSuite master data and records made in NetSuite directly
    books: Any = field(init=False)  # the engine's NetSuite records
    items: dict[str, Any] = field(default_factory=dict)
    customer_id: str | None = None
    sales_order_id: str = field(init=False)
    sales_order_ref: str = field(init=False)  # the channel order id the sales order carries
    billed: Made = field(init=False)  # the sales order's billing record
    transformed_refund: Made = field(init=False)  # a refund made in NetSuite from that billing record
    # a channel order and its refunds
    channel: str = field(init=False)
    currency: str = field(init=False)
    lines: list[OrderLine] = field(default_factory=list)
    shipping: Shipping | None = None
    order: Order = field(init=False)
    order_record: OrderRecord | None = None
    refunds_made: list[Refund] = field(default_factory=list)
    refund: Refund = field(init=False)  # the last refund made in the channel
    netsuite_refund: Made | None = None  # a refund made in NetSuite from the synced order
    results: list[RefundSyncResult] = field(default_factory=list)
    second_results: list[RefundSyncResult] = field(default_factory=list)
    # refund settings
    shown: list[tuple[str, str, Any, str]] = field(default_factory=list)
    before: Any = field(init=False)  # the refund settings before a change
    refused: SyncproofError | None = None
    first_refund: Refund = field(init=False)
    # settlements and audits
    settlement: SettlementScenario = field(default_factory=SettlementScenario)
    audit: Any = field(init=False)

    def __repr__(self) -> str:
        return f"ScenarioContext({self.run_id}: {', '.join(sorted(vars(self)))})"

    @property
    def order_in_netsuite(self) -> OrderRecord:
        """The order's record once synced; fails, naming the missing step, before."""
        if self.order_record is None:
            raise AssertionError("no earlier step synced the order to NetSuite: check the scenario's Given steps")
        return self.order_record

    if not TYPE_CHECKING:  # called only for a field no step has set yet
        def __getattr__(self, name: str) -> Any:
            raise _unset(name)


def _unset(name: str) -> AttributeError:
    return AttributeError(f"no earlier step set {name!r}: check the scenario's Given steps")
