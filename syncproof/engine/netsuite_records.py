"""NetSuite operations in the domain's words, on top of :class:`connectors.netsuite.NetSuiteClient`.

Every create is idempotent: records carry an external id derived from the channel's
own identity, and are looked up (or upserted) by it before anything new is made.

What each write does when it fails (the client has already retried throttling, and
reads, itself):

- **upsert** (``PUT .../eid:X``) is idempotent by nature: a lost answer, a transport
  failure or a 5xx is simply sent again.
- **transform** (``POST .../!transform/...`` with ``externalId``) is looked up by its
  external id before every attempt; a lost answer (``WriteOutcomeUnknown``) or a 5xx
  is followed by that look-up, never by a blind second POST; a ``DUP_RCRD`` refusal
  means the record exists, and the look-up returns it.
- a refusal (any other 4xx) is raised at once: retrying would not change the answer.

Attempts are bounded (``write_attempts``); when they run out :class:`WriteGaveUp` is
raised, naming the write and the last failure, and the caller records it as a
retryable sync error. ``retries`` counts the extra attempts made.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterable, TypeVar

from connectors._exceptions import ApiError, ConnectionFailed, ConnectorError, NetSuiteError, RateLimited
from connectors.netsuite import NetSuiteClient
from syncproof.model import TransactionType

__all__ = ["ChainLink", "NetSuiteRecords", "WriteGaveUp", "is_transient", "suiteql_literal"]

T = TypeVar("T")

#: attempts at one write before giving up (each after a look-up by external id where one applies)
WRITE_ATTEMPTS = 4


def is_transient(exc: BaseException) -> bool:
    """Whether ``exc`` may pass if the same call is made again (throttling, 5xx, no answer)."""
    if isinstance(exc, (ConnectionFailed, RateLimited)):  # WriteOutcomeUnknown is a ConnectionFailed
        return True
    return isinstance(exc, ApiError) and (exc.status >= 500 or exc.status == 429)


class WriteGaveUp(ConnectorError):
    """A write still failed transiently after every attempt; nothing is known to be doubled.

    ``cause`` is the last failure. The sync that made the write records it as retryable.
    """

    hint = "the write is retried, after a look-up by its external id, on the next sync"

    def __init__(self, what: str, attempts: int, cause: BaseException) -> None:
        super().__init__(f"{what} failed {attempts} times, last: {_one_line(cause)}")
        self.what = what
        self.attempts = attempts
        self.cause = cause


def _one_line(exc: BaseException) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())[:300]

ITEM_RECORD = "nonInventorySaleItem"
ADJUSTMENT_RECORD = "otherChargeSaleItem"


def suiteql_literal(value: str | int) -> str:
    """A value quoted for SuiteQL (single quotes doubled); ints pass through."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


@dataclass(frozen=True)
class ChainLink:
    """One transaction in a createdFrom chain, as SuiteQL reports it."""

    id: str
    type: str  # SuiteQL type code, e.g. CashRfnd
    tranid: str
    order_ref: str | None  # the sales order field that carries the channel order id
    created_from: str | None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


class NetSuiteRecords:
    """Items, customers, orders and refunds in a NetSuite account.

        >>> books = NetSuiteRecords(client, order_id_field="otherRefNum")
        >>> item_ids = books.ensure_items({"SP-MUG-01": ("Stoneware mug", Decimal("14.50"))})
    """

    def __init__(self, client: NetSuiteClient, *, order_id_field: str = "otherRefNum",
                 write_attempts: int = WRITE_ATTEMPTS, run_tag: str = "") -> None:
        self.client = client
        self.order_id_field = order_id_field
        self.run_tag = run_tag
        self.write_attempts = max(1, write_attempts)
        #: extra attempts made at writes (after a lost answer, a 5xx or a failed look-up)
        self.retries = 0
        self._item_ids: dict[str, str] = {}
        self._currencies: dict[str, str] | None = None  # ISO code -> internal id

    # --- bounded, idempotent writes --------------------------------------------------------
    def _pause(self, attempt: int) -> None:
        retry = getattr(self.client, "retry", None)
        sleep = getattr(self.client, "sleep", None)
        if retry is not None and sleep is not None:
            sleep(retry.backoff(attempt))

    def idempotent_write(self, what: str, write: Callable[[], T],
                         lookup: Callable[[], T | None] | None = None) -> T:
        """Run ``write`` until it succeeds, at most ``write_attempts`` times.

        With ``lookup`` (the record by its external id), every attempt looks first and
        returns what it finds, so a write whose answer was lost is never made twice;
        a ``DUP_RCRD`` refusal is answered by the look-up too. Without it, ``write``
        must be idempotent itself (an upsert by external id).
        """
        last: BaseException | None = None
        for attempt in range(1, self.write_attempts + 1):
            if attempt > 1:
                self.retries += 1
                self._pause(attempt - 1)
            if lookup is not None:
                try:
                    found = lookup()
                except ConnectorError as exc:
                    if not is_transient(exc):
                        raise
                    last = exc  # cannot know whether it exists: do not write blind
                    continue
                if found is not None:
                    return found
            try:
                return write()
            except NetSuiteError as exc:
                if exc.code == "DUP_RCRD" and lookup is not None:
                    last = exc  # it exists: the next attempt's look-up returns it
                    continue
                if not is_transient(exc):
                    made_meanwhile = self._look_again(lookup)
                    if made_meanwhile is not None:
                        return made_meanwhile
                    raise
                last = exc
            except ConnectorError as exc:
                if not is_transient(exc):
                    raise
                last = exc
        assert last is not None
        raise WriteGaveUp(what, self.write_attempts, last)

    @staticmethod
    def _look_again(lookup: Callable[[], T | None] | None) -> T | None:
        """After a refusal: the record if another writer made it meanwhile (e.g. "nothing left to bill")."""
        if lookup is None:
            return None
        try:
            return lookup()
        except ConnectorError:
            return None

    def upsert(self, record_type: str, external_id: str, body: dict[str, Any]) -> str:
        """Create or update the record with ``external_id`` (retried: an upsert never doubles)."""
        return self.idempotent_write(f"upsert of {record_type} {external_id}",
                                     lambda: self.client.upsert(record_type, external_id, body))

    def upsert_once(self, record_type: TransactionType, external_id: str, body: dict[str, Any]) -> str:
        """The record with ``external_id`` if it exists, else upserted (a retry never updates it twice)."""
        def lookup() -> str | None:
            found = self.find(record_type, external_id)
            return str(found["id"]) if found is not None else None
        return self.idempotent_write(f"{record_type.record_type} {external_id}",
                                     lambda: self.client.upsert(record_type.record_type, external_id, body), lookup)

    def memo(self, text: str) -> str:
        """A memo for a record syncproof creates, tagged with the run (live runs) for ``syncproof cleanup``."""
        return f"{text} [syncproof {self.run_tag}]" if self.run_tag else text

    # --- master data -------------------------------------------------------------------
    def ensure_item(self, sku: str, name: str | None = None, price: Decimal | None = None,
                    *, record_type: str = ITEM_RECORD) -> str:
        """The internal id of the item whose itemId is ``sku``, creating it when missing."""
        if sku in self._item_ids:
            return self._item_ids[sku]
        found = self.item_ids([sku])
        if sku in found:
            return found[sku]
        body: dict[str, Any] = {"itemId": sku, "displayName": name or sku}
        if price is not None:
            body["basePrice"] = price
        item_id = self.upsert(record_type, f"item-{sku}", body)
        self._item_ids[sku] = item_id
        return item_id

    def item_ids(self, skus: Iterable[str]) -> dict[str, str]:
        """Internal ids of the items with these itemIds (SKUs), in one SuiteQL query."""
        wanted = sorted({s for s in skus if s not in self._item_ids})
        if wanted:
            query = ("SELECT id, itemid FROM item WHERE itemid IN ("
                     + ", ".join(suiteql_literal(s) for s in wanted) + ") ORDER BY id")
            for row in self.client.suiteql(query):
                self._item_ids[str(row["itemid"])] = str(row["id"])
        return {s: self._item_ids[s] for s in skus if s in self._item_ids}

    def currency_ids(self) -> dict[str, str]:
        """The account's currencies, ISO code -> internal id (one SuiteQL query, then cached)."""
        if self._currencies is None:
            self._currencies = {str(row["symbol"]).upper(): str(row["id"])
                                for row in self.client.suiteql("SELECT id, symbol FROM currency ORDER BY id")}
        return self._currencies

    def currency_ref(self, code: str) -> dict[str, str] | None:
        """The reference NetSuite takes for currency ``code``, or None when the account does not have it."""
        currency_id = self.currency_ids().get(code.upper())
        return {"id": currency_id} if currency_id is not None else None

    def currency_code(self, ref: Any) -> str | None:
        """The ISO code of a currency reference read from a record (by id, else its refName)."""
        if not isinstance(ref, dict):
            return None
        by_id = {v: k for k, v in self.currency_ids().items()}
        return by_id.get(str(ref.get("id"))) or (str(ref["refName"]).upper() if ref.get("refName") else None)

    def ensure_customer(self, external_id: str, *, email: str | None, name: str,
                        currency: dict[str, str] | None = None) -> str:
        first, _, last = name.partition(" ")
        body: dict[str, Any] = {"firstName": first or name, "lastName": last or "-", "isPerson": True}
        if email:
            body["email"] = email
        if currency is not None:
            body["currency"] = currency
        return self.upsert("customer", external_id, body)

    # --- transactions ---------------------------------------------------------------
    def upsert_sales_order(self, external_id: str, body: dict[str, Any]) -> str:
        return self.upsert(TransactionType.SALES_ORDER.record_type, external_id, body)

    def find(self, record_type: TransactionType, external_id: str) -> dict[str, Any] | None:
        return self.client.find_by_external_id(record_type.record_type, external_id)

    def transform_once(self, source: TransactionType, source_id: str, target: TransactionType,
                       external_id: str, body: dict[str, Any] | None = None) -> str:
        """Transform ``source`` into ``target`` unless a record with ``external_id`` already exists.

        NetSuite pre-fills the target with every line of the source that is left; a
        ``body`` that lists item lines is sent with ``?replace=item``, so the target holds
        exactly those lines (a partial refund never refunds the lines it leaves out).
        The external id is looked up before every attempt, so a transform whose answer
        was lost (or refused as a duplicate) is found, not made again.
        """
        payload = dict(body or {})
        payload["externalId"] = external_id
        replace = ("item",) if "item" in payload else ()

        def lookup() -> str | None:
            found = self.find(target, external_id)
            return str(found["id"]) if found is not None else None

        return self.idempotent_write(
            f"{target.label} {external_id} (from {source.label} {source_id})",
            lambda: self.client.transform(source.record_type, source_id, target.record_type, payload,
                                          replace=replace), lookup)

    def get(self, record_type: TransactionType, record_id: str) -> dict[str, Any]:
        return self.client.get(record_type.record_type, record_id)

    # --- links --------------------------------------------------------------------------
    def chain_link(self, transaction_id: str) -> ChainLink | None:
        field = self.order_id_field.lower()
        query = (f"SELECT t.id, t.type, t.tranid, t.{field} AS orderref, tl.createdfrom "
                 "FROM transaction t JOIN transactionline tl ON tl.transaction = t.id "
                 f"WHERE tl.mainline = 'T' AND t.id = {suiteql_literal(int(transaction_id))}")
        rows = list(self.client.suiteql(query))
        if not rows:
            return None
        row = rows[0]
        created_from = row.get("createdfrom")
        return ChainLink(id=str(row["id"]), type=str(row["type"]), tranid=str(row.get("tranid") or ""),
                         order_ref=(str(row["orderref"]) if row.get("orderref") not in (None, "") else None),
                         created_from=str(created_from) if created_from not in (None, "") else None)

    def created_from_chain(self, transaction_id: str, *, max_depth: int = 10) -> list[ChainLink]:
        """The transaction and each record it was created from, ending where createdFrom is empty."""
        chain: list[ChainLink] = []
        next_id: str | None = transaction_id
        while next_id and len(chain) < max_depth:
            link = self.chain_link(next_id)
            if link is None:
                break
            chain.append(link)
            next_id = link.created_from
        return chain

    # --- look-ups and refunds made in NetSuite --------------------------------------------
    def transactions_by_external_ids(self, external_ids: Iterable[str]) -> list[dict[str, Any]]:
        """Transactions carrying any of ``external_ids`` (one SuiteQL query per 500 ids)."""
        ids = sorted(set(external_ids))
        rows: list[dict[str, Any]] = []
        for start in range(0, len(ids), 500):
            chunk = ", ".join(suiteql_literal(i) for i in ids[start:start + 500])
            rows += list(self.client.suiteql(
                f"SELECT id, type, tranid, externalid FROM transaction WHERE externalid IN ({chunk}) ORDER BY id"))
        return rows

    def _refunds_with_billing(self, condition: str) -> list[dict[str, Any]]:
        """Cash refunds and credit memos matching ``condition``, each with the billing record it was made from.

        Columns: id, type, tranid, externalid, foreigntotal, createdfrom, raid (the return
        authorization in between, if any) and billingid (the cash sale or invoice refunded).
        """
        return list(self.client.suiteql(
            "SELECT t.id, t.type, t.tranid, t.externalid, t.foreigntotal, tl.createdfrom, ra.id AS raid, "
            "COALESCE(ra_line.createdfrom, tl.createdfrom) AS billingid "
            "FROM transaction t JOIN transactionline tl ON tl.transaction = t.id AND tl.mainline = 'T' "
            "LEFT JOIN transaction ra ON ra.id = tl.createdfrom AND ra.type = 'RtnAuth' "
            "LEFT JOIN transactionline ra_line ON ra_line.transaction = ra.id AND ra_line.mainline = 'T' "
            f"WHERE t.type IN ('CashRfnd', 'CustCred') AND ({condition}) ORDER BY t.id"))

    def refunds_from_billing(self, billing_ids: Iterable[str]) -> list[dict[str, Any]]:
        """Refunds made from these billing records, directly or through a return authorization (500 ids a query)."""
        ids = sorted({str(i) for i in billing_ids if i}, key=int)
        rows: list[dict[str, Any]] = []
        for start in range(0, len(ids), 500):
            chunk = ", ".join(suiteql_literal(int(i)) for i in ids[start:start + 500])
            rows += self._refunds_with_billing(f"COALESCE(ra_line.createdfrom, tl.createdfrom) IN ({chunk})")
        return rows

    def refunds_since(self, day: str) -> list[dict[str, Any]]:
        """Refunds dated on or after ``day`` (YYYY-MM-DD), with their billing records."""
        return self._refunds_with_billing(f"t.trandate >= TO_DATE({suiteql_literal(day)}, 'YYYY-MM-DD')")

    def refund_lines_for(self, source: dict[str, Any], quantities: dict[str, int]) -> list[dict[str, Any]]:
        """Transform lines refunding ``quantities`` ({SKU or item id: qty}) of the billed ``source`` lines.

        The amount and tax of each line are the billed ones prorated to the quantity.
        """
        item_ids = self.item_ids(list(quantities))
        lines = []
        remaining = list(source.get("item", {}).get("items", []))
        for sku, quantity in quantities.items():
            item_id = item_ids.get(sku)
            match = next((s for s in remaining if str(s.get("item", {}).get("id")) == item_id), None)
            if match is None:
                raise KeyError(f"the billing record has no line for SKU {sku}")
            remaining.remove(match)
            billed = Decimal(str(match.get("quantity") or 1))
            share = Decimal(quantity) / billed
            amount = (Decimal(str(match.get("amount") or 0)) * share).quantize(Decimal("0.01"))
            tax = (Decimal(str(match.get("tax1Amt") or 0)) * share).quantize(Decimal("0.01"))
            lines.append({"orderLine": match.get("line"), "quantity": quantity, "amount": amount, "tax1Amt": tax,
                          "rate": Decimal(str(match.get("rate") or 0))})
        return lines
