"""The SuiteQL the sync and its checks run, each behind a function named for what it finds.

Every value is quoted by :func:`~._suiteql.literal`; every multi-row query has an
ORDER BY and is read by the one pager (:func:`~._suiteql.rows`). Long lists of ids are
sent in chunks so no query grows without bound.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Sequence

from syncproof.model import ChainLink

from ._external_ids import external_ids
from ._suiteql import in_list, literal, rows

__all__ = ["CHAIN_HOPS", "chain_from", "item_ids", "items_by_id", "items_by_itemid", "transactions_by_ids",
           "transactions_by_external_ids", "transactions_of_types",
           "refunds_with_billing", "refunds_from_billing", "refunds_since", "sales_orders_with_billing",
           "settlement_postings", "tagged_transactions", "tagged_customers", "tagged_items", "accounts",
           "account_count", "currencies", "customer_ids"]

#: transactions read by one chain query: the record and three createdFrom hops
#: (cash refund -> return authorization -> cash sale -> sales order)
CHAIN_HOPS = 4
_CHUNK = 1000


def chunks(values: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _chain_query(order_id_field: str, transaction_id: int) -> str:
    f = order_id_field.lower()
    columns, joins = [], []
    for n in range(CHAIN_HOPS):
        columns.append(f"t{n}.id AS id{n}, t{n}.type AS type{n}, t{n}.tranid AS tranid{n}, t{n}.{f} AS ref{n}, "
                       f"m{n}.transaction AS main{n}, m{n}.createdfrom AS from{n}")
        if n:
            joins.append(f"LEFT JOIN transaction t{n} ON t{n}.id = m{n - 1}.createdfrom "
                         f"LEFT JOIN transactionline m{n} ON m{n}.transaction = t{n}.id AND m{n}.mainline = 'T'")
    return (f"SELECT {', '.join(columns)} FROM transaction t0 "
            "JOIN transactionline m0 ON m0.transaction = t0.id AND m0.mainline = 'T' "
            f"{' '.join(joins)} WHERE t0.id = {literal(transaction_id)}")


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def chain_from(client: Any, order_id_field: str, transaction_id: str) -> list[ChainLink]:
    """Up to :data:`CHAIN_HOPS` links of the createdFrom chain starting at ``transaction_id``, in one query.

    The chain stops at a record with no createdFrom (or no main line); when the last
    link read still has a createdFrom, the caller reads on from there.
    """
    found = list(rows(client, _chain_query(order_id_field, int(transaction_id))))
    if not found:
        return []
    row, chain = found[0], []
    for n in range(CHAIN_HOPS):
        if row.get(f"id{n}") in (None, "") or row.get(f"main{n}") in (None, ""):
            break
        chain.append(ChainLink(id=str(row[f"id{n}"]), type=str(row[f"type{n}"]),
                               tranid=str(row.get(f"tranid{n}") or ""), order_ref=_text(row.get(f"ref{n}")),
                               created_from=_text(row.get(f"from{n}"))))
        if chain[-1].created_from is None:
            break
    return chain


def item_ids(client: Any, names: Iterable[str]) -> dict[str, str]:
    """itemId (SKU or adjustment item name) -> internal id, 1,000 names a query."""
    found: dict[str, str] = {}
    for chunk in chunks(sorted({n for n in names if n})):
        for row in rows(client, f"SELECT id, itemid FROM item WHERE itemid IN ({in_list(chunk)}) ORDER BY id"):
            found[str(row["itemid"])] = str(row["id"])
    return found


def items_by_itemid(client: Any, names: Iterable[str]) -> dict[str, tuple[str, str]]:
    """itemId -> (internal id; type code: ``OthCharge``, ``NonInvtPart``...), 1,000 names a query."""
    found: dict[str, tuple[str, str]] = {}
    for chunk in chunks(sorted({n for n in names if n})):
        for row in rows(client, f"SELECT id, itemid, itemtype FROM item WHERE itemid IN ({in_list(chunk)}) "
                                "ORDER BY id"):
            found[str(row["itemid"])] = (str(row["id"]), str(row.get("itemtype") or ""))
    return found


def items_by_id(client: Any, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Internal item id -> (itemId, the SKU; type code: ``OthCharge``, ``NonInvtPart``...), 1,000 ids a query."""
    found: dict[str, tuple[str, str]] = {}
    for chunk in chunks(sorted({int(i) for i in ids if i and str(i).isdigit()})):
        for row in rows(client, f"SELECT id, itemid, itemtype FROM item WHERE id IN ({in_list(chunk)}) ORDER BY id"):
            found[str(row["id"])] = (str(row["itemid"]), str(row.get("itemtype") or ""))
    return found


def transactions_by_ids(client: Any, ids: Iterable[str]) -> list[dict[str, Any]]:
    """Id, type, tranid and external id of the given transactions."""
    wanted = sorted({int(i) for i in ids if i})
    found: list[dict[str, Any]] = []
    for chunk in chunks(wanted):
        found += rows(client, "SELECT id, type, tranid, externalid FROM transaction "
                              f"WHERE id IN ({in_list(chunk)}) ORDER BY id")
    return found


def transactions_of_types(client: Any, types: Iterable[str]) -> list[dict[str, Any]]:
    """Id, type and external id of every transaction of the given type codes (``CashRfnd``...), in id order."""
    return list(rows(client, "SELECT id, type, externalid FROM transaction "
                             f"WHERE type IN ({in_list(sorted(set(types)))}) ORDER BY id"))


def transactions_by_external_ids(client: Any, external_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Transactions carrying any of ``external_ids`` (id, type, tranid, externalid), 500 ids a query."""
    found: list[dict[str, Any]] = []
    for chunk in chunks(sorted(set(external_ids)), 500):
        found += rows(client, "SELECT id, type, tranid, externalid FROM transaction "
                              f"WHERE externalid IN ({in_list(chunk)}) ORDER BY id")
    return found


def refunds_with_billing(client: Any, condition: str) -> list[dict[str, Any]]:
    """Cash refunds and credit memos matching ``condition``, each with the billing record it was made from.

    Columns: id, type, tranid, externalid, foreigntotal, createdfrom, raid (the return
    authorization in between, if any) and billingid (the cash sale or invoice refunded).
    """
    return list(rows(client,
        "SELECT t.id, t.type, t.tranid, t.externalid, t.foreigntotal, tl.createdfrom, ra.id AS raid, "
        "COALESCE(ra_line.createdfrom, tl.createdfrom) AS billingid "
        "FROM transaction t JOIN transactionline tl ON tl.transaction = t.id AND tl.mainline = 'T' "
        "LEFT JOIN transaction ra ON ra.id = tl.createdfrom AND ra.type = 'RtnAuth' "
        "LEFT JOIN transactionline ra_line ON ra_line.transaction = ra.id AND ra_line.mainline = 'T' "
        f"WHERE t.type IN ('CashRfnd', 'CustCred') AND ({condition}) ORDER BY t.id"))


def refunds_from_billing(client: Any, billing_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Refunds made from these billing records, directly or through a return authorization (500 ids a query)."""
    found: list[dict[str, Any]] = []
    for chunk in chunks(sorted({int(i) for i in billing_ids if i}), 500):
        found += refunds_with_billing(client, f"COALESCE(ra_line.createdfrom, tl.createdfrom) IN ({in_list(chunk)})")
    return found


def refunds_since(client: Any, day: str) -> list[dict[str, Any]]:
    """Refunds dated on or after ``day`` (YYYY-MM-DD), with their billing records."""
    return refunds_with_billing(client, f"t.trandate >= TO_DATE({literal(day)}, 'YYYY-MM-DD')")


def sales_orders_with_billing(client: Any, order_id_field: str, order_ref: str) -> list[dict[str, Any]]:
    """Sales orders carrying ``order_ref`` with their billing record, if any (id, entity, billid, billtype)."""
    return list(rows(client,
        "SELECT so.id, so.entity, bill.id AS billid, bill.type AS billtype "
        "FROM transaction so "
        "LEFT JOIN transactionline bl ON bl.createdfrom = so.id AND bl.mainline = 'T' "
        "LEFT JOIN transaction bill ON bill.id = bl.transaction AND bill.type IN ('CashSale', 'CustInvc') "
        f"WHERE so.type = 'SalesOrd' AND so.{order_id_field.lower()} = {literal(order_ref)} "
        "ORDER BY so.id"))


def settlement_postings(client: Any, settlement_id: str) -> list[dict[str, Any]]:
    """The deposits and journal entries carrying a settlement's external id (type, id, total in the
    record's own currency, and that currency's ISO code)."""
    return [{"type": str(r["type"]), "id": str(r["id"]), "total": r.get("foreigntotal") or 0,
             "currency": str(r.get("symbol") or "")}
            for r in rows(client, "SELECT t.id, t.type, t.foreigntotal, c.symbol FROM transaction t "
                                  "LEFT JOIN currency c ON c.id = t.currency "
                                  f"WHERE t.externalid = {literal(external_ids.settlement(settlement_id))} "
                                  "ORDER BY t.id")]


def tagged_transactions(client: Any, tag: str) -> list[dict[str, Any]]:
    """Transactions whose memo or external id contains ``tag`` (id, type, tranid), newest first."""
    like = literal(f"%{tag}%")
    return list(rows(client, "SELECT id, type, tranid FROM transaction "
                             f"WHERE memo LIKE {like} OR externalid LIKE {like} ORDER BY id DESC"))


def tagged_customers(client: Any, tag: str) -> list[dict[str, Any]]:
    """The run's customers (id, entityid), newest first: those whose external id contains ``tag``, and
    those that only the run's own transactions name (made for the run, used by nothing else)."""
    like = literal(f"%{tag}%")
    tagged = f"SELECT id FROM transaction WHERE memo LIKE {like} OR externalid LIKE {like}"
    return list(rows(client, f"SELECT id, entityid FROM customer WHERE externalid LIKE {like} OR "
                             f"(id IN (SELECT entity FROM transaction WHERE id IN ({tagged})) AND id NOT IN "
                             f"(SELECT entity FROM transaction WHERE entity IS NOT NULL AND id NOT IN ({tagged}))) "
                             "ORDER BY id DESC"))


def tagged_items(client: Any, tag: str) -> list[dict[str, Any]]:
    """Items syncproof made (external id ``item-...``) that the run's transactions use (id, itemid)."""
    like = literal(f"%{tag}%")
    tagged = f"SELECT id FROM transaction WHERE memo LIKE {like} OR externalid LIKE {like}"
    return list(rows(client, "SELECT DISTINCT item.id, item.itemid FROM item JOIN transactionline "
                             "ON transactionline.item = item.id WHERE transactionline.\"transaction\" IN "
                             f"({tagged}) AND item.externalid LIKE 'item-%' ORDER BY item.id"))


def accounts(client: Any) -> dict[str, str]:
    """Account full name and number (lower case) -> internal id."""
    found: dict[str, str] = {}
    for row in rows(client, "SELECT id, acctnumber, fullname FROM account ORDER BY id"):
        for key in (row.get("fullname"), row.get("acctnumber")):
            if key:
                found[str(key).lower()] = str(row["id"])
    return found


def currencies(client: Any) -> dict[str, str]:
    """The account's currencies, ISO code (upper case) -> internal id."""
    return {str(row["symbol"]).upper(): str(row["id"])
            for row in rows(client, "SELECT id, symbol FROM currency ORDER BY id")}


def account_count(client: Any) -> int:
    """How many accounts SuiteQL can see (one row read): proves the role may run SuiteQL."""
    return int(client.suiteql_page("SELECT id FROM account ORDER BY id", limit=1).get("totalResults") or 0)


def customer_ids(client: Any, entity_id: str) -> list[str]:
    """Internal ids of the customers whose entity id is ``entity_id``."""
    return [str(row["id"]) for row in
            rows(client, f"SELECT id FROM customer WHERE entityid = {literal(entity_id)} ORDER BY id")]
