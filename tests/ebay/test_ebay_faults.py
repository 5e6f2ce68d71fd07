"""The eBay connector against a faulty eBay emulator (the shared fault plan), over real loopback HTTP."""

from __future__ import annotations

import httpx
import pytest

from connectors import RetryPolicy, WriteOutcomeUnknown
from connectors.ebay import EbayClient, EbayCredentials
from sandbox._faults import FaultInjector, FaultPlan, ScheduledFault
from sandbox._server import serve
from sandbox.ebay import EbayBackend, create_app

from ._helpers import LINES, usd


def once(kind: str, method: str = "*", path: str = "") -> FaultPlan:
    return FaultPlan(schedule=(ScheduledFault(kind, 1, method, path),), hold=0.05, delay=0.05)


@pytest.fixture
def faulty():
    backend = EbayBackend(seed=3)
    injector = FaultInjector(create_app(backend), FaultPlan(), vendor="ebay")
    with serve(injector, name="ebay") as server:
        k = backend.keyset
        client = EbayClient(EbayCredentials(k.client_id, k.client_secret, k.refresh_token), base_url=server.url,
                            retry=RetryPolicy(max_attempts=4, base_delay=0.001, max_delay=0.01),
                            sleep=lambda seconds: None, timeout=httpx.Timeout(60.0))
        order = backend.create_order([{"sku": line.sku, "quantity": line.quantity, "unit_price": line.unit_price,
                                       "tax": line.tax} for line in LINES])
        yield backend, injector, client, order["orderId"], server
        client.close()


@pytest.mark.parametrize("kind", ["429", "500", "502", "503", "timeout", "reset", "lost_response", "slow"])
def test_a_faulted_read_is_retried_and_succeeds(faulty, kind):
    backend, injector, client, order_id, _ = faulty
    client.oauth.access_token()  # the token first, so the fault lands on the Sell API call
    injector.configure(once(kind, "GET", "^/sell/fulfillment/v1/order/"))
    assert client.get_order(order_id).channel_order_id == order_id
    assert client.stats.retries == (0 if kind == "slow" else 1)
    assert injector.stats.faults[kind] == 1


@pytest.mark.parametrize("kind", ["500", "503", "429", "reset"])
def test_a_faulted_token_request_is_retried(faulty, kind):
    backend, injector, client, order_id, _ = faulty
    injector.configure(once(kind, "POST", "^/identity/v1/oauth2/token$"))
    assert client.get_order(order_id)
    assert client.oauth._client.stats.retries == 1


def test_a_refund_whose_answer_is_lost_is_not_sent_twice(faulty):
    backend, injector, client, order_id, _ = faulty
    client.oauth.access_token()
    injector.configure(once("lost_response", "POST", "/issue_refund$"))
    with pytest.raises(WriteOutcomeUnknown):
        client.issue_refund(order_id, reason="OTHER_ADJUSTMENT", order_amount=usd("1.00"))
    assert len(backend.orders[order_id].refunds) == 1  # applied once; the client did not resend it


def test_faults_answer_in_ebays_shapes(faulty):
    _, injector, _, _, server = faulty
    injector.configure(once("429"))
    throttled = httpx.get(server.url + "/sell/fulfillment/v1/order")
    assert throttled.status_code == 429 and throttled.json()["errors"][0]["errorId"] == 2001
    injector.configure(once("500"))
    failed = httpx.get(server.url + "/sell/finances/v1/transaction")
    assert failed.status_code == 500 and failed.json()["errors"][0]["errorId"] == 135000
    injector.configure(once("500", "POST", "^/identity/"))
    token = httpx.post(server.url + "/identity/v1/oauth2/token", data={"grant_type": "refresh_token"})
    assert token.status_code == 500 and token.json()["error"] == "server_error"
