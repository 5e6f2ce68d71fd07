"""Records seen through the GraphQL schema: one small view class per Shopify type.

graphql-core's default resolver reads an attribute named like the field and, when it
is a method, calls it with ``(info, **arguments)``; so plain properties serve simple
fields and methods serve fields with arguments (``lineItems(first:, after:)``).
"""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

from graphql import GraphQLError

from .models import (
    Currencies,
    LineItemRecord,
    OrderRecord,
    PricedRefund,
    RefundRecord,
    ShippingLineRecord,
    ShopifyBackend,
    TaxLineRecord,
    TransactionRecord,
    UserInputError,
    gid,
)

__all__ = ["money_bag", "connection", "page_connection", "check_page_size", "decode_cursor", "ShopView",
           "OrderView", "RefundView", "order_view"]

MAX_PAGE = 250


def money_bag(amount: Decimal, currency: str | Currencies) -> dict:
    """A ``MoneyBag``: "presentmentMoney: Amount in presentment currency. shopMoney: Amount in shop
    currency" (shopify.dev, ``MoneyBag``). The amount is the presentment one; a single currency
    (a ``str``) makes both the same."""
    both = Currencies(currency, currency) if isinstance(currency, str) else currency
    return {"shopMoney": {"amount": both.shop_amount(amount), "currencyCode": both.shop},
            "presentmentMoney": {"amount": amount, "currencyCode": both.presentment}}


def encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).decode()


def decode_cursor(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        raise GraphQLError(f"Invalid cursor for current pagination sort: {cursor!r}") from None


def check_page_size(first: int | None, field: str) -> None:
    """Refuse a connection read without ``first``, or with more than MAX_PAGE, as Shopify does."""
    if first is None:
        raise GraphQLError(f"you must provide one of first or last for {field}")
    if first < 0 or first > MAX_PAGE:
        raise GraphQLError(f"first cannot exceed {MAX_PAGE}" if first > MAX_PAGE else "first cannot be negative")


def page_connection(page: list, key, *, has_next: bool, has_previous: bool) -> dict:
    """A Relay connection holding one page (``key(item)`` gives each cursor's content)."""
    edges = [{"cursor": encode_cursor(key(item)), "node": item} for item in page]
    return {
        "edges": edges,
        "nodes": page,
        "pageInfo": {
            "hasNextPage": has_next,
            "hasPreviousPage": has_previous,
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
    }


def bulk_read(info: Any) -> bool:
    """Whether the query runs as a bulk operation: every connection then holds all its nodes."""
    context = getattr(info, "context", None)
    return isinstance(context, dict) and bool(context.get("bulk"))


def connection(items: list, key, first: int | None, after: str | None, *, field: str, info: Any = None) -> dict:
    """A Relay connection over ``items`` (``key(item)`` gives each cursor's content); in a bulk
    operation, all of them."""
    if bulk_read(info):
        return page_connection(items, key, has_next=False, has_previous=False)
    check_page_size(first, field)
    assert first is not None
    start = 0
    if after:
        wanted = decode_cursor(after)
        keys = [key(item) for item in items]
        if wanted not in keys:
            raise GraphQLError(f"Invalid cursor for current pagination sort: {after!r}")
        start = keys.index(wanted) + 1
    return page_connection(items[start:start + first], key, has_next=start + first < len(items),
                           has_previous=start > 0)


class ShopView:
    def __init__(self, backend: ShopifyBackend) -> None:
        self.id = "gid://shopify/Shop/1"
        self.name = backend.shop_name
        self.currencyCode = backend.currency
        self.myshopifyDomain = backend.domain


def tax_line(tax: TaxLineRecord, currency: str | Currencies) -> dict:
    return {"title": tax.title, "rate": float(tax.rate), "ratePercentage": float(tax.rate * 100),
            "priceSet": money_bag(tax.price, currency)}


class LineItemView:
    def __init__(self, line: LineItemRecord, currency: str | Currencies) -> None:
        self._line, self._currency = line, currency
        self.id = gid("LineItem", line.id)
        self.title = line.title
        self.name = line.title
        self.sku = line.sku
        self.quantity = line.quantity
        self.currentQuantity = line.refundable_quantity
        self.refundableQuantity = line.refundable_quantity
        self.unfulfilledQuantity = line.unfulfilled_quantity
        self.requiresShipping = line.requires_shipping
        bag = lambda amount: money_bag(amount, currency)  # noqa: E731
        self.originalUnitPriceSet = bag(line.price)
        self.originalTotalSet = bag(line.original_total)
        self.totalDiscountSet = bag(line.discount)
        self.discountedTotalSet = bag(line.net_total)
        self.discountedUnitPriceAfterAllDiscountsSet = bag(
            line.net_total / line.quantity if line.quantity else Decimal(0)
        )
        self.discountAllocations = [{"allocatedAmountSet": bag(line.discount)}] if line.discount else []

    def taxLines(self, info, first: int | None = None) -> list[dict]:
        taxes = [tax_line(t, self._currency) for t in self._line.tax_lines]
        return taxes[:first] if first is not None else taxes


def shipping_line_view(line: ShippingLineRecord | None, currency: str | Currencies) -> dict | None:
    if line is None:
        return None
    return {"id": gid("ShippingLine", line.id), "title": line.title, "code": line.code,
            "originalPriceSet": money_bag(line.price, currency),
            "discountedPriceSet": money_bag(line.price, currency),
            "taxLines": [tax_line(t, currency) for t in line.tax_lines]}


class TransactionView:
    def __init__(self, tx: TransactionRecord, order: OrderRecord, backend: ShopifyBackend | None) -> None:
        self._tx, self._order, self._backend = tx, order, backend
        self.id = gid("OrderTransaction", tx.id)
        self.kind = tx.kind
        self.status = tx.status
        self.gateway = tx.gateway
        self.amountSet = money_bag(tx.amount, order.currencies)
        self.createdAt = tx.created_at
        self.processedAt = tx.created_at
        self.test = tx.test

    @property
    def parentTransaction(self):
        if self._tx.parent_id is None:
            return None
        parent = next((t for t in self._order.transactions if t.id == self._tx.parent_id), None)
        return TransactionView(parent, self._order, self._backend) if parent else None


class RefundView:
    def __init__(self, refund: RefundRecord, order: OrderRecord, backend: ShopifyBackend) -> None:
        self._refund, self._order, self._backend = refund, order, backend
        self.id = gid("Refund", refund.id)
        self.legacyResourceId = str(refund.id)
        self.note = refund.note
        self.createdAt = refund.created_at
        self.updatedAt = refund.created_at
        txs = self._transactions()
        self.totalRefundedSet = money_bag(sum((t.amount for t in txs), Decimal(0)), order.currencies)

    def _transactions(self) -> list[TransactionRecord]:
        return [t for t in self._order.transactions if t.id in self._refund.transaction_ids]

    @property
    def order(self):
        return OrderView(self._order, self._backend)

    def refundLineItems(self, info, first: int | None = None, after: str | None = None) -> dict:
        lines = {line.id: line for line in self._order.lines}
        cur = self._order.currencies
        items = [{
            "id": gid("RefundLineItem", r.id),
            "lineItem": LineItemView(lines[r.line_item_id], cur),
            "quantity": r.quantity, "restockType": r.restock_type,
            "restocked": r.restock_type in ("RETURN", "CANCEL", "LEGACY_RESTOCK"),
            "priceSet": money_bag(r.unit_price, cur), "subtotalSet": money_bag(r.subtotal, cur),
            "totalTaxSet": money_bag(r.tax, cur),
        } for r in self._refund.lines]
        return connection(items, lambda item: item["id"], first, after, field="refundLineItems", info=info)

    def refundShippingLines(self, info, first: int | None = None, after: str | None = None) -> dict:
        cur = self._order.currencies
        items = [{
            "id": gid("RefundShippingLine", s.id),
            "shippingLine": shipping_line_view(self._order.shipping_line, cur),
            "subtotalAmountSet": money_bag(s.subtotal, cur), "taxAmountSet": money_bag(s.tax, cur),
        } for s in self._refund.shipping]
        return connection(items, lambda item: item["id"], first, after, field="refundShippingLines", info=info)

    def transactions(self, info, first: int | None = None, after: str | None = None) -> dict:
        items = [TransactionView(t, self._order, self._backend) for t in self._transactions()]
        return connection(items, lambda item: item.id, first, after, field="transactions", info=info)


class SuggestedRefundView:
    def __init__(self, priced: PricedRefund) -> None:
        order, cur = priced.order, priced.order.currencies
        bag = lambda amount: money_bag(amount, cur)  # noqa: E731
        self.amountSet = bag(priced.amount)
        self.subtotalSet = bag(priced.subtotal)
        self.discountedSubtotalSet = bag(priced.discounted_subtotal)
        self.totalCartDiscountAmountSet = bag(priced.cart_discount)
        self.totalTaxSet = bag(priced.tax)
        self.maximumRefundableSet = bag(order.refundable_amount)
        self.shipping = {"amountSet": bag(priced.shipping), "taxSet": bag(priced.shipping_tax),
                         "maximumRefundableSet": bag(priced.shipping_refundable)}
        self.refundLineItems = [{
            "id": None, "lineItem": LineItemView(p.line, cur), "quantity": p.quantity,
            "restockType": p.restock_type, "restocked": False,
            "priceSet": bag(p.line.price), "subtotalSet": bag(p.subtotal), "totalTaxSet": bag(p.tax),
        } for p in priced.lines]
        self._priced = priced

    def suggestedTransactions(self, info) -> list[dict]:
        order = self._priced.order
        return [{"kind": "SUGGESTED_REFUND", "gateway": parent.gateway,
                 "amountSet": money_bag(amount, order.currencies),
                 "maximumRefundableSet": money_bag(room, order.currencies),
                 "parentTransaction": TransactionView(parent, order, None)}
                for parent, amount, room in self._priced.suggested_transactions()]


class OrderView:
    def __init__(self, order: OrderRecord, backend: ShopifyBackend) -> None:
        self._order, self._backend = order, backend
        cur = order.currencies
        bag = lambda amount: money_bag(amount, cur)  # noqa: E731
        self.id = gid("Order", order.id)
        self.legacyResourceId = str(order.id)
        self.name = order.name
        self.email = order.email
        self.note = order.note
        self.test = order.test
        self.createdAt = order.created_at
        self.updatedAt = order.updated_at
        self.processedAt = order.processed_at
        self.currencyCode = cur.shop
        self.presentmentCurrencyCode = cur.presentment
        self.displayFinancialStatus = order.financial_status
        self.taxesIncluded = False
        self.subtotalLineItemsQuantity = sum(line.quantity for line in order.lines)
        self.subtotalPriceSet = bag(order.subtotal)
        self.totalDiscountsSet = bag(order.total_discounts)
        self.totalShippingPriceSet = bag(order.shipping_price)
        self.totalTaxSet = bag(order.total_tax)
        self.totalPriceSet = bag(order.total_price)
        self.totalReceivedSet = bag(order.total_received)
        self.totalRefundedSet = bag(order.total_refunded)
        self.totalRefundedShippingSet = bag(order.refunded_shipping)
        self.netPaymentSet = bag(order.total_received - order.total_refunded)
        self.currentSubtotalPriceSet = bag(order.subtotal - order.refunded_line_subtotal)
        self.currentTotalTaxSet = bag(order.total_tax - order.refunded_tax)
        self.currentTotalPriceSet = bag(order.total_price - order.refunded_line_subtotal
                                        - order.refunded_tax - order.refunded_shipping)
        self.shippingLine = shipping_line_view(order.shipping_line, cur)

    @property
    def taxLines(self) -> list[dict]:
        """Tax lines summed by title and rate across line items and shipping, like REST ``tax_lines``."""
        sums: dict[tuple, TaxLineRecord] = {}
        sources = [line.tax_lines for line in self._order.lines]
        if self._order.shipping_line:
            sources.append(self._order.shipping_line.tax_lines)
        for taxes in sources:
            for tax in taxes:
                key = (tax.title, tax.rate)
                if key in sums:
                    sums[key] = TaxLineRecord(tax.title, tax.rate, sums[key].price + tax.price)
                else:
                    sums[key] = TaxLineRecord(tax.title, tax.rate, tax.price)
        return [tax_line(t, self._order.currencies) for t in sums.values()]

    def lineItems(self, info, first: int | None = None, after: str | None = None) -> dict:
        items = [LineItemView(line, self._order.currencies) for line in self._order.lines]
        return connection(items, lambda item: item.id, first, after, field="lineItems", info=info)

    def refunds(self, info, first: int | None = None) -> list[RefundView]:
        refunds = [RefundView(r, self._order, self._backend) for r in self._order.refunds]
        return refunds[:first] if first is not None else refunds

    def transactions(self, info, first: int | None = None) -> list[TransactionView]:
        txs = [TransactionView(t, self._order, self._backend) for t in self._order.transactions]
        return txs[:first] if first is not None else txs

    def suggestedRefund(self, info, refundLineItems=None, refundShipping=None, shippingAmount=None,
                        suggestFullRefund=False) -> SuggestedRefundView:
        shipping = None
        if shippingAmount is not None:
            shipping = {"amount": shippingAmount}
        elif refundShipping:
            shipping = {"fullRefund": True}
        try:
            with self._backend.lock:
                priced = self._backend.price_refund(self._order, refundLineItems or [], shipping,
                                                    clamp=True, full=bool(suggestFullRefund))
        except UserInputError as exc:
            raise GraphQLError(str(exc)) from None
        return SuggestedRefundView(priced)


def order_view(order: OrderRecord | None, backend: ShopifyBackend) -> OrderView | None:
    return OrderView(order, backend) if order is not None else None
