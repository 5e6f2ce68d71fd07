"""The connector reads the SP-API models' own sandbox examples (``x-amzn-api-sandbox``), served over loopback."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from amazon_helpers import demo_credentials
from amazon_swagger import errors_of, spec, validator
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connectors import AmazonError
from connectors.amazon import AmazonClient, refund_from_transaction, transaction_from_json
from sandbox._server import serve
from syncproof.model import Money

pytestmark = pytest.mark.integration


def sandbox_case(model: str, path: str, status: str = "200", **match) -> dict:
    """The static sandbox response whose request parameters include ``match``."""
    cases = spec(model)["paths"][path]["get"]["responses"][status]["x-amzn-api-sandbox"]["static"]
    for case in cases:
        params = {k: v["value"] for k, v in case["request"]["parameters"].items()}
        if all(params.get(k) == v for k, v in match.items()):
            return case["response"]
    raise LookupError(f"no sandbox example for {path} {match}")


def _dumps(body) -> bytes:
    return json.dumps(body).encode()


EXAMPLES_NOW = datetime(2023, 3, 10, tzinfo=timezone.utc).timestamp()


def examples_app() -> Starlette:
    orders_path, items_path = "/orders/v0/orders", "/orders/v0/orders/{orderId}/orderItems"
    tx_path = "/finances/2024-06-19/transactions"
    reports_path, doc_path = "/reports/2021-06-30/reports", "/reports/2021-06-30/documents/{reportDocumentId}"

    async def token(request: Request) -> Response:
        return JSONResponse({"access_token": "Atza|example", "token_type": "bearer", "expires_in": 3600})

    async def rdt(request: Request) -> Response:  # tokens_2021-03-01.json's sandbox answer
        return JSONResponse({"restrictedDataToken": "Atz.sprdt|IQEBLjAsAhRmHjNgHpi0U-Dme37rR6CuUpSR",
                             "expiresIn": 3600})

    async def orders(request: Request) -> Response:
        q = request.query_params
        if q.get("CreatedAfter") == "TEST_CASE_200_NEXT_TOKEN":
            match = {"NextToken": q["NextToken"]} if "NextToken" in q else {"CreatedAfter": "TEST_CASE_200_NEXT_TOKEN"}
            cases = [c for c in spec("ordersV0.json")["paths"][orders_path]["get"]["responses"]["200"]
                     ["x-amzn-api-sandbox"]["static"]
                     if all(c["request"]["parameters"].get(k, {}).get("value") == v for k, v in match.items())
                     and ("NextToken" in match) == ("NextToken" in c["request"]["parameters"])]
            return Response(_dumps(cases[0]["response"]), media_type="application/json")
        return Response(_dumps(sandbox_case("ordersV0.json", orders_path, CreatedAfter="TEST_CASE_200")),
                        media_type="application/json", headers={"x-amzn-RateLimit-Limit": "0.0167"})

    async def items(request: Request) -> Response:
        return Response(_dumps(sandbox_case("ordersV0.json", items_path, orderId="TEST_CASE_200")),
                        media_type="application/json")

    async def transactions(request: Request) -> Response:
        if "postedBefore" in request.query_params and "postedAfter" not in request.query_params:
            return Response(_dumps(sandbox_case("finances_2024-06-19.json", tx_path, "400")), status_code=400,
                            media_type="application/json")
        body = json.loads(_dumps(sandbox_case("finances_2024-06-19.json", tx_path)))
        if "nextToken" in request.query_params:  # the example always has a next page: end after one
            body["payload"].pop("nextToken")
        return Response(_dumps(body), media_type="application/json")

    async def reports(request: Request) -> Response:
        body = sandbox_case("reports_2021-06-30.json", reports_path)
        if "nextToken" in request.query_params:
            body = {"reports": []}
        return Response(_dumps(body), media_type="application/json")

    async def document(request: Request) -> Response:
        return Response(_dumps(sandbox_case("reports_2021-06-30.json", doc_path)), media_type="application/json")

    return Starlette(routes=[
        Route("/auth/o2/token", token, methods=["POST"]),
        Route("/tokens/2021-03-01/restrictedDataToken", rdt, methods=["POST"]),
        Route(orders_path, orders),
        Route("/orders/v0/orders/{order_id}/orderItems", items),
        Route(tx_path, transactions),
        Route(reports_path, reports),
        Route("/reports/2021-06-30/documents/{document_id}", document),
    ])


@pytest.fixture(scope="module")
def client():
    with serve(examples_app(), name="sp-api-examples") as server:
        # the examples ask from 2023-03-07: the client's clock stands a few days later, so one window answers
        amazon = AmazonClient(demo_credentials(), base_url=server.url, lwa_token_url=server.url + "/auth/o2/token",
                              clock=lambda: EXAMPLES_NOW)
        yield amazon
        amazon.close()


def test_orders_example_maps_to_domain_orders(client):
    orders = list(client.get_orders(created_after="TEST_CASE_200"))
    assert [o.channel_order_id for o in orders] == ["902-1845936-5435065", "902-8745147-1934268"]
    line = orders[0].lines[0]
    assert (line.line_id, line.sku, line.quantity) == ("05015851154158", "NABetaASINB00551Q3CS", 1)
    assert (line.unit_price, line.tax, line.discount) == (
        Money("10.00", "USD"),
        Money("1.01", "USD"),
        Money("0", "USD"),
    )
    assert orders[0].total == Money("11.01", "USD")  # the example's OrderTotal
    assert orders[0].shipping is None


def test_orders_next_token_example_is_followed(client):
    raw = list(client.get_orders_json(created_after="TEST_CASE_200_NEXT_TOKEN"))
    assert [o["AmazonOrderId"] for o in raw] == ["902-3159896-1390916", "902-3159896-1390916"]


def test_transactions_example_is_read(client):
    first, second = client.list_transactions("2023-03-07")  # page one names a next page; page two ends
    transaction = first
    assert second.raw == first.raw
    assert transaction.transaction_type == "Shipment"
    assert transaction.total == Money("10", "USD")
    assert transaction.order_id == "8129762527551"
    assert transaction.related["FINANCIAL_EVENT_GROUP_ID"] == ["4MVaHcsAfaYAlwlaPWrXJxrfUiKfYZ2ooWtY7528FUA"]
    assert list(client.refunds_between("2023-03-07")) == []  # a Shipment is no refund


def test_transactions_error_example_is_an_amazon_error(client):
    with pytest.raises(AmazonError) as raised:
        client.call("listTransactions", "/finances/2024-06-19/transactions", {"postedBefore": "2022-03-07"})
    assert (raised.value.status, raised.value.code) == (400, "InvalidInput")
    assert "Start date cannot be null" in raised.value.message


def test_reports_and_document_examples_are_read(client):
    (report,) = client.settlement_reports()
    assert (report.report_id, report.report_type, report.processing_status) == (
        "ReportId1", "FEE_DISCOUNTS_REPORT", "IN_PROGRESS")
    ref = client.get_report_document("0356cf79-b8b0-4226-b4b9-0ee058ea5760")
    assert ref.url.endswith("GET_MERCHANT_LISTINGS_ALL_DATA_.txt") and ref.compression is None


def test_transaction_definition_example_maps_despite_its_breakdowns_quirk():
    example = json.loads(json.dumps(spec("finances_2024-06-19.json")["definitions"]["Transaction"]["example"]),
                         parse_float=Decimal)
    # the model's own example nests transaction breakdowns in an object, which its schema does not allow
    assert any("breakdowns" in p and "is not of type 'array'" in p
               for p in errors_of(validator("finances_2024-06-19.json", "Transaction"), example))
    transaction = transaction_from_json(example)
    assert transaction.transaction_id == "b1qD0oAliFkLiqRyGbmeT0DoS2Z2kHzi7TZ92z-vARI"
    # read as if it were a refund: "Product Charges" -> "Principle" (spaces, spelling) is the principal
    mapped = refund_from_transaction(example)
    (line,) = mapped.lines
    assert (line.sku, line.quantity, line.amount) == ("sku-12", 1, Money("-10", "USD"))
    assert mapped.extra["adjustment_item_ids"] == ["81297625-121-27551"]
