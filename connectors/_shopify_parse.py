"""Shopify GraphQL payloads -> syncproof domain objects (Order, Refund, SuggestedRefund).

Amounts are read from ``presentmentMoney`` (the customer's currency, the order's currency in
NetSuite) as Decimal strings. ``Order.channel_order_id``
is the numeric ``legacyResourceId`` and ``Order.channel_ref`` the gid; a line's
``line_id`` is the line item gid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

from syncproof.model import Channel, Money, Order, OrderLine, Refund, RefundLine, Shipping

__all__ = ["money", "parse_order", "parse_refund", "parse_suggested_refund", "SuggestedRefund",
           "SuggestedTransaction"]


def money(bag: dict | None, currency: str | None = None) -> Money:
    """A ``MoneyBag``'s presentment money (its shop money when only that was read), or zero in
    ``currency`` when the bag is missing.

    ``currency`` also stands in for a bag read without its ``currencyCode`` (lean audit queries).
    """
    if not bag:
        if currency is None:
            raise ValueError("missing money and no currency to default to")
        return Money.zero(currency)
    shop = bag.get("presentmentMoney") or bag["shopMoney"]
    code = shop.get("currencyCode") or currency
    if code is None:
        raise ValueError("money without a currencyCode and no currency to default to")
    return Money(shop["amount"], code)


def _tax(tax_lines: list[dict], currency: str) -> Money:
    return Money.total((money(t["priceSet"]) for t in tax_lines), currency)


def parse_order(node: dict) -> Order:
    currency = node.get("presentmentCurrencyCode") or node["currencyCode"]
    lines = tuple(
        OrderLine(
            line_id=item["id"], sku=item.get("sku") or "", quantity=item["quantity"],
            unit_price=money(item["originalUnitPriceSet"]),
            tax=_tax(item.get("taxLines") or [], currency),
            discount=money(item.get("totalDiscountSet"), currency),
            title=item.get("title") or "",
        )
        for item in node["lineItems"]["nodes"]
    )
    ship = node.get("shippingLine")
    shipping = None
    if ship:
        shipping = Shipping(amount=money(ship["originalPriceSet"]), tax=_tax(ship.get("taxLines") or [], currency),
                            title=ship.get("title") or "Shipping")
    return Order(channel=Channel("shopify"), channel_order_id=str(node["legacyResourceId"]), currency=currency,
                 lines=lines, shipping=shipping, customer_email=node.get("email"),
                 created_at=node.get("createdAt"), channel_ref=node["id"], updated_at=node.get("updatedAt"))


def parse_refund(node: dict, *, order_id: str | None = None, order_gid: str | None = None,
                 currency: str | None = None) -> Refund:
    """A ``Refund`` node as a domain refund, from the full read or the audit's lean one.

    The lean read carries no ``order`` (pass ``order_id`` and ``order_gid``), no
    transactions and no currency in its money (pass ``currency``).

    The adjustment is Shopify's order adjustment: the money actually refunded
    (``totalRefundedSet``, the sum of the refund's successful transactions) less what
    the lines, their tax, shipping and shipping tax come to; None when they agree. A
    refund that moved no money while returning lines has a negative adjustment of the
    whole amount, so ``Refund.total`` is always the money refunded.
    """
    total = money(node["totalRefundedSet"], currency)
    currency = total.currency
    lines = _merged(
        RefundLine(sku=(item.get("lineItem") or {}).get("sku") or "", quantity=int(item["quantity"]),
                   amount=money(item["subtotalSet"], currency), tax=money(item["totalTaxSet"], currency),
                   line_id=(item.get("lineItem") or {}).get("id"))
        for item in node["refundLineItems"]["nodes"]
    )
    ships = node["refundShippingLines"]["nodes"]
    shipping = Money.total((money(s["subtotalAmountSet"], currency) for s in ships), currency) if ships else None
    shipping_tax = Money.total((money(s["taxAmountSet"], currency) for s in ships), currency) if ships else None
    order = node.get("order") or {}
    extra: dict = {"gid": node["id"], "order_gid": order.get("id") or order_gid, "total_refunded": total}
    if "transactions" in node:
        extra["transactions"] = [
            {"id": t["id"], "kind": t["kind"], "status": t["status"], "gateway": t.get("gateway"),
             "amount": money(t["amountSet"], currency), "parent_id": (t.get("parentTransaction") or {}).get("id")}
            for t in node["transactions"]["nodes"]
        ]
    components = Refund(Channel("shopify"), "", "", currency, lines, shipping, shipping_tax).total
    rest = total - components
    return Refund(channel=Channel("shopify"), channel_order_id=str(order.get("legacyResourceId") or order_id),
                  refund_id=str(node["legacyResourceId"]), currency=currency, lines=lines,
                  shipping=shipping, shipping_tax=shipping_tax, adjustment=None if rest.is_zero() else rest,
                  note=node.get("note"), created_at=node.get("createdAt"), extra=extra)


def _merged(lines: Iterable[RefundLine]) -> tuple[RefundLine, ...]:
    """One refund line per order line: a line refunded partly shipped, partly not, comes back from
    Shopify as two refund line items (RETURN and CANCEL), and is one refunded line to NetSuite."""
    by_line: dict[object, RefundLine] = {}
    for line in lines:
        key = line.line_id or ("sku", line.sku)
        seen = by_line.get(key)
        by_line[key] = line if seen is None else RefundLine(
            sku=seen.sku, quantity=seen.quantity + line.quantity, amount=seen.amount + line.amount,
            tax=seen.tax + line.tax, line_id=seen.line_id)
    return tuple(by_line.values())


@dataclass(frozen=True)
class SuggestedTransaction:
    """One transaction Shopify suggests for a refund: refund ``amount`` against ``parent_id``."""

    gateway: str
    amount: Money
    parent_id: str | None


@dataclass(frozen=True)
class SuggestedRefund:
    """``Order.suggestedRefund``: what Shopify would refund for the given lines and shipping."""

    amount: Money
    subtotal: Money
    discounted_subtotal: Money
    tax: Money
    maximum_refundable: Money
    shipping: Money
    shipping_tax: Money
    shipping_maximum_refundable: Money
    lines: tuple[RefundLine, ...]
    transactions: tuple[SuggestedTransaction, ...] = field(default=())
    #: units of each order line (by line gid) not yet shipped: refunded with CANCEL, shipped ones with RETURN
    unfulfilled: Mapping[str, int] = field(default_factory=dict)
    #: units of each order line (by line gid) not yet refunded
    refundable: Mapping[str, int] = field(default_factory=dict)
    #: the order's presentment currency, the one its refunds are made in (``RefundInput.currency``)
    currency: str | None = None


def parse_suggested_refund(node: dict, order_lines: list[dict] | tuple = (),
                           currency: str | None = None) -> SuggestedRefund:
    """``order.suggestedRefund`` (``node``), with the order's lines' ``unfulfilledQuantity``."""
    ship = node["shipping"]
    return SuggestedRefund(
        currency=currency,
        unfulfilled={line["id"]: int(line["unfulfilledQuantity"]) for line in order_lines},
        refundable={line["id"]: int(line["refundableQuantity"]) for line in order_lines},
        amount=money(node["amountSet"]), subtotal=money(node["subtotalSet"]),
        discounted_subtotal=money(node["discountedSubtotalSet"]), tax=money(node["totalTaxSet"]),
        maximum_refundable=money(node["maximumRefundableSet"]), shipping=money(ship["amountSet"]),
        shipping_tax=money(ship["taxSet"]), shipping_maximum_refundable=money(ship["maximumRefundableSet"]),
        lines=tuple(RefundLine(sku=i["lineItem"].get("sku") or "", quantity=i["quantity"],
                               amount=money(i["subtotalSet"]), tax=money(i["totalTaxSet"]),
                               line_id=i["lineItem"]["id"]) for i in node["refundLineItems"]),
        transactions=tuple(SuggestedTransaction(gateway=t.get("gateway") or "", amount=money(t["amountSet"]),
                                                parent_id=(t.get("parentTransaction") or {}).get("id"))
                           for t in node["suggestedTransactions"]),
    )
