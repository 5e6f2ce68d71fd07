"""The NetSuite connector against a faulty NetSuite emulator, over real loopback HTTP."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from connectors import NetSuiteError, RateLimited, WriteOutcomeUnknown
from sandbox._faults import FaultPlan

from ._helpers import once

CUSTOMER = "/record/v1/customer"
SUITEQL = "/query/v1/suiteql"


def customers_with(box, external_id: str) -> list[dict]:
    return [r for r in box.netsuite.records("customer") if r.get("externalId") == external_id]


def cash_sale(netsuite) -> str:
    customer = netsuite.upsert("customer", "cust-1", {"firstName": "Grace", "lastName": "Hopper"})
    item = netsuite.upsert("nonInventorySaleItem", "item-SKU-1", {"itemId": "SKU-1"})
    order = netsuite.create("salesOrder", {
        "entity": {"id": customer}, "otherRefNum": "112-0000000-0000001",
        "item": {"items": [{"item": {"id": item}, "quantity": 2, "rate": Decimal("9.99")}]}})
    return netsuite.transform("salesOrder", order, "cashSale")


# reads ----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["429", "500", "502", "503", "timeout", "reset", "lost_response"])
def test_a_faulted_read_is_retried_and_succeeds(netsuite, inject, kind):
    record_id = netsuite.upsert("customer", "read-me", {"firstName": "Ada", "lastName": "Lovelace"})
    faulty = inject("netsuite", once(kind, "GET", CUSTOMER))
    record = netsuite.get("customer", record_id)
    assert record["lastName"] == "Lovelace"
    assert netsuite.stats.retries == 1
    assert faulty.stats.faults[kind] == 1 and faulty.stats.injected == 1


@pytest.mark.parametrize("kind", ["500", "reset", "timeout"])
def test_suiteql_is_a_read_and_is_retried(netsuite, inject, kind):
    netsuite.upsert("customer", "q-1", {"firstName": "Q", "lastName": "One"})
    inject("netsuite", once(kind, "POST", SUITEQL))
    rows = list(netsuite.suiteql("SELECT id FROM customer WHERE externalid = 'q-1' ORDER BY id"))
    assert len(rows) == 1
    assert netsuite.stats.retries == 1


def test_a_slow_answer_is_just_late(netsuite, inject):
    record_id = netsuite.upsert("customer", "slow", {"firstName": "S", "lastName": "Low"})
    faulty = inject("netsuite", once("slow", "GET", CUSTOMER))
    assert netsuite.get("customer", record_id)["lastName"] == "Low"
    assert netsuite.stats.retries == 0 and faulty.stats.faults["slow"] == 1


def test_throttling_that_never_ends_is_rate_limited(netsuite, inject):
    inject("netsuite", FaultPlan(rates={"429": 1.0}))
    with pytest.raises(RateLimited, match="still throttled after 4 attempts"):
        netsuite.get("customer", "1")


def test_the_429_is_netsuites_concurrency_error(box, inject):
    inject("netsuite", once("429"))
    response = httpx.get(box.netsuite_url + "/services/rest/record/v1/customer/1")
    assert response.status_code == 429
    assert response.headers["content-type"] == "application/vnd.oracle.resource+json; type=error"
    body = response.json()
    assert body["status"] == 429 and body["title"] == "Too Many Requests"
    assert body["o:errorDetails"][0]["o:errorCode"] == "CONCURRENCY_LIMIT_EXCEEDED"


# writes ---------------------------------------------------------------------------------
@pytest.mark.parametrize("method, write", [
    ("PUT", lambda ns: ns.upsert("customer", "w-429", {"firstName": "W", "lastName": "Four"})),
    ("POST", lambda ns: ns.create("customer", {"externalId": "w-429", "firstName": "W", "lastName": "Four"})),
])
def test_a_throttled_write_is_retried_and_applied_once(netsuite, box, inject, method, write):
    inject("netsuite", once("429", method, CUSTOMER))
    record_id = write(netsuite)
    assert netsuite.stats.retries == 1 and netsuite.stats.by_status[429] == 1
    assert [r["id"] for r in customers_with(box, "w-429")] == [record_id]


@pytest.mark.parametrize("kind, status, code", [("500", 500, "UNEXPECTED_ERROR"), ("502", 502, ""),
                                                ("503", 503, "")])
def test_a_5xx_on_a_write_is_not_retried_but_raised(netsuite, box, inject, kind, status, code):
    inject("netsuite", once(kind, "PUT", CUSTOMER))
    with pytest.raises(NetSuiteError) as raised:
        netsuite.upsert("customer", "w-5xx", {"firstName": "W", "lastName": "Five"})
    assert raised.value.status == status and raised.value.code == code
    assert netsuite.stats.requests == 1 and netsuite.stats.retries == 0
    assert customers_with(box, "w-5xx") == []  # nothing was applied


@pytest.mark.parametrize("kind", ["timeout", "reset"])
def test_an_unanswered_write_is_outcome_unknown_and_was_not_applied(netsuite, box, inject, kind):
    inject("netsuite", once(kind, "PUT", CUSTOMER))
    with pytest.raises(WriteOutcomeUnknown, match="did not answer PUT"):
        netsuite.upsert("customer", "w-lost", {"firstName": "W", "lastName": "Lost"})
    assert netsuite.stats.requests == 1
    assert netsuite.find_by_external_id("customer", "w-lost") is None
    record_id = netsuite.upsert("customer", "w-lost", {"firstName": "W", "lastName": "Lost"})
    assert [r["id"] for r in customers_with(box, "w-lost")] == [record_id]


def test_a_lost_upsert_answer_was_applied_and_a_retry_by_external_id_does_not_double_it(netsuite, box, inject):
    faulty = inject("netsuite", once("lost_response", "PUT", CUSTOMER + "/eid:"))
    with pytest.raises(WriteOutcomeUnknown) as raised:
        netsuite.upsert("customer", "shopify-cust-9", {"firstName": "Lin", "lastName": "Lost"})
    assert "look the record up by its external id" in str(raised.value)
    assert faulty.stats.faults["lost_response"] == 1
    found = netsuite.find_by_external_id("customer", "shopify-cust-9")
    assert found is not None and found["lastName"] == "Lost"  # the write was applied
    again = netsuite.upsert("customer", "shopify-cust-9", {"firstName": "Lin", "lastName": "Found"})
    assert again == str(found["id"])
    assert [r["id"] for r in customers_with(box, "shopify-cust-9")] == [again]
    rows = list(netsuite.suiteql("SELECT id FROM customer WHERE externalid = 'shopify-cust-9' ORDER BY id"))
    assert [str(row["id"]) for row in rows] == [again]


def test_a_lost_transform_answer_was_applied_once_and_found_by_external_id(netsuite, box, inject):
    sale = cash_sale(netsuite)
    one_mug = {"externalId": "refund-RMA-7", "item": {"items": [{"orderLine": 1, "quantity": 1}]}}
    faulty = inject("netsuite", once("lost_response", "POST", "/!transform/cashRefund"))
    with pytest.raises(WriteOutcomeUnknown):
        netsuite.transform("cashSale", sale, "cashRefund", one_mug, replace=("item",))
    assert faulty.stats.faults["lost_response"] == 1
    refund = netsuite.find_by_external_id("cashRefund", "refund-RMA-7")
    assert refund is not None and str(refund["createdFrom"]["id"]) == sale
    assert refund["item"]["items"][0]["quantity"] == 1
    # a blind retry with the same external id is refused, not doubled (one of two mugs is still refundable)
    with pytest.raises(NetSuiteError) as raised:
        netsuite.transform("cashSale", sale, "cashRefund", one_mug, replace=("item",))
    assert raised.value.code == "DUP_RCRD"
    refunds = [r for r in box.netsuite.records("cashRefund") if str(r["createdFrom"]["id"]) == sale]
    assert [r["id"] for r in refunds] == [refund["id"]]


def test_a_lost_create_answer_without_external_id_doubles_on_a_blind_retry(netsuite, box, inject):
    """Why every write carries an external id: a POST whose answer was lost cannot be found again."""
    inject("netsuite", once("lost_response", "POST", CUSTOMER + "$"))
    body = {"firstName": "No", "lastName": "Key"}
    with pytest.raises(WriteOutcomeUnknown):
        netsuite.create("customer", body)
    netsuite.create("customer", body)
    doubled = [r for r in box.netsuite.records("customer") if r.get("lastName") == "Key"]
    assert len(doubled) == 2


def test_a_slow_write_is_applied_once_and_answered(netsuite, box, inject):
    inject("netsuite", once("slow", "PUT", CUSTOMER))
    record_id = netsuite.upsert("customer", "w-slow", {"firstName": "W", "lastName": "Slow"})
    assert [r["id"] for r in customers_with(box, "w-slow")] == [record_id]
    assert netsuite.stats.retries == 0
