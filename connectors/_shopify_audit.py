"""A lean read for audits: orders with refunds updated since a time, refunds inline.

One ``orders`` query a page, filtered by Shopify's search syntax
(``updated_at:>='...' financial_status:partially_refunded``), with each order's refunds
and only the fields an audit compares: lines (SKU, quantity, subtotal, tax), shipping,
total refunded, note and time. Requested cost per page stays under the 1,000-point
single-query limit (11 orders x 2 refunds x 5 lines ~ 940 points); an order with more
refunds, or a refund with more lines, than a page carries is read again on its own
through :meth:`ShopifyClient.get_refunds`.

A large window is read with bulk query operations instead (:func:`audit_orders` decides:
``ordersCount`` first, then bulk queries from ``BULK_FROM_ORDERS`` orders): paging 20,000 orders
through the cost throttle takes minutes of waiting on a standard store (1,000-point pages,
100 points a second), a bulk query is not paged through it at all. One bulk query per
financial status; each file is read whole, its refund lines put back under their refunds by
``__parentId``. A bulk query that Shopify refuses or that does not complete is named in one
line and the window is read page by page as before.

    for order, refunds in audit_orders(client, since, on_note=print):
        ...
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Iterator

from syncproof.model import Refund

from ._exceptions import BulkQueryFailed
from ._shopify_bulk import bulk_query
from ._shopify_parse import parse_refund

__all__ = ["AUDIT_REFUNDS", "AUDIT_REFUNDS_BULK", "AuditOrder", "orders_with_refunds", "orders_with_refunds_bulk",
           "audit_orders", "orders_to_audit", "BULK_FROM_ORDERS", "REFUNDED_STATUSES", "ORDER_WINDOW_DAYS",
           "ALL_ORDERS_SCOPE", "order_window_start"]

ORDERS_PER_PAGE = 11
REFUNDS_PER_ORDER = 2
LINES_PER_REFUND = 5
REFUNDED_STATUSES = ("partially_refunded", "refunded")
#: Without the ``read_all_orders`` scope an app sees only orders created in the last 60 days
#: (shopify.dev, GraphQL Admin ``Order`` object: "Only the last 60 days' worth of orders from a
#: store are accessible from the Order object by default").
ORDER_WINDOW_DAYS = 60
ALL_ORDERS_SCOPE = "read_all_orders"


def order_window_start(scopes: Iterable[str], now: datetime) -> datetime | None:
    """The earliest creation time of an order the app can see, or None when it sees them all."""
    return None if ALL_ORDERS_SCOPE in set(scopes) else now - timedelta(days=ORDER_WINDOW_DAYS)

_MONEY = "presentmentMoney { amount }"  # in the order's presentment currency, as the full reads
_ORDER = "id legacyResourceId presentmentCurrencyCode updatedAt"
_REFUND = f"id legacyResourceId note createdAt totalRefundedSet {{ {_MONEY} }}"
_LINE = f"quantity lineItem {{ sku }} subtotalSet {{ {_MONEY} }} totalTaxSet {{ {_MONEY} }}"
_SHIP = f"subtotalAmountSet {{ {_MONEY} }} taxAmountSet {{ {_MONEY} }}"
AUDIT_REFUNDS = f"""
query AuditRefunds($first: Int!, $after: String, $query: String, $refunds: Int!, $lines: Int!) {{
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{
      {_ORDER}
      refunds(first: $refunds) {{
        {_REFUND}
        refundLineItems(first: $lines) {{ pageInfo {{ hasNextPage }} nodes {{ {_LINE} }} }}
        refundShippingLines(first: 1) {{ pageInfo {{ hasNextPage }} nodes {{ {_SHIP} }} }}
      }}
    }}
  }}
}}
"""
#: the same fields as one bulk query: every order, refund, line and shipping line, no pages
AUDIT_REFUNDS_BULK = f"""
{{
  orders(query: %s, sortKey: UPDATED_AT) {{
    edges {{ node {{
      {_ORDER}
      refunds {{
        {_REFUND}
        refundLineItems {{ edges {{ node {{ __typename {_LINE} }} }} }}
        refundShippingLines {{ edges {{ node {{ __typename {_SHIP} }} }} }}
      }}
    }} }}
  }}
}}
"""
#: from this many orders with refunds in the window, the audit reads them with bulk queries
BULK_FROM_ORDERS = 250
ORDERS_COUNT = "query AuditOrdersCount($query: String) { ordersCount(query: $query, limit: null) { count precision } }"


class AuditOrder(dict):
    """``{"gid", "order_id", "currency", "updated_at"}`` of an order read by the audit."""


def _search(since: datetime, status: str) -> str:
    moment = since if since.tzinfo else since.replace(tzinfo=timezone.utc)
    stamp = moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"updated_at:>='{stamp}' financial_status:{status}"


def _audit_order(node: dict) -> AuditOrder:
    return AuditOrder(gid=node["id"], order_id=str(node["legacyResourceId"]), currency=node["presentmentCurrencyCode"],
                      updated_at=node.get("updatedAt"))


def orders_to_audit(client: Any, since: datetime, *, statuses=REFUNDED_STATUSES) -> int:
    """How many orders with refunds were updated at or after ``since`` (an order may count under two statuses)."""
    return sum(int(client.graphql(ORDERS_COUNT, {"query": _search(since, status)}, "AuditOrdersCount")
                   ["ordersCount"]["count"]) for status in statuses)


def orders_with_refunds_bulk(client: Any, since: datetime, *, statuses=REFUNDED_STATUSES,
                             on_page=None) -> Iterator[tuple[AuditOrder, list[Refund]]]:
    """What :func:`orders_with_refunds` yields, read with one bulk query per financial status.

    Raises :class:`~connectors.BulkQueryFailed` (before yielding anything) when an operation is
    refused or does not complete."""
    found: dict[str, tuple[AuditOrder, list[dict]]] = {}
    for status in statuses:
        refunds: dict[str, dict] = {}
        query = AUDIT_REFUNDS_BULK % json.dumps(_search(since, status))
        for line in bulk_query(client, query):
            parent = line.get("__parentId")
            if parent is None:  # an order, its refunds inline (a list, not a connection)
                if line["id"] in found:
                    continue
                raw = line.get("refunds") or []
                for refund in raw:
                    refund["refundLineItems"], refund["refundShippingLines"] = {"nodes": []}, {"nodes": []}
                    refunds[refund["id"]] = refund
                found[line["id"]] = (_audit_order(line), raw)
            elif parent in refunds:  # a refund's line or shipping line: its parent came earlier in the file
                kind = "refundLineItems" if line.get("__typename") == "RefundLineItem" else "refundShippingLines"
                refunds[parent][kind]["nodes"].append(line)
        if on_page is not None:
            on_page(len(found))
    for order, raw in found.values():
        yield order, [parse_refund(r, order_id=order["order_id"], order_gid=order["gid"], currency=order["currency"])
                      for r in raw]


def audit_orders(client: Any, since: datetime, *, bulk_from: int | None = BULK_FROM_ORDERS, on_page=None,
                 on_note=None) -> Iterator[tuple[AuditOrder, list[Refund]]]:
    """Orders with refunds updated since ``since``: bulk queries from ``bulk_from`` orders (None: never),
    pages below it or when a bulk query fails (``on_note`` gets one line saying so)."""
    if bulk_from is not None and orders_to_audit(client, since) >= bulk_from:
        try:
            yield from orders_with_refunds_bulk(client, since, on_page=on_page)
            return
        except BulkQueryFailed as failed:
            if on_note is not None:
                on_note(f"{failed.message}; reading the orders page by page instead")
    yield from orders_with_refunds(client, since, on_page=on_page)


def orders_with_refunds(client: Any, since: datetime, *, statuses=REFUNDED_STATUSES, page_size: int = ORDERS_PER_PAGE,
                        refunds_per_order: int = REFUNDS_PER_ORDER, lines_per_refund: int = LINES_PER_REFUND,
                        on_page=None) -> Iterator[tuple[AuditOrder, list[Refund]]]:
    """Orders updated at or after ``since`` that have refunds, each with every refund (oldest first)."""
    seen: set[str] = set()
    for status in statuses:
        search = _search(since, status)
        after = None
        while True:
            data = client.graphql(AUDIT_REFUNDS, {"first": page_size, "after": after, "query": search,
                                                  "refunds": refunds_per_order, "lines": lines_per_refund},
                                  "AuditRefunds")
            page = data["orders"]
            for node in page["nodes"]:
                if node["id"] in seen:
                    continue
                seen.add(node["id"])
                order = _audit_order(node)
                raw = node.get("refunds") or []
                overflow = len(raw) >= refunds_per_order or any(
                    r["refundLineItems"]["pageInfo"]["hasNextPage"]
                    or r["refundShippingLines"]["pageInfo"]["hasNextPage"]
                    for r in raw
                )
                if overflow:  # rare: read this order's refunds in full
                    refunds = client.get_refunds(node["id"])
                else:
                    refunds = [parse_refund(r, order_id=order["order_id"], order_gid=node["id"],
                                            currency=order["currency"]) for r in raw]
                yield order, refunds
            if on_page is not None:
                on_page(len(seen))
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
