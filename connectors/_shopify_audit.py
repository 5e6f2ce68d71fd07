"""A lean read for audits: orders with refunds updated since a time, refunds inline.

One ``orders`` query a page, filtered by Shopify's search syntax
(``updated_at:>='...' financial_status:partially_refunded``), with each order's refunds
and only the fields an audit compares: lines (SKU, quantity, subtotal, tax), shipping,
total refunded, note and time. Requested cost per page stays under the 1,000-point
single-query limit (11 orders x 2 refunds x 5 lines ~ 940 points); an order with more
refunds, or a refund with more lines, than a page carries is read again on its own
through :meth:`ShopifyClient.get_refunds`.

    >>> for order, refunds in orders_with_refunds(client, since):
    ...     ...
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Iterator

from syncproof.model import Refund

from ._shopify_parse import parse_refund

__all__ = ["AUDIT_REFUNDS", "AuditOrder", "orders_with_refunds", "REFUNDED_STATUSES", "ORDER_WINDOW_DAYS",
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
AUDIT_REFUNDS = f"""
query AuditRefunds($first: Int!, $after: String, $query: String, $refunds: Int!, $lines: Int!) {{
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{
      id legacyResourceId presentmentCurrencyCode updatedAt
      refunds(first: $refunds) {{
        id legacyResourceId note createdAt
        totalRefundedSet {{ {_MONEY} }}
        refundLineItems(first: $lines) {{
          pageInfo {{ hasNextPage }}
          nodes {{ quantity lineItem {{ sku }} subtotalSet {{ {_MONEY} }} totalTaxSet {{ {_MONEY} }} }}
        }}
        refundShippingLines(first: 1) {{
          pageInfo {{ hasNextPage }}
          nodes {{ subtotalAmountSet {{ {_MONEY} }} taxAmountSet {{ {_MONEY} }} }}
        }}
      }}
    }}
  }}
}}
"""


class AuditOrder(dict):
    """``{"gid", "order_id", "currency", "updated_at"}`` of an order read by the audit."""


def orders_with_refunds(client: Any, since: datetime, *, statuses=REFUNDED_STATUSES, page_size: int = ORDERS_PER_PAGE,
                        refunds_per_order: int = REFUNDS_PER_ORDER, lines_per_refund: int = LINES_PER_REFUND,
                        on_page=None) -> Iterator[tuple[AuditOrder, list[Refund]]]:
    """Orders updated at or after ``since`` that have refunds, each with every refund (oldest first)."""
    moment = since if since.tzinfo else since.replace(tzinfo=timezone.utc)
    stamp = moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    seen: set[str] = set()
    for status in statuses:
        search = f"updated_at:>='{stamp}' financial_status:{status}"
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
                order = AuditOrder(gid=node["id"], order_id=str(node["legacyResourceId"]),
                                   currency=node["presentmentCurrencyCode"], updated_at=node.get("updatedAt"))
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
