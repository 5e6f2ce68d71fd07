"""Fulfillment API ``Order`` JSON as the domain :class:`Order`, and its refunds as domain :class:`Refund` s.

Amounts are eBay ``Amount`` objects (``{"value": "14.50", "currency": "USD"}``), read as
Decimal. When eBay converted an amount (``convertedFromValue`` and ``convertedFromCurrency``
present: "the monetary amount before any conversion", the ``value`` holding the converted
amount), the amount read is the one before conversion, in the currency of the sale: the money
the buyer paid and is refunded. Field by field:

- ``channel_order_id`` is ``orderId`` (``12-03456-78901``); each ``lineItems[]`` entry is one
  :class:`OrderLine`: ``lineItemId``, ``sku``, ``quantity``; ``lineItemCost`` is the price of
  all units before discount, so ``unit_price = lineItemCost / quantity`` (exact Decimal);
  ``discount`` = ``lineItemCost - discountedLineItemCost`` (the applied promotions);
  ``tax`` = the sum of ``taxes[].amount``.
- shipping is ``pricingSummary.deliveryCost`` plus ``deliveryDiscount`` (negative); its tax is
  what ``pricingSummary.tax`` holds beyond the lines' taxes. None when both are zero.
- the buyer is ``fulfillmentStartInstructions[0].shippingStep.shipTo`` (``fullName``, ``email``).

**Refunds.** eBay refunds carry amounts, never quantities. A refund issued per line
(``issueRefund`` with ``refundItems``) is listed under each refunded line's ``refunds[]``
with its ``refundId``; one issued for the whole order (``orderLevelRefundAmount``) is listed
in ``paymentSummary.refunds[]`` with its ``refundId``. A line refund worth a whole number
of the line's units (price less discount plus tax, per unit) becomes that quantity, split
into amount and tax in the line's proportion (the tax is the remainder, so the two add up
to eBay's amount exactly); any other line amount, and an order-level refund that is not
the whole order, is an ``adjustment``. An order-level refund of the order's whole total is
every line and the shipping.

A refund listed in ``paymentSummary.refunds[]`` without a ``refundId`` was not issued
through ``issueRefund`` in answer to a buyer's request: it is an *external* transaction,
which the NetSuite Connector cannot retrieve (Oracle, "Refunds and Exchanges in NetSuite
Connector"). :func:`refunds_of_order` leaves those out; :func:`external_refunds` lists them.
Only ``REFUNDED`` refunds count (``PENDING`` ones have moved no money yet, ``FAILED`` never will).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, localcontext
from typing import Any, Iterable

from syncproof.model import Channel, Money, Order, OrderLine, Refund, RefundLine, Shipping

__all__ = ["order_from_json", "refunds_of_order", "external_refunds", "amount", "converted", "CHANNEL", "unit_total"]

CHANNEL = Channel("ebay")
_SETTLED = ("REFUNDED",)


def amount(value: Any, currency: str) -> Money:
    """An eBay ``Amount`` in the currency of the sale (before any conversion eBay applied); missing is zero."""
    if isinstance(value, dict) and value.get("convertedFromCurrency") and value.get("convertedFromValue") not in (
            None, ""):
        return Money(Decimal(str(value["convertedFromValue"])), str(value["convertedFromCurrency"]))
    return converted(value, currency)


def converted(value: Any, currency: str) -> Money:
    """An eBay ``Amount`` as its ``value`` and ``currency`` say (after any conversion); missing is zero."""
    if not isinstance(value, dict) or value.get("value") in (None, ""):
        return Money.zero(currency)
    return Money(Decimal(str(value["value"])), str(value.get("currency") or currency))


def _currency_of(node: Any) -> str | None:
    if not isinstance(node, dict):
        return None
    found = node.get("convertedFromCurrency") or node.get("currency")
    return str(found) if found else None


def _currency(raw: dict[str, Any]) -> str:
    pricing, payment = raw.get("pricingSummary") or {}, raw.get("paymentSummary") or {}
    nodes = [pricing.get("total"), payment.get("totalDueSeller"),
             *(item.get("lineItemCost") for item in raw.get("lineItems") or [])]
    return next((c for c in map(_currency_of, nodes) if c), "USD")


def _exact(value: Decimal, divisor: int) -> Decimal:
    with localcontext() as context:
        context.prec = 34
        return value / Decimal(divisor)


def _line(item: dict[str, Any], currency: str) -> OrderLine:
    quantity = int(item.get("quantity") or 0)
    cost = amount(item.get("lineItemCost"), currency)
    discounted = item.get("discountedLineItemCost")
    discount = cost - amount(discounted, currency) if isinstance(discounted, dict) else Money.zero(currency)
    tax = Money.total((amount(t.get("amount"), currency) for t in item.get("taxes") or [] if isinstance(t, dict)),
                      currency)
    unit = Money(_exact(cost.amount, quantity), currency) if quantity > 1 else cost
    return OrderLine(line_id=str(item["lineItemId"]), sku=str(item.get("sku") or item.get("legacyItemId") or ""),
                     quantity=quantity, unit_price=unit, tax=tax, discount=discount, title=str(item.get("title") or ""))


def _shipping(raw: dict[str, Any], lines: Iterable[OrderLine], currency: str) -> Shipping | None:
    pricing = raw.get("pricingSummary") or {}
    cost = amount(pricing.get("deliveryCost"), currency) + amount(pricing.get("deliveryDiscount"), currency)
    tax = amount(pricing.get("tax"), currency) - Money.total((line.tax for line in lines), currency)
    if cost.is_zero() and tax.is_zero():
        return None
    return Shipping(amount=cost, tax=tax)


def _ship_to(raw: dict[str, Any]) -> dict[str, Any]:
    for instruction in raw.get("fulfillmentStartInstructions") or []:
        ship_to = ((instruction or {}).get("shippingStep") or {}).get("shipTo")
        if isinstance(ship_to, dict):
            return ship_to
    return {}


def order_from_json(raw: dict[str, Any]) -> Order:
    """The domain order of one Fulfillment API ``Order``."""
    currency = _currency(raw)
    lines = tuple(_line(item, currency) for item in raw.get("lineItems") or [])
    ship_to = _ship_to(raw)
    return Order(channel=CHANNEL, channel_order_id=str(raw["orderId"]), currency=currency, lines=lines,
                 shipping=_shipping(raw, lines, currency), customer_email=ship_to.get("email"),
                 customer_name=ship_to.get("fullName") or (raw.get("buyer") or {}).get("username"),
                 created_at=raw.get("creationDate"), updated_at=raw.get("lastModifiedDate"))


def unit_total(line: OrderLine) -> Money:
    """What one unit of ``line`` cost the buyer: price less discount plus tax (unrounded)."""
    return Money(_exact(line.total.amount, line.quantity), line.total.currency) if line.quantity else line.total


def _line_refund(line: OrderLine, paid: Money) -> tuple[RefundLine | None, Money]:
    """``paid`` on ``line`` as a whole number of units (the RefundLine), else the amount left as an adjustment."""
    if not line.quantity or line.total.is_zero():
        return None, paid
    with localcontext() as context:
        context.prec = 34
        whole = int((paid.amount * line.quantity / line.total.amount).to_integral_value())
    if not 1 <= whole <= line.quantity:
        return None, paid
    if Money(_exact(line.total.amount * whole, line.quantity), paid.currency).rounded() != paid.rounded():
        return None, paid
    net = Money(_exact((line.net * whole).amount, line.quantity), paid.currency).rounded()
    return RefundLine(sku=line.sku, quantity=whole, amount=net, tax=paid.rounded() - net,
                      line_id=line.line_id), Money.zero(paid.currency)


def _refund(order: Order, refund_id: str, paid: dict[str, Money], created_at: str | None, extra: dict[str, Any],
            order_level: Money | None = None) -> Refund:
    currency = order.currency
    lines: list[RefundLine] = []
    adjustment = Money.zero(currency)
    shipping = shipping_tax = None
    if order_level is not None:
        if order_level.rounded() == order.total.rounded():
            lines = [RefundLine(sku=ln.sku, quantity=ln.quantity, amount=ln.net.rounded(), tax=ln.tax.rounded(),
                                line_id=ln.line_id) for ln in order.lines]
            if order.shipping is not None:
                shipping, shipping_tax = order.shipping.amount.rounded(), order.shipping.tax.rounded()
        else:
            adjustment = order_level
    for line_id, money in paid.items():
        refund_line, left = _line_refund(order.line(line_id), money)
        if refund_line is not None:
            lines.append(refund_line)
        adjustment = adjustment + left
    return Refund(channel=CHANNEL, channel_order_id=order.channel_order_id, refund_id=refund_id, currency=currency,
                  lines=tuple(lines), shipping=shipping or None, shipping_tax=shipping_tax or None,
                  adjustment=adjustment if not adjustment.is_zero() else None, created_at=created_at, extra=extra)


def refunds_of_order(raw: dict[str, Any], order: Order | None = None) -> list[Refund]:
    """The order's refunds issued through ``issueRefund`` (line level and order level), oldest first."""
    order = order or order_from_json(raw)
    by_id: dict[str, dict[str, Money]] = defaultdict(dict)
    meta: dict[str, dict[str, Any]] = {}
    for item in raw.get("lineItems") or []:
        for entry in item.get("refunds") or []:
            refund_id = str(entry.get("refundId") or "")
            if not refund_id or str(entry.get("refundStatus") or "REFUNDED") not in _SETTLED:
                continue
            line_id = str(item["lineItemId"])
            got = amount(entry.get("amount"), order.currency)
            by_id[refund_id][line_id] = by_id[refund_id].get(line_id, Money.zero(order.currency)) + got
            meta.setdefault(refund_id, {"date": entry.get("refundDate"), "reference": entry.get("refundReferenceId")})
    refunds = [_refund(order, refund_id, paid, meta[refund_id]["date"],
                       {"reference_id": meta[refund_id]["reference"], "level": "line"})
               for refund_id, paid in by_id.items()]
    for entry in (raw.get("paymentSummary") or {}).get("refunds") or []:
        refund_id = str(entry.get("refundId") or "")
        if not refund_id or refund_id in by_id or str(entry.get("refundStatus")) not in _SETTLED:
            continue
        refunds.append(_refund(order, refund_id, {}, entry.get("refundDate"),
                               {"reference_id": entry.get("refundReferenceId"), "level": "order"},
                               order_level=amount(entry.get("amount"), order.currency)))
    return sorted(refunds, key=lambda r: r.created_at or "")


def external_refunds(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """``paymentSummary.refunds[]`` entries without a ``refundId``: money returned outside ``issueRefund``."""
    return [dict(entry) for entry in (raw.get("paymentSummary") or {}).get("refunds") or []
            if isinstance(entry, dict) and not entry.get("refundId")]
