"""The emulator's answers, fetched over loopback, validate against the official SP-API models."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import httpx
import pytest
from amazon_helpers import days_ago
from amazon_swagger import errors_of, response_validator, validator

from sandbox.amazon import DEMO_CREDENTIALS

pytestmark = pytest.mark.integration

ORDERS = "ordersV0.json"
FINANCES = "finances_2024-06-19.json"
REPORTS = "reports_2021-06-30.json"
START = days_ago(40)


@pytest.fixture
def seeded(backend):
    order = backend.create_order(
        [{"sku": "MUG-1", "quantity": 2, "item_price": "20.00", "item_tax": "1.60", "shipping_price": "4.99",
          "shipping_tax": "0.40", "promotion_discount": "2.00"},
         {"sku": "CAP-1", "quantity": 1, "item_price": "12.00", "item_tax": "0.96"}],
        buyer_email="buyer@example.invalid")
    backend.create_refund(order["AmazonOrderId"], [{"sku": "MUG-1", "quantity": 1}], shipping="4.99",
                          shipping_tax="0.40")
    backend.add_settlement_report(b"settlement-id\ttotal-amount\n1\t10.00\n", start=START,
                                  end=days_ago(26), compression="GZIP")
    return order


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.url) as client:
        token = client.post("/auth/o2/token", data={
            "grant_type": "refresh_token", "refresh_token": DEMO_CREDENTIALS.refresh_token,
            "client_id": DEMO_CREDENTIALS.client_id, "client_secret": DEMO_CREDENTIALS.client_secret,
        }).json()["access_token"]
        client.headers["x-amz-access-token"] = token
        yield client


def body(response: httpx.Response):
    return json.loads(response.content, parse_float=Decimal)


def assert_valid(model: str, path: str, response: httpx.Response) -> dict:
    parsed = body(response)
    problems = errors_of(response_validator(model, path, response.status_code), parsed)
    assert problems == [], f"{response.request.url.path} -> {response.status_code}: {problems}"
    return parsed


def test_get_orders_and_order_items_match_the_orders_model(http, seeded):
    response = http.get("/orders/v0/orders", params={"MarketplaceIds": "ATVPDKIKX0DER",
                                                     "CreatedAfter": "2020-01-01T00:00:00Z"})
    assert response.status_code == 200
    assert response.headers["x-amzn-RateLimit-Limit"] == "0.0167"
    assert response.headers["x-amzn-RequestId"]
    orders = assert_valid(ORDERS, "/orders/v0/orders", response)["payload"]["Orders"]
    assert [o["AmazonOrderId"] for o in orders] == [seeded["AmazonOrderId"]]

    items = http.get(f"/orders/v0/orders/{seeded['AmazonOrderId']}/orderItems")
    payload = assert_valid(ORDERS, "/orders/v0/orders/{orderId}/orderItems", items)["payload"]
    assert [i["SellerSKU"] for i in payload["OrderItems"]] == ["MUG-1", "CAP-1"]
    assert payload["OrderItems"][0]["ItemPrice"] == {"CurrencyCode": "USD", "Amount": "20.00"}


def test_transactions_match_the_finances_model_with_signed_numbers(http, seeded):
    response = http.get("/finances/2024-06-19/transactions", params={"postedAfter": days_ago(30)})
    transactions = assert_valid(FINANCES, "/finances/2024-06-19/transactions", response)["payload"]["transactions"]
    kinds = [t["transactionType"] for t in transactions]
    assert kinds == ["Shipment", "Refund"]
    refund = transactions[1]
    # amounts are JSON numbers (Decimal when parsed so), refunds to the buyer are negative
    assert isinstance(refund["totalAmount"]["currencyAmount"], Decimal)
    principal = refund["items"][0]["breakdowns"][0]
    assert principal["breakdownType"] == "ProductCharges"
    assert principal["breakdowns"][0]["breakdownAmount"]["currencyAmount"] == Decimal("-10.00")
    names = {r["relatedIdentifierName"] for r in refund["relatedIdentifiers"]}
    assert {"ORDER_ID", "REFUND_ID", "FINANCIAL_EVENT_GROUP_ID"} <= names


def test_reports_and_report_document_match_the_reports_model(http, seeded):
    response = http.get("/reports/2021-06-30/reports", params={
        "reportTypes": "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2", "processingStatuses": "DONE",
        "createdSince": days_ago(60)})
    reports = assert_valid(REPORTS, "/reports/2021-06-30/reports", response)["reports"]
    assert len(reports) == 1 and reports[0]["dataStartTime"] == START
    document = http.get(f"/reports/2021-06-30/documents/{reports[0]['reportDocumentId']}")
    parsed = assert_valid(REPORTS, "/reports/2021-06-30/documents/{reportDocumentId}", document)
    assert parsed["compressionAlgorithm"] == "GZIP"
    assert "X-Amz-Signature=" in parsed["url"] and "X-Amz-Expires=300" in parsed["url"]


@pytest.mark.parametrize("model, path, params, status, code", [
    (ORDERS, "/orders/v0/orders", {"CreatedAfter": "2020-01-01"}, 400, "InvalidInput"),
    (FINANCES, "/finances/2024-06-19/transactions", {"postedBefore": "2022-03-07"}, 400, "InvalidInput"),
    (REPORTS, "/reports/2021-06-30/reports", {"reportTypes": "X", "processingStatuses": "BAD_VALUE"}, 400, "400"),
    (REPORTS, "/reports/2021-06-30/reports", {"nextToken": "abc", "pageSize": "10"}, 400, "InvalidInput"),
])
def test_error_answers_match_the_models(http, model, path, params, status, code):
    response = http.get(path, params=params)
    assert response.status_code == status
    parsed = assert_valid(model, path, response)
    assert parsed["errors"][0]["code"] == code


@pytest.mark.parametrize("model, path", [
    (ORDERS, "/orders/v0/orders"),
    (FINANCES, "/finances/2024-06-19/transactions"),
    (REPORTS, "/reports/2021-06-30/reports"),
])
def test_missing_or_unknown_token_is_403_unauthorized(server, model, path):
    for headers in ({}, {"x-amz-access-token": "Atza|not-issued"}):
        response = httpx.get(server.url + path, headers=headers)
        assert response.status_code == 403
        parsed = assert_valid(model, path, response)
        assert parsed["errors"][0] == {"code": "Unauthorized", "message": "Access to requested resource is denied.",
                                       "details": ""}


def test_throttled_answer_is_429_quota_exceeded(http, backend):
    backend.throttle.arm("listTransactions", 1)
    response = http.get("/finances/2024-06-19/transactions", params={"postedAfter": "2020-01-01"})
    assert response.status_code == 429
    assert assert_valid(FINANCES, "/finances/2024-06-19/transactions", response)["errors"][0]["code"] == "QuotaExceeded"


def test_the_validation_catches_a_wrong_type_and_a_missing_required_field(http, seeded):
    response = http.get(f"/orders/v0/orders/{seeded['AmazonOrderId']}/orderItems")
    good = body(response)
    check = response_validator(ORDERS, "/orders/v0/orders/{orderId}/orderItems", 200)
    assert errors_of(check, good) == []

    wrong_type = copy.deepcopy(good)
    wrong_type["payload"]["OrderItems"][0]["ItemPrice"]["Amount"] = Decimal("20.00")  # a number, not a string
    assert any("is not of type 'string'" in p for p in errors_of(check, wrong_type))

    missing = copy.deepcopy(good)
    del missing["payload"]["OrderItems"][1]["OrderItemId"]
    assert any("'OrderItemId' is a required property" in p for p in errors_of(check, missing))

    transaction_check = validator(FINANCES, "Transaction")
    bad_date = {"transactionType": "Refund", "postedDate": "yesterday"}
    assert any("date-time" in p for p in errors_of(transaction_check, bad_date))
    bad_amount = {"totalAmount": {"currencyCode": "USD", "currencyAmount": "-1.00"}}
    assert any("is not of type 'number'" in p for p in errors_of(transaction_check, bad_amount))
