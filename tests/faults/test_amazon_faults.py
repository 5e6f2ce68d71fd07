"""The Amazon SP-API connector against a faulty Amazon emulator, over real loopback HTTP."""

from __future__ import annotations

import httpx
import pytest

from connectors import AmazonError, RateLimited
from sandbox._faults import FaultPlan

from ._helpers import once

SINCE = "2020-01-01T00:00:00Z"


@pytest.fixture
def order_id(box) -> str:
    return box.amazon.create_order([{"sku": "SKU-1", "quantity": 1, "item_price": "10.00",
                                     "item_tax": "0.80"}])["AmazonOrderId"]


@pytest.mark.parametrize("kind", ["429", "500", "502", "503", "timeout", "reset", "lost_response", "slow"])
def test_a_faulted_call_is_retried_and_succeeds(amazon, inject, order_id, kind):
    amazon.lwa.access_token()  # the token first, so the fault lands on the SP-API call
    faulty = inject("amazon", once(kind, "GET", f"/orders/v0/orders/{order_id}/orderItems$"))
    items = amazon.get_order_items(order_id)
    assert [item["SellerSKU"] for item in items] == ["SKU-1"]
    assert amazon.stats.retries == (0 if kind == "slow" else 1)
    assert faulty.stats.faults[kind] == 1


@pytest.mark.parametrize("kind", ["500", "503", "429", "reset"])
def test_a_faulted_token_request_is_retried(amazon, inject, order_id, kind):
    inject("amazon", once(kind, "POST", "^/auth/o2/token$"))
    assert amazon.get_order_items(order_id)
    assert amazon.lwa._client.stats.retries == 1


@pytest.mark.parametrize("kind", ["429", "500", "503"])
def test_a_faulted_report_download_is_retried(box, amazon, inject, kind):
    box.amazon.add_settlement_report(b"settlement-id\ttotal-amount\n1\t10.00\n", start="2025-01-01",
                                     end="2025-01-15", created="now")  # Reports keeps a document 90 days
    report = next(amazon.settlement_reports(SINCE))
    inject("amazon", once(kind, "GET", "^/__documents__/"))
    assert amazon.download_report(report.document_id).content.startswith(b"settlement-id")


def test_the_429_is_quota_exceeded_with_the_operations_rate(box, inject):
    inject("amazon", once("429"))
    response = httpx.get(box.amazon_url + "/orders/v0/orders", params={"MarketplaceIds": "ATVPDKIKX0DER"})
    assert response.status_code == 429
    assert response.json() == {"errors": [{"code": "QuotaExceeded", "details": "",
                                           "message": "You exceeded your quota for the requested resource."}]}
    assert response.headers["x-amzn-RateLimit-Limit"] == "0.0167"
    assert response.headers["x-amzn-RequestId"]


def test_the_report_download_answers_like_s3(box, inject):
    inject("amazon", once("503"))
    response = httpx.get(box.amazon_url + "/__documents__/any")
    assert response.status_code == 503 and "<Code>ServiceUnavailable</Code>" in response.text


def test_throttling_that_never_ends_is_rate_limited(amazon, inject, order_id):
    amazon.lwa.access_token()
    inject("amazon", FaultPlan(rates={"429": 1.0}))
    with pytest.raises(RateLimited):
        amazon.get_order_items(order_id)


def test_errors_that_never_end_are_amazon_errors_with_the_code(amazon, inject, order_id):
    amazon.lwa.access_token()
    inject("amazon", FaultPlan(rates={"500": 1.0}))
    with pytest.raises(AmazonError) as raised:
        amazon.get_order_items(order_id)
    assert raised.value.status == 500 and raised.value.code == "InternalFailure"
    assert amazon.stats.requests == 4
