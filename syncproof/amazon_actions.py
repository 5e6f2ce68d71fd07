"""Amazon actions for scenarios: orders and refunds, which Amazon offers no API to create.

On the sandbox target (and its recordings) orders and refunds are seeded through the
emulator's sandbox-only routes (``/__sandbox__/...``) and then read back through the
real Selling Partner API calls (Orders v0, Finances 2024-06-19), so the scenario sees
exactly what a connector would. On a live target a person issues them in Seller
Central (``--interactive``).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Mapping, Sequence

from connectors._http import ApiClient
from syncproof.model import Order, OrderLine, Refund, Shipping, json_dumps, json_loads

from .errors import SyncproofError

__all__ = ["AmazonActions"]


class _SandboxSeeder(ApiClient):
    """The Amazon emulator's sandbox-only seed routes, on the shared HTTP plumbing."""

    system = "amazon-sandbox"

    def is_write(self, request) -> bool:  # seeding the emulator is not a write to Amazon
        return False

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.request("POST", path, content=json_dumps(body).encode(),
                                headers={"Content-Type": "application/json"})
        return json_loads(response.content)


class AmazonActions:
    """Place and refund Amazon orders on the sandbox target; read them through SP-API."""

    name = "amazon"

    def __init__(self, runtime: Any) -> None:
        self.client = runtime.amazon
        if runtime.sandbox is None and runtime.config.project.target != "replay":
            raise SyncproofError(
                "Amazon offers no API to create orders or refunds, so this step needs a person on a live target",
                "run with --interactive to be told what to do in Seller Central, or use --target sandbox")
        self.seeder = _SandboxSeeder(self.client.base_url, on_exchange=self.client.on_exchange,
                                     redactor=self.client.redactor)

    def place_order(self, lines: Sequence[OrderLine], *, shipping: Shipping | None,
                    customer: tuple[str, str], note: str) -> Order:
        items = []
        for index, line in enumerate(lines):
            item = {"sku": line.sku, "quantity": line.quantity, "title": line.title or line.sku,
                    "item_price": line.gross.amount, "item_tax": line.tax.amount,
                    "promotion_discount": line.discount.amount}
            if index == 0 and shipping is not None:
                item["shipping_price"] = shipping.amount.amount
                item["shipping_tax"] = shipping.tax.amount
            items.append(item)
        seeded = self.seeder.post("/__sandbox__/orders", {"items": items, "buyer_name": customer[0],
                                                          "buyer_email": customer[1]})
        return self._read_order(str(seeded["AmazonOrderId"]), str(seeded["PurchaseDate"]))

    def _read_order(self, order_id: str, purchase_date: str) -> Order:
        since = _parse(purchase_date) - timedelta(seconds=1)
        for order in self.client.get_orders(created_after=since):
            if order.channel_order_id == order_id:
                return order
        raise SyncproofError(f"Amazon order {order_id} was seeded but getOrders does not return it",
                             "check the Amazon emulator's clock and marketplace")

    def refund(self, order: Order, quantities: Mapping[str, int], *, shipping: bool, note: str) -> Refund:
        if not quantities:
            raise SyncproofError("Amazon refunds are made per item: a shipping-only refund is not possible",
                                 "refund at least one item")
        body: dict[str, Any] = {"lines": [{"sku": sku, "quantity": qty} for sku, qty in quantities.items()]}
        if shipping and order.shipping is not None:
            body["shipping"] = order.shipping.amount.amount
            body["shipping_tax"] = order.shipping.tax.amount
        seeded = self.seeder.post(f"/__sandbox__/orders/{order.channel_order_id}/refunds", body)
        posted = str(seeded.get("postedDate"))
        refunds = [r for r in self._refunds(order, _parse(posted) - timedelta(seconds=1))]
        ids = {str(i.get("relatedIdentifierValue")) for i in seeded.get("relatedIdentifiers", [])}
        match = [r for r in refunds if r.refund_id in ids or r.extra.get("transaction_id") == seeded.get("transactionId")]
        if not match:
            raise SyncproofError(f"the refund seeded on Amazon order {order.channel_order_id} is not in Finances",
                                 "check the Amazon emulator's clock")
        return match[0]

    def _refunds(self, order: Order, since: datetime) -> list[Refund]:
        return [r for r in self.client.refunds_between(since) if r.channel_order_id == order.channel_order_id]

    def refunds(self, order: Order) -> list[Refund]:
        since = _parse(order.created_at) - timedelta(seconds=1) if order.created_at else \
            datetime.now(timezone.utc) - timedelta(days=30)
        return self._refunds(order, since)

    def issue_settlement(self, content: bytes, *, start: datetime, end: datetime) -> dict[str, Any]:
        """Have Amazon publish a settlement report (sandbox: seeded as a DONE report document)."""
        response = self.seeder.request("POST", "/__sandbox__/reports/settlement", content=content,
                                       params={"start": start.isoformat(), "end": end.isoformat()},
                                       headers={"Content-Type": "text/plain"})
        return json_loads(response.content)

    def order(self, order: Order) -> Order:
        return self._read_order(order.channel_order_id, order.created_at or "")


def _parse(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)

