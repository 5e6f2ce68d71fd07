"""Transforms over loopback: allowed pairs, createdFrom chains, remaining quantities."""

from __future__ import annotations

from decimal import Decimal

import pytest

from syncproof.model import json_loads as loads

pytestmark = pytest.mark.integration

ALLOWED = [
    ("salesOrder", "cashSale"), ("salesOrder", "invoice"), ("salesOrder", "returnAuthorization"),
    ("cashSale", "cashRefund"), ("cashSale", "returnAuthorization"),
    ("invoice", "creditMemo"), ("invoice", "returnAuthorization"),
    ("returnAuthorization", "creditMemo"), ("returnAuthorization", "cashRefund"),
]
#: How to reach each source type from a sales order.
PATH_TO = {
    "salesOrder": [],
    "cashSale": [("salesOrder", "cashSale")],
    "invoice": [("salesOrder", "invoice")],
    "returnAuthorization": [("salesOrder", "returnAuthorization")],
}


def _source(api, order_body, record_type):
    current_type, current = "salesOrder", api.create("salesOrder", order_body())
    for _, to_type in PATH_TO[record_type]:
        current, current_type = api.transform(current_type, current, to_type), to_type
    return current


@pytest.mark.parametrize("from_type,to_type", ALLOWED)
def test_every_allowed_transform_copies_lines_and_sets_created_from(api, order_body, from_type, to_type):
    source_id = _source(api, order_body, from_type)

    target_id = api.transform(from_type, source_id, to_type)

    source, target = api.get(from_type, source_id), api.get(to_type, target_id)
    assert target["createdFrom"]["id"] == source_id
    assert target["entity"]["id"] == source["entity"]["id"]
    assert target["otherRefNum"] == "#1001"
    assert [(ln["item"]["id"], ln["quantity"], ln["amount"], ln["tax1Amt"]) for ln in target["item"]["items"]] \
        == [(ln["item"]["id"], ln["quantity"], ln["amount"], ln["tax1Amt"]) for ln in source["item"]["items"]]
    assert [ln["orderLine"] for ln in target["item"]["items"]] == [1, 2, 3]
    assert target["total"] == Decimal("64.37")


@pytest.mark.parametrize("from_type,to_type", [
    ("salesOrder", "creditMemo"), ("salesOrder", "cashRefund"), ("cashSale", "invoice"),
    ("invoice", "cashRefund"), ("creditMemo", "invoice"), ("returnAuthorization", "invoice"),
])
def test_disallowed_transform_is_refused(api, order_body, backend, from_type, to_type):
    order_id = api.create("salesOrder", order_body())
    if from_type == "creditMemo":
        source_id = api.transform("invoice", api.transform("salesOrder", order_id, "invoice"), "creditMemo")
    else:
        source_id = _source(api, order_body, from_type)
    before = len(backend.records(to_type))

    response = api.send("POST", f"/record/v1/{from_type}/{source_id}/!transform/{to_type}")

    assert response.status_code == 400
    detail = loads(response.text)["o:errorDetails"][0]
    assert detail["o:errorCode"] == "INVALID_RCRD_TRANSFRM"
    assert len(backend.records(to_type)) == before


def test_created_from_chain_ends_at_the_sales_order(api, order_body):
    order_id = api.create("salesOrder", order_body(externalId="shopify-77"))
    rma = api.transform("salesOrder", order_id, "returnAuthorization",
                        {"item": {"items": [{"orderLine": 1, "quantity": 1}]}})
    memo = api.transform("returnAuthorization", rma, "creditMemo")

    chain, record_type, key = [], "creditMemo", memo
    while True:
        record = api.get(record_type, key)
        chain.append(record["tranId"])
        if "createdFrom" not in record:
            break
        key = record["createdFrom"]["id"]
        record_type = {"RMA": "returnAuthorization", "SO": "salesOrder"}[
            record["createdFrom"]["refName"].split("#")[1].rstrip("0123456789")]

    assert record_type == "salesOrder" and record["externalId"] == "shopify-77"
    assert [c[:2] for c in chain] == ["CM", "RM", "SO"]


def test_partial_refund_with_shipping_adjustment_line(api, order_body, catalog):
    sale = api.transform("salesOrder", api.create("salesOrder", order_body()), "cashSale")

    refund = api.transform("cashSale", sale, "cashRefund", {
        "externalId": "shopify-refund-9", "memo": "damaged",
        "item": {"items": [
            {"orderLine": 2, "quantity": 1},
            {"item": {"id": catalog["ship"]}, "amount": "5.00", "description": "Shipping refund"},
        ]},
    }, replace="item")

    record = api.get("cashRefund", refund)
    first, shipping = record["item"]["items"]
    assert (first["quantity"], first["rate"], first["amount"], first["tax1Amt"]) == \
        (Decimal("1"), Decimal("9.99"), Decimal("9.99"), Decimal("0.80"))
    assert shipping["amount"] == Decimal("5.00") and "orderLine" not in shipping
    assert record["total"] == Decimal("15.79")
    assert record["memo"] == "damaged" and record["externalId"] == "shopify-refund-9"


def test_transform_without_replace_keeps_every_prefilled_line(api, order_body, catalog):
    """A partial refund sent without ``replace`` refunds every line: the target is pre-filled.

    Source: Oracle help, "Transforming Records" (the target is created "using data from
    an existing record") and "Working with Sublists" (the item sublist is keyed: lines in
    the request update the matching lines or are added; lines not sent are kept).
    """
    sale = api.transform("salesOrder", api.create("salesOrder", order_body()), "cashSale")

    refund = api.transform("cashSale", sale, "cashRefund", {"item": {"items": [
        {"orderLine": 2, "quantity": 1},
        {"item": {"id": catalog["ship"]}, "amount": "5.00", "description": "Shipping refund"},
    ]}})

    lines = api.get("cashRefund", refund)["item"]["items"]
    assert [(line.get("orderLine"), line["quantity"]) for line in lines] == \
        [(1, Decimal("2")), (2, Decimal("1")), (3, Decimal("1")), (None, Decimal("1"))]
    assert api.get("cashRefund", refund)["total"] == Decimal("47.79")  # 27.00 + 10.79 + 5.00 + 5.00


def test_replace_item_keeps_exactly_the_lines_sent(api, order_body):
    """``?replace=item`` on a transform removes every pre-filled line the body does not list.

    Source: Oracle help, "Working with Sublists" (``PATCH ...?replace=item`` with "all lines
    except those you want to delete"); the REST API Browser lists ``replace`` on the
    ``!transform`` endpoints ("Names of sublists on this record to replace").
    """
    sale = api.transform("salesOrder", api.create("salesOrder", order_body()), "cashSale")

    refund = api.transform("cashSale", sale, "cashRefund",
                           {"item": {"items": [{"orderLine": 2, "quantity": 1}]}}, replace="item")

    record = api.get("cashRefund", refund)
    assert [(line["orderLine"], line["quantity"]) for line in record["item"]["items"]] == [(2, Decimal("1"))]
    assert record["total"] == Decimal("10.79")


def test_refunding_more_than_remains_is_refused(api, order_body, backend):
    sale = api.transform("salesOrder", api.create("salesOrder", order_body()), "cashSale")
    api.transform("cashSale", sale, "cashRefund", {"item": {"items": [{"orderLine": 2, "quantity": 2}]}})

    response = api.send("POST", f"/record/v1/cashSale/{sale}/!transform/cashRefund",
                        {"item": {"items": [{"orderLine": 2, "quantity": 2}]}})

    assert response.status_code == 400
    detail = loads(response.text)["o:errorDetails"][0]
    assert detail["o:errorCode"] == "USER_ERROR"
    assert "line 2 (TEE-M)" in detail["detail"] and "1 remaining" in detail["detail"]
    assert len(backend.records("cashRefund")) == 1
    # what does remain can still be refunded
    api.transform("cashSale", sale, "cashRefund", {"item": {"items": [{"orderLine": 2, "quantity": 1}]}})


def test_return_authorizations_count_against_the_same_quantity(api, order_body):
    sale = api.transform("salesOrder", api.create("salesOrder", order_body()), "cashSale")
    api.transform("cashSale", sale, "returnAuthorization",
                  {"item": {"items": [{"orderLine": 1, "quantity": 2}]}})

    response = api.send("POST", f"/record/v1/cashSale/{sale}/!transform/cashRefund",
                        {"item": {"items": [{"orderLine": 1, "quantity": 1}]}})

    assert response.status_code == 400
    assert "0 remaining" in loads(response.text)["o:errorDetails"][0]["detail"]


def test_transform_with_an_existing_external_id_is_refused(api, order_body, backend):
    sale = api.transform("salesOrder", api.create("salesOrder", order_body()), "cashSale")
    api.transform("cashSale", sale, "cashRefund",
                  {"externalId": "refund-1", "item": {"items": [{"orderLine": 1, "quantity": 1}]}})

    response = api.send("POST", f"/record/v1/cashSale/{sale}/!transform/cashRefund",
                        {"externalId": "refund-1", "item": {"items": [{"orderLine": 1, "quantity": 1}]}})

    assert response.status_code == 400
    assert loads(response.text)["o:errorDetails"][0]["o:errorCode"] == "DUP_RCRD"
    assert len(backend.records("cashRefund")) == 1


def test_transform_of_a_missing_source_is_404(api, catalog):
    response = api.send("POST", "/record/v1/salesOrder/99999/!transform/invoice")

    assert response.status_code == 404
    assert loads(response.text)["o:errorDetails"][0]["o:errorCode"] == "NONEXISTENT_ID"
