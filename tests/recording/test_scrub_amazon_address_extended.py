"""An SP-API order's shipping address keeps none of its extended fields: street name and number, complement,
neighbourhood and the address's coordinates.

SP-API Orders v0 model (``ordersV0.json``, vendored in ``tests/vendor_specs/sp-api`` and
``../shared/vendor-specs/sp-api``): ``Address.ExtendedFields`` is an ``AddressExtendedFields``, "Extended address
fields for additional address components including the street name or number. Note: Available for grocery sellers
and Brazil shipping addresses.", with ``StreetName`` "The street name.", ``StreetNumber`` "The house, building, or
property number associated with the location's street address.", ``Complement`` "The floor number/unit number in the
building/private house number.", ``Neighborhood`` "The neighborhood. This value is only used in some countries (such
as Brazil).", and ``GeoCoordinates``, "Latitude and longitude coordinates for the shipping address using the WGS84
coordinate system.", whose ``Latitude`` and ``Longitude`` are ``"type": "number", "format": "double"``, "The
latitude coordinate of the shipping address".
"""

from __future__ import annotations

import json
from decimal import Decimal

from syncproof.recording import Pseudonymiser, Scrubber
from syncproof.report import sanitize

REAL = ("Ana Souza", "Rua Harmonia", "Vila Madalena", "Apto 41", "-23.5558", "-46.6876")


def order() -> dict:
    return {"payload": {"AmazonOrderId": "701-1234567-7654321", "ShippingAddress": {
        "Name": "Ana Souza", "City": "São Paulo", "CountryCode": "BR", "ExtendedFields": {
            "StreetName": "Rua Harmonia", "StreetNumber": "1234", "Neighborhood": "Vila Madalena",
            "Complement": "Apto 41", "GeoCoordinates": {"Latitude": -23.5558, "Longitude": -46.6876}}}}}


def test_the_extended_fields_and_coordinates_of_a_shipping_address_are_faked_and_the_rest_stays():
    scrubbed = json.loads(Scrubber(personal=Pseudonymiser(5)).body(json.dumps(order()).encode(), "application/json"),
                          parse_float=Decimal)
    text = json.dumps(scrubbed, default=str)
    assert [value for value in REAL if value in text] == [], text
    address = scrubbed["payload"]["ShippingAddress"]
    extended = address["ExtendedFields"]
    assert extended["StreetNumber"] != "1234"
    coordinates = extended["GeoCoordinates"]
    assert isinstance(coordinates["Latitude"], Decimal) and -90 <= coordinates["Latitude"] <= 90  # numbers still
    assert (scrubbed["payload"]["AmazonOrderId"], address["CountryCode"]) == ("701-1234567-7654321", "BR")


def test_the_reports_evidence_fakes_them_too(pseudonymised_evidence):
    parsed = json.loads(json.dumps(order()), parse_float=Decimal)
    with pseudonymised_evidence(5):
        seen = sanitize.scrub({"order": parsed})
    text = json.dumps(seen, default=str)
    assert [value for value in REAL if value in text] == [], text
