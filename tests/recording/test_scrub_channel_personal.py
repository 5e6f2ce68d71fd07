"""A channel's personal keys come from its registry entry: no list in the core names them.

The "acme" channel below exists only in this test. Registering it makes the cassettes' scrubber, a report
document's columns and the report's second scrub pseudonymise the keys its spec names; unregistering it
makes them plain text again.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Iterator

import pytest

from syncproof import channels
from syncproof.channels import ChannelSpec, PersonalEntries, PersonalFields
from syncproof.recording import Pseudonymiser, Scrubber
from syncproof.recording._scrub import match_key
from syncproof.report import sanitize

HOLDER, COURIER, MEMBER_ID = "Grace Hopper", "Alan Turing", "AC-99887766"

ACME = replace(channels.get("woocommerce"), name="acme", title="Acme Cart", personal=PersonalFields(
    keys={"loyaltyCardHolder": "name", "member-id": "tax_id"},
    person_containers=frozenset({"courierContact"}),
    contained={"giftCard": {"to": "name"}},
    entries=(PersonalEntries("extras", {"pickup-person": "name"}, name="label", value="text"),),
))


def order() -> dict:
    return {"id": "ACME-1", "loyaltyCardHolder": HOLDER, "courierContact": {"name": COURIER},
            "giftCard": {"to": "Ada Lovelace", "message": "Happy birthday"}, "name": "Order ACME-1",
            "extras": [{"label": "pickup_person", "text": "Katherine Johnson"}, {"label": "gift-wrap", "text": "blue"}]}


def scrubbed(value: dict) -> str:
    return json.dumps(Scrubber(personal=Pseudonymiser(5)).value(value))


@pytest.fixture
def acme(registered_channel) -> Iterator[ChannelSpec]:
    with registered_channel(ACME):
        yield ACME


def test_a_registered_channels_personal_keys_are_scrubbed_and_the_rest_stays(acme):
    text = scrubbed(order())
    assert [value for value in (HOLDER, COURIER, "Ada Lovelace", "Katherine Johnson") if value in text] == [], text
    # not personal, and an order is no container about a person
    assert "Happy birthday" in text and '"blue"' in text and "Order ACME-1" in text


def test_unregistered_its_keys_are_plain_text_again(registered_channel):
    with registered_channel(ACME):
        assert HOLDER not in scrubbed(order())
    text = scrubbed(order())
    assert HOLDER in text and COURIER in text and "Ada Lovelace" in text and "Katherine Johnson" in text


def test_its_keys_name_report_columns_and_requests_differing_in_them_match(acme):
    document = f"order-id\tmember-id\tsku\nACME-1\t{MEMBER_ID}\tSP-MUG-01\n"
    text = Scrubber(personal=Pseudonymiser(5)).body(document.encode(), "text/plain").decode()
    assert MEMBER_ID not in text and "SP-MUG-01" in text

    def body(holder: str) -> bytes:
        return json.dumps({"loyaltyCardHolder": holder}).encode()

    assert match_key(body(HOLDER), "application/json") == match_key(body(COURIER), "application/json")


def test_the_reports_second_scrub_uses_them(acme, pseudonymised_evidence):
    with pseudonymised_evidence(3):
        seen = repr(sanitize.scrub({"order": order(), "response_body": json.dumps(order())}))
    assert HOLDER not in seen and COURIER not in seen, seen
