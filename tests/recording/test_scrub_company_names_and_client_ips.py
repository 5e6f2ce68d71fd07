"""A recipient's company name and a buyer's IP address never reach a cassette or the report's evidence.

Sources (each rule's vendor model):

- SP-API Orders v0 (``ordersV0.json``, ``../shared/vendor-specs/sp-api``): ``Address.CompanyName``, "The company
  name of the recipient. **Note**: This attribute is only available for shipping address." (``OrderAddress``'s
  ``BuyerCompanyName`` was faked already, as 2026-01-01's ``buyerCompanyName`` in any case).
- SP-API Orders 2026-01-01 (amzn/selling-partner-api-models, models/orders-api-model/orders_2026-01-01.json):
  ``CustomerAddress.companyName``, "The name of the business or organization at this address." (the
  ``recipient.deliveryAddress`` and a tax registration's ``taxRegistrationAddress``); the model's example order
  has ``"companyName": "Smith Industries LLC"`` beside ``"name": "John Smith"``. Its ``MerchantAddress`` (a
  package's ``shipFromAddress``) has no company name.
- eBay Fulfillment API, type ``ExtendedContact`` (developer.ebay.com/api-docs/sell/fulfillment/types/
  sel:ExtendedContact): ``companyName`` "The company name associated with the buyer or eBay shipping partner.
  This field is only returned if defined/applicable to the buyer or eBay shipping partner."; the type of a
  shipping step's ``shipTo`` and of the buyer's ``buyerRegistrationAddress``. Its ``contactAddress`` (type
  ``Address``: ``addressLine1``, ``city``, ``postalCode``...) was scrubbed already by the core's keys.
- Shopify GraphQL Admin API ``Order.clientIp``: "The IP address of the API client that created the order." (as
  the Admin API schema's generated Order types in public SDKs describe it; no ``customerUserAgent`` field was
  found on the GraphQL Order, whose buyer user agent only the REST ``client_details.user_agent`` holds).
- WooCommerce legacy REST API (woocommerce/woocommerce-rest-api-docs, source/includes/v2/_orders.md, "Orders
  Properties"): ``customer_ip`` "Customer IP address", ``customer_user_agent`` "Customer User-Agent".
- Shopify GraphQL Admin API, object ``MailingAddress`` (shopify.dev/docs/api/admin-graphql/2025-04/objects/
  MailingAddress), the type of an Order's ``billingAddress`` and ``shippingAddress`` and a Customer's
  ``defaultAddress``: "Stores standard address components, customer name information, and company details.",
  ``company`` "The name of the customer's company or organization."; the REST Admin API's order
  ``billing_address``, ``shipping_address`` and its customer's ``default_address`` hold ``"company"`` too
  (Shopify/shopify_python_api, test/fixtures/order.json, ``"company": null`` there).
- WooCommerce REST API (woocommerce/woocommerce-rest-api-docs, source/includes/wp-api-v3/_orders.md, "Order - Billing
  properties" and "Order - Shipping properties"): ``company`` "Company name."; the legacy API's ``billing_address``
  and ``shipping_address`` (source/includes/v2/_customers.md, "Customer Billing Address Properties"): ``company``
  "Company name".
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator
from unittest import mock

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox._server import serve
from syncproof.recording import Pseudonymiser, Scrubber
from syncproof.recording._format import CassetteFile, load_cassette, write_cassette
from syncproof.recording._record import CassetteRecorder
from syncproof.report import sanitize

pytestmark = pytest.mark.integration

ANSWERS: dict[str, Any] = {
    "amazon_v0": {"payload": {"AmazonOrderId": "902-3159896-1390916", "ShippingAddress": {
        "Name": "Greta Lindqvist", "CompanyName": "Lindqvist Snickeri", "City": "Uppsala", "CountryCode": "SE"}}},
    "amazon_2026": {"orders": [{"orderId": "123-4567890-1234567", "recipient": {"deliveryAddress": {
        "name": "John Smith", "companyName": "Smith Industries LLC", "city": "Seattle", "countryCode": "US"}},
        "tax": {"taxRegistrations": [{"entityType": "BUYER", "taxRegistrationAddress": {
            "companyName": "Smith Industries LLC", "countryCode": "US"}}]},
        "packages": [{"shipFromAddress": {"name": "Acme Warehouse 4", "countryCode": "US"}}]}]},
    "ebay": {"orderId": "12-12345-12345", "buyer": {"username": "greta_l", "buyerRegistrationAddress": {
        "fullName": "Greta Lindqvist", "companyName": "Lindqvist Snickeri"}},
        "fulfillmentStartInstructions": [{"shippingStep": {"shipTo": {
            "fullName": "Greta Lindqvist", "companyName": "Lindqvist Snickeri AB",
            "contactAddress": {"addressLine1": "Sysslomansgatan 7", "city": "Uppsala", "countryCode": "SE"}}}}]},
    "shopify": {"data": {"order": {"id": "gid://shopify/Order/5501", "name": "#1001", "clientIp": "203.0.113.77"}}},
    "woocommerce_legacy": {"order": {"id": 645, "customer_ip": "198.51.100.23", "customer_user_agent":
                                     "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
                                     "billing_address": {"first_name": "Ana", "company": "", "country": "BR"}}},
    "shopify_rest": {"order": {"id": 450789469, "billing_address": {
        "first_name": "Bob", "last_name": "Norman", "company": "Norman Hardware", "city": "Louisville"},
        "shipping_address": {"first_name": "Bob", "company": "Norman Hardware LLC", "country_code": "US"},
        "customer": {"id": 207119551, "default_address": {"company": "Norman Hardware", "province_code": "KY"}}}},
    "shopify_graphql": {"data": {"order": {"id": "gid://shopify/Order/5501", "name": "#1001",
                                           "billingAddress": {"company": "Norman Hardware", "countryCodeV2": "US"},
                                           "shippingAddress": {"company": "Norman Hardware LLC"}}}},
    "woocommerce": {"id": 727, "billing": {"first_name": "Ana", "company": "Souza Marcenaria ME", "country": "BR"},
                    "shipping": {"first_name": "Ana", "company": "Souza Marcenaria", "country": "BR"}},
    "woocommerce_legacy_company": {"order": {"id": 646, "billing_address": {"company": "Souza Marcenaria ME"},
                                             "shipping_address": {"company": "Souza Marcenaria"}}},
    # a NetSuite company customer the settlement posts to: a company's own name, not a person's
    "netsuite": {"entityId": "Amazon Settlements", "companyName": "Amazon Settlements", "isPerson": False},
}
REAL = ("Lindqvist Snickeri", "Smith Industries", "203.0.113.77", "198.51.100.23", "Firefox/128.0",
        "Greta Lindqvist", "John Smith", "Norman Hardware", "Souza Marcenaria")


async def _answer(request: Request) -> Response:
    return Response(json.dumps(ANSWERS[request.path_params["name"]]), media_type="application/json")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serve(Starlette(routes=[Route("/answer/{name}", _answer, methods=["GET"])]), name="answers") as running:
        yield running.url


def recorded(server: str, tmp_path: Path, name: str) -> tuple[str, Any]:
    """The cassette text of fetching ``ANSWERS[name]`` while recording, and the answer as the cassette keeps it."""
    recorder = CassetteRecorder(Scrubber({server: "http://channel.sandbox.syncproof"}, {}, Pseudonymiser(seed=11)))
    with mock.patch.object(httpx.HTTPTransport, "handle_request", recorder.handler()), httpx.Client() as client:
        assert client.get(f"{server}/answer/{name}").json() == ANSWERS[name]
    path = tmp_path / f"{name}.yaml"
    write_cassette(path, CassetteFile(str(path), list(recorder.interactions), {"scenario": name}))
    [interaction] = load_cassette(path).interactions
    return path.read_text(encoding="utf-8"), json.loads(interaction.response.body, parse_float=Decimal)


def evidence(pseudonymised_evidence: Any, name: str) -> str:
    with pseudonymised_evidence(3):
        return json.dumps(sanitize.scrub({"response": ANSWERS[name], "response_body": json.dumps(ANSWERS[name])}),
                          default=str)


@pytest.mark.parametrize("name", ["amazon_v0", "amazon_2026", "ebay", "shopify_rest", "shopify_graphql", "woocommerce",
                                  "woocommerce_legacy_company"])
def test_a_recipients_company_name_is_faked_in_the_cassette_and_the_report(server, tmp_path, name,
                                                                           pseudonymised_evidence):
    cassette, _ = recorded(server, tmp_path, name)
    assert [real for real in REAL if real in cassette] == [], cassette
    seen = evidence(pseudonymised_evidence, name)
    assert [real for real in REAL if real in seen] == [], seen


def test_what_is_not_a_persons_stays(server, tmp_path):
    _, amazon = recorded(server, tmp_path, "amazon_2026")
    assert amazon["orders"][0]["packages"][0]["shipFromAddress"] == {"name": "Acme Warehouse 4", "countryCode": "US"}
    _, ebay = recorded(server, tmp_path, "ebay")
    ship_to = ebay["fulfillmentStartInstructions"][0]["shippingStep"]["shipTo"]
    assert ship_to["companyName"] not in ("", "Lindqvist Snickeri AB")
    assert ship_to["contactAddress"]["countryCode"] == "SE"
    _, woo = recorded(server, tmp_path, "woocommerce")
    assert woo["billing"]["company"] not in ("", "Souza Marcenaria ME") and woo["billing"]["country"] == "BR"
    _, shopify = recorded(server, tmp_path, "shopify_graphql")
    assert shopify["data"]["order"]["billingAddress"]["countryCodeV2"] == "US"
    _, netsuite = recorded(server, tmp_path, "netsuite")
    assert netsuite == ANSWERS["netsuite"]


@pytest.mark.parametrize("name", ["shopify", "woocommerce_legacy"])
def test_a_buyers_ip_address_gets_a_fake_ip_address_in_the_cassette_and_the_report(server, tmp_path, name,
                                                                                  pseudonymised_evidence):
    cassette, kept = recorded(server, tmp_path, name)
    assert [real for real in REAL if real in cassette] == [], cassette
    ip = kept["data"]["order"]["clientIp"] if name == "shopify" else kept["order"]["customer_ip"]
    assert ip.count(".") == 3 and all(part.isdigit() for part in ip.split(".")), ip  # still an IPv4 address
    seen = evidence(pseudonymised_evidence, name)
    assert [real for real in REAL if real in seen] == [], seen
