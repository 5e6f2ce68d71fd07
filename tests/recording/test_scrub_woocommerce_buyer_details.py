"""A WooCommerce buyer's IP address and user agent, and the details the Brazilian Market plugin adds to an order
(date of birth, gender, house number, neighbourhood), are pseudonymised in cassettes and in the report.

- WooCommerce REST API docs (woocommerce/woocommerce-rest-api-docs, source/includes/wp-api-v3/_orders.md), "Order
  properties": ``customer_ip_address`` "Customer's IP address." and ``customer_user_agent`` "User agent of the
  customer." (both read-only): WooCommerce's counterpart of Shopify's ``browser_ip``.
- Brazilian Market on WooCommerce (claudiosanches/woocommerce-extra-checkout-fields-for-brazil,
  includes/class-extra-checkout-fields-for-brazil-api.php): ``orders_response`` sets the REST answer's
  ``billing`` ``number`` and ``neighborhood`` from ``$order->get_meta( '_billing_number' )`` and
  ``'_billing_neighborhood'``, ``birthdate`` from ``'_billing_birthdate'`` (kept ``dd/mm/yyyy``, answered
  ``sprintf( '%s-%s-%sT00:00:00', ...)`` month first), ``gender`` as ``substr( ..._billing_gender, 0, 1 )``, and
  ``shipping`` ``number`` and ``neighborhood`` from ``'_shipping_number'`` and ``'_shipping_neighborhood'``; its
  schema describes them "Birthdate.", "Gender.", "Number.", "Neighborhood.". The legacy API's ``billing_address``
  and ``shipping_address`` get the same. The plugin names the field ``gender``, not ``sex``.
"""

from __future__ import annotations

import ipaddress
import json
import re

from syncproof.recording import Pseudonymiser, Scrubber
from syncproof.report import sanitize

IP, AGENT = "187.45.102.9", "Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 Chrome/119.0 Mobile"
BORN_META, BORN_REST = "23/04/1987", "04-23-1987T00:00:00"


def order() -> dict:
    return {"id": 728, "number": "728", "currency": "BRL", "customer_ip_address": IP, "customer_user_agent": AGENT,
            "billing": {"first_name": "Joana", "country": "BR", "state": "SP", "number": "1578",
                        "neighborhood": "Vila Mariana", "birthdate": BORN_REST, "gender": "F", "persontype": "F"},
            "shipping": {"first_name": "Joana", "country": "BR", "number": "1578", "neighborhood": "Vila Mariana"},
            "meta_data": [{"id": 1, "key": "_billing_birthdate", "value": BORN_META},
                          {"id": 2, "key": "_billing_gender", "value": "Feminino"},
                          {"id": 3, "key": "_billing_number", "value": "1578"},
                          {"id": 4, "key": "_billing_neighborhood", "value": "Vila Mariana"},
                          {"id": 5, "key": "_shipping_number", "value": "1578"},
                          {"id": 6, "key": "_shipping_neighborhood", "value": "Vila Mariana"},
                          {"id": 7, "key": "_billing_persontype", "value": "1"}]}


SERVED = (IP, AGENT, BORN_META, BORN_REST, "Feminino", "1578", "Vila Mariana", "1987")


def scrubbed() -> dict:
    return json.loads(Scrubber(personal=Pseudonymiser(5)).body(json.dumps(order()).encode(), "application/json"))


def test_the_buyers_ip_address_and_user_agent_get_fakes_of_their_kind():
    result = scrubbed()
    assert result["customer_ip_address"] != IP and ipaddress.ip_address(result["customer_ip_address"]).version == 4
    assert result["customer_user_agent"] != AGENT and result["customer_user_agent"].startswith("Mozilla/")
    assert (result["id"], result["number"], result["currency"]) == (728, "728", "BRL")


def test_the_plugins_birthdate_gender_number_and_neighbourhood_get_fakes_and_the_rest_stays():
    result = scrubbed()
    text = json.dumps(result)
    assert [value for value in SERVED if value in text] == [], text
    assert re.fullmatch(r"\d{2}-\d{2}-\d{4}T00:00:00", result["billing"]["birthdate"])  # month first, as answered
    meta = {entry["key"]: entry["value"] for entry in result["meta_data"]}
    day, month, _ = meta["_billing_birthdate"].split("/")
    assert 1 <= int(day) <= 31 and 1 <= int(month) <= 12  # day first, as kept
    assert result["billing"]["number"] == result["shipping"]["number"] == meta["_shipping_number"]  # one fake
    assert result["billing"]["neighborhood"] == meta["_billing_neighborhood"]
    assert len(meta["_billing_gender"]) == len("Feminino") and len(result["billing"]["gender"]) == 1
    assert meta["_billing_persontype"] == "1" and result["billing"]["persontype"] == "F"
    assert (result["billing"]["state"], result["shipping"]["country"]) == ("SP", "BR")


def test_report_evidence_holding_the_order_is_pseudonymised(pseudonymised_evidence):
    with pseudonymised_evidence(3):
        seen = repr(sanitize.scrub({"order": order(), "response_body": json.dumps(order())}))
    assert [value for value in SERVED if value in seen] == [], seen
    assert "_billing_persontype" in seen and "'BRL'" in seen
