"""Builders for the JSON shapes SP-API returns, as the emulator stores them.

Orders v0 money is ``{"CurrencyCode": "USD", "Amount": "10.00"}`` (a string).
Finances 2024-06-19 money is ``{"currencyCode": "USD", "currencyAmount": 10.0}``
(a number; kept here as a Decimal). Finances amounts are signed from the
seller's side: what the buyer paid is positive on a ``Shipment`` and negative on
a ``Refund``; fees Amazon charges are negative, fees it gives back are positive.

A transaction's items each carry a breakdown tree shaped like the live API's::

    ProductCharges -> OurPricePrincipal
    Promotion      -> OurPriceDiscount, ShippingDiscount
    Shipping       -> ShippingPrincipal
    Tax            -> OurPriceTax, ShippingTax
    AmazonFees     -> Commission, RefundCommission   (each -> Base)

and the transaction itself a summary: ``Sales`` (the charges by category) and
``Expenses`` (``AmazonFees``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable

from syncproof.model import MINOR_UNITS

__all__ = [
    "quantize",
    "money_v0",
    "currency_amount",
    "breakdown",
    "transaction_item",
    "summary_breakdowns",
    "MARKETPLACE_NAMES",
]

MARKETPLACE_NAMES = {
    "ATVPDKIKX0DER": "Amazon.com",
    "A2EUQ1WTGCTBG2": "Amazon.ca",
    "A1F83G8C2ARO7P": "Amazon.co.uk",
    "A1PA6795UKMFR9": "Amazon.de",
    "A13V1IB3VIYZZH": "Amazon.fr",
    "A1VC38T7YXB528": "Amazon.co.jp",
}

_CHARGE_CATEGORIES = ("ProductCharges", "Promotion", "Shipping", "Tax")


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor unit."""
    exponent = MINOR_UNITS.get(currency, 2)
    return amount.quantize(Decimal(1).scaleb(-exponent), rounding=ROUND_HALF_UP)


def money_v0(amount: Decimal, currency: str) -> dict[str, str]:
    """Orders v0 ``Money``: the amount as a string."""
    return {"CurrencyCode": currency, "Amount": str(quantize(amount, currency))}


def currency_amount(amount: Decimal, currency: str) -> dict[str, Any]:
    """Finances 2024-06-19 ``Currency``: the amount as a number."""
    return {"currencyCode": currency, "currencyAmount": quantize(amount, currency)}


def breakdown(kind: str, amount: Decimal, currency: str,
              children: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
    return {"breakdownType": kind, "breakdownAmount": currency_amount(amount, currency),
            "breakdowns": list(children)}


def _category(kind: str, leaves: list[tuple[str, Decimal]], currency: str) -> dict[str, Any] | None:
    leaves = [(name, amount) for name, amount in leaves if amount]
    if not leaves:
        return None
    total = sum((amount for _, amount in leaves), Decimal(0))
    return breakdown(kind, total, currency, [breakdown(name, amount, currency) for name, amount in leaves])


def _fee(kind: str, amount: Decimal, currency: str) -> dict[str, Any]:
    return breakdown(kind, amount, currency, [breakdown("Base", amount, currency)])


def transaction_item(
    *, currency: str, sku: str, asin: str, title: str, quantity: int, adjustment_item_id: str,
    principal: Decimal, item_promotion: Decimal, shipping: Decimal, shipping_promotion: Decimal,
    tax: Decimal, shipping_tax: Decimal, fees: list[tuple[str, Decimal]],
) -> dict[str, Any]:
    """One ``Item`` of a transaction. Every amount is already signed."""
    categories = [
        _category("ProductCharges", [("OurPricePrincipal", principal)], currency),
        _category("Promotion", [("OurPriceDiscount", item_promotion),
                                ("ShippingDiscount", shipping_promotion)], currency),
        _category("Shipping", [("ShippingPrincipal", shipping)], currency),
        _category("Tax", [("OurPriceTax", tax), ("ShippingTax", shipping_tax)], currency),
    ]
    fee_nodes = [_fee(name, amount, currency) for name, amount in fees if amount]
    if fee_nodes:
        total_fees = sum((amount for _, amount in fees), Decimal(0))
        categories.append(breakdown("AmazonFees", total_fees, currency, fee_nodes))
    nodes = [node for node in categories if node is not None]
    total = sum((node["breakdownAmount"]["currencyAmount"] for node in nodes), Decimal(0))
    return {
        "description": title,
        "totalAmount": currency_amount(total, currency),
        "relatedIdentifiers": [{"itemRelatedIdentifierName": "ORDER_ADJUSTMENT_ITEM_ID",
                                "itemRelatedIdentifierValue": adjustment_item_id}],
        "breakdowns": nodes,
        "contexts": [{"contextType": "ProductContext", "asin": asin, "sku": sku,
                      "quantityShipped": quantity, "fulfillmentNetwork": "MFN"}],
    }


def summary_breakdowns(items: list[dict[str, Any]], currency: str) -> list[dict[str, Any]]:
    """The transaction-level ``Sales`` / ``Expenses`` summary of its items."""
    by_kind: dict[str, Decimal] = {}
    for item in items:
        for node in item["breakdowns"]:
            kind = node["breakdownType"]
            by_kind[kind] = by_kind.get(kind, Decimal(0)) + node["breakdownAmount"]["currencyAmount"]
    sales = [(kind, by_kind[kind]) for kind in _CHARGE_CATEGORIES if kind in by_kind]
    expenses = [("AmazonFees", by_kind["AmazonFees"])] if "AmazonFees" in by_kind else []
    result = []
    for kind, parts in (("Sales", sales), ("Expenses", expenses)):
        if parts:
            total = sum((amount for _, amount in parts), Decimal(0))
            result.append(breakdown(kind, total, currency, [breakdown(k, a, currency) for k, a in parts]))
    return result
