"""Map Orders v0 ``Order`` and ``OrderItem`` JSON to the domain :class:`Order`.

Field by field:

- ``channel_order_id`` is ``AmazonOrderId`` exactly as Amazon writes it (``112-1234567-1234567``).
- each ``OrderItem`` is one :class:`OrderLine`: ``line_id`` = ``OrderItemId``, ``sku`` =
  ``SellerSKU``, ``quantity`` = ``QuantityOrdered``.
- ``ItemPrice`` is the price of the *line* (unit price x quantity, per the model), so
  ``unit_price`` = ``ItemPrice / QuantityOrdered``. The division is exact Decimal
  arithmetic; when it does not terminate (10.00 / 3) ``unit_price`` keeps more
  digits than the currency has, and ``line.gross`` still rounds back to ``ItemPrice``.
- ``discount`` = ``PromotionDiscount``; ``tax`` = ``ItemTax``.
- ``Shipping`` sums the items' ``ShippingPrice`` less ``ShippingDiscount``, and
  ``ShippingTax`` less ``ShippingDiscountTax``; None when the order has no shipping charge.
- Pending orders have no prices (Amazon omits them until payment is authorised):
  their money fields are zero.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import Any, Iterable

from syncproof.model import Channel, Money, Order, OrderLine, Shipping

__all__ = ["order_from_json", "money_v0"]


def money_v0(value: Any, currency: str) -> Money:
    """An Orders v0 ``Money`` (``{"CurrencyCode", "Amount": "10.00"}``); missing is zero."""
    if not isinstance(value, dict) or value.get("Amount") in (None, ""):
        return Money.zero(currency)
    return Money(Decimal(str(value["Amount"])), value.get("CurrencyCode") or currency)


def _currency(order: dict[str, Any], items: list[dict[str, Any]]) -> str:
    total = order.get("OrderTotal")
    if isinstance(total, dict) and total.get("CurrencyCode"):
        return str(total["CurrencyCode"])
    for item in items:
        for key in ("ItemPrice", "ItemTax", "ShippingPrice"):
            value = item.get(key)
            if isinstance(value, dict) and value.get("CurrencyCode"):
                return str(value["CurrencyCode"])
    return "USD"


def _unit_price(line_total: Money, quantity: int) -> Money:
    if quantity <= 1:
        return line_total
    with localcontext() as context:
        context.prec = 34
        return Money(line_total.amount / Decimal(quantity), line_total.currency)


def _line(item: dict[str, Any], currency: str) -> OrderLine:
    quantity = int(item.get("QuantityOrdered", 0))
    return OrderLine(
        line_id=str(item["OrderItemId"]),
        sku=str(item.get("SellerSKU") or item.get("ASIN") or ""),
        quantity=quantity,
        unit_price=_unit_price(money_v0(item.get("ItemPrice"), currency), quantity),
        tax=money_v0(item.get("ItemTax"), currency),
        discount=money_v0(item.get("PromotionDiscount"), currency),
        title=str(item.get("Title") or ""),
    )


def _shipping(items: Iterable[dict[str, Any]], currency: str) -> Shipping | None:
    items = list(items)
    if not any(item.get("ShippingPrice") or item.get("ShippingTax") for item in items):
        return None
    amount = Money.total((money_v0(i.get("ShippingPrice"), currency)
                          - money_v0(i.get("ShippingDiscount"), currency) for i in items), currency)
    tax = Money.total((money_v0(i.get("ShippingTax"), currency)
                       - money_v0(i.get("ShippingDiscountTax"), currency) for i in items), currency)
    return Shipping(amount=amount, tax=tax)


def order_from_json(order: dict[str, Any], items: list[dict[str, Any]]) -> Order:
    """Build the domain order from ``getOrders``' order and its ``getOrderItems`` items."""
    currency = _currency(order, items)
    buyer = order.get("BuyerInfo") or {}
    address = order.get("ShippingAddress") or {}
    return Order(
        channel=Channel("amazon"),
        channel_order_id=str(order["AmazonOrderId"]),
        currency=currency,
        lines=tuple(_line(item, currency) for item in items),
        shipping=_shipping(items, currency),
        customer_email=buyer.get("BuyerEmail"),
        customer_name=buyer.get("BuyerName") or address.get("Name"),
        created_at=order.get("PurchaseDate"),
    )
