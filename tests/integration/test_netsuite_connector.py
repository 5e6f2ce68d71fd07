"""The NetSuite connector against the NetSuite emulator over real loopback HTTP."""

from __future__ import annotations

from decimal import Decimal

import pytest

from connectors import AuthenticationFailed, ConnectionFailed, NetSuiteError
from connectors.netsuite import NetSuiteClient, NetSuiteCredentials, NetSuiteRecords

from ._helpers import netsuite_client


def _order(netsuite):
    customer = netsuite.upsert("customer", "cust-1", {"firstName": "Grace", "lastName": "Hopper"})
    item = netsuite.upsert("nonInventorySaleItem", "item-SKU-1", {"itemId": "SKU-1"})
    return netsuite.create("salesOrder", {
        "entity": {"id": customer}, "otherRefNum": "112-0000000-0000001",
        "item": {"items": [{"item": {"id": item}, "quantity": 3, "rate": Decimal("9.99")}]}})


def test_create_returns_id_from_location_and_get_reads_it_back(netsuite):
    order_id = _order(netsuite)
    record = netsuite.get("salesOrder", order_id)
    assert str(record["id"]) == order_id
    assert record["otherRefNum"] == "112-0000000-0000001"
    line = record["item"]["items"][0]
    assert line["quantity"] == 3 and line["amount"] == Decimal("29.97")
    assert isinstance(line["amount"], Decimal)  # never a float


def test_transform_chain_leads_back_to_the_order(netsuite):
    order_id = _order(netsuite)
    cash_sale = netsuite.transform("salesOrder", order_id, "cashSale")
    refund = netsuite.transform("cashSale", cash_sale, "cashRefund", {"externalId": "r-1"})
    chain = NetSuiteRecords(netsuite).created_from_chain(refund)
    assert [link.type for link in chain] == ["CashRfnd", "CashSale", "SalesOrd"]
    assert chain[-1].order_ref == "112-0000000-0000001"


def test_upsert_twice_with_one_external_id_leaves_one_record(netsuite, box):
    first = netsuite.upsert("customer", "same-key", {"firstName": "A", "lastName": "One"})
    second = netsuite.upsert("customer", "same-key", {"firstName": "A", "lastName": "Two"})
    assert first == second
    rows = list(netsuite.suiteql("SELECT id FROM customer WHERE externalid = 'same-key' ORDER BY id"))
    assert len(rows) == 1
    assert netsuite.find_by_external_id("customer", "same-key")["lastName"] == "Two"


def test_suiteql_pages_2500_rows_exactly_once(netsuite, box):
    box.netsuite.seed_items({"itemId": f"BULK-{n:05d}"} for n in range(2500))
    before = netsuite.stats.requests
    rows = list(netsuite.suiteql("SELECT id, itemid FROM item WHERE itemid LIKE 'BULK-%' ORDER BY id"))
    assert len(rows) == 2500
    assert len({row["id"] for row in rows}) == 2500
    assert {row["itemid"] for row in rows} == {f"BULK-{n:05d}" for n in range(2500)}
    assert netsuite.stats.requests - before == 3  # 1000 + 1000 + 500


def test_suiteql_without_order_by_is_refused_when_it_needs_pages(netsuite, box):
    box.netsuite.seed_items({"itemId": f"PAGE-{n:05d}"} for n in range(1001))
    with pytest.raises(NetSuiteError, match="no ORDER BY"):
        list(netsuite.suiteql("SELECT id FROM item WHERE itemid LIKE 'PAGE-%'"))
    assert len(list(netsuite.suiteql("SELECT id FROM item WHERE itemid = 'PAGE-00001'"))) == 1


def test_an_emulated_429_is_retried_and_succeeds(netsuite, box):
    box.netsuite.force_throttle(2)
    before = netsuite.stats.retries
    assert netsuite.upsert("customer", "after-429", {"firstName": "B", "lastName": "C"})
    assert netsuite.stats.retries - before == 2
    assert netsuite.stats.by_status.get(429) == 2


def test_a_bad_signature_is_a_clear_authentication_error(box):
    demo = box.netsuite_credentials
    wrong = NetSuiteCredentials(demo.account_id, demo.consumer_key, demo.consumer_secret, demo.token_id,
                                "not-the-token-secret")
    with NetSuiteClient.for_account(wrong, base_url=box.netsuite_url) as client:
        with pytest.raises(AuthenticationFailed) as info:
            client.get("customer", "1")
    message = str(info.value)
    assert "HTTP 401" in message and "NETSUITE_TOKEN_SECRET" in message


def test_netsuite_error_body_becomes_one_exception(netsuite):
    with pytest.raises(NetSuiteError) as info:
        netsuite.get("salesOrder", "999999")
    error = info.value
    assert error.status == 404 and error.code == "NONEXISTENT_ID"
    assert "\n" not in str(error) and "NONEXISTENT_ID" in str(error)


def test_a_disallowed_transform_is_refused_the_netsuite_way(netsuite):
    order_id = _order(netsuite)
    with pytest.raises(NetSuiteError) as info:
        netsuite.transform("salesOrder", order_id, "creditMemo")
    assert info.value.status == 400


def test_an_unreachable_host_is_one_clear_line(box):
    client = netsuite_client(box)
    client.close()
    demo = box.netsuite_credentials
    credentials = NetSuiteCredentials(demo.account_id, "k", "s", "t", "u")
    with NetSuiteClient.for_account(credentials, base_url="http://127.0.0.1:9", sleep=lambda s: None) as dead:
        with pytest.raises(ConnectionFailed) as info:
            dead.get("customer", "1")
    assert "cannot reach netsuite at http://127.0.0.1:9" in str(info.value)
    assert "\n" not in str(info.value)


def test_evidence_is_captured_redacted(box):
    seen = []
    client = netsuite_client(box, on_exchange=seen.append)
    client.upsert("customer", "evidence-1", {"firstName": "E", "lastName": "V"})
    exchange = seen[-1]
    assert exchange.method == "PUT" and exchange.status == 204
    assert exchange.request_headers["Authorization"] == "[redacted]"
    assert box.netsuite_credentials.token_id not in repr(exchange.to_json())
