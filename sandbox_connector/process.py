"""The polling loop: order sync, refund sync and settlement sync on the engine, with its own store.

The channels come from the registry (:mod:`syncproof.channels`): each client is built by
its spec from the emulator connection the launcher passes, and a channel is polled when
its spec says how (``poll_orders``, ``poll_refunds``). One cycle, per enabled channel:

1. **orders**: the orders the channel shows as new or updated since the last poll (Shopify
   ``updated_at``, Amazon ``getOrders`` created after it) are synced to NetSuite, unless order import is off,
   in which case the order is *cancelled* (never imported, as an order the connector's
   filters leave out);
2. **refunds**: with ``direction = to_netsuite``, the channel's refunds on the orders of this
   poll that changed since the connector last read them (their ``updated_at``: a refund changes
   its order) become NetSuite records; with ``from_netsuite``, NetSuite cash refunds and
   credit memos of synced orders are pushed to the cart (and refunds of orders never
   synced are reported);
3. **settlements** (channels whose spec has the ``settlements`` capability: Amazon): settlement
   reports not imported yet are imported as the engine posts them (all of them again after a
   settings change).

Each cycle reads only what changed: a poll looks back :data:`OVERLAP` before the previous one,
and an order listed again unchanged is left alone. A cycle runs ``interval`` seconds after the
previous one, or at once when asked (``POST /cycle``, the "sync now" of the connector's
dashboard), which can also ask for a second sync run of some orders' refunds (``orders``) or of
every settlement report (``settlements``), as the dashboard's re-sync does. Settings arrive
over ``POST /settings``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import IO, Any, Callable, Iterable, Mapping

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
from .status import serve

__all__ = ["SandboxConnector", "load_channels", "run"]

#: how far back a poll looks before the previous one's start when it saw no dated order (channels search by
#: whole seconds, and the emulators' clocks and ours may differ a little)
OVERLAP = timedelta(seconds=2)
#: how far back a poll looks before the newest ``updated_at`` the previous one saw (by the channel's own
#: clock): channels write the date to the second, and another change may come in the same second
RESOLUTION = timedelta(seconds=1)
#: a change read in the second it was made may be followed by another in that second: the order counts
#: as read only once the read started this long after its ``updated_at``
SETTLED = timedelta(seconds=1.5)

Key = tuple[str, str]  # (channel, channel order id)


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
        self.cancelled: dict[Key, str] = {}
        self.orders: dict[Key, Order] = {}
        self.read: dict[Key, str | None] = {}  # each order's updated_at when its refunds were last read
        self.unread: dict[Key, Order] = {}  # orders changed whose refunds a failed cycle did not read
        self.imported_reports: set[str] = set()  # settlement reports imported with the current settings
        started = self.clock() - timedelta(days=1)
        self.watermarks = {name: started for name in self.clients}  # where each channel's next poll starts
        self.cycles = 0
        self.last_cycle = time.monotonic()
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
                if config != before:  # settlements are judged on the settings: read them all again
                    self.imported_reports.clear()
                self.config = config
                self.engine = SyncEngine.build(self.netsuite, self.store, config)
                self.defects.rewire()
                if body.get("change"):
                    self.defects.after_settings_change(before, config)

    def scenario_defects(self, names: Iterable[str]) -> list[str]:
        """The defects of the scenario starting now, on top of those the connector was started with; the
        defects it makes from now on."""
        scenario = parse_defects(",".join(names), where="the scenario's connector defects")
        with self.lock:
            self.defects.for_scenario(scenario)
            return sorted(self.defects.names)

    # --- one cycle ------------------------------------------------------------------------------
    def cycle(self, *, orders: Iterable[Key] = (), settlements: bool = False) -> int:
        """One sync run; ``orders``: also read these orders' refunds again, changed or not; ``settlements``:
        import every settlement report again (a second sync run of them)."""
        with self.lock:
            again = {tuple(key) for key in orders}
            if settlements:
                self.imported_reports.clear()
            for spec, client in self._channels():
                if spec.poll_orders is None or self.defects.skips(spec.name):
                    continue
                try:
                    since, changed = self._poll_orders(spec, client)
                    changed.update((key, self.orders[key]) for key in again if key[0] == spec.name and
                                   key in self.orders)
                    self._sync_refunds(spec, client, changed, since)
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
            self.last_cycle = time.monotonic()
            return self.cycles

    def scheduled_cycle(self, interval: float) -> None:
        """The schedule's cycle: run one unless another ran in the last ``interval`` seconds."""
        with self.lock:
            if time.monotonic() - self.last_cycle >= interval:
                self.cycle()

    def _poll_orders(self, spec: ChannelSpec, client: Any) -> tuple[datetime, dict[Key, Order]]:
        """The orders the channel shows as new or updated since the last poll, synced unless already known;
        returns the poll's start and the orders that changed since their refunds were last read."""
        assert spec.poll_orders is not None
        channel = spec.name
        since, now = self.watermarks[channel], self.clock()
        seen = spec.poll_orders(client, since)
        dated = [moment for moment in (_moment(order.updated_at) for order in seen) if moment is not None]
        # next time from the newest change seen, by the channel's clock (its second is listed again: orders
        # listed unchanged cost a lean listing line), else from this poll's start, by ours
        if dated:
            self.watermarks[channel] = max(since, max(dated) - RESOLUTION)
        else:
            self.watermarks[channel] = max(since, now - OVERLAP)
        changed = {key: order for key, order in self.unread.items() if key[0] == channel}
        for order in seen:
            key = (channel, order.channel_order_id)
            self.orders.setdefault(key, order)
            if order.updated_at is None or self.read.get(key) != order.updated_at:
                changed[key] = order
                self.unread[key] = order
            if key in self.cancelled or self.store.order(channel, order.channel_order_id) is not None:
                continue
            if not self.order_import:
                self.cancelled[key] = f"order {order.channel_order_id} was not imported: order import is off"
                continue
            result = self.engine.orders.sync(order)
            if not result.synced:
                self.store.record_error(channel, "order", order.channel_order_id, str(result.error))
        return since, changed

    def _sync_refunds(self, spec: ChannelSpec, client: Any, changed: dict[Key, Order], since: datetime) -> None:
        """The refund sync of one channel; ``changed`` orders count as read once it is done."""
        settings = self.config.channel(spec.name).refunds
        started = self.clock()
        reading = settings.direction != "from_netsuite" and spec.poll_refunds is not None
        if not reading:  # from NetSuite, the cart's own refunds are not the connector's to read
            if settings.direction == "from_netsuite":
                self.defects.from_netsuite(spec.name, client, settings)
        else:
            assert spec.poll_refunds is not None
            for refund in spec.poll_refunds(client, list(changed.values()), since):
                self.defects.to_netsuite(refund, settings)
        for key, order in changed.items():
            if not reading or _settled(order.updated_at, started):
                self.read[key] = order.updated_at
                self.unread.pop(key, None)

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


def load_channels() -> None:
    """Import every registered channel's module now (the registry loads them on first use), before a spec
    comes: the launcher starts the emulators meanwhile."""
    channels.specs()


def run(spec: dict[str, Any], *, announce: Callable[[str], None], until_closed: IO[str]) -> None:
    """Serve the status API, run a cycle ``spec["interval"]`` seconds after the last one (a "sync now" puts
    the next one off), stop when ``until_closed`` reaches EOF."""
    connector = SandboxConnector(spec)
    stop = threading.Event()
    interval = float(spec.get("interval", 1.0))

    def loop() -> None:
        while not stop.wait(max(0.0, connector.last_cycle + interval - time.monotonic())):
            connector.scheduled_cycle(interval)

    threading.Thread(target=loop, name="sandbox-connector-poll", daemon=True).start()
    server = serve(connector, host=spec.get("host", "127.0.0.1"))
    announce(server.url)
    try:
        until_closed.read()  # the launcher closes our stdin to stop us
    finally:
        stop.set()
        server.stop()


def _moment(text: str | None) -> datetime | None:
    """A channel's ``updated_at`` (``...Z``, an offset, or GMT without one) as a datetime; None without one."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _settled(updated_at: str | None, read_at: datetime) -> bool:
    """Whether a read at ``read_at`` saw every change of the second ``updated_at`` names (a channel without
    the date has its orders' refunds read again at every poll that lists them)."""
    moment = _moment(updated_at)
    return moment is None or moment + SETTLED <= read_at


def _described(exc: Exception) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
