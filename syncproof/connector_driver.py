"""The ``connector`` driver: the real NetSuite Connector syncs, syncproof watches.

Instead of syncing itself, each "is synced" step polls NetSuite (and the cart) every
``[project] poll_interval_seconds`` until the record the connector should have made
appears, or ``poll_timeout_seconds`` pass. What it finds is written to the engine store
exactly as the engine would have written it, so the same checks then run. A timeout
fails the step with the last state seen on both sides.

Matching needs no help from the connector: the sales order is found by the channel
order id in ``[netsuite] order_id_field``, its billing record by ``createdFrom``, and a
refund by ``createdFrom`` (directly or through a return authorization) and its total.

On the sandbox the connector is ``sandbox_connector``, a process of its own whose status
API (:class:`ConnectorStatus`) also says what the connector recorded: each order and
refund posted, in error with its message, or cancelled, as the real connector's
dashboard and error list do. The watch then asks it for a cycle ("sync now") between
polls instead of sleeping, gives up after :data:`SANDBOX_CYCLES` cycles, and reads the
connector's own record of orders and refunds from it (:meth:`ConnectorWatch.connector_view`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Sequence, TypeVar

import httpx

from connectors.netsuite import NetSuiteRecords

from . import channels as channel_registry
from .config import Config
from .engine.store import EngineStore, OrderRecord, RefundRecord
from .errors import SyncproofError
from .model import Order, Refund

__all__ = ["ConnectorWatch", "ConnectorStatus", "Poller", "SyncDidNotHappen", "RefundOutcome", "SANDBOX_CYCLES"]

#: cycles of the sandbox connector a watch waits before it takes "not synced" for an answer
SANDBOX_CYCLES = 4

T = TypeVar("T")


def _json_of(answer: httpx.Response) -> dict[str, Any]:
    """The JSON object of the sandbox connector's answer, or {} when its body is not one."""
    try:
        body = answer.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _error_of(answer: httpx.Response) -> str:
    """The error of a refusal in one line: its JSON ``error``, else the start of its body and its status."""
    error = _json_of(answer).get("error")
    if error:
        return " ".join(str(error).split())
    text = " ".join(answer.text.split())[:200]
    return f"HTTP {answer.status_code}{': ' + text if text else ''}"


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
    max_polls: int | None = None
    polls: int = field(default=0, init=False)

    def until(self, probe: Callable[[], T | None], *, what: str, last_state: Callable[[], str]) -> T:
        deadline = self.clock() + self.timeout
        first = self.polls
        while True:
            self.polls += 1
            found = probe()
            if found is not None:
                return found
            out_of_polls = self.max_polls is not None and self.polls - first >= self.max_polls
            if self.clock() >= deadline or out_of_polls:
                waited = f"in {self.max_polls} connector cycles" if out_of_polls else f"within {self.timeout:g} s"
                raise SyncDidNotHappen(
                    f"{what} did not happen {waited}; last seen: {last_state()}",
                    "check the connector's sync schedule and its error log, or raise [project] poll_timeout_seconds")
            self.sleep(self.interval)


class ConnectorStatus:
    """The sandbox connector's loopback status API: its record of every sync, its settings, "sync now"."""

    def __init__(self, url: str, transport: httpx.BaseTransport | None = None) -> None:
        self.http = httpx.Client(base_url=url, timeout=120, transport=transport)

    def read(self) -> dict[str, Any]:
        return self.http.get("/status").raise_for_status().json()

    def cycle(self, *, orders: Sequence[tuple[str, str]] = (), settlements: bool = False) -> int:
        """"Sync now": one cycle, done when this returns; ``orders`` ((channel, order id)) and ``settlements``
        make it a second sync run of those orders' refunds and of every settlement report."""
        body: dict[str, Any] = {}
        if orders:
            body["orders"] = [list(key) for key in orders]
        if settlements:
            body["settlements"] = True
        return int(self.http.post("/cycle", json=body).raise_for_status().json()["cycle"])

    def push_settings(self, config: Config, *, order_import: bool = True, change: bool = False) -> None:
        """Give the connector the run's channel settings (billing record, refund settings)."""
        body: dict[str, Any] = {"order_import": order_import, "change": change}
        for name in channel_registry.names():
            channel = config.channel(name)
            body[name] = {"billing": channel.billing, "refunds": dict(channel.refunds.__dict__)}
        body["settlement"] = {k: v for k, v in config.settlement.__dict__.items()}
        body["project"] = {"go_live": config.project.go_live.isoformat(),
                           "settlement_wait_weeks": config.project.settlement_wait_weeks}
        answer = self.http.post("/settings", json=body)
        if answer.status_code != 200:
            raise SyncproofError(f"the sandbox connector refused the settings: {_error_of(answer)}",
                                 "fix the refund settings")

    def scenario_defects(self, names: Sequence[str]) -> list[str]:
        """Every defect of the scenario starting now (those the connector was started with among them, which it
        makes anyway); the previous scenario's stop applying. Answers the defects the connector says it makes
        from now on, and refuses when they are not exactly ``names``."""
        answer = self.http.post("/defects", json={"names": list(names)})
        if answer.status_code != 200:
            raise SyncproofError(f"the sandbox connector refused the defects {', '.join(names)}: "
                                 f"{_error_of(answer)}", "name defects of syncproof.connector_defects")
        made = _json_of(answer).get("defects")
        if not isinstance(made, list) or set(map(str, made)) != set(names):
            says = (", ".join(map(str, made)) or "none") if isinstance(made, list) else "does not say which"
            raise SyncproofError(f"the sandbox connector was asked for the defects {', '.join(names) or 'none'} "
                                 f"and makes {says} (POST /defects)",
                                 "run the sandbox connector of this syncproof install (sandbox_connector)")
        return sorted(str(name) for name in made)

    def view(self) -> EngineStore:
        """The connector's own record of orders, refunds and refund errors, as an engine store."""
        state = self.read()
        view = EngineStore(":memory:")
        for order in state["orders"]:
            record = order.get("record")
            if record and order["state"] == "posted":
                view.record_order(record["channel"], record["channel_order_id"], channel_ref=record["channel_ref"],
                                  currency=record["currency"], customer_id=record["customer_id"],
                                  sales_order_id=record["sales_order_id"], billing_type=record["billing_type"],
                                  billing_id=record["billing_id"])
        for refund in state["refunds"]:
            if refund["state"] == "posted":
                view.record_refund(refund["channel"], refund["channel_refund_id"], refund["channel_order_id"],
                                   direction=refund["direction"], netsuite_type=refund["netsuite_type"],
                                   netsuite_id=refund["netsuite_id"], total=refund["total"] or "",
                                   currency=refund["currency"] or "", related=refund["related"],
                                   external_id=refund["external_id"])
        for error in state["refund_errors"]:
            view.record_error(error["channel"], error["kind"], error["ref"], error["reason"])
        return view

    def close(self) -> None:
        self.http.close()


@dataclass
class RefundOutcome:
    """What the watch saw of one refund sync: created, unchanged, exception (with the connector's reason), absent."""

    status: str
    record: RefundRecord | None = None
    reason: str | None = None


class ConnectorWatch:
    """Waits for the real connector's order and refund syncs and records them in the store."""

    def __init__(self, books: NetSuiteRecords, store: EngineStore, config: Config, poller: Poller | None = None,
                 status: ConnectorStatus | None = None) -> None:
        self.books = books
        self.store = store
        self.config = config
        self.status = status
        if poller is None and status is not None:
            def one_cycle(_seconds: float) -> None:
                status.cycle()

            poller = Poller(0, float(config.project.poll_timeout_seconds), sleep=one_cycle, max_polls=SANDBOX_CYCLES)
        self.poller = poller or Poller(config.project.poll_interval_seconds, config.project.poll_timeout_seconds)

    def connector_view(self) -> EngineStore:
        """The connector's record of orders and refunds (its status API), else what the watch saw."""
        return self.status.view() if self.status is not None else self.store

    def settle(self, cycles: int = 2, *, again: Sequence[OrderRecord] = (), settlements: bool = False) -> None:
        """Let the connector run (sandbox: ``cycles`` cycles; real connector: one poll interval).

        ``again`` and ``settlements``: the sandbox connector's first cycle is a second sync run of those
        orders' refunds and of every settlement report (a real connector runs again on its schedule).
        """
        if self.status is None:
            self.poller.sleep(self.poller.interval)
            return
        if again or settlements:
            self.status.cycle(orders=[(o.channel, o.channel_order_id) for o in again], settlements=settlements)
            cycles -= 1
        for _ in range(cycles):
            self.poller.sleep(self.poller.interval)

    def _waited(self, probe: Callable[[], T | None], *, what: str, last_state: Callable[[], str]) -> T | None:
        """``poller.until``; with the sandbox connector a sync that never came is None, not an error."""
        try:
            return self.poller.until(probe, what=what, last_state=last_state)
        except SyncDidNotHappen:
            if self.status is None:
                raise
            return None

    def transactions(self, ids: list[str]) -> list[dict[str, Any]]:
        """Id, type and tranid of the given NetSuite transactions (one SuiteQL query)."""
        return self.books.transactions_by_ids(ids)

    # --- orders --------------------------------------------------------------------------------
    def _order_rows(self, order: Order) -> list[dict[str, Any]]:
        return self.books.sales_orders_with_billing(order.channel_order_id)

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

    def _status_refund(self, channel: str, refund_id: str) -> RefundOutcome | None:
        """The sandbox connector's own word on a refund: posted (with its records) or an error."""
        if self.status is None:
            return None
        state = self.status.read()
        for row in state["refunds"]:
            if row["channel"] == channel and row["channel_refund_id"] == refund_id and row["state"] == "posted":
                record = self.store.record_refund(
                    channel, refund_id, row["channel_order_id"], direction=row["direction"],
                    netsuite_type=row["netsuite_type"], netsuite_id=row["netsuite_id"], total=row["total"] or "",
                    currency=row["currency"] or "", related=row["related"])
                return RefundOutcome("created", record)
        for error in state["refund_errors"]:
            if error["channel"] == channel and error["ref"] == refund_id:
                self.store.record_error(channel, "refund", refund_id, error["reason"])
                return RefundOutcome("exception", reason=error["reason"])
        return None

    def refund_synced(self, refund: Refund, order: OrderRecord | None) -> RefundOutcome:
        """Wait for the refund in NetSuite (by its billing record and total) or the connector's error for it."""
        channel = refund.channel.value
        wanted = refund.total.rounded().amount
        claimed = {r.netsuite_id for r in self.store.refunds(channel, refund.channel_order_id)}

        def probe() -> RefundOutcome | None:
            for row in self._refund_rows(order.billing_id or "0") if order else []:
                total = abs(Decimal(str(row.get("foreigntotal") or 0)))
                if str(row["id"]) in claimed or total != wanted:
                    continue
                related = {"RtnAuth": str(row["raid"])} if row.get("raid") else {}
                return RefundOutcome("created", self.store.record_refund(
                    channel, refund.refund_id, refund.channel_order_id, direction="to_netsuite",
                    netsuite_type=str(row["type"]), netsuite_id=str(row["id"]), total=str(wanted),
                    currency=refund.currency, related=related))
            return self._status_refund(channel, refund.refund_id)

        def last_state() -> str:
            if order is None:
                return (f"{channel}: refund {refund.refund_id} on order {refund.channel_order_id}, which is not in "
                        "NetSuite")
            rows = self._refund_rows(order.billing_id or "0")
            seen = ", ".join(f"{r['type']} {r.get('tranid') or r['id']} total "
                             f"{abs(Decimal(str(r.get('foreigntotal') or 0)))}" for r in rows) or "no refund record"
            return (f"{channel}: refund {refund.refund_id} of {wanted} {refund.currency} on order "
                    f"{order.channel_order_id}; NetSuite: {seen} from {order.billing_type} {order.billing_id}")

        found = self._waited(probe, what=f"the connector's sync of {channel} refund {refund.refund_id}",
                             last_state=last_state)
        return found or RefundOutcome("absent", reason=f"the connector neither posted nor reported {channel} refund "
                                      f"{refund.refund_id} on order {refund.channel_order_id}")

    def refund_rerun(self, refund: Refund, first: RefundRecord | None, order: OrderRecord | None) -> RefundOutcome:
        """After another sync run: unchanged when NetSuite holds the same one record and the connector says so."""
        self.settle(again=[order] if order is not None else [])
        if first is None or order is None:
            return RefundOutcome("absent")
        wanted = refund.total.rounded().amount
        claimed = {r.netsuite_id for r in self.store.refunds(refund.channel.value, refund.channel_order_id)
                   if r.channel_refund_id != refund.refund_id}
        ids = {str(r["id"]) for r in self._refund_rows(order.billing_id or "0")
               if str(r["id"]) not in claimed and abs(Decimal(str(r.get("foreigntotal") or 0))) == wanted}
        said = self._status_refund(refund.channel.value, refund.refund_id) if self.status is not None else None
        now = said.record.netsuite_id if said and said.record else first.netsuite_id
        if ids == {first.netsuite_id} and now == first.netsuite_id:
            return RefundOutcome("unchanged", first)
        return RefundOutcome("created", said.record if said else first,
                             reason=f"NetSuite now has {', '.join(sorted(ids)) or 'no record'} for it, first "
                             f"{first.netsuite_id}")

    def refund_records(self, channel: str, refund_id: str, order: OrderRecord | None) -> list[str]:
        """Ids of every NetSuite record of a channel refund: the ones recorded for it (by the watch and the
        connector) and any refund from the order's billing record that no other refund of the order claims."""
        mine: set[str] = set()
        view = self.connector_view() if self.status is not None else None
        for store in filter(None, (self.store, view)):
            record = store.refund(channel, refund_id)
            if record is not None:
                mine.update(i for i in (record.netsuite_id, *record.related.values()) if i)
        if order is not None:
            others = {r.netsuite_id for r in self.store.refunds(channel, order.channel_order_id)
                      if r.channel_refund_id != refund_id}
            for row in self._refund_rows(order.billing_id or "0"):
                if str(row["id"]) not in others and str(row["id"]) not in mine:
                    mine.add(str(row["id"]))
                    if row.get("raid"):
                        mine.add(str(row["raid"]))
        return sorted(mine, key=lambda v: (len(v), v))

    # --- refunds from NetSuite to the cart -----------------------------------------------------------
    def cart_refund_synced(self, channel: str, cart_refunds: Callable[[], list[Refund]], order: OrderRecord,
                           netsuite_type: str, netsuite_id: str) -> RefundOutcome:
        known = {r.channel_refund_id for r in self.store.refunds(channel, order.channel_order_id)}

        def probe() -> RefundOutcome | None:
            for refund in cart_refunds():
                if refund.refund_id not in known:
                    return RefundOutcome("created", self.store.record_refund(
                        channel, refund.refund_id, order.channel_order_id, direction="from_netsuite",
                        netsuite_type=netsuite_type, netsuite_id=netsuite_id,
                        total=str(refund.total.rounded().amount), currency=refund.currency))
            return self.netsuite_refund_reported(channel, netsuite_id, wait=False)

        def last_state() -> str:
            refunds = cart_refunds()
            return (f"NetSuite: {netsuite_type} {netsuite_id} on order {order.channel_order_id}; {channel}: "
                    f"{len(refunds)} refund(s), none new")

        found = self._waited(probe, what=f"the connector's push of NetSuite {netsuite_type} {netsuite_id} "
                             f"to {channel}", last_state=last_state)
        return found or RefundOutcome("absent", reason=f"the connector did not push NetSuite {netsuite_type} "
                                      f"{netsuite_id} to {channel}")

    def netsuite_refund_reported(self, channel: str, netsuite_id: str, *, wait: bool = True) -> RefundOutcome | None:
        """The sandbox connector's error for a NetSuite refund it did not push (None: it said nothing)."""
        if self.status is None:
            return None

        def probe() -> RefundOutcome | None:
            for error in self.status.read()["refund_errors"]:  # type: ignore[union-attr]
                if error["channel"] == channel and error["ref"] == netsuite_id:
                    self.store.record_error(channel, "refund", netsuite_id, error["reason"])
                    return RefundOutcome("exception", reason=error["reason"])
            return None

        if not wait:
            return probe()
        return self._waited(probe, what=f"the connector's report of NetSuite refund {netsuite_id}",
                            last_state=lambda: "no error recorded for it")
