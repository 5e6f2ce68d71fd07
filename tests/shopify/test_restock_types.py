"""Restock types follow each line's fulfilment, in the emulator and in what the connector sends.

Source: shopify.dev, GraphQL Admin API, enum ``RefundLineItemRestockType``
(https://shopify.dev/docs/api/admin-graphql/latest/enums/RefundLineItemRestockType):
CANCEL "The refund line item was canceled. Use this when restocking unfulfilled line items.";
RETURN "The refund line item was returned. Use this when restocking line items that were
fulfilled."; NO_RESTOCK "Refund line item was not restocked."; LEGACY_RESTOCK "This value is not
accepted when creating new refunds". ``RefundLineItemInput.restockType`` is listed with no default
(input object ``RefundLineItemInput``, where defaulted fields show "Default:").
"""

from __future__ import annotations

import pytest

from connectors.shopify import refund_line_inputs
from sandbox.shopify import UserInputError, gid
from sandbox.shopify._schema import load_schema

from ._helpers import sample_lines

pytestmark = pytest.mark.integration


def _refund_input(order, line, quantity, restock):
    entry = {"lineItemId": gid("LineItem", line.id), "quantity": quantity}
    if restock is not None:
        entry["restockType"] = restock
    return {"orderId": gid("Order", order.id), "refundLineItems": [entry]}


def _record(backend, order):
    return backend.order(int(order.channel_order_id))


def test_the_schema_declares_no_default_restock_type():
    field = load_schema().type_map["RefundLineItemInput"].fields["restockType"]
    assert field.default_value is not None and repr(field.default_value) == "Undefined"


def test_return_is_refused_on_an_unfulfilled_line_and_cancel_on_a_fulfilled_one(backend, client):
    """RETURN is for fulfilled lines, CANCEL for unfulfilled ones (``RefundLineItemRestockType``).
    The refusal's wording is the emulator's: no published Shopify error text was found."""
    unshipped = _record(backend, client.create_order(sample_lines()))
    shipped = _record(backend, client.create_order(sample_lines(), fulfilled=True))

    with pytest.raises(UserInputError) as refused:
        backend.create_refund(_refund_input(unshipped, unshipped.lines[0], 1, "RETURN"))
    assert refused.value.errors[0][0] == ["refundLineItems", "0", "restockType"]
    assert "RETURN is for fulfilled items" in refused.value.errors[0][1]
    with pytest.raises(UserInputError, match="CANCEL is for unfulfilled items"):
        backend.create_refund(_refund_input(shipped, shipped.lines[0], 1, "CANCEL"))

    backend.create_refund(_refund_input(unshipped, unshipped.lines[0], 1, "CANCEL"))
    backend.create_refund(_refund_input(shipped, shipped.lines[0], 1, "RETURN"))
    assert [r.lines[0].restock_type for r in (unshipped.refunds[0], shipped.refunds[0])] == ["CANCEL", "RETURN"]


def test_fulfilment_is_tracked_per_line(backend, client):
    order = _record(backend, client.create_order(sample_lines()))  # MUG-1 x2, TEE-1 x1
    mug, tee = order.lines
    backend.fulfil(order.id, {mug.id: 1})

    assert (mug.unfulfilled_quantity, tee.unfulfilled_quantity) == (1, 1)
    with pytest.raises(UserInputError, match="has 1 unfulfilled unit"):
        backend.create_refund(_refund_input(order, mug, 2, "CANCEL"))
    backend.create_refund(_refund_input(order, mug, 1, "CANCEL"))
    assert mug.unfulfilled_quantity == 0
    with pytest.raises(UserInputError, match="has 0 unfulfilled unit"):
        backend.create_refund(_refund_input(order, mug, 1, "CANCEL"))
    backend.create_refund(_refund_input(order, mug, 1, "RETURN"))  # the shipped unit
    assert mug.refundable_quantity == 0


def test_a_refund_without_a_restock_type_does_not_restock(backend, client):
    """No default is declared; the emulator records such a refund as NO_RESTOCK (not confirmed)."""
    order = _record(backend, client.create_order(sample_lines()))
    refund = backend.create_refund(_refund_input(order, order.lines[0], 1, None))
    assert refund.lines[0].restock_type == "NO_RESTOCK"


def test_the_connector_cancels_unshipped_units_and_returns_shipped_ones(backend, client):
    unshipped = client.create_order(sample_lines())
    shipped = client.create_order(sample_lines(), fulfilled=True)
    partly = client.create_order(sample_lines())
    mug = _record(backend, partly).lines[0]
    backend.fulfil(int(partly.channel_order_id), {mug.id: 1})

    for order in (unshipped, shipped, partly):
        client.create_refund(order.channel_ref, {order.lines[0].line_id: 2})

    kinds = [[(r.restock_type, r.quantity) for r in _record(backend, o).refunds[0].lines]
             for o in (unshipped, shipped, partly)]
    assert kinds == [[("CANCEL", 2)], [("RETURN", 2)], [("CANCEL", 1), ("RETURN", 1)]]
    read_back = client.get_refunds(partly.channel_ref)[0]
    assert [(line.sku, line.quantity) for line in read_back.lines] == [("MUG-1", 2)]  # one line to NetSuite
    assert read_back.lines[0].amount.amount == 20 and read_back.lines[0].tax.amount == 2


def test_no_restock_is_sent_as_asked_and_the_old_default_would_be_refused(backend, client):
    order = client.create_order(sample_lines())
    client.create_refund(order.channel_ref, {order.lines[1].line_id: 1}, restock_type="NO_RESTOCK")
    assert _record(backend, order).refunds[0].lines[0].restock_type == "NO_RESTOCK"

    assert refund_line_inputs({"L": 1}, "RETURN", {"L": 1}) == [
        {"lineItemId": "L", "quantity": 1, "restockType": "CANCEL"}]
    answer = client.graphql("""mutation RefundCreate($input: RefundInput!) {
        refundCreate(input: $input) { userErrors { field message } } }""",
                            {"input": {"orderId": order.channel_ref, "refundLineItems": [
                                {"lineItemId": order.lines[0].line_id, "quantity": 1, "restockType": "RETURN"}]}},
                            "RefundCreate")  # what sending RETURN on every line did on an unshipped order
    errors = answer["refundCreate"]["userErrors"]
    assert errors[0]["field"] == ["refundLineItems", "0", "restockType"]
    assert "RETURN is for fulfilled items" in errors[0]["message"]
