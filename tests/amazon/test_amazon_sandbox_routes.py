"""The emulator's ``/__sandbox__/`` seed routes, driven over HTTP and read back through the connector."""

from __future__ import annotations

import gzip

import httpx
import pytest
from amazon_helpers import days_ago

from syncproof.model import Money

pytestmark = pytest.mark.integration

SINCE = days_ago(60)
START, END = days_ago(40), days_ago(26)


def test_seed_order_refund_and_settlement_over_http(server, client, backend):
    with httpx.Client(base_url=server.url) as http:
        created = http.post("/__sandbox__/orders", json={
            "order_id": "114-7654321-7654321",
            "items": [{"sku": "LAMP-1", "quantity": 2, "item_price": "50.00", "item_tax": "4.00"}]})
        assert created.status_code == 201 and created.json()["AmazonOrderId"] == "114-7654321-7654321"
        refund = http.post("/__sandbox__/orders/114-7654321-7654321/refunds",
                           json={"lines": [{"sku": "LAMP-1", "quantity": 1}], "refund_id": "R-1"})
        assert refund.status_code == 201 and refund.json()["transactionType"] == "Refund"
        assert http.post("/__sandbox__/orders/114-0000000-0000000/refunds",
                         json={"lines": [{"sku": "LAMP-1"}]}).status_code == 400
        content = b"settlement-id\ttotal-amount\n123\t46.00\n"
        seeded = http.post("/__sandbox__/reports/settlement", content=content,
                           params={"start": START, "end": END,
                                   "compression": "GZIP"})
        assert seeded.status_code == 201
        assert http.post("/__sandbox__/throttle", json={"operation": "getReports", "count": 1}).status_code == 200

    (refunded,) = client.refunds_between(SINCE)
    assert (refunded.refund_id, refunded.lines[0].amount, refunded.lines[0].tax) == (
        "R-1", Money("25.00", "USD"), Money("2.00", "USD"))
    (report,) = client.settlement_reports(SINCE)  # throttled once, retried
    assert backend.throttle.throttled == {"getReports": 1}
    assert report.data_start_time == START and report.data_end_time == END
    assert client.download_report(report.document_id).content == content
    assert gzip.decompress(backend._documents[report.document_id].content) == content


def test_clock_route_moves_token_expiry(server, client, backend):
    list(client.list_transactions(SINCE))
    httpx.post(server.url + "/__sandbox__/clock", json={"advance": 3700})
    list(client.list_transactions(SINCE))  # renewed after Amazon's 403, not failed
    assert backend.stats.token_requests == 2


def test_lwa_errors_use_lwa_bodies(server):
    good = {"grant_type": "refresh_token", "client_id": "amzn1.application-oa2-client.syncproofdemo0000000000000000"}
    bad_secret = httpx.post(server.url + "/auth/o2/token", data={**good, "client_secret": "x", "refresh_token": "y"})
    assert bad_secret.status_code == 401
    assert bad_secret.json() == {"error_description": "Client authentication failed", "error": "invalid_client"}
    wrong_grant = httpx.post(server.url + "/auth/o2/token", data={"grant_type": "password"})
    assert wrong_grant.status_code == 400 and wrong_grant.json()["error"] == "unsupported_grant_type"
