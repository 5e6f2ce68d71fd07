"""Shopify's own order fixtures, scrubbed, keep nothing of the buyer: name, e-mail, phone, address lines, city,
postcode, the address's coordinates and the browser's IP address and user agent.

The fixtures are Shopify's (Shopify/shopify_python_api, test/fixtures/order.json and orders.json, vendored in
``tests/vendor_specs/shopify``): an order's ``browser_ip`` and its ``client_details.browser_ip`` (``"0.0.0.0"``), and
the ``latitude``/``longitude`` of its ``billing_address`` and ``shipping_address`` (``"45.41634"``/``"-75.6868"`` in
order.json, the numbers ``45.41634``/``-75.6868`` in orders.json). No stored Shopify reference page describing
these fields was found; their names and where they sit are the fixtures'. The fixtures' ``client_details`` hold a
``user_agent`` too, null in both: the test gives it a browser's.
"""

from __future__ import annotations

import json
from pathlib import Path

from syncproof.recording import Pseudonymiser, Scrubber

FIXTURES = Path(__file__).resolve().parents[1] / "vendor_specs" / "shopify"
BUYER = ("bob.norman@hostmail.com", "Bob Norman", "Norman", "555-625-1199", "+557734881234", "Chestnut Street 92",
         "Louisville", "40202", "45.41634", "-75.6868", "0.0.0.0")


def scrubbed(name: str) -> dict:
    body = (FIXTURES / name).read_bytes()
    return json.loads(Scrubber(personal=Pseudonymiser(11)).body(body, "application/json"))


def test_no_value_of_the_buyer_is_left_in_shopifys_order_fixtures():
    for name in ("order.json", "orders.json"):
        text = json.dumps(scrubbed(name))
        assert [value for value in BUYER if value in text] == [], name


def test_the_browsers_user_agent_in_client_details_gets_a_fake_user_agent():
    agent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14) AppleWebKit/605.1.15 Version/12.0 Safari/605.1.15"
    fixture = json.loads((FIXTURES / "orders.json").read_bytes())
    fixture["orders"][0]["client_details"]["user_agent"] = agent
    body = json.dumps(fixture).encode()
    details = json.loads(Scrubber(personal=Pseudonymiser(11)).body(body, "application/json"))["orders"][0][
        "client_details"]
    assert details["user_agent"] != agent and details["user_agent"].startswith("Mozilla/")
    assert (details["accept_language"], details["session_hash"]) == (None, None)


def test_coordinates_stay_coordinates_and_the_rest_of_the_order_stays():
    order = scrubbed("orders.json")["orders"][0]
    for address in ("billing_address", "shipping_address"):
        latitude, longitude = order[address]["latitude"], order[address]["longitude"]
        assert isinstance(latitude, float) and -90 <= latitude <= 90 and -180 <= longitude <= 180  # numbers still
        assert (order[address]["province_code"], order[address]["country_code"]) == ("KY", "US")
    assert order["billing_address"]["latitude"] == order["shipping_address"]["latitude"]  # one place, one fake
    assert order["browser_ip"] == order["client_details"]["browser_ip"] != "0.0.0.0"
    assert (order["name"], order["total_price"]) == ("#1001", "598.94")
    text_order = scrubbed("order.json")["order"]
    assert isinstance(text_order["billing_address"]["latitude"], str)


def test_a_coordinate_given_as_a_whole_number_is_faked_as_a_number_too():
    """orders.json gives the coordinates as JSON numbers (``45.41634``); a whole degree, or 0, is a JSON integer
    (``"latitude": 45``), parsed as an int: it is the same coordinate and gets a fake number like any other."""
    body = b'{"order": {"shipping_address": {"latitude": 45, "longitude": 0, "address1": "1 Rue", "default": true}}}'
    address = json.loads(Scrubber(personal=Pseudonymiser(11)).body(body, "application/json"))["order"][
        "shipping_address"]
    assert isinstance(address["latitude"], float) and address["latitude"] != 45 and -90 <= address["latitude"] <= 90
    assert isinstance(address["longitude"], float) and address["longitude"] != 0
    assert address["default"] is True  # a bool is not a number here


def test_the_reports_evidence_fakes_a_numeric_coordinate_as_the_cassette_does(pseudonymised_evidence):
    """A scenario's result or settlement keeps the order's address as parsed (``"latitude": Decimal("45.41634")``,
    as in orders.json): the report's scrub fakes these numbers as the cassette's does, and leaves other numbers."""
    from decimal import Decimal

    from syncproof.report import sanitize

    with pseudonymised_evidence(11):
        seen = sanitize.scrub({"shipping_address": {"latitude": Decimal("45.41634"), "longitude": -75.6868,
                                                    "city": "Louisville"}, "total": Decimal("598.94"), "count": 2})
    address = seen["shipping_address"]
    assert isinstance(address["latitude"], Decimal) and address["latitude"] != Decimal("45.41634")
    assert -90 <= address["latitude"] <= 90 and address["longitude"] != -75.6868
    assert address["city"] != "Louisville" and (seen["total"], seen["count"]) == (Decimal("598.94"), 2)
