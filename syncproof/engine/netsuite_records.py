"""NetSuite operations in the domain's words, on top of :class:`connectors.netsuite.NetSuiteClient`.

Every create is idempotent: records carry an external id derived from the channel's
own identity, and are looked up (or upserted) by it before anything new is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from connectors.netsuite import NetSuiteClient
from syncproof.model import TransactionType

__all__ = ["ChainLink", "NetSuiteRecords", "suiteql_literal"]

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

    def __init__(self, client: NetSuiteClient, *, order_id_field: str = "otherRefNum") -> None:
        self.client = client
        self.order_id_field = order_id_field
        self._item_ids: dict[str, str] = {}

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
        item_id = self.client.upsert(record_type, f"item-{sku}", body)
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

    def ensure_customer(self, external_id: str, *, email: str | None, name: str) -> str:
        first, _, last = name.partition(" ")
        body = {"firstName": first or name, "lastName": last or "-", "isPerson": True}
        if email:
            body["email"] = email
        return self.client.upsert("customer", external_id, body)

    # --- transactions ---------------------------------------------------------------
    def upsert_sales_order(self, external_id: str, body: dict[str, Any]) -> str:
        return self.client.upsert(TransactionType.SALES_ORDER.record_type, external_id, body)

    def find(self, record_type: TransactionType, external_id: str) -> dict[str, Any] | None:
        return self.client.find_by_external_id(record_type.record_type, external_id)

    def transform_once(self, source: TransactionType, source_id: str, target: TransactionType,
                       external_id: str, body: dict[str, Any] | None = None) -> str:
        """Transform ``source`` into ``target`` unless a record with ``external_id`` already exists."""
        existing = self.find(target, external_id)
        if existing is not None:
            return str(existing["id"])
        payload = dict(body or {})
        payload["externalId"] = external_id
        return self.client.transform(source.record_type, source_id, target.record_type, payload)

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
