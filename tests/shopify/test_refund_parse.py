"""One reading of a Shopify ``Refund`` for the sync and the audit, with one adjustment rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from connectors.shopify import parse_refund
from syncproof.model import Money


def _bag(amount: str, currency: str | None = "USD") -> dict:
    shop = {"amount": amount}
    if currency:
        shop["currencyCode"] = currency
    return {"shopMoney": shop}


def _node(total: str, lines: list[tuple[str, int, str, str]], shipping: tuple[str, str] | None = None, *,
          lean: bool = False) -> dict:
    """A Refund node as the full read (``get_refund``) or the audit's lean read returns it."""
    cur = None if lean else "USD"
    node = {
        "id": "gid://shopify/Refund/77", "legacyResourceId": "77", "note": "damaged",
        "createdAt": "2026-11-20T10:00:00Z",
        "totalRefundedSet": _bag(total, cur),
        "refundLineItems": {"nodes": [
            {"quantity": qty, "lineItem": {"sku": sku} if lean else {"sku": sku, "id": f"gid://shopify/LineItem/{n}"},
             "subtotalSet": _bag(amount, cur), "totalTaxSet": _bag(tax, cur)}
            for n, (sku, qty, amount, tax) in enumerate(lines)]},
        "refundShippingLines": {"nodes": [] if shipping is None else [
            {"subtotalAmountSet": _bag(shipping[0], cur), "taxAmountSet": _bag(shipping[1], cur)}]},
    }
    if not lean:
        node["order"] = {"id": "gid://shopify/Order/5", "legacyResourceId": "5"}
        node["transactions"] = {"nodes": [] if Decimal(total) == 0 else [
            {"id": "gid://shopify/OrderTransaction/9", "kind": "REFUND", "status": "SUCCESS", "gateway": "manual",
             "amountSet": _bag(total), "parentTransaction": {"id": "gid://shopify/OrderTransaction/1"}}]}
    return node


def _parse(node: dict, lean: bool):
    if lean:
        return parse_refund(node, order_id="5", order_gid="gid://shopify/Order/5", currency="USD")
    return parse_refund(node)


@pytest.mark.parametrize("lean", [False, True], ids=["full read", "audit read"])
def test_a_refund_whose_money_is_its_lines_and_shipping_has_no_adjustment(lean):
    refund = _parse(_node("22.62", [("SP-MUG-01", 1, "14.50", "2.32")], ("5.00", "0.80"), lean=lean), lean)
    assert refund.adjustment is None
    assert refund.total == Money("22.62", "USD")
    assert (refund.channel_order_id, refund.refund_id) == ("5", "77")
    assert refund.shipping == Money("5.00", "USD") and refund.shipping_tax == Money("0.80", "USD")


@pytest.mark.parametrize("lean", [False, True], ids=["full read", "audit read"])
@pytest.mark.parametrize("total, adjustment", [("20.00", "-2.62"), ("25.00", "2.38")])
def test_money_refunded_beyond_or_short_of_the_lines_is_the_adjustment(lean, total, adjustment):
    """shopify.dev, Admin GraphQL, object OrderAdjustment: "An order adjustment accounts for the difference
    between a calculated and actual refund amount"; the actual amount is Refund.totalRefundedSet."""
    refund = _parse(_node(total, [("SP-MUG-01", 1, "14.50", "2.32")], ("5.00", "0.80"), lean=lean), lean)
    assert refund.adjustment == Money(adjustment, "USD")
    assert refund.total == Money(total, "USD")


@pytest.mark.parametrize("lean", [False, True], ids=["full read", "audit read"])
def test_a_refund_that_moved_no_money_adjusts_its_lines_away(lean):
    """Lines returned with no refund transaction: totalRefundedSet is zero, so the refund's total is zero too."""
    refund = _parse(_node("0.00", [("SP-MUG-01", 1, "14.50", "2.32")], lean=lean), lean)
    assert refund.adjustment == Money("-16.82", "USD")
    assert refund.total.is_zero()
    assert refund.lines[0].amount == Money("14.50", "USD")


def test_the_full_read_keeps_line_ids_and_transactions():
    refund = parse_refund(_node("16.82", [("SP-MUG-01", 1, "14.50", "2.32")]))
    assert refund.lines[0].line_id == "gid://shopify/LineItem/0"
    assert [t["amount"] for t in refund.extra["transactions"]] == [Money("16.82", "USD")]
    assert refund.extra["order_gid"] == "gid://shopify/Order/5"
