"""The Amazon connector against the emulator over loopback: auth, paging, retries, mapping, reports."""

from __future__ import annotations

import gzip
import os
import time
from decimal import Decimal

import httpx
import pytest
from amazon_helpers import FakeClock, days_ago, demo_credentials

from connectors import AmazonError, AuthenticationFailed, RateLimited, RetryPolicy
from connectors.amazon import endpoint_for
from syncproof.model import Channel, Money

pytestmark = pytest.mark.integration

SINCE = days_ago(60)  # within the 180 days one listTransactions call answers for


def usd(amount: str) -> Money:
    return Money(amount, "USD")


def seed_orders(backend, count: int) -> list[str]:
    return [backend.create_order([{"sku": f"SKU-{n}", "quantity": 1, "item_price": f"{10 + n}.00",
                                   "item_tax": "0.80"}])["AmazonOrderId"] for n in range(count)]


# Login with Amazon ---------------------------------------------------------------
def test_one_token_request_serves_many_calls(backend, client):
    seed_orders(backend, 3)
    orders = list(client.get_orders(created_after=SINCE))
    list(client.list_transactions(SINCE))
    assert len(orders) == 3
    assert backend.stats.calls["getOrderItems"] == 3
    assert backend.stats.token_requests == 1
    assert client.lwa.token_requests == 1


def test_token_is_renewed_a_minute_before_it_expires(backend, make_client):
    clock = FakeClock(time.time())  # Finances windows are cut at the client's clock: it stands at the present
    client = make_client(clock=clock)
    list(client.list_transactions(SINCE))
    clock.now += 3600 - 61
    list(client.list_transactions(SINCE))
    assert backend.stats.token_requests == 1
    clock.now += 2  # now inside the last minute of the token's life
    list(client.list_transactions(SINCE))
    assert backend.stats.token_requests == 2


def test_token_expired_on_the_server_is_renewed_without_failing_the_call(backend, make_client):
    clock = FakeClock()
    client = make_client(clock=clock)
    seed_orders(backend, 1)
    assert len(list(client.get_orders(created_after=SINCE))) == 1
    backend.clock.advance(3601)  # Amazon's clock says the token expired; ours does not know yet
    orders = list(client.get_orders(created_after=SINCE))
    assert len(orders) == 1
    assert backend.stats.token_requests == 2
    # both expired on Amazon's side: the Restricted Data Token getOrders went with, then the access token
    # the new one was asked with; each renewed once
    assert client.stats.by_status.get(403) == 2


def test_bad_client_secret_is_authentication_failed_naming_the_secret(make_client):
    client = make_client(demo_credentials(client_secret="amzn1.oa2-cs.v1.wrong"))
    with pytest.raises(AuthenticationFailed) as raised:
        list(client.list_transactions(SINCE))
    assert "invalid_client" in str(raised.value)
    assert "client secret" in raised.value.hint


def test_bad_refresh_token_is_authentication_failed_naming_the_refresh_token(make_client):
    client = make_client(demo_credentials(refresh_token="Atzr|revoked"))
    with pytest.raises(AuthenticationFailed) as raised:
        list(client.settlement_reports())
    assert "invalid_grant" in str(raised.value)
    assert "refresh token" in raised.value.hint


def test_secrets_never_reach_the_evidence(backend, make_client):
    evidence = []
    client = make_client(on_exchange=evidence.append)
    backend.add_settlement_report(b"a\tb\n", start=days_ago(40, date_only=True), end=days_ago(26, date_only=True))
    report = next(client.settlement_reports(SINCE))
    client.download_report(report.document_id)
    dump = repr([e.to_json() for e in evidence])
    token = client.lwa.access_token()
    for secret in (token, backend.credentials.client_secret, backend.credentials.refresh_token,
                   backend.credentials.client_id):
        assert secret not in dump
    assert "X-Amz-Signature=[redacted]" in dump
    assert {e.system for e in evidence} == {"amazon-lwa", "amazon", "amazon-report-document"}


# paging, throttling, errors ------------------------------------------------------
def test_orders_and_their_items_are_read_across_pages(backend, make_client):
    backend.orders_page_size = 2
    backend.order_items_page_size = 2
    ids = seed_orders(backend, 4)
    big = backend.create_order([{"sku": f"PART-{n}", "quantity": n + 1, "item_price": "6.00"} for n in range(5)])
    orders = {o.channel_order_id: o for o in make_client().get_orders(created_after=SINCE)}
    assert set(orders) == {*ids, big["AmazonOrderId"]}
    assert [line.sku for line in orders[big["AmazonOrderId"]].lines] == [f"PART-{n}" for n in range(5)]
    order_pages = [q for op, q in backend.requests if op == "getOrders"]
    item_pages = [q for op, q in backend.requests if op == "getOrderItems" and "NextToken" in q]
    assert len(order_pages) == 3 and all("NextToken" in q for q in order_pages[1:])
    assert len(item_pages) == 2  # five items, two per page


def test_transactions_are_read_across_pages(backend, client):
    backend.transactions_page_size = 2
    ids = seed_orders(backend, 3)
    for order_id in ids:
        backend.create_refund(order_id, [{"sku": backend._orders[order_id].items[0].sku, "quantity": 1}])
    transactions = list(client.list_transactions(SINCE))
    assert len(transactions) == 6
    assert len({t.transaction_id for t in transactions}) == 6
    pages = [q for op, q in backend.requests if op == "listTransactions"]
    assert len(pages) == 3
    assert all(q["postedAfter"] == [SINCE] for q in pages)  # the same arguments plus the token
    assert [sorted(t.order_id for t in transactions if t.transaction_type == "Refund")] == [sorted(ids)]


def test_settlement_reports_page_with_the_token_as_the_only_parameter(backend, client):
    for n in range(3):
        backend.add_settlement_report(f"report {n}".encode(), start=days_ago(50 - 14 * n), end=days_ago(36 - 14 * n))
    reports = list(client.settlement_reports(created_since=SINCE, page_size=2))
    assert [r.data_start_time for r in reports] == [days_ago(22), days_ago(36), days_ago(50)]
    queries = [q for op, q in backend.requests if op == "getReports"]
    assert queries[0]["reportTypes"] == ["GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"]
    assert queries[0]["processingStatuses"] == ["DONE"]
    assert set(queries[1]) == {"nextToken"}


def test_429_is_retried_until_the_call_succeeds(backend, client):
    seed_orders(backend, 1)
    backend.throttle.arm("getOrders", 2)
    assert len(list(client.get_orders(created_after=SINCE))) == 1
    assert backend.throttle.throttled["getOrders"] == 2
    assert client.stats.by_status[429] == 2 and client.stats.retries == 2


def test_still_throttled_after_every_retry_is_rate_limited(backend, make_client):
    client = make_client(retry=RetryPolicy(max_attempts=3, base_delay=0.01))
    backend.throttle.arm("listTransactions", 10)
    with pytest.raises(RateLimited):
        list(client.list_transactions(SINCE))


def test_rate_limit_header_paces_later_calls_of_that_operation(backend, make_client):
    sleeps: list[float] = []
    now = FakeClock(100.0)
    client = make_client(sleep=sleeps.append, monotonic=now, bursts={"getReports": 1})
    backend.rate_limits["getReports"] = "2"
    list(client.settlement_reports(SINCE))
    assert sleeps == []  # nothing known before the first answer
    assert client.pacer.rate("getReports") == 2.0
    list(client.settlement_reports(SINCE))
    assert sleeps == [0.5]
    list(client.list_transactions(SINCE))  # another operation has its own bucket
    assert sleeps == [0.5]


def test_sp_api_error_body_becomes_amazon_error(client):
    with pytest.raises(AmazonError) as raised:
        client.call("listTransactions", "/finances/2024-06-19/transactions", {"postedBefore": "2022-03-07"})
    assert raised.value.status == 400
    assert raised.value.code == "InvalidInput"
    assert "Start date cannot be null" in str(raised.value)


def test_region_endpoints():
    assert endpoint_for("na") == "https://sellingpartnerapi-na.amazon.com"
    assert endpoint_for("eu", sandbox=True) == "https://sandbox.sellingpartnerapi-eu.amazon.com"
    assert endpoint_for("fe") == "https://sellingpartnerapi-fe.amazon.com"
    with pytest.raises(ValueError):
        endpoint_for("us")


# mapping -------------------------------------------------------------------------
def test_orders_map_to_the_domain_with_line_totals_split_into_unit_prices(backend, client):
    seeded = backend.create_order(
        [{"sku": "MUG-1", "quantity": 2, "item_price": "20.00", "item_tax": "1.60", "shipping_price": "4.99",
          "shipping_tax": "0.40", "promotion_discount": "2.00", "title": "Mug"},
         {"sku": "CAP-1", "quantity": 3, "item_price": "10.00", "item_tax": "0.80"}],
        order_id="112-1234567-1234567", buyer_email="buyer@example.invalid")
    (order,) = client.get_orders(created_after=SINCE)
    assert order.channel == Channel("amazon")
    assert order.channel_order_id == "112-1234567-1234567"
    mug, cap = order.lines
    assert mug.line_id == backend._orders[seeded["AmazonOrderId"]].items[0].order_item_id
    assert (mug.sku, mug.quantity, mug.unit_price, mug.discount, mug.tax) == (
        "MUG-1",
        2,
        usd("10.00"),
        usd("2.00"),
        usd("1.60"),
    )
    assert cap.gross.rounded() == usd("10.00") and cap.unit_price.rounded() == usd("3.33")
    assert order.shipping.amount == usd("4.99") and order.shipping.tax == usd("0.40")
    assert order.total == usd(seeded["OrderTotal"]["Amount"]) == usd("35.79")
    assert order.customer_email == "buyer@example.invalid"


def test_refund_transactions_become_positive_buyer_refunds_with_fees_apart(backend, client):
    order_id = backend.create_order(
        [{"sku": "MUG-1", "quantity": 2, "item_price": "20.00", "item_tax": "1.60", "promotion_discount": "2.00"},
         {"sku": "CAP-1", "quantity": 1, "item_price": "12.00", "item_tax": "0.96"}])["AmazonOrderId"]
    transaction = backend.create_refund(order_id, [{"sku": "MUG-1", "quantity": 1}, {"sku": "CAP-1", "quantity": 1}],
                                        shipping="4.99", shipping_tax="0.40", refund_id="98765432101234")
    (refund,) = client.refunds_between(SINCE)
    assert refund.channel_order_id == order_id
    assert refund.refund_id == "98765432101234"
    lines = {line.sku: line for line in refund.lines}
    assert (lines["MUG-1"].quantity, lines["MUG-1"].amount, lines["MUG-1"].tax) == (1, usd("9.00"), usd("0.80"))
    assert (lines["CAP-1"].quantity, lines["CAP-1"].amount, lines["CAP-1"].tax) == (1, usd("12.00"), usd("0.96"))
    assert refund.shipping == usd("4.99") and refund.shipping_tax == usd("0.40")
    assert refund.total == usd("28.15")
    fees = refund.extra["fees"]
    assert fees["Commission"] == usd("3.15") and fees["RefundCommission"] == usd("-0.63")
    # what moved in the seller's account = -(buyer refund) + fees
    assert refund.extra["settlement_total"] == -refund.total + fees["Commission"] + fees["RefundCommission"]
    assert refund.extra["transaction_id"] == transaction["transactionId"]


def test_refund_without_refund_id_falls_back_to_the_transaction_id(backend, client):
    order_id = seed_orders(backend, 1)[0]
    transaction = backend.create_refund(order_id, [{"sku": "SKU-0", "quantity": 1}])
    transaction["relatedIdentifiers"] = [r for r in transaction["relatedIdentifiers"]
                                         if r["relatedIdentifierName"] != "REFUND_ID"]
    (refund,) = client.refunds_between(SINCE)
    assert refund.refund_id == transaction["transactionId"]


# reports ---------------------------------------------------------------------------
def test_gzipped_settlement_document_round_trips_byte_for_byte_without_auth_headers(backend, client):
    content = (
        "settlement-id\tsettlement-start-date\ttotal-amount\n".encode()
        + os.urandom(64).hex().encode()
        + "\tÜ\n".encode()
    )
    backend.add_settlement_report(content, start=days_ago(40), end=days_ago(26),
                                  compression="GZIP")
    (report,) = client.settlement_reports(SINCE)
    assert gzip.decompress(backend._documents[report.document_id].content) == content  # stored compressed
    document = client.download_report(report.document_id)
    assert document.content == content
    assert document.text == content.decode("utf-8")
    assert document.compression == "GZIP"
    (download,) = backend.document_requests
    assert download.status == 200
    assert "x-amz-access-token" not in {k.lower() for k in download.headers}


def test_document_without_charset_falls_back_to_cp1252(backend, client):
    content = "sku\tdescription\nMUG-1\tTasse für Kaffee – 0,5 l\n".encode("cp1252")
    backend.add_settlement_report(content, start=days_ago(40, date_only=True),
                                  end=days_ago(26, date_only=True), charset=None)
    (report,) = client.settlement_reports(SINCE)
    document = client.download_report(report.document_id)
    assert document.encoding == "cp1252"
    assert "Tasse für Kaffee – 0,5 l" in document.text


def test_presigned_document_url_expires_after_300_seconds(backend, client, server):
    backend.add_settlement_report(b"x", start=days_ago(40, date_only=True), end=days_ago(26, date_only=True))
    (report,) = client.settlement_reports(SINCE)
    ref = client.get_report_document(report.document_id)
    assert httpx.get(ref.url).status_code == 200
    backend.clock.advance(301)
    expired = httpx.get(ref.url)
    assert expired.status_code == 403 and b"Request has expired" in expired.content
    tampered = ref.url.replace("X-Amz-Signature=", "X-Amz-Signature=0")
    assert httpx.get(tampered).status_code == 403
    assert client.download_report(report.document_id).content == b"x"  # a fresh URL works


def test_amounts_stay_decimal(backend, client):
    seed_orders(backend, 1)
    (transaction,) = client.list_transactions(SINCE)
    amount = transaction.raw["totalAmount"]["currencyAmount"]
    assert isinstance(amount, Decimal) and transaction.total == usd("9.30")
