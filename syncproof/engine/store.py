"""The engine's own record of what it synced: orders, refunds, settlements and sync errors.

This is what "the order is updated in the connector" means for RS-NM-2 and RS-MN-1.
SQLite, one file per project (``.syncproof/engine.sqlite3``) or in memory.

Every sync is written in two steps so that a crash between them loses nothing and
doubles nothing: the intent is committed before any write (status ``pending``, with
the external id the NetSuite record will carry), the result after it (``synced``).

Statuses of an order or a refund:

- ``pending``: the intent is recorded; the write may or may not have happened. On
  restart it is resolved by looking the external id up in NetSuite.
- ``retry``: the write was not accepted (transient failures, bounded retries given up,
  the reason in ``sync_errors``); the next sync tries it again, looking up first.
- ``synced``: NetSuite (or the cart) holds the record; its id is stored.
"""

from __future__ import annotations

import json
import operator
import sqlite3
import threading
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, ContextManager, Iterable, Iterator, Mapping, TypeVar

from syncproof.errors import SyncproofError

from . import leases
from ._kernel import compiled as _compiled

__all__ = ["EngineStore", "OrderRecord", "RefundRecord", "SyncError", "SettlementRecord", "StoreUnreadable"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    channel TEXT NOT NULL,
    channel_order_id TEXT NOT NULL,
    channel_ref TEXT,
    currency TEXT,
    customer_id TEXT,
    sales_order_id TEXT,
    billing_type TEXT,
    billing_id TEXT,
    status TEXT NOT NULL,
    synced_at TEXT NOT NULL,
    PRIMARY KEY (channel, channel_order_id)
);
CREATE INDEX IF NOT EXISTS orders_synced ON orders (channel, channel_order_id) WHERE status = 'synced';
CREATE TABLE IF NOT EXISTS refunds (
    channel TEXT NOT NULL,
    channel_refund_id TEXT NOT NULL,
    channel_order_id TEXT NOT NULL,
    direction TEXT NOT NULL,
    netsuite_type TEXT,
    netsuite_id TEXT,
    external_id TEXT,
    related TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL,
    total TEXT,
    currency TEXT,
    synced_at TEXT NOT NULL,
    PRIMARY KEY (channel, channel_refund_id)
);
CREATE INDEX IF NOT EXISTS refunds_by_order ON refunds (channel, channel_order_id);
CREATE INDEX IF NOT EXISTS refunds_by_netsuite ON refunds (netsuite_id);
CREATE TABLE IF NOT EXISTS sync_errors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    ref TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS errors_by_ref ON sync_errors (channel, ref);
CREATE TABLE IF NOT EXISTS settlements (
    settlement_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    netsuite_type TEXT,
    netsuite_id TEXT,
    total TEXT,
    currency TEXT,
    period_start TEXT,
    period_end TEXT,
    exceptions TEXT NOT NULL DEFAULT '[]',
    processed_at TEXT NOT NULL
);
"""


class StoreUnreadable(SyncproofError):
    """The store file is not an SQLite database (corrupt, truncated, or another file)."""


_first = operator.itemgetter(0)
_T = TypeVar("_T")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class OrderRecord:
    channel: str
    channel_order_id: str
    channel_ref: str | None
    currency: str | None
    customer_id: str | None
    sales_order_id: str | None
    billing_type: str | None
    billing_id: str | None
    status: str
    synced_at: str

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class RefundRecord:
    channel: str
    channel_refund_id: str
    channel_order_id: str
    direction: str
    netsuite_type: str | None
    netsuite_id: str | None
    external_id: str | None
    related: dict[str, str]
    status: str
    total: str | None
    currency: str | None
    synced_at: str

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class SyncError:
    channel: str
    kind: str
    ref: str
    reason: str
    at: str

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class SettlementRecord:
    settlement_id: str
    status: str
    netsuite_type: str | None
    netsuite_id: str | None
    total: str | None
    currency: str | None
    period_start: str | None
    period_end: str | None
    exceptions: list[dict[str, Any]]
    processed_at: str


_memory_template: list[bytes] = []  # an in-memory store's schema, serialized once per process


def _empty_memory_store() -> bytes:
    """An empty in-memory store with the schema made, as SQLite serializes it: a new in-memory store starts as a
    copy of it (recorded runs open one per scenario) instead of creating every table and index again."""
    if not _memory_template:
        db = sqlite3.connect(":memory:")
        try:
            db.execute("PRAGMA journal_mode=MEMORY")
            db.executescript(_SCHEMA)
            _memory_template.append(db.serialize())
        finally:
            db.close()
    return _memory_template[0]


class EngineStore:
    """SQLite-backed record of syncs; safe to share between threads.

        >>> store = EngineStore(":memory:")
        >>> store.record_order("shopify", "1001", sales_order_id="42", billing_type="CashSale", billing_id="43").status
        'synced'
        >>> store.order("shopify", "1001").billing_id
        '43'
    """

    def __init__(self, path: str | Path = ":memory:", *, lease_wait: float = leases.DEFAULT_WAIT) -> None:
        self.path = None if str(path) == ":memory:" else Path(path)
        self.lease_wait = lease_wait
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._lock = threading.RLock()
            with self._lock:
                if self.path is None:
                    self._db.deserialize(_empty_memory_store())
                else:
                    self._db.execute("PRAGMA journal_mode=WAL")
                    self._db.executescript(_SCHEMA)
                self._db.execute("SELECT count(*) FROM orders").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreUnreadable(f"the engine store {path} cannot be read ({exc})",
                                  "move it aside (it is rebuilt on the next run; NetSuite is looked up by external "
                                  "id, so nothing is doubled) or restore it from a backup") from None

    def writer(self, channel: str) -> ContextManager[None]:
        """Hold the writer lease of this store and ``channel``: one syncing process at a time.

        A second process waits up to ``lease_wait`` seconds, then stops with
        :class:`~syncproof.engine.leases.LeaseBusy` naming the holder. In-memory
        stores belong to one process and need no lease.
        """
        if self.path is None:
            return nullcontext()
        path = self.path
        wait = self.lease_wait

        def busy(holder: str) -> leases.LeaseBusy:
            return leases.LeaseBusy(f"the engine store {path} is syncing {channel} in another syncproof process "
                                    f"({holder}); waited {wait:g} s",
                                    "let that run finish first, or give this run its own working folder")

        return leases.hold(path.with_name(f"{path.name}.{channel}.lock"), purpose=f"sync {channel}", wait=wait,
                           busy=busy)

    def close(self) -> None:
        self._db.close()

    def _execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._db.execute(sql, params)

    def executemany(self, sql: str, rows) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany(sql, rows)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    # --- orders ---------------------------------------------------------------------
    def record_order(self, channel: str, channel_order_id: str, *, channel_ref: str | None = None,
                     currency: str | None = None, customer_id: str | None = None,
                     sales_order_id: str | None = None, billing_type: str | None = None,
                     billing_id: str | None = None, status: str = "synced") -> OrderRecord:
        self._execute(
            "INSERT INTO orders VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(channel, channel_order_id) DO UPDATE SET "
            "channel_ref=excluded.channel_ref, currency=excluded.currency, customer_id=excluded.customer_id, "
            "sales_order_id=excluded.sales_order_id, billing_type=excluded.billing_type, "
            "billing_id=excluded.billing_id, status=excluded.status, synced_at=excluded.synced_at",
            (channel, channel_order_id, channel_ref, currency, customer_id, sales_order_id, billing_type,
             billing_id, status, _now()))
        return self.order(channel, channel_order_id)  # type: ignore[return-value]

    def order(self, channel: str, channel_order_id: str) -> OrderRecord | None:
        row = self._execute("SELECT * FROM orders WHERE channel=? AND channel_order_id=?",
                            (channel, channel_order_id)).fetchone()
        return OrderRecord(**dict(row)) if row else None

    def orders(self, channel: str | None = None) -> list[OrderRecord]:
        sql = "SELECT * FROM orders"
        params: tuple[str, ...] = ()
        if channel:
            sql, params = sql + " WHERE channel=?", (channel,)
        return [OrderRecord(**dict(r)) for r in self._execute(sql + " ORDER BY channel, channel_order_id", params)]

    def orders_by_id(self, channel: str, ids: list[str]) -> dict[str, OrderRecord]:
        """The synced orders among ``ids``, in chunks (used to match settlement rows)."""
        found: dict[str, OrderRecord] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._execute(f"SELECT * FROM orders WHERE channel=? AND status='synced' "
                                     f"AND channel_order_id IN ({marks})",
                                     (channel, *chunk)):
                found[row["channel_order_id"]] = OrderRecord(**dict(row))
        return found

    def synced_order_ids(self, channel: str, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are synced orders; the set holds the given id strings themselves (see
        :meth:`synced_orders_of`)."""
        return self.synced_orders_of(channel, {order_id: order_id for order_id in ids})

    def synced_orders_of(self, channel: str, index: Mapping[str, _T]) -> set[_T]:
        """Which keys of ``index`` (order ids) are synced orders, as their values in ``index``; only the ids are read.

        The answer comes from the index of synced orders. When the channel has not many more
        synced orders than ``index`` (at most twice as many) they are read in one pass; otherwise
        the ids go to SQLite as JSON arrays of up to 50,000, each looked up.
        """
        found: set[Any] = set()
        if index and not self._scan_synced(channel, len(index),
                                           lambda rows: found.update(map(index.get, map(_first, rows)))):
            found.clear()
            found.update(index[order_id] for order_id in self._synced_among(channel, list(index)))
        found.discard(None)  # read, not asked
        return found

    def synced_flags(self, channel: str, numbers: Mapping[str, int]) -> bytes:
        """Which of the orders ``numbers`` numbers (order id -> number, 0 up to ``len(numbers) - 1``, as the
        settlement tally numbers them) are synced: byte ``n`` is 1 when the order numbered ``n`` is.

        Read as :meth:`synced_orders_of` reads them. Where the compiled look-up is built, ids of
        the Amazon form are matched as numbers, sorted and merged with the index's order (a dict
        look-up per id reads memory at random, which costs more than the rest of the pass).
        """
        if _compiled is None or type(numbers) is not dict:
            flags = bytearray(len(numbers))
            for n in self.synced_orders_of(channel, numbers):
                flags[n] = 1
            return bytes(flags)
        lookup = _compiled.lookup(numbers)
        if numbers and not self._scan_synced(channel, len(numbers), lambda rows: _compiled.lookup_rows(lookup, rows)):
            lookup = _compiled.lookup(numbers)
            _compiled.lookup_rows(lookup, [(order_id,) for order_id in self._synced_among(channel, list(numbers))])
        return _compiled.lookup_flags(lookup)

    def _scan_synced(self, channel: str, asked: int, take: Callable[[list[tuple[str]]], object]) -> bool:
        """Give ``take`` the channel's synced order ids, a chunk of rows at a time, in the index's order; False
        (and not all given) when there are many more of them than the ``asked`` ids (over twice as many)."""
        limit, read = 2 * asked + 1_000, 0
        with self._lock:
            cursor = self._db.cursor()
            cursor.row_factory = None
            cursor.execute("SELECT channel_order_id FROM orders WHERE channel=? AND status='synced' LIMIT ?",
                           (channel, limit + 1))
            while rows := cursor.fetchmany(256):
                read += len(rows)
                if read > limit:
                    return False
                take(rows)
        return True

    def _synced_among(self, channel: str, ids: list[str]) -> list[str]:
        """Those of ``ids`` that are the channel's synced orders, looked up in SQLite 50,000 at a time (each as
        given)."""
        found: list[str] = []
        with self._lock:
            cursor = self._db.cursor()
            cursor.row_factory = None
            for start in range(0, len(ids), 50_000):
                chunk = ids[start:start + 50_000]
                found.extend(chunk[key] for (key,) in cursor.execute(
                    "SELECT key FROM json_each(?) WHERE EXISTS (SELECT 1 FROM orders WHERE channel=? "
                    "AND status='synced' AND channel_order_id=value)", (json.dumps(chunk), channel)))
        return found

    def begin_order(self, channel: str, channel_order_id: str, *, channel_ref: str | None = None,
                    currency: str | None = None) -> OrderRecord:
        """Record the intent to sync an order (status ``pending``) before any write; a synced order is kept."""
        self._execute(
            "INSERT INTO orders (channel, channel_order_id, channel_ref, currency, status, synced_at) "
            "VALUES (?,?,?,?, 'pending', ?) ON CONFLICT(channel, channel_order_id) DO UPDATE SET "
            "channel_ref=COALESCE(excluded.channel_ref, orders.channel_ref), "
            "currency=COALESCE(excluded.currency, orders.currency), status='pending', synced_at=excluded.synced_at "
            "WHERE orders.status != 'synced'",
            (channel, channel_order_id, channel_ref, currency, _now()))
        return self.order(channel, channel_order_id)  # type: ignore[return-value]

    def note_sales_order(self, channel: str, channel_order_id: str, *, customer_id: str,
                         sales_order_id: str) -> None:
        """Record, on a pending order, that its customer and sales order exist in NetSuite."""
        self._execute("UPDATE orders SET customer_id=?, sales_order_id=?, synced_at=? "
                      "WHERE channel=? AND channel_order_id=? AND status != 'synced'",
                      (customer_id, sales_order_id, _now(), channel, channel_order_id))

    def mark_order(self, channel: str, channel_order_id: str, status: str) -> None:
        """Set the status of an order not yet synced (``retry`` after a given-up write)."""
        self._execute("UPDATE orders SET status=?, synced_at=? WHERE channel=? AND channel_order_id=? "
                      "AND status != 'synced'", (status, _now(), channel, channel_order_id))

    def unfinished_orders(self) -> list[OrderRecord]:
        """Orders whose intent is recorded but whose result is not (``pending`` or ``retry``)."""
        return [OrderRecord(**dict(r)) for r in self._execute(
            "SELECT * FROM orders WHERE status IN ('pending', 'retry') ORDER BY channel, channel_order_id")]

    # --- refunds ----------------------------------------------------------------------
    def begin_refund(self, channel: str, channel_refund_id: str, channel_order_id: str, *, direction: str,
                     netsuite_type: str, external_id: str, total: str | None = None, currency: str | None = None,
                     netsuite_id: str | None = None) -> RefundRecord:
        """Record the intent to sync a refund (status ``pending``) before any write.

        An unfinished intent (``pending`` or ``retry``) is renewed; a synced refund is left alone.
        """
        self._execute(
            "INSERT INTO refunds (channel, channel_refund_id, channel_order_id, direction, netsuite_type, "
            "netsuite_id, external_id, status, total, currency, synced_at) VALUES (?,?,?,?,?,?,?, 'pending', ?,?,?) "
            "ON CONFLICT(channel, channel_refund_id) DO UPDATE SET netsuite_type=excluded.netsuite_type, "
            "netsuite_id=COALESCE(excluded.netsuite_id, refunds.netsuite_id), external_id=excluded.external_id, "
            "total=COALESCE(excluded.total, refunds.total), currency=COALESCE(excluded.currency, refunds.currency), "
            "status='pending', synced_at=excluded.synced_at WHERE refunds.status != 'synced'",
            (channel, channel_refund_id, channel_order_id, direction, netsuite_type, netsuite_id, external_id,
             total, currency, _now()))
        return self.refund(channel, channel_refund_id)  # type: ignore[return-value]

    def mark_refund(self, channel: str, channel_refund_id: str, status: str) -> None:
        """Set the status of a refund not yet synced (``retry`` after a given-up write)."""
        self._execute("UPDATE refunds SET status=?, synced_at=? WHERE channel=? AND channel_refund_id=? "
                      "AND status != 'synced'", (status, _now(), channel, channel_refund_id))

    def replace_refund(self, channel: str, placeholder_id: str, channel_refund_id: str, channel_order_id: str, *,
                       direction: str, netsuite_type: str, netsuite_id: str, total: str, currency: str,
                       external_id: str | None = None, related: dict[str, str] | None = None) -> RefundRecord:
        """Swap an intent kept under ``placeholder_id`` for the synced refund, in one transaction.

        Used when the refund's own id is known only after the write (a refund pushed to a cart).
        """
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("DELETE FROM refunds WHERE channel=? AND channel_refund_id=? AND status != 'synced'",
                                 (channel, placeholder_id))
                self._db.execute(
                    "INSERT INTO refunds VALUES (?,?,?,?,?,?,?,?, 'synced', ?,?,?) "
                    "ON CONFLICT(channel, channel_refund_id) DO UPDATE SET netsuite_type=excluded.netsuite_type, "
                    "netsuite_id=excluded.netsuite_id, external_id=excluded.external_id, related=excluded.related, "
                    "status='synced', total=excluded.total, currency=excluded.currency, synced_at=excluded.synced_at",
                    (channel, channel_refund_id, channel_order_id, direction, netsuite_type, netsuite_id,
                     external_id or "", json.dumps(related or {}, sort_keys=True), total, currency, _now()))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return self.refund(channel, channel_refund_id)  # type: ignore[return-value]

    def finish_refund(self, channel: str, channel_refund_id: str, *, netsuite_type: str, netsuite_id: str,
                      total: str, currency: str, related: dict[str, str] | None = None,
                      status: str = "synced") -> RefundRecord:
        self._execute(
            "UPDATE refunds SET netsuite_type=?, netsuite_id=?, total=?, currency=?, related=?, status=?, "
            "synced_at=? WHERE channel=? AND channel_refund_id=?",
            (netsuite_type, netsuite_id, total, currency, json.dumps(related or {}, sort_keys=True), status, _now(),
             channel, channel_refund_id))
        return self.refund(channel, channel_refund_id)  # type: ignore[return-value]

    def record_refund(self, channel: str, channel_refund_id: str, channel_order_id: str, *, direction: str,
                      netsuite_type: str, netsuite_id: str, total: str, currency: str,
                      related: dict[str, str] | None = None, external_id: str | None = None) -> RefundRecord:
        self.begin_refund(channel, channel_refund_id, channel_order_id, direction=direction,
                          netsuite_type=netsuite_type, external_id=external_id or "")
        return self.finish_refund(channel, channel_refund_id, netsuite_type=netsuite_type, netsuite_id=netsuite_id,
                                  total=total, currency=currency, related=related)

    def refund(self, channel: str, channel_refund_id: str) -> RefundRecord | None:
        row = self._execute("SELECT * FROM refunds WHERE channel=? AND channel_refund_id=?",
                            (channel, channel_refund_id)).fetchone()
        return self._refund(row) if row else None

    def refund_by_netsuite_id(self, netsuite_id: str) -> RefundRecord | None:
        """The refund recorded against this NetSuite record (a synced one first)."""
        row = self._execute("SELECT * FROM refunds WHERE netsuite_id=? ORDER BY status != 'synced' LIMIT 1",
                            (netsuite_id,)).fetchone()
        return self._refund(row) if row else None

    def refunds(self, channel: str | None = None, channel_order_id: str | None = None) -> list[RefundRecord]:
        clauses, params = [], []
        if channel:
            clauses.append("channel=?")
            params.append(channel)
        if channel_order_id:
            clauses.append("channel_order_id=?")
            params.append(channel_order_id)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self._execute(f"SELECT * FROM refunds{where} ORDER BY channel, channel_refund_id", tuple(params))
        return [self._refund(r) for r in rows]

    def pending_refunds(self) -> list[RefundRecord]:
        return [self._refund(r) for r in self._execute(
            "SELECT * FROM refunds WHERE status='pending' ORDER BY channel, channel_refund_id")]

    def unfinished_refunds(self) -> list[RefundRecord]:
        """Refunds whose intent is recorded but whose result is not (``pending`` or ``retry``)."""
        return [self._refund(r) for r in self._execute(
            "SELECT * FROM refunds WHERE status IN ('pending', 'retry') ORDER BY channel, channel_refund_id")]

    def forget_refund(self, channel: str, channel_refund_id: str) -> None:
        """Drop an unfinished refund whose write was refused (nothing was written)."""
        self._execute("DELETE FROM refunds WHERE channel=? AND channel_refund_id=? AND status IN ('pending', 'retry')",
                      (channel, channel_refund_id))

    @staticmethod
    def _refund(row: sqlite3.Row) -> RefundRecord:
        data = dict(row)
        data["related"] = json.loads(data["related"] or "{}")
        return RefundRecord(**data)

    # --- errors -------------------------------------------------------------------------
    def record_error(self, channel: str, kind: str, ref: str, reason: str) -> SyncError:
        at = _now()
        self._execute("INSERT INTO sync_errors (channel, kind, ref, reason, at) VALUES (?,?,?,?,?)",
                      (channel, kind, ref, reason, at))
        return SyncError(channel, kind, ref, reason, at)

    def errors(self, channel: str | None = None, ref: str | None = None) -> list[SyncError]:
        clauses, params = [], []
        if channel:
            clauses.append("channel=?")
            params.append(channel)
        if ref:
            clauses.append("ref=?")
            params.append(ref)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return [SyncError(r["channel"], r["kind"], r["ref"], r["reason"], r["at"])
                for r in self._execute(f"SELECT * FROM sync_errors{where} ORDER BY id", tuple(params))]

    # --- settlements -----------------------------------------------------------------------
    def record_settlement(self, settlement_id: str, *, status: str, netsuite_type: str | None,
                          netsuite_id: str | None, total: str | None, currency: str, period_start: str,
                          period_end: str, exceptions: list[dict[str, Any]]) -> SettlementRecord:
        self._execute(
            "INSERT INTO settlements VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(settlement_id) DO UPDATE SET "
            "status=excluded.status, netsuite_type=excluded.netsuite_type, netsuite_id=excluded.netsuite_id, "
            "total=excluded.total, currency=excluded.currency, exceptions=excluded.exceptions, "
            "processed_at=excluded.processed_at",
            (settlement_id, status, netsuite_type, netsuite_id, total, currency, period_start, period_end,
             json.dumps(exceptions, sort_keys=True), _now()))
        return self.settlement(settlement_id)  # type: ignore[return-value]

    def settlement(self, settlement_id: str) -> SettlementRecord | None:
        row = self._execute("SELECT * FROM settlements WHERE settlement_id=?", (settlement_id,)).fetchone()
        if not row:
            return None
        data = dict(row)
        data["exceptions"] = json.loads(data["exceptions"])
        return SettlementRecord(**data)

    def iter_settlements(self) -> Iterator[SettlementRecord]:
        for row in self._execute("SELECT settlement_id FROM settlements ORDER BY settlement_id").fetchall():
            record = self.settlement(row["settlement_id"])
            if record:
                yield record
