"""NetSuite as an audit reads it: refund records with their createdFrom chain and line totals.

Every read is SuiteQL, a handful of queries whatever the volume:

- :func:`refund_records`: one row per refund record (cash refund, credit memo, return
  authorization) dated in a range, with up to three createdFrom hops (refund -> return
  authorization -> cash sale/invoice -> sales order) and the channel order id
  ([netsuite] order_id_field) and channel ([netsuite] channel_field, when set) of each hop,
  the ISO code of the record's own currency (``transaction.currency`` joined to ``currency.symbol``, the
  currency record's ISO Code; ``BUILTIN.DF(currency)`` would give the currency's name, which the account
  chooses), and its lines folded into totals, in that currency: item lines
  (count, quantity, amount and item-id fingerprints), shipping, other adjustments, tax
  and the record's total. Paged 1,000 rows a request, split by date (then by id) at 100,000 rows.
- :func:`item_ids`: SKU (itemId) -> internal id, one query per 1,000 SKUs.
- :func:`refund_lines`: the item lines of the few refunds whose fingerprints differ.
- :func:`sales_orders`, :func:`customer_refunds_of`, :func:`settlement_records`: look-ups by key.

Signs follow NetSuite (see ``sandbox/netsuite/suiteql.py``): refund item and tax lines
are positive and the main line negative, so the record's total is ``-foreigntotal``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

from ._external_ids import external_ids
from ._queries import chunks as _chunks
from ._queries import item_ids
from ._suiteql import SUITEQL_ROW_LIMIT, PageProgress, date_literal, in_list, literal, rows, rows_by_date

__all__ = ["NsRefund", "refund_records", "item_ids", "refund_lines", "sales_orders", "customer_refunds_of",
           "settlement_records", "REFUND_TYPES", "Specials"]

REFUND_TYPES = ("CashRfnd", "CustCred", "RtnAuth")
BILLING_TYPES = ("CashSale", "CustInvc")


def _dec(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


@dataclass(frozen=True)
class Specials:
    """Item ids that are not SKUs: the shipping item, and the refund adjustment items."""

    shipping: tuple[str, ...] = ()
    positive: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.shipping + self.positive + self.negative), key=int))


@dataclass
class NsRefund:
    """One NetSuite refund record, its chain and its folded lines."""

    id: str
    type: str
    tranid: str
    externalid: str
    memo: str
    own_ref: str | None
    trandate: str
    currency: str | None  # ISO code of the record's transaction currency (currency.symbol), None if it names none
    chain: list[tuple[str, str, str | None]]  # (id, type, order ref) from the record's source to the origin
    own_channel: str | None = None  # the record's own channel field, and each hop's, in chain order
    chain_channels: list[str | None] = field(default_factory=list)
    lines: int = 0
    quantity: Decimal = Decimal(0)
    amount: Decimal = Decimal(0)
    fp_quantity: Decimal = Decimal(0)
    fp_quantity2: Decimal = Decimal(0)
    fp_amount: Decimal = Decimal(0)
    shipping: Decimal = Decimal(0)
    adjustment: Decimal = Decimal(0)
    tax: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    customer_refunds: list[str] = field(default_factory=list)

    @property
    def origin(self) -> tuple[str, str, str | None] | None:
        return self.chain[-1] if self.chain else None

    @property
    def linked_order(self) -> str | None:
        """The channel order id of the sales order the chain ends at, or None when it ends elsewhere."""
        origin = self.origin
        return origin[2] if origin and origin[1] == "SalesOrd" and origin[2] else None

    @property
    def order_key(self) -> str | None:
        return self.linked_order or self.own_ref

    @property
    def channel(self) -> str | None:
        """The channel field of the sales order the chain ends at (of the record itself when the chain ends
        elsewhere), or None when that record names no channel."""
        if self.linked_order is not None and self.chain_channels:
            return self.chain_channels[-1] or None
        return self.own_channel or None

    @property
    def billing_type(self) -> str | None:
        return next((t for _, t, _ in self.chain if t in BILLING_TYPES), None)

    @property
    def return_authorization(self) -> str | None:
        return next((i for i, t, _ in self.chain if t == "RtnAuth"), None)

    @property
    def label(self) -> str:
        return f"{self.type} {self.tranid or self.id}"

    def chain_text(self) -> str:
        hops = [f"{self.type} {self.tranid or self.id}"] + [
            f"{t} {i}" + (f" ({r})" if r else "") for i, t, r in self.chain
        ]
        return " -> ".join(hops) + ("" if self.chain else " (no createdFrom)")

    def types(self) -> list[str]:
        found = [self.type] + (["RtnAuth"] if self.return_authorization and self.type != "RtnAuth" else [])
        return found + ["CustRfnd"] * len(self.customer_refunds)


def _refund_query(field: str, specials: Specials, start: dt.date, end: dt.date, after_id: int | None = None,
                  channel_field: str = "") -> str:
    f = field.lower()
    c = channel_field.lower()
    channels = (f"t.{c} AS ownchannel, p1.{c} AS p1channel, p2.{c} AS p2channel, p3.{c} AS p3channel, "
                if c else "")
    grouped = f"t.{c}, p1.{c}, p2.{c}, p3.{c}, " if c else ""
    special = in_list(int(i) for i in specials.all) if specials.all else ""
    item_line = "l.taxline = 'F' AND l.item IS NOT NULL" + (f" AND l.item NOT IN ({special})" if special else "")
    ship_ids = in_list(int(i) for i in specials.shipping) or "NULL"
    pos_ids = in_list(int(i) for i in specials.positive) or "NULL"
    adj_ids = in_list(int(i) for i in specials.positive + specials.negative) or "NULL"
    shipping = (f"l.item IN ({ship_ids}) OR (l.item IN ({pos_ids}) AND LOWER(l.memo) LIKE '%shipping%')")
    adjustment = f"l.item IN ({adj_ids}) AND NOT ({shipping})"
    return (
        f"SELECT t.id, t.type, t.tranid, t.externalid, t.memo, t.{f} AS ownref, "
        "TO_CHAR(t.trandate, 'YYYY-MM-DD') AS day, t.foreigntotal AS total, cur.symbol AS currency, "
        f"p1.id AS p1id, p1.type AS p1type, p1.{f} AS p1ref, p2.id AS p2id, p2.type AS p2type, p2.{f} AS p2ref, "
        f"p3.id AS p3id, p3.type AS p3type, p3.{f} AS p3ref, {channels}"
        f"SUM(CASE WHEN {item_line} THEN 1 ELSE 0 END) AS nlines, "
        f"SUM(CASE WHEN {item_line} THEN l.quantity ELSE 0 END) AS qty, "
        f"SUM(CASE WHEN {item_line} THEN l.foreignamount ELSE 0 END) AS amount, "
        f"SUM(CASE WHEN {item_line} THEN l.item * l.quantity ELSE 0 END) AS fpq, "
        f"SUM(CASE WHEN {item_line} THEN l.item * l.item * l.quantity ELSE 0 END) AS fpq2, "
        f"SUM(CASE WHEN {item_line} THEN l.item * l.foreignamount ELSE 0 END) AS fpa, "
        f"SUM(CASE WHEN {shipping} THEN l.foreignamount ELSE 0 END) AS shipping, "
        f"SUM(CASE WHEN {adjustment} THEN l.foreignamount ELSE 0 END) AS adjustment, "
        "SUM(CASE WHEN l.taxline = 'T' THEN l.foreignamount ELSE 0 END) AS tax "
        "FROM transaction t "
        "JOIN transactionline m ON m.transaction = t.id AND m.mainline = 'T' "
        "LEFT JOIN currency cur ON cur.id = t.currency "
        "LEFT JOIN transaction p1 ON p1.id = m.createdfrom "
        "LEFT JOIN transactionline m1 ON m1.transaction = p1.id AND m1.mainline = 'T' "
        "LEFT JOIN transaction p2 ON p2.id = m1.createdfrom "
        "LEFT JOIN transactionline m2 ON m2.transaction = p2.id AND m2.mainline = 'T' "
        "LEFT JOIN transaction p3 ON p3.id = m2.createdfrom "
        "LEFT JOIN transactionline l ON l.transaction = t.id AND l.mainline = 'F' "
        f"WHERE t.type IN ({in_list(REFUND_TYPES)}) "
        f"AND t.trandate >= {date_literal(start)} AND t.trandate < {date_literal(end)} "
        + (f"AND t.id > {int(after_id)} " if after_id is not None else "")
        + f"GROUP BY t.id, t.type, t.tranid, t.externalid, t.memo, t.{f}, t.trandate, t.foreigntotal, cur.symbol, "
        f"p1.id, p1.type, p1.{f}, p2.id, p2.type, p2.{f}, p3.id, p3.type, p3.{f}"
        + (f", {grouped[:-2]} " if grouped else " ")
        + "ORDER BY t.id")


def refund_records(client: Any, *, order_id_field: str, specials: Specials, start: dt.date, end: dt.date,
                   progress: PageProgress | None = None, row_limit: int = SUITEQL_ROW_LIMIT,
                   channel_field: str = "") -> list[NsRefund]:
    """Refund records dated ``start <= trandate < end``, one row (and one object) each; with ``channel_field``,
    each with the channel its own record and every hop of its chain name there."""
    found = []
    def query(a: dt.date, b: dt.date, after: int | None) -> str:
        return _refund_query(order_id_field, specials, a, b, after, channel_field)

    for row in rows_by_date(client, query, start, end, limit=row_limit, progress=progress,
                            what="netsuite refund records"):
        chain, channels = [], []
        for hop in ("p1", "p2", "p3"):
            if not row.get(f"{hop}id"):
                break
            chain.append((str(row[f"{hop}id"]), str(row.get(f"{hop}type") or ""), row.get(f"{hop}ref") or None))
            channels.append(row.get(f"{hop}channel") or None)
        found.append(NsRefund(
            id=str(row["id"]), type=str(row["type"]), tranid=str(row.get("tranid") or ""),
            externalid=str(row.get("externalid") or ""), memo=str(row.get("memo") or ""),
            own_ref=row.get("ownref") or None, trandate=str(row.get("day") or ""),
            currency=str(row["currency"]).upper() if row.get("currency") else None, chain=chain,
            own_channel=row.get("ownchannel") or None, chain_channels=channels,
            lines=int(_dec(row.get("nlines"))), quantity=_dec(row.get("qty")), amount=_dec(row.get("amount")),
            fp_quantity=_dec(row.get("fpq")), fp_quantity2=_dec(row.get("fpq2")), fp_amount=_dec(row.get("fpa")),
            shipping=_dec(row.get("shipping")), adjustment=_dec(row.get("adjustment")), tax=_dec(row.get("tax")),
            total=-_dec(row.get("total"))))
    return found


def refund_lines(client: Any, refund_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Item lines (itemid, quantity, amount, memo) of the given refund records, by record id."""
    ids = sorted({int(i) for i in refund_ids})
    lines: dict[str, list[dict[str, Any]]] = {}
    for chunk in _chunks(ids):
        query = ("SELECT l.transaction AS tid, l.id AS line, l.item, i.itemid, l.quantity, l.foreignamount AS amount, "
                 "l.memo FROM transactionline l JOIN item i ON i.id = l.item "
                 f"WHERE l.transaction IN ({in_list(chunk)}) AND l.mainline = 'F' AND l.taxline = 'F' "
                 "ORDER BY l.transaction, l.id")
        for row in rows(client, query):
            lines.setdefault(str(row["tid"]), []).append(row)
    return lines


def sales_orders(client: Any, order_id_field: str, order_ids: Iterable[str]) -> dict[str, list[str]]:
    """Channel order id -> ids of the sales orders carrying it."""
    f = order_id_field.lower()
    found: dict[str, list[str]] = {}
    for chunk in _chunks(sorted(set(order_ids))):
        query = (f"SELECT t.id, t.{f} AS ref FROM transaction t WHERE t.type = 'SalesOrd' "
                 f"AND t.{f} IN ({in_list(chunk)}) ORDER BY t.id")
        for row in rows(client, query):
            found.setdefault(str(row["ref"]), []).append(str(row["id"]))
    return found


def customer_refunds_of(client: Any, credit_memo_ids: Iterable[str]) -> dict[str, list[str]]:
    """Credit memo id -> customer refunds applied to it (previoustransactionlinelink)."""
    found: dict[str, list[str]] = {}
    for chunk in _chunks(sorted({int(i) for i in credit_memo_ids})):
        query = ("SELECT DISTINCT previousdoc, nextdoc FROM previoustransactionlinelink "
                 f"WHERE nexttype = 'CustRfnd' AND previousdoc IN ({in_list(chunk)}) ORDER BY previousdoc, nextdoc")
        for row in rows(client, query):
            found.setdefault(str(row["previousdoc"]), []).append(str(row["nextdoc"]))
    return found


def settlement_records(client: Any, settlement_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Settlement id -> deposits/journal entries posted for it (external id ``amazon-settlement-<id>``
    or the id named in the memo)."""
    ids = sorted(set(settlement_ids))
    found: dict[str, list[dict[str, Any]]] = {}
    for chunk in _chunks(ids, 200):
        externals = in_list(external_ids.settlement(i) for i in chunk)
        memos = " OR ".join(f"t.memo LIKE {literal('%settlement ' + i + '%')}" for i in chunk)
        query = ("SELECT t.id, t.type, t.tranid, t.externalid, t.memo, t.foreigntotal AS total FROM transaction t "
                 f"WHERE t.type IN ('Deposit', 'Journal') AND (t.externalid IN ({externals}) OR {memos}) ORDER BY t.id")
        for row in rows(client, query):
            for sid in chunk:
                if row.get("externalid") == external_ids.settlement(sid) or f"settlement {sid}" in str(
                    row.get("memo") or ""
                ):
                    found.setdefault(sid, []).append(row)
    return found
