"""What a connector polling Amazon sees: orders from getOrders, refunds from Finances.

    orders = poll_orders(client, since)           # created after since (minus Amazon's lag)
    refunds = poll_refunds(client, orders, since)  # refund transactions posted since then

Amazon dates an order a while before getOrders lists it, so a poll looks back
:data:`ORDER_LAG` before its start; the order items (one more call per order) are
fetched only for orders this client has not seen before. The connector sells on every
marketplace the client knows, the configured one first, so orders in any currency are
synced.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from ..model import Order, Refund

__all__ = ["ORDER_LAG", "REFUND_LOOKBACK", "poll_orders", "poll_refunds"]

#: Amazon dates an order a while before it shows in getOrders (the emulator: two hours)
ORDER_LAG = timedelta(hours=3)
#: refund transactions are read from this long before the poll's start: Finances may list a transaction up
#: to 48 hours after it posts (finances_2024-06-19.json, listTransactions), so a refund that posted before the
#: last poll can appear only now
REFUND_LOOKBACK = timedelta(hours=49)

_seen: WeakKeyDictionary[Any, dict[str, Order]] = WeakKeyDictionary()  # per client: orders read with their items


def _marketplaces(client: Any) -> list[str]:
    """The client's marketplace first, then every other one Amazon has."""
    from connectors.amazon import MARKETPLACE_CURRENCY

    configured = tuple(client.marketplace_ids)
    return [*configured, *(m for m in MARKETPLACE_CURRENCY if m not in configured)]


def poll_orders(client: Any, since: datetime) -> list[Order]:
    """Orders created since ``since`` (less :data:`ORDER_LAG`); items are fetched only for orders not seen before."""
    seen = _seen.setdefault(client, {})
    marketplaces = _marketplaces(client)
    raws = list(client.get_orders_json(created_after=since - ORDER_LAG, marketplace_ids=marketplaces))
    new = {str(raw["AmazonOrderId"]): str(raw["PurchaseDate"]) for raw in raws
           if str(raw["AmazonOrderId"]) not in seen}
    if new:
        earliest = min(datetime.fromisoformat(v.replace("Z", "+00:00")) for v in new.values())
        for order in client.get_orders(created_after=earliest - timedelta(seconds=1), marketplace_ids=marketplaces):
            if order.channel_order_id in new:
                seen[order.channel_order_id] = order
    return [seen[str(raw["AmazonOrderId"])] for raw in raws if str(raw["AmazonOrderId"]) in seen]


def poll_refunds(client: Any, orders: list[Order], since: datetime) -> list[Refund]:
    """Every refund transaction posted since ``since`` (less :data:`REFUND_LOOKBACK`), on any order."""
    return list(client.refunds_between(since - REFUND_LOOKBACK))
