"""Amazon actions for scenarios: orders and refunds, which Amazon offers no API to create.

On the sandbox target (and its recordings) orders and refunds are seeded through the
emulator's sandbox-only routes (``/__sandbox__/...``) and then read back through the
real Selling Partner API calls (Orders v0, Finances 2024-06-19), so the scenario sees
exactly what a connector would. On a live target a person places and refunds them in
Seller Central (``--interactive``), and the step polls the APIs until they appear.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Mapping, Sequence

from connectors import ApiClient
from connectors.amazon import MARKETPLACE_CURRENCY, marketplace_for
from syncproof.model import Order, OrderLine, Refund, Shipping, json_dumps, json_loads

from .connector_driver import Poller
from .errors import SyncproofError
from .interaction import ask_person

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
        self.config = runtime.config
        self.interactive = bool(getattr(runtime, "interactive", False))
        self.by_person = runtime.sandbox is None and runtime.config.project.target not in ("replay", "record")
        self.seeder = None if self.by_person else _SandboxSeeder(
            self.client.base_url, on_exchange=self.client.on_exchange, redactor=self.client.redactor)

    def _poller(self) -> Poller:
        return Poller(self.config.project.poll_interval_seconds, self.config.project.poll_timeout_seconds)

    def place_order(self, lines: Sequence[OrderLine], *, shipping: Shipping | None,
                    customer: tuple[str, str], note: str) -> Order:
        if self.by_person:
            wanted = ", ".join(f"{line.quantity} x {line.sku}" for line in lines)
            order_id = ask_person(f"Place an order on your Amazon test account for {wanted} and let it ship.",
                                  interactive=self.interactive, question="Amazon order id (e.g. 112-1234567-1234567)")
            since = datetime.now(timezone.utc) - timedelta(days=2)
            return self._poller().until(
                lambda: next((o for o in self.client.get_orders(created_after=since)
                              if o.channel_order_id == order_id), None),
                what=f"Amazon order {order_id} appearing in getOrders",
                last_state=lambda: f"Amazon: getOrders does not list {order_id} yet")
        currency = lines[0].unit_price.currency
        marketplace = self._marketplace(currency)
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
                                                          "buyer_email": customer[1], "currency": currency,
                                                          "marketplace_id": marketplace})
        return self._read_order(str(seeded["AmazonOrderId"]), str(seeded["PurchaseDate"]), currency)

    @property
    def currency(self) -> str:
        """The currency of the configured marketplace: what an order is in unless a scenario says otherwise."""
        return MARKETPLACE_CURRENCY.get(self.config.amazon.options["marketplace_id"], "USD")

    def _marketplace(self, currency: str) -> str:
        configured = self.config.amazon.options["marketplace_id"]
        if MARKETPLACE_CURRENCY.get(configured) == currency:
            return configured
        found = marketplace_for(currency)
        if found is None:
            raise SyncproofError(f"no Amazon marketplace sells in {currency}",
                                 f"use one of {', '.join(sorted(set(MARKETPLACE_CURRENCY.values())))}")
        return found

    def _read_order(self, order_id: str, purchase_date: str, currency: str | None = None) -> Order:
        since = _parse(purchase_date) - timedelta(seconds=1)
        marketplace = self._marketplace(currency or self.currency)
        for order in self.client.get_orders(created_after=since, marketplace_ids=[marketplace]):
            if order.channel_order_id == order_id:
                return order
        raise SyncproofError(f"Amazon order {order_id} was seeded but getOrders does not return it",
                             "check the Amazon emulator's clock and marketplace")

    def refund(self, order: Order, quantities: Mapping[str, int], *, shipping: bool, note: str) -> Refund:
        if self.by_person:
            return self._refund_by_person(order, quantities, shipping)
        if not quantities:
            raise SyncproofError("Amazon refunds are made per item: a shipping-only refund is not possible",
                                 "refund at least one item")
        if self.interactive:  # a rehearsal: the person is asked as on live, then the emulator issues the refund
            ask_person(self._refund_instructions(order, quantities, shipping), interactive=True,
                       question="Done when the refund is issued")
        body: dict[str, Any] = {"lines": [{"sku": sku, "quantity": qty} for sku, qty in quantities.items()]}
        if shipping and order.shipping is not None:
            body["shipping"] = order.shipping.amount.amount
            body["shipping_tax"] = order.shipping.tax.amount
        seeded = self.seeder.post(f"/__sandbox__/orders/{order.channel_order_id}/refunds", body)
        posted = str(seeded.get("postedDate"))
        refunds = [r for r in self._refunds(order, _parse(posted) - timedelta(seconds=1))]
        ids = {str(i.get("relatedIdentifierValue")) for i in seeded.get("relatedIdentifiers", [])}
        match = [
            r for r in refunds if r.refund_id in ids or r.extra.get("transaction_id") == seeded.get("transactionId")
        ]
        if not match:
            raise SyncproofError(f"the refund seeded on Amazon order {order.channel_order_id} is not in Finances",
                                 "check the Amazon emulator's clock")
        return match[0]

    def _refund_by_person(self, order: Order, quantities: Mapping[str, int], shipping: bool) -> Refund:
        known = {r.refund_id for r in self.refunds(order)}
        ask_person(self._refund_instructions(order, quantities, shipping), interactive=self.interactive)
        return self._poller().until(
            lambda: next((r for r in self.refunds(order) if r.refund_id not in known), None),
            what=f"the refund on Amazon order {order.channel_order_id} appearing in Finances",
            last_state=lambda: f"Amazon: {len(self.refunds(order))} refund(s) on {order.channel_order_id}, none new")

    @staticmethod
    def _refund_instructions(order: Order, quantities: Mapping[str, int], shipping: bool) -> str:
        lines = "; ".join(
            f"SKU {sku}: refund {qty} (item price {order.line_for_sku(sku).unit_price} each, with its tax)"
            for sku, qty in quantities.items()
        )
        ship = f"; also refund shipping {order.shipping.amount}" if shipping and order.shipping else ""
        return f"In Seller Central, open order {order.channel_order_id} and issue a refund: {lines}{ship}."

    def _refunds(self, order: Order, since: datetime) -> list[Refund]:
        return [r for r in self.client.refunds_between(since) if r.channel_order_id == order.channel_order_id]

    def refunds(self, order: Order) -> list[Refund]:
        since = _parse(order.created_at) - timedelta(seconds=1) if order.created_at else \
            datetime.now(timezone.utc) - timedelta(days=30)
        return self._refunds(order, since)

    def settle(self, orders: Sequence[Order], refunds: Mapping[str, Sequence[Refund]], *, start: datetime,
               seed: int, eu_style: bool = False, days: int = 14,
               non_order: Sequence[tuple[str, str, str, Any, int]] = ()) -> str:
        """Have Amazon settle ``orders`` (and their refunds) in one settlement report; return its id.

        The file is written the way Amazon writes V2 settlement files, with reserve rows;
        ``eu_style`` writes it as EU marketplaces do (EUR, comma decimals, day-first dates);
        ``non_order`` adds rows that belong to no order: (transaction-type, amount-type,
        description, Decimal amount, days after the start).
        """
        from dataclasses import replace

        from sandbox import GeneratorOptions, SettlementOrder, settlement_bytes

        options = GeneratorOptions(rows=0, seed=seed, start=start, reserve_rows=True, settlement_id=str(seed)[:11],
                                   extra_rows=tuple(non_order))
        if eu_style:
            options = replace(options, currency="EUR", marketplace="Amazon.de", decimal_comma=True, eu_dates=True,
                              thousands_separator=True)
        content = settlement_bytes(options, [SettlementOrder.from_order(o, refunds.get(o.channel_order_id, ()))
                                             for o in orders])
        self.issue_settlement(content, start=start, end=start + timedelta(days=days))
        return str(options.settlement_id)

    def issue_settlement(self, content: bytes, *, start: datetime, end: datetime) -> dict[str, Any]:
        """Have Amazon publish a settlement report (sandbox: seeded as a DONE report document)."""
        if self.seeder is None:
            raise SyncproofError("Amazon publishes settlement reports on its own schedule; they cannot be made "
                                 "on a live account", "use the audit scenarios (-m audit) for real settlements")
        response = self.seeder.request("POST", "/__sandbox__/reports/settlement", content=content,
                                       params={"start": start.isoformat(), "end": end.isoformat()},
                                       headers={"Content-Type": "text/plain"})
        return json_loads(response.content)

    def order(self, order: Order) -> Order:
        return self._read_order(order.channel_order_id, order.created_at or "", order.currency)


def _parse(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)

