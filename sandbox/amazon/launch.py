"""The Selling Partner API emulator as the sandbox launcher starts it, and its seeding client.

Amazon offers no API to create orders, refunds or settlement reports, so the emulator
has sandbox-only routes (``/__sandbox__/...``) for them; :class:`AmazonSeeding` builds
those requests and sends them through the caller's HTTP client (``send``), so the
seeding is recorded in cassettes and shown in reports like any other exchange.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Mapping, Sequence

from syncproof.model import Order, OrderLine, Refund, Shipping, json_loads

from .._emulator import Emulator, JsonSeeding, Send

__all__ = ["AmazonSeeding", "SANDBOX_SP_API_RATE", "emulator", "seeding"]

#: Requests per second the sandbox's SP-API advertises in ``x-amzn-RateLimit-Limit``:
#: generous, so a sandbox run is not paced like a live one (getReports allows 0.0222/s).
SANDBOX_SP_API_RATE = "50"


def emulator(backend: Any = None, *, live_rate_limits: bool = False) -> Emulator:
    from . import AmazonBackend, create_app

    backend = backend or AmazonBackend()
    if not live_rate_limits:
        backend.rate_limits = {operation: SANDBOX_SP_API_RATE for operation in backend.rate_limits}
    demo = backend.credentials

    def reset() -> None:  # re-initialise the state in place (the app keeps the object)
        type(backend).__init__(backend, backend.credentials, clock=backend.clock, seller_id=backend.seller_id,
                               orders_page_size=backend.orders_page_size,
                               order_items_page_size=backend.order_items_page_size,
                               transactions_page_size=backend.transactions_page_size,
                               token_lifetime=backend.token_lifetime, finances_lag=backend.finances_lag)

    return Emulator("amazon", backend, create_app(backend), reset=getattr(backend, "reset", reset), connection={
        "client_id": demo.client_id, "client_secret": demo.client_secret, "refresh_token": demo.refresh_token})


class AmazonSeeding(JsonSeeding):
    """Orders, refunds and settlement reports made in the emulator through its sandbox-only routes."""

    def order(self, lines: Sequence[OrderLine], *, shipping: Shipping | None, buyer: tuple[str, str],
              currency: str, marketplace_id: str) -> dict[str, Any]:
        """Seed a shipped order in ``marketplace_id``; the answer holds its ``AmazonOrderId`` and ``PurchaseDate``."""
        items = []
        for index, line in enumerate(lines):
            item = {"sku": line.sku, "quantity": line.quantity, "title": line.title or line.sku,
                    "item_price": line.gross.amount, "item_tax": line.tax.amount,
                    "promotion_discount": line.discount.amount}
            if index == 0 and shipping is not None:
                item["shipping_price"] = shipping.amount.amount
                item["shipping_tax"] = shipping.tax.amount
            items.append(item)
        return self._post("/__sandbox__/orders", {"items": items, "buyer_name": buyer[0], "buyer_email": buyer[1],
                                                  "currency": currency, "marketplace_id": marketplace_id})

    def refund(self, order: Order, quantities: Mapping[str, int], *, shipping: bool) -> dict[str, Any]:
        """Seed a refund of ``quantities`` (and the shipping); the answer is its Finances transaction."""
        body: dict[str, Any] = {"lines": [{"sku": sku, "quantity": qty} for sku, qty in quantities.items()]}
        if shipping and order.shipping is not None:
            body["shipping"] = order.shipping.amount.amount
            body["shipping_tax"] = order.shipping.tax.amount
        return self._post(f"/__sandbox__/orders/{order.channel_order_id}/refunds", body)

    def advance_clock(self, seconds: int) -> dict[str, Any]:
        """Let ``seconds`` pass on the emulator's clock (what Amazon does over time happens at once)."""
        return self._post("/__sandbox__/clock", {"advance": int(seconds)})

    def settlement(self, content: bytes, *, start: datetime, end: datetime) -> dict[str, Any]:
        """Publish a settlement report (a DONE report document holding ``content``), issued now: Reports
        keeps a document 90 days from its creation, and the scenario's settlement is the one Amazon issues."""
        return json_loads(self.send("POST", "/__sandbox__/reports/settlement", content=content,
                                    content_type="text/plain",
                                    params={"start": start.isoformat(), "end": end.isoformat(), "created": "now"}))

    def settle(self, orders: Sequence[Order], refunds: Mapping[str, Sequence[Refund]], *, start: datetime,
               seed: int, eu_style: bool = False, days: int = 14,
               non_order: Sequence[tuple[str, str, str, Any, int]] = ()) -> str:
        """Settle ``orders`` (and their refunds) in one V2 settlement report, with reserve rows; return its id.

        ``eu_style`` writes it as EU marketplaces do (EUR, comma decimals, day-first dates); ``non_order``
        adds rows that belong to no order: (transaction-type, amount-type, description, amount, days after start).
        """
        from ..settlement_generator import GeneratorOptions, SettlementOrder, settlement_bytes

        options = GeneratorOptions(rows=0, seed=seed, start=start, reserve_rows=True, settlement_id=str(seed)[:11],
                                   extra_rows=tuple(non_order))
        if eu_style:
            options = replace(options, currency="EUR", marketplace="Amazon.de", decimal_comma=True, eu_dates=True,
                              thousands_separator=True)
        content = settlement_bytes(options, [SettlementOrder.from_order(o, refunds.get(o.channel_order_id, ()))
                                             for o in orders])
        self.settlement(content, start=start, end=start + timedelta(days=days))
        return str(options.settlement_id)


def seeding(send: Send) -> AmazonSeeding:
    return AmazonSeeding(send)
