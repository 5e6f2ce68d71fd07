"""Amazon settlements in NetSuite, the NetSuite Connector's way: the REST bodies and SuiteQL.

Write side (what settlement posting sends):

- :func:`settlement_item_ids` / :func:`create_settlement_items`: one Other Charge for Sale
  item per fee type ("Create Settlement Items"), found by the SKU field;
- :func:`add_settlement_lines`: fee and credit lines appended to an order's billed record
  (cash sale or invoice), each line's memo ``Amazon settlement <id>: <fee type>``;
- :func:`post_summary`: one summary cash sale, cash refund or credit memo for the
  settlement customer, its header memo naming the settlement.

Read side (what the checks and the audit look at, never what the posting code remembers):

- :func:`billed_records`: channel order id -> the sales order's billed record;
- :func:`settlement_footprint`: every line and summary transaction carrying the settlement id;
- :func:`refunds_of`: refund records created from billed records (directly or through a
  return authorization);
- :func:`deposits_into`: deposits into a bank account dated on or after a day.

Amounts come back in settlement terms (positive: Amazon owes the seller). NetSuite stores a
sales-side item line negative and a return-side one positive (see the emulator's SuiteQL
notes), so a line's settlement amount is ``-foreignamount`` on both; a transaction's is
its signed ``foreigntotal`` (a cash sale positive, a cash refund or credit memo negative).

Values put into SuiteQL are checked to be ids, digits or item names of the settlement
item scheme, so nothing needs quoting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable, Protocol

from .._settlement_values import is_amazon_order_id
from ._queries import chunks
from ._suiteql import in_list, literal

__all__ = ["BilledRecord", "FootprintLine", "SummaryTransaction", "RefundRecord", "SettlementFootprint",
           "settlement_item_ids", "create_settlement_items", "add_settlement_lines", "has_settlement_lines",
           "post_summary", "billed_records", "settlement_footprint", "refunds_of", "deposits_into",
           "line_memo", "summary_memo", "SUMMARY_RECORD_TYPES", "BILLED_RECORD_TYPES"]

#: SuiteQL type code -> REST record type, for the records settlement posting makes.
SUMMARY_RECORD_TYPES = {"CashSale": "cashSale", "CashRfnd": "cashRefund", "CustCred": "creditMemo"}
BILLED_RECORD_TYPES = {"CashSale": "cashSale", "CustInvc": "invoice"}
_ITEM_NAME = re.compile(r"^[A-Za-z0-9_.:\- ]{1,80}$")
_CHUNK = 500


class _Client(Protocol):
    def suiteql(self, query: str) -> Iterable[dict[str, Any]]: ...
    def create(self, record_type: str, body: dict[str, Any]) -> str: ...
    def update(self, record_type: str, record_id: str, body: dict[str, Any]) -> None: ...
    def upsert(self, record_type: str, external_id: str, body: dict[str, Any]) -> str: ...
    def get(self, record_type: str, record_id: str, *, expand: bool = True) -> dict[str, Any]: ...
    def find_by_external_id(self, record_type: str, external_id: str, *,
                            expand: bool = True) -> dict[str, Any] | None: ...


def _dec(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def _settlement_id(value: str) -> str:
    if not value.isdigit():
        raise ValueError(f"settlement id {value!r} is not a number")
    return value


def _names(values: Iterable[str]) -> str:
    names = sorted(set(values))
    for name in names:
        if not _ITEM_NAME.match(name):
            raise ValueError(f"settlement item name {name!r} has characters SuiteQL would need quoted")
    return in_list(names)


def _ints(values: Iterable[str | int]) -> str:
    return in_list(sorted({int(v) for v in values}))


def line_memo(settlement_id: str, fee_type: str) -> str:
    """The memo of a settlement line on a billed record."""
    return f"Amazon settlement {settlement_id}: {fee_type}"


def summary_memo(settlement_id: str, what: str, month: str | None = None) -> str:
    """The header memo of a summary transaction."""
    return f"Amazon settlement {settlement_id} {what}" + (f" {month}" if month else "")


# --- write side ---------------------------------------------------------------------------------

def settlement_item_ids(client: _Client, names: Iterable[str], sku_field: str = "itemId") -> dict[str, str]:
    """Settlement item name -> internal id, for the names that exist."""
    wanted = sorted(set(names))
    field = sku_field.lower()
    found: dict[str, str] = {}
    for chunk in chunks(wanted, _CHUNK):
        query = f"SELECT id, {field} AS name FROM item WHERE {field} IN ({_names(chunk)}) ORDER BY id"
        for row in client.suiteql(query):
            found.setdefault(str(row["name"]), str(row["id"]))
    return found


def create_settlement_items(client: _Client, labels: dict[str, str], sku_field: str = "itemId") -> dict[str, str]:
    """Create the settlement items that do not exist yet (name -> display name); return name -> id."""
    found = settlement_item_ids(client, labels, sku_field)
    for name, label in sorted(labels.items()):
        if name not in found:
            found[name] = client.create("otherChargeSaleItem", {sku_field: name, "displayName": label})
    return found


def _lines(lines: Iterable[tuple[str, Decimal, str]]) -> list[dict[str, Any]]:
    return [{"item": {"id": item_id}, "quantity": 1, "amount": amount, "description": memo}
            for item_id, amount, memo in lines]


def add_settlement_lines(client: _Client, record_type: str, record_id: str,
                         lines: Iterable[tuple[str, Decimal, str]]) -> None:
    """Append (item id, amount, memo) lines to a billed record; amounts as the settlement gives them."""
    client.update(BILLED_RECORD_TYPES.get(record_type, record_type), record_id, {"item": {"items": _lines(lines)}})


def has_settlement_lines(client: _Client, record_id: str, settlement_id: str) -> bool:
    """Whether a billed record already carries lines of this settlement (a second import adds none)."""
    sid = _settlement_id(settlement_id)
    query = (f"SELECT tl.id FROM transactionline tl WHERE tl.transaction = {int(record_id)} "
             f"AND tl.memo LIKE 'Amazon settlement {sid}:%'")
    return any(True for _ in client.suiteql(query))


def post_summary(client: _Client, type_code: str, external_id: str, *, customer_id: str, tran_date: str,
                 memo: str, lines: Iterable[tuple[str, Decimal, str]]) -> str:
    """Upsert one summary transaction (cash sale, cash refund or credit memo) for the settlement customer.

    Line amounts are given as the record shows them (positive on the record's own side). A
    summary already made (same external id) is left as it is: a second import adds nothing.
    """
    existing = client.find_by_external_id(SUMMARY_RECORD_TYPES[type_code], external_id, expand=False)
    if existing is not None:
        return str(existing["id"])
    body = {"entity": {"id": customer_id}, "tranDate": tran_date, "memo": memo, "item": {"items": _lines(lines)}}
    return client.upsert(SUMMARY_RECORD_TYPES[type_code], external_id, body)


# --- read side ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class BilledRecord:
    """An order's billed record (cash sale or invoice) as NetSuite holds it."""

    order_id: str
    sales_order_id: str
    id: str
    type: str  # CashSale | CustInvc
    total: Decimal
    customer: str


@dataclass(frozen=True)
class FootprintLine:
    """A settlement line on some transaction (memo ``Amazon settlement <id>: <fee type>``)."""

    transaction_id: str
    transaction_type: str
    tranid: str
    item: str  # the settlement item's name
    memo: str
    amount: Decimal  # in settlement terms


@dataclass(frozen=True)
class SummaryTransaction:
    """A transaction whose header memo names the settlement."""

    id: str
    type: str
    tranid: str
    customer: str
    day: str
    memo: str
    amount: Decimal  # in settlement terms (signed foreigntotal)
    lines: tuple[tuple[str, Decimal], ...] = ()  # (item name, amount as the record shows it)


@dataclass(frozen=True)
class RefundRecord:
    """A refund record made from a billed record, directly or through a return authorization."""

    id: str
    type: str
    tranid: str
    billed_record_id: str
    external_id: str
    memo: str
    amount: Decimal  # in settlement terms (negative)


@dataclass(frozen=True)
class SettlementFootprint:
    lines: tuple[FootprintLine, ...]
    summaries: tuple[SummaryTransaction, ...]


def billed_records(client: _Client, order_id_field: str, order_ids: Iterable[str]) -> dict[str, BilledRecord]:
    """Amazon order id -> the billed record of the sales order carrying it (orders never synced are absent)."""
    field = order_id_field.lower()
    ids = sorted(o for o in set(order_ids) if is_amazon_order_id(o))
    found: dict[str, BilledRecord] = {}
    for chunk in chunks(ids, _CHUNK):
        refs = in_list(chunk)
        query = (f"SELECT so.{field} AS ref, so.id AS so_id, b.id AS id, b.type AS type, b.foreigntotal AS total, "
                 f"b.entity AS entity FROM transaction so JOIN transactionline bl ON bl.createdfrom = so.id "
                 f"AND bl.mainline = 'T' JOIN transaction b ON b.id = bl.transaction WHERE so.type = 'SalesOrd' "
                 f"AND b.type IN ('CashSale', 'CustInvc') AND so.{field} IN ({refs}) ORDER BY b.id")
        for row in client.suiteql(query):
            ref = str(row["ref"])
            found.setdefault(ref, BilledRecord(ref, str(row["so_id"]), str(row["id"]), str(row["type"]),
                                               _dec(row.get("total")), str(row.get("entity") or "")))
    return found


def settlement_footprint(client: _Client, settlement_id: str) -> SettlementFootprint:
    """Every line on a billed record and every summary transaction carrying the settlement id."""
    sid = _settlement_id(settlement_id)
    lines = tuple(
        FootprintLine(str(r["id"]), str(r["type"]), str(r.get("tranid") or ""), str(r.get("item") or ""),
                      str(r.get("memo") or ""), -_dec(r.get("amount")))
        for r in client.suiteql(
            "SELECT t.id AS id, t.type AS type, t.tranid AS tranid, i.itemid AS item, tl.memo AS memo, "
            "tl.foreignamount AS amount FROM transactionline tl JOIN transaction t ON t.id = tl.transaction "
            f"LEFT JOIN item i ON i.id = tl.item WHERE tl.mainline = 'F' AND tl.memo LIKE 'Amazon settlement {sid}:%' "
            "ORDER BY t.id, tl.id"))
    headers = list(client.suiteql(
        "SELECT t.id AS id, t.type AS type, t.tranid AS tranid, t.entity AS entity, t.foreigntotal AS total, "
        "t.memo AS memo, TO_CHAR(t.trandate, 'YYYY-MM-DD') AS day FROM transaction t "
        f"WHERE t.memo LIKE '%Amazon settlement {sid} %' ORDER BY t.id"))
    summary_lines: dict[str, list[tuple[str, Decimal]]] = {}
    if headers:
        for r in client.suiteql(
                "SELECT tl.transaction AS tid, i.itemid AS item, tl.foreignamount AS amount FROM transactionline tl "
                f"LEFT JOIN item i ON i.id = tl.item WHERE tl.mainline = 'F' AND tl.transaction IN "
                f"({_ints(h['id'] for h in headers)}) ORDER BY tl.transaction, tl.id"):
            summary_lines.setdefault(str(r["tid"]), []).append((str(r.get("item") or ""), abs(_dec(r.get("amount")))))
    summaries = tuple(
        SummaryTransaction(str(h["id"]), str(h["type"]), str(h.get("tranid") or ""), str(h.get("entity") or ""),
                           str(h.get("day") or ""), str(h.get("memo") or ""), _dec(h.get("total")),
                           tuple(summary_lines.get(str(h["id"]), ())))
        for h in headers)
    return SettlementFootprint(lines, summaries)


def refunds_of(client: _Client, billed_ids: Iterable[str]) -> list[RefundRecord]:
    """Cash refunds and credit memos made from these billed records (or from a return authorization of them)."""
    ids = sorted({str(i) for i in billed_ids})
    found: list[RefundRecord] = []
    select = ("SELECT t.id AS id, t.type AS type, t.tranid AS tranid, t.externalid AS externalid, t.memo AS memo, "
              "t.foreigntotal AS total, tl.createdfrom AS source FROM transaction t JOIN transactionline tl "
              "ON tl.transaction = t.id AND tl.mainline = 'T' ")
    for chunk in chunks(ids, _CHUNK):
        direct = list(client.suiteql(select + f"WHERE t.type IN ('CashRfnd', 'CustCred', 'RtnAuth') "
                                     f"AND tl.createdfrom IN ({_ints(chunk)}) ORDER BY t.id"))
        authorizations = {str(r["id"]): str(r["source"]) for r in direct if r["type"] == "RtnAuth"}
        rows = [(r, str(r["source"])) for r in direct if r["type"] != "RtnAuth"]
        if authorizations:
            rows += [(r, authorizations[str(r["source"])]) for r in client.suiteql(
                select + f"WHERE t.type IN ('CashRfnd', 'CustCred') AND tl.createdfrom IN "
                f"({_ints(authorizations)}) ORDER BY t.id")]
        for row, billed in rows:
            found.append(RefundRecord(str(row["id"]), str(row["type"]), str(row.get("tranid") or ""), billed,
                                      str(row.get("externalid") or ""), str(row.get("memo") or ""),
                                      _dec(row.get("total"))))
    return found


def deposits_into(client: _Client, account_name: str, on_or_after: str) -> list[dict[str, Any]]:
    """Deposits dated on or after ``on_or_after`` (YYYY-MM-DD) into the named bank account.

    Each: ``{"id", "tranid", "day", "total"}`` (total a Decimal).
    """
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", on_or_after):
        raise ValueError(f"{on_or_after!r} is not a YYYY-MM-DD day")
    wanted = {account_name.strip().lower()}
    for row in client.suiteql("SELECT id, acctnumber, fullname FROM account ORDER BY id"):
        if account_name.strip().lower() in (str(row.get("fullname") or "").lower(),
                                            str(row.get("acctnumber") or "").lower()):
            wanted.add(str(row["id"]))
    found = []
    for row in client.suiteql(
            "SELECT t.id AS id, t.tranid AS tranid, t.foreigntotal AS total, TO_CHAR(t.trandate, 'YYYY-MM-DD') AS day "
            "FROM transaction t WHERE t.type = 'Deposit' "
            f"AND t.trandate >= TO_DATE({literal(on_or_after)}, 'YYYY-MM-DD') ORDER BY t.trandate, t.id"):
        record = client.get("deposit", str(row["id"]), expand=False)
        account = record.get("account") or {}
        names = {str(account.get("refName") or "").lower(), str(account.get("id") or "").lower()}
        if wanted & names:
            found.append({"id": str(row["id"]), "tranid": str(row.get("tranid") or ""), "day": str(row["day"]),
                          "total": abs(_dec(row.get("total")))})
    return found
