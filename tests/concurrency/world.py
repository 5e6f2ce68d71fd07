"""The emulators and the order/refund set-up shared by the concurrency and cart refund tests."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from syncproof.config import parse_config
from syncproof.engine import SyncEngine
from syncproof.engine.store import EngineStore
from syncproof.model import Money, Order, OrderLine, Shipping, TransactionType

SKUS = ("CC-MUG", "CC-TEE", "Shipping", "Refund Adjustment", "Refund Fee")
ORDERS = 12


def usd(value: str) -> Money:
    return Money(value, "USD")


def place_orders(netsuite, shopify, store_path: Path, *, sync: bool = True, count: int = ORDERS) -> list[Order]:
    engine = SyncEngine.build(netsuite, EngineStore(store_path), parse_config({}))
    for sku in SKUS:
        engine.books.ensure_item(sku, sku)
    orders = [shopify.create_order([OrderLine("1", "CC-MUG", 2, usd("14.50"), usd("2.32"), usd("0"), "mug"),
                                    OrderLine("2", "CC-TEE", 1, usd("22.00"), usd("1.76"), usd("0"), "tee")],
                                   shipping=Shipping(usd("5.00"), usd("0.40")), email=f"cc{n}@example.com")
              for n in range(count)]
    if sync:
        for order in orders:
            assert engine.orders.sync(order).synced
    engine.store.close()
    return orders


def refund_in_netsuite(netsuite, store_path: Path, orders: list[Order], *,
                       adjustment: tuple[str, str] | None = None) -> list[str]:
    """One NetSuite cash refund (a mug) per order, made from its cash sale; their ids.

    ``adjustment`` = (item, amount) adds a line such as a restocking fee ("Refund Fee", "-2.00").
    """
    engine = SyncEngine.build(netsuite, EngineStore(store_path), parse_config({}))
    ids = []
    for n, order in enumerate(orders):
        record = engine.store.order("shopify", order.channel_order_id)
        billed = engine.books.billed_lines(TransactionType.CASH_SALE, record.billing_id)
        lines = engine.books.prorated_lines(billed, {"CC-MUG": 1})
        if adjustment:
            item, amount = adjustment
            lines.append(engine.books.charge_line(engine.books.item_ids([item])[item], Decimal(amount), Decimal(0)))
        ids.append(engine.books.transform_once(TransactionType.CASH_SALE, record.billing_id,
                                               TransactionType.CASH_REFUND, f"cc-netsuite-refund-{n}", lines=lines))
    engine.store.close()
    return ids


