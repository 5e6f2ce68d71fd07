"""The SuiteQL engine: an in-memory SQLite mirror with NetSuite's table and column names.

The backend writes every record change through to the mirror; a query runs the
user's SQL on SQLite after a few cheap translations (``BUILTIN.DF``, ``TO_DATE``,
``TO_CHAR``, ``NVL``, ``SYSDATE``). ``SUM``/``TOTAL``/``AVG`` are replaced by exact
decimal aggregates so money sums never show float noise.

Tables and columns::

    transaction      id, tranid, type, recordtype, entity, trandate, externalid, otherrefnum,
                     memo, currency, foreigntotal, exchangerate, status, createddate,
                     lastmodifieddate, and the account's custom body fields
                     (custbody_fa_channel, custbody_fa_channel_order: see ``fields.py``)
    transactionline  transaction, id, linesequencenumber, item, itemtype, quantity, rate,
                     netamount, foreignamount, mainline, taxline, createdfrom, memo
    previoustransactionlinelink
                     previousdoc, previousline, previoustype, nextdoc, nextline, nexttype, linktype
    item             id, itemid, displayname, itemtype, externalid
    customer         id, entityid, companyname, email, externalid
    account          id, acctnumber, accountsearchdisplayname, fullname, accttype
    currency         id, symbol (the ISO code), name (``BUILTIN.DF`` of a currency field shows it)

Sign conventions (as NetSuite stores transaction lines: a line that debits its
account is positive, a line that credits it negative):

- sales order, cash sale, invoice: item and tax lines credit income, so
  ``quantity``, ``netamount`` and ``foreignamount`` are **negative**; the main line
  (receivable or undeposited funds) is positive and ``foreigntotal`` is positive;
- return authorization, credit memo, cash refund: item and tax lines are
  **positive**; the main line and ``foreigntotal`` are negative;
- customer refund: main line (bank, credited) negative, receivable line positive;
- customer payment: main line positive, receivable line negative;
- deposit: main line (bank) positive, ``other`` lines negative;
- journal entry: debit lines positive, credit lines negative; ``foreigntotal``
  is the sum of the debits.

``rate`` is never signed. ``netamount`` equals ``foreignamount`` (one currency,
exchange rate 1). Line ``id`` 0 is the main line; item lines keep their REST
``line`` numbers; the tax line (``taxline = 'T'``) comes last.

Values in a response are typed as NetSuite types them: every value is a string
(ids and amounts included), booleans are ``'T'``/``'F'``, dates use the account's
date format (``M/D/YYYY`` by default, date part only; ``TO_CHAR(trandate, 'YYYY-MM-DD')``
gives ISO text), and null columns are left out of the row. Numbers are plain
decimal text without trailing zeros (``"13.5"``, ``"-25"``).
"""

from __future__ import annotations

import re
import sqlite3
from collections import OrderedDict
from datetime import datetime
from decimal import Decimal
from typing import Any, Iterable

from .errors import NetSuiteError

__all__ = ["SuiteQLMirror", "LINK_TYPES", "DATE_COLUMNS"]

#: Result columns rendered in the account's date format (``TO_CHAR`` output is left alone
#: unless aliased to one of these names).
DATE_COLUMNS = frozenset({"trandate", "createddate", "lastmodifieddate", "duedate", "closedate"})

_SCHEMA = """
CREATE TABLE "transaction" (
    id INTEGER PRIMARY KEY, tranid TEXT, type TEXT, recordtype TEXT, entity INTEGER,
    trandate TEXT, externalid TEXT, otherrefnum TEXT, memo TEXT, currency INTEGER,
    foreigntotal REAL, exchangerate REAL, status TEXT, createddate TEXT, lastmodifieddate TEXT,
    custbody_fa_channel TEXT, custbody_fa_channel_order TEXT);
CREATE INDEX transaction_type ON "transaction"(type);
CREATE INDEX transaction_entity ON "transaction"(entity);
CREATE INDEX transaction_trandate ON "transaction"(trandate);
CREATE INDEX transaction_externalid ON "transaction"(externalid);
CREATE INDEX transaction_otherrefnum ON "transaction"(otherrefnum);
CREATE INDEX transaction_tranid ON "transaction"(tranid);
CREATE TABLE transactionline (
    "transaction" INTEGER NOT NULL, id INTEGER NOT NULL, linesequencenumber INTEGER,
    item INTEGER, itemtype TEXT, quantity REAL, rate REAL, netamount REAL, foreignamount REAL,
    mainline TEXT, taxline TEXT, createdfrom INTEGER, memo TEXT,
    PRIMARY KEY ("transaction", id));
CREATE INDEX transactionline_item ON transactionline(item);
CREATE INDEX transactionline_createdfrom ON transactionline(createdfrom);
CREATE TABLE previoustransactionlinelink (
    previousdoc INTEGER, previousline INTEGER, previoustype TEXT,
    nextdoc INTEGER, nextline INTEGER, nexttype TEXT, linktype TEXT);
CREATE INDEX ptll_previousdoc ON previoustransactionlinelink(previousdoc);
CREATE INDEX ptll_nextdoc ON previoustransactionlinelink(nextdoc);
CREATE TABLE item (id INTEGER PRIMARY KEY, itemid TEXT, displayname TEXT, itemtype TEXT,
    externalid TEXT);
CREATE INDEX item_itemid ON item(itemid);
CREATE TABLE customer (id INTEGER PRIMARY KEY, entityid TEXT, companyname TEXT, email TEXT,
    externalid TEXT);
CREATE INDEX customer_externalid ON customer(externalid);
CREATE TABLE account (id INTEGER PRIMARY KEY, acctnumber TEXT, accountsearchdisplayname TEXT,
    fullname TEXT, accttype TEXT);
CREATE TABLE currency (id INTEGER PRIMARY KEY, symbol TEXT, name TEXT);
"""

#: ``previoustransactionlinelink.linktype`` per (previous type, next type).
LINK_TYPES = {
    ("salesOrder", "cashSale"): "OrdBill",
    ("salesOrder", "invoice"): "OrdBill",
    ("salesOrder", "returnAuthorization"): "RtnAuth",
    ("cashSale", "returnAuthorization"): "RtnAuth",
    ("invoice", "returnAuthorization"): "RtnAuth",
    ("cashSale", "cashRefund"): "SaleRet",
    ("invoice", "creditMemo"): "SaleRet",
    ("returnAuthorization", "creditMemo"): "RtnCredit",
    ("returnAuthorization", "cashRefund"): "RtnCredit",
    ("creditMemo", "customerRefund"): "Payment",
    ("invoice", "customerPayment"): "Payment",
}

#: queries whose rows are kept between pages
_KEPT_RESULTS = 4

_DF = re.compile(r"BUILTIN\.DF\s*\(\s*((?:\w+\.)?)(\w+)\s*\)", re.IGNORECASE)
_SYSDATE = re.compile(r"\bSYSDATE\b", re.IGNORECASE)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})Z?)?$")
#: NetSuite names that are SQLite keywords; quoted before the query runs.
_RESERVED = re.compile(r"\btransaction\b", re.IGNORECASE)
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
_FORMATS = {"YYYY": "%Y", "MM": "%m", "DD": "%d", "HH24": "%H", "MI": "%M", "SS": "%S",
            "MON": "%b", "YY": "%y"}


def _oracle_format(fmt: str) -> str:
    return re.sub(r"YYYY|HH24|MON|MM|DD|MI|SS|YY", lambda m: _FORMATS[m.group(0)], fmt.upper())


class _DecimalSum:
    """An exact SUM: adds the decimal text of each value, returns a clean float."""

    def __init__(self) -> None:
        self.total: Decimal | None = None
        self.count = 0

    def step(self, value: Any) -> None:
        if value is None:
            return
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
        self.total = number if self.total is None else self.total + number
        self.count += 1

    def finalize(self) -> Any:
        return None if self.total is None else float(self.total)


class _DecimalTotal(_DecimalSum):
    def finalize(self) -> Any:
        return 0.0 if self.total is None else float(self.total)


class _DecimalAvg(_DecimalSum):
    def finalize(self) -> Any:
        return None if self.total is None else float(self.total / self.count)


class SuiteQLMirror:
    """SQLite tables kept in step with the backend's records; runs SuiteQL.

    Not thread-safe by itself: the backend calls it under its lock.
    """

    def __init__(self, date_format: str = "M/D/YYYY") -> None:
        self.date_format = date_format
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.executescript(_SCHEMA)
        self.names: dict[str, dict[int, str]] = {
            "entity": {}, "item": {}, "account": {}, "currency": {}, "transaction": {}}
        self.type_labels: dict[str, str] = {}
        self.status_labels: dict[tuple[str, str], str] = {}
        self.db.create_aggregate("sum", 1, _DecimalSum)
        self.db.create_aggregate("total", 1, _DecimalTotal)
        self.db.create_aggregate("avg", 1, _DecimalAvg)
        self.db.create_function("ns_df", 3, self._display)
        self.db.create_function("to_date", 2, _to_date)
        self.db.create_function("to_date", 1, lambda v: _to_date(v, "YYYY-MM-DD"))
        self.db.create_function("to_char", 2, _to_char)
        self.db.create_function("nvl", 2, lambda a, b: b if a is None else a)
        #: bumped on every write; a query's rows are kept while it stands (paging reads them once)
        self._version = 0
        self._results: OrderedDict[str, tuple[int, list[tuple[Any, ...]], list[str]]] = OrderedDict()

    # writes -------------------------------------------------------------------
    def put(self, table: str, row: dict[str, Any]) -> None:
        self._version += 1
        columns = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" for _ in row)
        self.db.execute(f'INSERT OR REPLACE INTO "{table}" ({columns}) VALUES ({marks})',
                        [_sql_value(v) for v in row.values()])

    def delete(self, table: str, record_id: int) -> None:
        self._version += 1
        self.db.execute(f'DELETE FROM "{table}" WHERE id = ?', (record_id,))

    def put_transaction(self, header: dict[str, Any], lines: Iterable[dict[str, Any]],
                        links: Iterable[dict[str, Any]]) -> None:
        tid = header["id"]
        self.delete_transaction(tid)
        self.put("transaction", header)
        for line in lines:
            self.put("transactionline", {"transaction": tid, **line})
        for link in links:
            self.put("previoustransactionlinelink", link)

    def delete_transaction(self, record_id: int) -> None:
        self._version += 1
        self.db.execute('DELETE FROM "transaction" WHERE id = ?', (record_id,))
        self.db.execute('DELETE FROM transactionline WHERE "transaction" = ?', (record_id,))
        self.db.execute("DELETE FROM previoustransactionlinelink WHERE nextdoc = ?", (record_id,))

    def saved(self) -> tuple[sqlite3.Connection, dict[str, dict[int, str]]]:
        """A copy of the tables and names (what :meth:`restore` puts back)."""
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.commit()  # a backup waits for open transactions
        self.db.backup(copy)
        return copy, {table: dict(names) for table, names in self.names.items()}

    def restore(self, saved: tuple[sqlite3.Connection, dict[str, dict[int, str]]]) -> None:
        """The tables and names as :meth:`saved` copied them."""
        self._version += 1
        self._results.clear()
        copy, names = saved
        self.db.commit()
        copy.backup(self.db)
        for table, values in names.items():
            self.names[table] = dict(values)

    def clear(self) -> None:
        self._version += 1
        for table in ("transaction", "transactionline", "previoustransactionlinelink", "item",
                      "customer", "account", "currency"):
            self.db.execute(f'DELETE FROM "{table}"')
        for names in self.names.values():
            names.clear()

    # reads --------------------------------------------------------------------
    def query(self, q: str, limit: int, offset: int) -> tuple[list[dict[str, str]], int]:
        """Run ``q``; return one page of rows (NetSuite-typed) and the total row count.

        The query runs once while the data stands: its rows are kept (the last few queries) and
        each page is a slice of them, so reading a large result page by page costs one run.
        """
        sql = self.translate(q)
        cached = self._results.get(sql)
        if cached is not None and cached[0] == self._version:
            self._results.move_to_end(sql)
            _, all_rows, names = cached
        else:
            try:
                self.db.execute("PRAGMA query_only = 1")
                cursor = self.db.execute(f"SELECT * FROM ({sql})")
                all_rows = cursor.fetchall()
                names = _column_names(cursor.description)
            except (sqlite3.Error, ValueError) as exc:
                raise _invalid_query(str(exc)) from None
            finally:
                self.db.execute("PRAGMA query_only = 0")
            self._results[sql] = (self._version, all_rows, names)
            while len(self._results) > _KEPT_RESULTS:
                self._results.popitem(last=False)
        total = len(all_rows)
        rows = all_rows[offset:offset + limit]
        items = []
        for row in rows:
            item: dict[str, str] = {}
            for name, value in zip(names, row, strict=True):
                if value is not None:
                    item[name] = self._text(value, name in DATE_COLUMNS)
            items.append(item)
        return items, total

    def translate(self, q: str) -> str:
        """SuiteQL to SQLite: only what differs and is cheap to map."""
        sql = q.strip().rstrip(";").strip()
        if not re.match(r"^(SELECT|WITH)\b", sql, re.IGNORECASE):
            raise _invalid_query("Only SELECT statements are supported.")

        def df(match: re.Match[str]) -> str:
            prefix, column = match.group(1), match.group(2)
            return f"ns_df('{column.lower()}', {prefix}{column}, {prefix}type)" \
                if column.lower() == "status" else f"ns_df('{column.lower()}', {prefix}{column}, NULL)"

        return _outside_strings(sql, lambda part: _RESERVED.sub(
            lambda m: f'"{m.group(0).lower()}"', _SYSDATE.sub("date('now')", _DF.sub(df, part))))

    def _display(self, field: str, value: Any, kind: Any) -> Any:
        if value is None:
            return None
        if field == "type":
            return self.type_labels.get(str(value), str(value))
        if field == "status":
            return self.status_labels.get((str(kind), str(value)), str(value))
        family = {"entity": "entity", "customer": "entity", "item": "item", "account": "account",
                  "currency": "currency", "transaction": "transaction", "createdfrom": "transaction",
                  "previousdoc": "transaction", "nextdoc": "transaction"}.get(field)
        if family is None:
            return value
        try:
            return self.names[family].get(int(value), str(value))
        except (TypeError, ValueError):
            return str(value)

    def _text(self, value: Any, is_date: bool = False) -> str:
        if isinstance(value, float):
            number = Decimal(repr(value))
            exponent = number.as_tuple().exponent  # "n", "N" or "F" for NaN and infinity
            if isinstance(exponent, int) and exponent < -10:
                number = round(number, 10)
            text = format(number.normalize(), "f")
            return "0" if text in ("-0", "") else text
        if isinstance(value, str):
            match = _ISO_DATE.match(value) if is_date else None
            if match and self.date_format.upper() != "ISO":
                year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
                return (self.date_format.upper().replace("YYYY", str(year))
                        .replace("MM", f"{month:02d}").replace("DD", f"{day:02d}")
                        .replace("M", str(month)).replace("D", str(day)))
            return value
        return str(value)


def _outside_strings(sql: str, change: Any) -> str:
    """Apply ``change`` to the parts of ``sql`` that are not quoted literals."""
    parts = re.split(r"('(?:[^']|'')*'|\"[^\"]*\")", sql)
    return "".join(part if index % 2 else change(part) for index, part in enumerate(parts))


def _column_names(description: Any) -> list[str]:
    names = []
    for index, column in enumerate(description, start=1):
        name = str(column[0]).lower()
        names.append(name if _IDENT.match(name) else f"expr{index}")
    return names


def _sql_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool):
        return "T" if value else "F"
    return value


def _to_date(value: Any, fmt: Any) -> str | None:
    if value is None:
        return None
    try:
        return datetime.strptime(str(value), _oracle_format(str(fmt))).date().isoformat()
    except ValueError:
        raise ValueError(f"Invalid date {value!r} for format {fmt!r}.") from None


def _to_char(value: Any, fmt: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    match = _ISO_DATE.match(text)
    if not match:
        return text
    moment = datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)),
                      int(match.group(4) or 0), int(match.group(5) or 0), int(match.group(6) or 0))
    return moment.strftime(_oracle_format(str(fmt)))


def _invalid_query(message: str) -> NetSuiteError:
    table = re.match(r"no such table: (\w+)", message)
    column = re.match(r"no such column: ([\w\.]+)", message)
    if table:
        detail = f"Invalid search type: {table.group(1)}."
    elif column:
        detail = f"Search error occurred: Unknown identifier '{column.group(1)}'."
    else:
        detail = f"Search error occurred: {message}"
    return NetSuiteError(400, "INVALID_PARAMETER",
                         f"Invalid search query. Detailed unprocessed description follows. {detail}",
                         query_param="q")

