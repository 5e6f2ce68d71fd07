"""The polling loop: order sync, refund sync and settlement sync on the engine, with its own store.

The channels come from the registry (:mod:`syncproof.channels`): each client is built by
its spec from the emulator connection the launcher passes, and a channel is polled when
its spec says how (``poll_orders``, ``poll_refunds``). One cycle, per enabled channel:

1. **orders**: the orders the channel shows as new or updated since the last poll (Shopify
   ``updated_at``, Amazon ``getOrders`` created after it) are synced to NetSuite, unless order import is off,
   in which case the order is *cancelled* (never imported, as an order the connector's
   filters leave out);
2. **refunds**: with ``direction = to_netsuite``, the channel's refunds on orders seen in
   this poll become NetSuite records; with ``from_netsuite``, NetSuite cash refunds and
   credit memos of synced orders are pushed to the cart (and refunds of orders never
   synced are reported);
3. **settlements** (channels whose spec has the ``settlements`` capability: Amazon): settlement
   reports are imported as the engine posts them.

A cycle runs every ``interval`` seconds, or at once when asked (``POST /cycle``, the
"sync now" of the connector's dashboard). Settings arrive over ``POST /settings``.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import IO, Any, Callable, Mapping

from connectors.netsuite import NetSuiteClient, NetSuiteCredentials
from syncproof import channels
from syncproof.channels import ChannelSpec, Connection
from syncproof.config import Config, RefundSettings, load_config
from syncproof.connector_defects import parse_defects
from syncproof.engine import SyncEngine
from syncproof.engine.store import EngineStore
from syncproof.model import Order

from .defects import Defects
from .settlement_defects import sync_settlements

__all__ = ["SandboxConnector", "run"]

#: how far back a poll looks before the previous one (the emulators' clocks and ours may differ a little)
OVERLAP = timedelta(seconds=5)


def channel_clients(config: Config, connections: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """One client per registered channel whose emulator is in ``connections`` (by emulator name:
    ``{"base_url": ..., "credentials": {...}}``), built by the channel's own spec."""
    clients = {}
    for spec in channels.specs():
        where = connections.get(spec.emulator_name)
        if where is not None:
            connection = Connection(str(where["base_url"]), dict(where.get("credentials") or {}))
            clients[spec.name] = spec.client(config.channel(spec.name), connection)
    return clients


class SandboxConnector:
    """The connector's state: clients, its own engine store, settings, status of every sync.

    ``spec``: ``{"config": path or None, "defects": names, "netsuite": {"base_url", "credentials"},
    "channels": {emulator name: {"base_url", "credentials"}}}``; every registered channel whose
    emulator is given and whose spec says how to poll it (``poll_orders``) is polled.
    """

    def __init__(self, spec: dict[str, Any], *, clock: Callable[[], datetime] | None = None) -> None:
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.config: Config = load_config(spec.get("config")).with_overrides(target="sandbox", driver="engine")
        ns = spec["netsuite"]
        self.netsuite = NetSuiteClient.for_account(
            NetSuiteCredentials.of(ns["credentials"]), base_url=ns["base_url"], max_concurrency=2)
        self.clients = channel_clients(self.config, spec.get("channels") or {})
        self.store = EngineStore(":memory:")
        self.engine = SyncEngine.build(self.netsuite, self.store, self.config)
        self.order_import = True
        self.cancelled: dict[tuple[str, str], str] = {}
        self.orders: dict[tuple[str, str], Order] = {}
        started = self.clock() - timedelta(days=1)
        self.watermarks = {name: started for name in self.clients}
        self.cycles = 0
        self.last_error: str | None = None
        self.hidden_refunds: set[tuple[str, str]] = set()  # refunds left out of the status (defects)
        self.settlement_outcomes: dict[str, dict[str, Any]] = {}  # the last import of each settlement
        self.settlement_runs = 0
        self.lock = threading.RLock()
        self.defects = Defects(parse_defects(spec.get("defects", ""), where="sandbox connector defects"), self)

    def _channels(self) -> list[tuple[ChannelSpec, Any]]:
        """The registered channels this connector has a client for and that are enabled, in registry order."""
        return [(spec, self.clients[spec.name]) for spec in channels.specs()
                if spec.name in self.clients and self.config.channel(spec.name).enabled]

    # --- settings -------------------------------------------------------------------------------
    def apply_settings(self, body: dict[str, Any]) -> None:
        """New channel settings (billing record, refund settings) and order import on or off."""
        with self.lock:
            config = self.config
            for channel in (spec.name for spec in channels.specs()):
                wanted = body.get(channel)
                if not wanted:
                    continue
                if wanted.get("billing"):
                    config = config.with_billing(channel, wanted["billing"])
                if wanted.get("refunds"):
                    config = config.with_refund_settings(channel, RefundSettings(**wanted["refunds"]))
            if body.get("settlement"):
                config = replace(config, settlement=replace(config.settlement, **body["settlement"]))
            if body.get("project"):
                project = dict(body["project"])
                if "go_live" in project:
                    project["go_live"] = date.fromisoformat(project["go_live"])
                config = replace(config, project=replace(config.project, **project))
            if "order_import" in body:
                self.order_import = bool(body["order_import"])
            before = self.config
            if not self.defects.keeps_settings(before, config, change=bool(body.get("change"))):
                self.config = config
                self.engine = SyncEngine.build(self.netsuite, self.store, config)
                self.defects.rewire()
                if body.get("change"):
                    self.defects.after_settings_change(before, config)

    # --- one cycle ------------------------------------------------------------------------------
    def cycle(self) -> int:
        with self.lock:
            for spec, client in self._channels():
                if spec.poll_orders is None or self.defects.skips(spec.name):
                    continue
                try:
                    since, seen = self._poll_orders(spec, client)
                    self._sync_refunds(spec, client, seen, since)
                except Exception as exc:  # the connector keeps polling; its status shows the error
                    self.last_error = f"{spec.name}: {_described(exc)}"
            for spec, client in self._channels():
                if not spec.extra.get("settlements"):
                    continue
                try:
                    sync_settlements(self, spec.name, client)
                except Exception as exc:
                    self.last_error = f"settlements: {_described(exc)}"
            self.cycles += 1
            return self.cycles

    def _poll_orders(self, spec: ChannelSpec, client: Any) -> tuple[datetime, list[Order]]:
        """The orders the channel shows as new or updated since the last poll, synced unless already known."""
        assert spec.poll_orders is not None
        channel = spec.name
        since, now = self.watermarks[channel] - OVERLAP, self.clock()
        seen = spec.poll_orders(client, since)
        self.watermarks[channel] = now
        for order in seen:
            key = (channel, order.channel_order_id)
            self.orders.setdefault(key, order)
            if key in self.cancelled or self.store.order(channel, order.channel_order_id) is not None:
                continue
            if not self.order_import:
                self.cancelled[key] = f"order {order.channel_order_id} was not imported: order import is off"
                continue
            result = self.engine.orders.sync(order)
            if not result.synced:
                self.store.record_error(channel, "order", order.channel_order_id, str(result.error))
        return since, seen

    def _sync_refunds(self, spec: ChannelSpec, client: Any, seen: list[Order], since: datetime) -> None:
        settings = self.config.channel(spec.name).refunds
        if settings.direction == "from_netsuite":
            self.defects.from_netsuite(spec.name, client, settings)
            return
        if spec.poll_refunds is None:
            return
        for refund in spec.poll_refunds(client, seen, since):
            self.defects.to_netsuite(refund, settings)

    # --- status ---------------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        """The connector's own record: every order, refund and settlement with its state and message."""
        with self.lock:
            orders = []
            for (channel, order_id), _order in sorted(self.orders.items()):
                record = self.store.order(channel, order_id)
                errors = self.store.errors(channel, order_id)
                if (channel, order_id) in self.cancelled:
                    state, message = "cancelled", self.cancelled[(channel, order_id)]
                elif record is not None and record.status == "synced":
                    state, message = "posted", None
                else:
                    state, message = "error", errors[-1].reason if errors else "not synced yet"
                orders.append({"channel": channel, "order_id": order_id, "state": state, "message": message,
                               "record": record.to_json() if record else None})
            refunds = [dict(r.to_json(), state="posted" if r.status == "synced" else "pending")
                       for r in self.store.refunds() if (r.channel, r.channel_refund_id) not in self.hidden_refunds]
            refund_errors = [e.to_json() for e in self.store.errors() if e.kind == "refund"
                             and (e.channel, e.ref) not in self.hidden_refunds]
            settlements = [dict(s.__dict__) for s in self.store.iter_settlements()]
            return {"cycle": self.cycles, "order_import": self.order_import, "orders": orders, "refunds": refunds,
                    "refund_errors": refund_errors, "settlements": settlements, "last_error": self.last_error,
                    "settlement_outcomes": dict(self.settlement_outcomes),
                    "defects": list(self.defects.names)}


def run(spec: dict[str, Any], *, announce: Callable[[str], None], until_closed: IO[str]) -> None:
    """Serve the status API, poll every ``spec["interval"]`` seconds, stop when ``until_closed`` reaches EOF."""
    from .status import serve

    connector = SandboxConnector(spec)
    stop = threading.Event()
    wake = threading.Event()
    interval = float(spec.get("interval", 1.0))

    def loop() -> None:
        while not stop.is_set():
            wake.wait(interval)
            wake.clear()
            if not stop.is_set():
                connector.cycle()

    threading.Thread(target=loop, name="sandbox-connector-poll", daemon=True).start()
    server = serve(connector, host=spec.get("host", "127.0.0.1"))
    announce(server.url)
    try:
        until_closed.read()  # the launcher closes our stdin to stop us
    finally:
        stop.set()
        wake.set()
        server.stop()


def _described(exc: Exception) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
