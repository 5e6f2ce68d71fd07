"""Finances 2024-06-19 transactions, and how a ``Refund`` transaction becomes a domain :class:`Refund`.

A transaction (``listTransactions``) has ``transactionType`` (``Shipment``,
``Refund``, ``ServiceFee``...), ``relatedIdentifiers`` (``ORDER_ID``,
``REFUND_ID``, ``SHIPMENT_ID``, ``FINANCIAL_EVENT_GROUP_ID``...), a signed
``totalAmount`` and ``items``; each item has a ``ProductContext`` (``sku``,
``quantityShipped``), ``ORDER_ADJUSTMENT_ITEM_ID`` and a breakdown tree::

    ProductCharges -> OurPricePrincipal          Promotion -> OurPriceDiscount, ShippingDiscount
    Shipping       -> ShippingPrincipal          Tax       -> OurPriceTax, ShippingTax
    AmazonFees     -> Commission, RefundCommission, ... (each -> Base, Tax)

**Signs.** Amounts are signed from the seller's account: on a ``Refund`` what goes
back to the buyer is negative (principal, shipping, tax) and promotions are
positive (the discount the buyer had is not paid back). The domain
:class:`Refund` holds what the *buyer* got back as positive amounts, so every
buyer-facing amount is negated: line amount = -(principal + item promotion),
shipping = -(shipping + shipping promotion), tax = -tax. Fees are not part of
the buyer's refund; they stay signed as Amazon reports them (Commission given
back +, RefundCommission charged -) in ``Refund.extra["fees"]``. Marketplace
facilitator tax withheld is kept in ``extra["withheld_tax"]``; any other charge
(gift wrap...) goes to ``Refund.adjustment``.

**Status.** ``transactionStatus`` (finances_2024-06-19.json, ``Transaction``) is
``DEFERRED`` (the money is held, not yet released to the seller), ``RELEASED`` or
``DEFERRED_RELEASED`` (deferred once, released since); the model's own example writes
``Released``, so it is compared without case. ``Refund.extra["transaction_status"]``
keeps it and ``extra["released"]`` says whether the money has moved.

**Identity.** ``refund_id`` is the ``REFUND_ID`` related identifier when present,
else ``transactionId`` (stable for a posted transaction), else ``ORDER_ID`` plus
the sorted ``ORDER_ADJUSTMENT_ITEM_ID``s (what the settlement report's
adjustment rows carry). ``extra`` also keeps ``transaction_id`` and
``adjustment_item_ids`` so settlement rows can be matched either way.

Breakdown names are compared without spaces and case (the model's own example
writes ``Product Charges``/``Principle``, the live API ``ProductCharges``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

from syncproof.model import Channel, Money, Refund, RefundLine

__all__ = ["FinanceTransaction", "transaction_from_json", "refund_from_transaction"]

_FEE_CATEGORIES = {"amazonfees", "fbafees", "fees", "expenses", "otherfees"}
_PRINCIPAL = {"ourpriceprincipal", "principal", "principle", "productcharges", "itemprice"}
_ITEM_PROMO = {"ourpricediscount", "principalpromo", "promotion", "promotions", "promorebates"}
_SHIPPING = {"shippingprincipal", "shippingcharge", "shipping"}
_SHIPPING_PROMO = {"shippingdiscount", "shippingpromo", "shippingpromotion"}
_TAX = {"ourpricetax", "tax", "itemtax", "principaltax"}
_SHIPPING_TAX = {"shippingtax"}
_WITHHELD_PREFIXES = ("marketplacefacilitatortax", "lowvaluegoodstax", "marketplacefacilitatorvat")


def _norm(name: Any) -> str:
    return "".join(str(name or "").split()).lower()


def _amount(node: Any) -> tuple[Decimal, str | None]:
    if not isinstance(node, dict):
        return Decimal(0), None
    value = node.get("currencyAmount")
    if value is None:
        return Decimal(0), node.get("currencyCode")
    if isinstance(value, float):  # parsed without parse_float=Decimal: take the shortest repr
        value = repr(value)
    return Decimal(str(value)), node.get("currencyCode")


def _children(node: dict[str, Any]) -> list[dict[str, Any]]:
    kids = node.get("breakdowns")
    if isinstance(kids, dict):  # the model's example nests {"breakdowns": [...]}
        kids = kids.get("breakdowns")
    return [k for k in (kids or []) if isinstance(k, dict)]


@dataclass(frozen=True)
class FinanceTransaction:
    """One Finances 2024-06-19 transaction, with its raw JSON kept in ``raw``."""

    transaction_id: str
    transaction_type: str
    description: str
    status: str
    posted_date: str
    total: Money | None
    marketplace_id: str | None
    related: dict[str, list[str]]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def deferred(self) -> bool:
        """DEFERRED: posted, but the money is not yet released to the seller's account."""
        return self.status == "DEFERRED"

    @property
    def order_id(self) -> str | None:
        values = self.related.get("ORDER_ID")
        return values[0] if values else None


def transaction_from_json(raw: dict[str, Any]) -> FinanceTransaction:
    related: dict[str, list[str]] = {}
    for ident in raw.get("relatedIdentifiers") or []:
        related.setdefault(str(ident.get("relatedIdentifierName")), []).append(str(ident.get("relatedIdentifierValue")))
    amount, currency = _amount(raw.get("totalAmount"))
    marketplace = (raw.get("marketplaceDetails") or {}).get("marketplaceId") \
        or (raw.get("sellingPartnerMetadata") or {}).get("marketplaceId")
    return FinanceTransaction(
        transaction_id=str(raw.get("transactionId") or ""),
        transaction_type=str(raw.get("transactionType") or ""),
        description=str(raw.get("description") or ""),
        status=str(raw.get("transactionStatus") or "").upper(),
        posted_date=str(raw.get("postedDate") or ""),
        total=Money(amount, currency) if currency else None,
        marketplace_id=marketplace,
        related=related,
        raw=raw,
    )


@dataclass
class _Sums:
    principal: Decimal = Decimal(0)
    item_promo: Decimal = Decimal(0)
    shipping: Decimal = Decimal(0)
    shipping_promo: Decimal = Decimal(0)
    tax: Decimal = Decimal(0)
    shipping_tax: Decimal = Decimal(0)
    withheld: Decimal = Decimal(0)
    other: Decimal = Decimal(0)
    fees: dict[str, Decimal] = field(default_factory=dict)

    def leaf(self, category: str, name: str, amount: Decimal) -> None:
        if name.startswith(_WITHHELD_PREFIXES):
            self.withheld += amount
        elif name in _SHIPPING_TAX:
            self.shipping_tax += amount
        elif name in _SHIPPING_PROMO:
            self.shipping_promo += amount
        elif name in _ITEM_PROMO or category in _ITEM_PROMO:
            self.item_promo += amount
        elif name in _SHIPPING:
            self.shipping += amount
        elif name in _TAX:
            self.tax += amount
        elif name in _PRINCIPAL:
            self.principal += amount
        else:
            self.other += amount


def _walk(sums: _Sums, nodes: Iterable[dict[str, Any]]) -> None:
    for top in nodes:
        category = _norm(top.get("breakdownType"))
        if category in _FEE_CATEGORIES:
            fees = _children(top) or [top]
            for fee in fees:
                name = str(fee.get("breakdownType") or "Fee")
                sums.fees[name] = sums.fees.get(name, Decimal(0)) + _amount(fee.get("breakdownAmount"))[0]
            continue
        leaves = _children(top) or [top]
        for leaf in leaves:
            sums.leaf(category, _norm(leaf.get("breakdownType")), _amount(leaf.get("breakdownAmount"))[0])


def _sku_and_quantity(item: dict[str, Any]) -> tuple[str, int]:
    for context in item.get("contexts") or []:
        if isinstance(context, dict) and (context.get("sku") or context.get("contextType") == "ProductContext"):
            return str(context.get("sku") or ""), int(context.get("quantityShipped") or 0)
    return "", 0


def refund_from_transaction(raw: dict[str, Any]) -> Refund:
    """Map a ``Refund`` transaction to the buyer-facing domain refund (see module docstring)."""
    transaction = transaction_from_json(raw)
    currency = transaction.total.currency if transaction.total else "USD"
    order_id = transaction.order_id or ""
    lines: dict[str, dict[str, Any]] = {}
    refund_sums = _Sums()
    adjustment_ids: list[str] = []
    items = [i for i in raw.get("items") or [] if isinstance(i, dict)]
    for item in items:
        for ident in item.get("relatedIdentifiers") or []:
            if ident.get("itemRelatedIdentifierName") == "ORDER_ADJUSTMENT_ITEM_ID":
                adjustment_ids.append(str(ident.get("itemRelatedIdentifierValue")))
        sku, quantity = _sku_and_quantity(item)
        sums = _Sums()
        breakdowns = _children(item)
        if breakdowns:
            _walk(sums, breakdowns)
        else:  # items without breakdowns: the item total is its principal
            sums.principal = _amount(item.get("totalAmount"))[0]
        line = lines.setdefault(sku, {"quantity": 0, "amount": Decimal(0), "tax": Decimal(0)})
        line["quantity"] += quantity
        line["amount"] += -(sums.principal + sums.item_promo)
        line["tax"] += -sums.tax
        for name in ("shipping", "shipping_promo", "shipping_tax", "withheld", "other"):
            setattr(refund_sums, name, getattr(refund_sums, name) + getattr(sums, name))
        for name, value in sums.fees.items():
            refund_sums.fees[name] = refund_sums.fees.get(name, Decimal(0)) + value
    if not items:  # no items at all: only the transaction summary is known
        _walk(refund_sums, _children(raw))

    money = lambda amount: Money(amount, currency)  # noqa: E731
    shipping = -(refund_sums.shipping + refund_sums.shipping_promo)
    shipping_tax = -refund_sums.shipping_tax
    refund_ids = transaction.related.get("REFUND_ID") or [""]
    refund_id = refund_ids[0] or transaction.transaction_id or f"{order_id}:{'+'.join(sorted(adjustment_ids))}"
    return Refund(
        channel=Channel("amazon"),
        channel_order_id=order_id,
        refund_id=refund_id,
        currency=currency,
        lines=tuple(RefundLine(sku=sku, quantity=v["quantity"], amount=money(v["amount"]), tax=money(v["tax"]))
                    for sku, v in lines.items()),
        shipping=money(shipping) if shipping else None,
        shipping_tax=money(shipping_tax) if shipping_tax else None,
        adjustment=money(-refund_sums.other) if refund_sums.other else None,
        note=transaction.description or None,
        created_at=transaction.posted_date or None,
        extra={
            "transaction_id": transaction.transaction_id,
            "adjustment_item_ids": adjustment_ids,
            "fees": {name: money(value) for name, value in refund_sums.fees.items()},
            "withheld_tax": money(refund_sums.withheld),
            "settlement_total": transaction.total,  # signed: what the refund moved in the seller's account
            "transaction_status": transaction.status,
            "released": not transaction.deferred,
            "related": transaction.related,
        },
    )
