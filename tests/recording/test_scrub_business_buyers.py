"""A business buyer's legal name and tax registration reach cassettes and reports as pseudonyms (a sole trader's
legal name is a person's name).

- SP-API Orders v0 model (``tests/vendor_specs/sp-api/ordersV0.json``): ``BuyerTaxInfo.CompanyLegalName``, "The legal
  name of the company.", in ``BuyerInfo``; ``BuyerTaxInformation.BuyerLegalCompanyName``, "Business buyer's company
  legal name.";
- SP-API Orders 2026-01-01 model (amzn/selling-partner-api-models ``models/orders-api-model/orders_2026-01-01.json``,
  commit 96d516ba, not vendored here): ``Buyer.buyerCompanyName``, "The name of the company or organization for a
  business order."; ``Order.tax`` (``OrderTax``) holds ``taxRegistrations``, "A list of tax registrations associated
  with the order.", each an ``OrderTaxRegistration`` whose ``legalName`` is "The legal name associated with the tax
  registration.", ``taxRegistrationNumber`` "The tax registration number that identifies the entity for tax
  purposes." and ``taxRegistrationAddress`` a ``CustomerAddress``; ``recipient.deliveryAddress.name`` is "The full
  name of the person who will receive the delivery at this address.". The order below is the model's sandbox
  response for getOrder, names and numbers as the model gives them.
"""

from __future__ import annotations

import json
from pathlib import Path

from syncproof.recording import Pseudonymiser, Scrubber
from syncproof.recording._scrub import match_key

ORDERS_V0 = json.loads((Path(__file__).resolve().parents[1] / "vendor_specs" / "sp-api" / "ordersV0.json")
                       .read_text(encoding="utf-8"))["definitions"]


def scrubbed(value: dict) -> dict:
    return Scrubber(personal=Pseudonymiser(7)).value(value)


def order_2026() -> dict:
    return {"orderId": "123-4567890-1234567",
            "buyer": {"buyerName": "John Smith", "buyerEmail": "buyer-email@marketplace.amazon.com",
                      "buyerCompanyName": "Smith Industries LLC", "buyerPurchaseOrderNumber": "PO-2024-12345"},
            "recipient": {"deliveryAddress": {"name": "John Smith", "addressLine1": "123 Main Street",
                                              "city": "Seattle", "postalCode": "98101", "countryCode": "US"}},
            "tax": {"taxRegistrations": [{
                "entityType": "BUYER", "taxRegistrationType": "BUSINESS", "taxRegistrationNumber": "TR1234567890",
                "legalName": "Test company name",
                "taxRegistrationAddress": {"name": "Mehmet Yilmaz", "addressLine1": "Istiklal Caddesi No:42",
                                           "city": "Istanbul", "postalCode": "34430", "countryCode": "TR"},
                "taxRegistrationAttributes": [{"key": "TAX_OFFICE", "value": "tax office"}]}]}}


def test_a_v0_business_buyers_legal_names_get_pseudonyms():
    # the members, as the vendored model names and describes them
    assert (ORDERS_V0["BuyerTaxInfo"]["properties"]["CompanyLegalName"]["description"]
            == "The legal name of the company.")
    assert (ORDERS_V0["BuyerTaxInformation"]["properties"]["BuyerLegalCompanyName"]["description"]
            == "Business buyer's company legal name.")
    order = {"AmazonOrderId": "701-2601815-9083016",
             "BuyerInfo": {"BuyerTaxInfo": {"CompanyLegalName": "Joana Silva ME", "TaxingRegion": "BR"}},
             "BuyerTaxInformation": {"BuyerLegalCompanyName": "Mehmet Yilmaz Tekstil", "BuyerTaxOffice": "Kadikoy"}}
    result = scrubbed(order)
    assert result["BuyerInfo"]["BuyerTaxInfo"]["CompanyLegalName"] not in ("Joana Silva ME", "")
    assert result["BuyerTaxInformation"]["BuyerLegalCompanyName"] not in ("Mehmet Yilmaz Tekstil", "")
    assert result["BuyerInfo"]["BuyerTaxInfo"]["TaxingRegion"] == "BR"
    assert result["BuyerTaxInformation"]["BuyerTaxOffice"] == "Kadikoy"


def test_a_2026_orders_buyer_recipient_and_tax_registration_get_pseudonyms_and_the_rest_stays():
    result = scrubbed(order_2026())
    text = json.dumps(result)
    served = ("John Smith", "Smith Industries LLC", "TR1234567890", "Test company name", "Mehmet Yilmaz",
              "Istiklal Caddesi No:42", "123 Main Street")
    assert [value for value in served if value in text] == [], text
    registration = result["tax"]["taxRegistrations"][0]
    assert (registration["entityType"], registration["taxRegistrationType"]) == ("BUYER", "BUSINESS")
    assert len(registration["taxRegistrationNumber"]) == len("TR1234567890")  # in the identifier's shape
    assert registration["taxRegistrationAttributes"] == [{"key": "TAX_OFFICE", "value": "tax office"}]
    assert result["buyer"]["buyerPurchaseOrderNumber"] == "PO-2024-12345"
    # the buyer and the recipient are the same person: one pseudonym
    assert result["buyer"]["buyerName"] == result["recipient"]["deliveryAddress"]["name"]


def test_requests_differing_only_in_a_legal_name_match():
    def body(name: str) -> bytes:
        return json.dumps({"tax": {"taxRegistrations": [{"legalName": name}]}}).encode()

    assert match_key(body("Joana Silva ME"), "application/json") == match_key(body("Ana Souza ME"), "application/json")
