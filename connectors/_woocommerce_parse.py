"""WooCommerce REST API v3 bodies -> syncproof domain objects (Order, Refund).

WooCommerce writes every monetary amount as a string with the store's "Number of decimals"
(``woocommerce_price_num_decimals``: ``wc_format_decimal`` with the controllers' ``dp``, which
``number_format`` writes with exactly that many decimals: ``"14.50"``, ``"1500"`` in a store set to 0,
``"12.345"`` in one set to 3), and the order's ``currency`` beside it. That setting is the store's,
not the currency's ISO 4217 minor unit. Amounts are read exactly as written, as Decimal strings,
never floats, and never rounded on the way in. ``Order.channel_order_id`` and ``channel_ref`` are the order id;
a line's ``line_id`` is the order item id (refunds name it in their ``line_items``).

- ``line_items``: one :class:`OrderLine` each; ``subtotal`` is before discounts and
  ``total`` after them, so the discount is their difference (coupons are allocated to
  the lines that way); ``total_tax`` is the line's tax.
- ``shipping_lines``: summed into one :class:`Shipping` (``total`` and ``total_tax``).
- ``fee_lines``: one line each, its SKU the fee's name (a NetSuite item of that name
  takes it), quantity 1.
- ``coupon_lines`` and ``tax_lines`` are summaries of what the lines already carry.

A refund lists its items with negative quantities and amounts, each naming the order
item it refunds in the ``_refunded_item_id`` meta; its ``amount`` is what was paid
back, and any part of it no item accounts for is the refund's ``adjustment``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Mapping

from syncproof.model import Channel, Money, Order, OrderLine, Refund, RefundLine, Shipping

__all__ = ["CHANNEL", "parse_order", "parse_refund", "refunded_item_id", "amount", "order_name", "written_decimals",
           "price_decimals_setting"]

CHANNEL = Channel("woocommerce")
REFUNDED_ITEM_META = "_refunded_item_id"


def amount(value: Any, currency: str) -> Money:
    """A WooCommerce amount (a decimal string, or missing for zero) in ``currency``."""
    if value in (None, ""):
        return Money.zero(currency)
    if isinstance(value, float):
        raise ValueError(f"WooCommerce amount {value!r} arrived as a float; amounts are decimal strings")
    return Money(Decimal(str(value)), currency)


def written_decimals(raw: Mapping[str, Any]) -> int | None:
    """The decimals an order's (``total``) or a refund's (``amount``) amounts are written with: the store's
    "Number of decimals", as the client asks for no ``dp``; None when the body has no such amount."""
    text = raw.get("total", raw.get("amount"))
    if not isinstance(text, str):
        return None
    whole, _, fraction = text.lstrip("-").partition(".")
    if not (whole + fraction).isdigit():
        return None
    return len(fraction)


def price_decimals_setting(value: Any) -> int:
    """The decimals a store's ``woocommerce_price_num_decimals`` option makes the REST API write, as
    ``wc_get_price_decimals()`` reads it: ``absint`` of the option, so a blank or non-numeric value is 0 (PHP's
    ``(int)`` takes the leading digits)."""
    leading = re.match(r"\s*[+-]?\d+", str(value if value is not None else ""))
    return abs(int(leading.group())) if leading else 0


def order_name(raw: Mapping[str, Any]) -> str | None:
    billing = raw.get("billing") or {}
    name = " ".join(part for part in (billing.get("first_name"), billing.get("last_name")) if part)
    return name or None


def _line(item: Mapping[str, Any], currency: str) -> OrderLine:
    quantity = int(item["quantity"])
    subtotal = amount(item.get("subtotal"), currency)
    total = amount(item.get("total"), currency)
    unit = Money(subtotal.amount / quantity, currency) if quantity else subtotal
    return OrderLine(line_id=str(item["id"]), sku=str(item.get("sku") or item.get("name") or item["id"]),
                     quantity=quantity, unit_price=unit, tax=amount(item.get("total_tax"), currency),
                     discount=subtotal - total, title=str(item.get("name") or ""))


def _fee(fee: Mapping[str, Any], currency: str) -> OrderLine:
    total = amount(fee.get("total"), currency)
    return OrderLine(line_id=str(fee["id"]), sku=str(fee.get("name") or f"fee {fee['id']}"), quantity=1,
                     unit_price=total, tax=amount(fee.get("total_tax"), currency), discount=Money.zero(currency),
                     title=str(fee.get("name") or ""))


def parse_order(raw: Mapping[str, Any]) -> Order:
    currency = str(raw["currency"])
    lines = tuple(_line(item, currency) for item in raw.get("line_items") or ())
    lines += tuple(_fee(fee, currency) for fee in raw.get("fee_lines") or ())
    shipping = None
    shipping_lines = raw.get("shipping_lines") or []
    if shipping_lines:
        shipping = Shipping(Money.total((amount(s.get("total"), currency) for s in shipping_lines), currency),
                            Money.total((amount(s.get("total_tax"), currency) for s in shipping_lines), currency),
                            str(shipping_lines[0].get("method_title") or "Shipping"))
    order_id = str(raw["id"])
    return Order(channel=CHANNEL, channel_order_id=order_id, currency=currency, lines=lines, shipping=shipping,
                 customer_email=(raw.get("billing") or {}).get("email") or None, customer_name=order_name(raw),
                 created_at=raw.get("date_created_gmt"), channel_ref=order_id,
                 updated_at=raw.get("date_modified_gmt"))


def refunded_item_id(item: Mapping[str, Any]) -> str | None:
    """The order item a refund item refunds (its ``_refunded_item_id`` meta)."""
    for meta in item.get("meta_data") or ():
        if meta.get("key") == REFUNDED_ITEM_META:
            return str(meta.get("value"))
    return None


def parse_refund(raw: Mapping[str, Any], order: Mapping[str, Any]) -> Refund:
    """One refund of ``order`` (both raw bodies): lines by SKU, shipping, the rest as an adjustment."""
    currency = str(raw.get("currency") or order["currency"])
    skus = {str(item["id"]): str(item.get("sku") or item.get("name") or item["id"])
            for item in order.get("line_items") or ()}
    skus.update({str(fee["id"]): str(fee.get("name") or f"fee {fee['id']}") for fee in order.get("fee_lines") or ()})
    lines = []
    for item in [*(raw.get("line_items") or ()), *(raw.get("fee_lines") or ())]:
        source = refunded_item_id(item)
        quantity = abs(int(item.get("quantity") or 0)) or (1 if item in (raw.get("fee_lines") or ()) else 0)
        sku = skus.get(source or "") or str(item.get("sku") or item.get("name") or "")
        lines.append(RefundLine(sku=sku, quantity=quantity, amount=-amount(item.get("total"), currency),
                                tax=-amount(item.get("total_tax"), currency), line_id=source))
    shipping_lines = raw.get("shipping_lines") or []
    shipping = shipping_tax = None
    if shipping_lines:
        shipping = -Money.total((amount(s.get("total"), currency) for s in shipping_lines), currency)
        shipping_tax = -Money.total((amount(s.get("total_tax"), currency) for s in shipping_lines), currency)
    refund = Refund(channel=CHANNEL, channel_order_id=str(order["id"]), refund_id=str(raw["id"]), currency=currency,
                    lines=tuple(lines), shipping=shipping, shipping_tax=shipping_tax, note=raw.get("reason") or None,
                    created_at=raw.get("date_created_gmt"),
                    extra={"refunded_payment": bool(raw.get("refunded_payment"))})
    paid = amount(raw.get("amount"), currency)
    rest = paid - refund.total  # exact: both are written with the store's decimals
    if rest.amount != 0:
        refund = Refund(channel=refund.channel, channel_order_id=refund.channel_order_id, refund_id=refund.refund_id,
                        currency=currency, lines=refund.lines, shipping=shipping, shipping_tax=shipping_tax,
                        adjustment=rest, note=refund.note, created_at=refund.created_at, extra=refund.extra)
    return refund
