"""Buyer information is restricted data: getOrders shows it only to a Restricted Data Token.

Sources:

- ordersV0.json, definition ``Order``, field ``BuyerInfo``: "**Note**: The `BuyerInfo` contains
  restricted data. Use the Restricted Data Token (RDT) and restricted SPDS roles to access the
  restricted data in `BuyerInfo`. For example, `BuyerName`, `BuyerTaxInfo`, and `PurchaseOrderNumber`."
- tokens_2021-03-01.json (amzn/selling-partner-api-models, models/tokens-api-model), operation
  ``createRestrictedDataToken`` (``POST /tokens/2021-03-01/restrictedDataToken``): "Use the RDT
  returned here as the access token in subsequent calls to the corresponding restricted operations";
  ``RestrictedResource.path`` "``/orders/v0/orders``. For getting an RDT for the getOrders operation of
  the Orders API. For bulk orders."; ``dataElements`` "required only when getting an RDT for use with
  the getOrder, getOrders, or getOrderItems operation ... **buyerInfo** ..."; the answer
  ``{restrictedDataToken, expiresIn}`` (3600 in its examples).
- SP-API docs, "Get authorization to access PII for bulk orders": "Call the createRestrictedDataToken
  operation ... Include the RDT with a call to the getOrders operation".

The emulator hides the whole ``BuyerInfo`` (e-mail too) without a token: the model calls all of it
restricted data and lists the name only as an example.
"""

from __future__ import annotations

import httpx
import pytest
from amazon_helpers import days_ago

from sandbox.amazon import DEMO_CREDENTIALS, DEMO_MARKETPLACE_ID

pytestmark = pytest.mark.integration

RDT = "/tokens/2021-03-01/restrictedDataToken"


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.url) as client:
        token = client.post("/auth/o2/token", data={
            "grant_type": "refresh_token", "refresh_token": DEMO_CREDENTIALS.refresh_token,
            "client_id": DEMO_CREDENTIALS.client_id, "client_secret": DEMO_CREDENTIALS.client_secret,
        }).json()["access_token"]
        client.headers["x-amz-access-token"] = token
        yield client


@pytest.fixture
def order(backend):
    return backend.create_order([{"sku": "MUG-1", "quantity": 1, "item_price": "20.00"}],
                                buyer_email="buyer@marketplace.amazon.invalid", buyer_name="Ada Buyer")


def _orders(http, token=None):
    headers = {"x-amz-access-token": token} if token else {}
    answer = http.get("/orders/v0/orders", params={"MarketplaceIds": DEMO_MARKETPLACE_ID,
                                                   "CreatedAfter": days_ago(1)}, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["payload"]["Orders"]


def _rdt(http, elements, path="/orders/v0/orders"):
    return http.post(RDT, json={"restrictedResources": [{"method": "GET", "path": path,
                                                        "dataElements": elements}]})


def test_get_orders_hides_buyer_info_without_a_restricted_data_token(http, order):
    (plain,) = _orders(http)
    assert "BuyerInfo" not in plain

    answer = _rdt(http, ["buyerInfo"])
    assert answer.status_code == 200 and answer.json()["expiresIn"] == 3600
    token = answer.json()["restrictedDataToken"]
    assert token.startswith("Atz.sprdt|")
    (restricted,) = _orders(http, token)
    assert restricted["BuyerInfo"] == {"BuyerEmail": "buyer@marketplace.amazon.invalid", "BuyerName": "Ada Buyer"}

    (address_only,) = _orders(http, _rdt(http, ["shippingAddress"]).json()["restrictedDataToken"])
    assert "BuyerInfo" not in address_only  # a token unlocks only the data elements it names


def test_a_token_request_without_data_elements_for_orders_is_refused(http):
    for body in ({"restrictedResources": []},
                 {"restrictedResources": [{"method": "GET", "path": "/orders/v0/orders"}]},
                 {"restrictedResources": [{"method": "", "path": "/orders/v0/orders", "dataElements": ["buyerInfo"]}]},
                 {"restrictedResources": [{"method": "GET", "path": "/orders/v0/orders", "dataElements": ["ssn"]}]}):
        refused = http.post(RDT, json=body)
        assert refused.status_code == 400, body
        assert refused.json()["errors"][0]["code"] in ("InvalidInput", "InvalidRequest")


def test_the_connector_asks_for_a_token_once_and_reads_the_buyer(backend, client, order):
    orders = list(client.get_orders(created_after=days_ago(1)))
    assert [(o.customer_email, o.customer_name) for o in orders] == [("buyer@marketplace.amazon.invalid",
                                                                      "Ada Buyer")]
    list(client.get_orders(created_after=days_ago(1)))
    assert backend.stats.calls["createRestrictedDataToken"] == 1  # kept until a minute before it expires
    assert client.stats.writes == 0  # asking for a token is no write (the audit's read-only guard lets it pass)


def test_without_the_restricted_role_orders_come_without_the_buyer(backend, client, order):
    """An application Amazon refuses restricted data reads orders as live would: no buyer e-mail or name.

    The engine's customer matching then keys the NetSuite customer on the order id (one customer per
    order, named "amazon customer"): the refund checks compare records, never customers."""
    backend.restricted_roles = False  # the app was never granted Tax Remittance / Tax Invoicing
    (plain,) = list(client.get_orders(created_after=days_ago(1)))
    assert (plain.customer_email, plain.customer_name) == (None, None)
    assert client.buyer_info_refused and "Tax Remittance" in client.buyer_info_refused
    list(client.get_orders(created_after=days_ago(1)))
    assert backend.stats.calls["createRestrictedDataToken"] == 1  # refused once: not asked again


def test_the_restricted_data_token_never_reaches_the_evidence(make_client, order):
    evidence = []
    client = make_client(on_exchange=evidence.append)
    list(client.get_orders(created_after=days_ago(1)))
    ((token, _expiry),) = client._rdts.values()
    dump = repr([e.to_json() for e in evidence])
    assert "/tokens/2021-03-01/restrictedDataToken" in dump  # the exchange is kept as evidence
    assert token not in dump and '"restrictedDataToken": "[redacted]"' in dump
