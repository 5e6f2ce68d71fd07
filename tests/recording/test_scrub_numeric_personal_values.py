"""A personal value written as a JSON number (``"zip": 12345``, ``"phone": 5551234567``) is as personal as the same
value written as text: the cassette's scrubbing fakes it, the report's second scrub fakes it, and request matching
masks it, exactly as for text. Numbers under keys that hold no personal value stay as they are.
"""

from __future__ import annotations

import json
from decimal import Decimal

from syncproof.recording import Pseudonymiser, Scrubber
from syncproof.recording._scrub import match_key

BODY = b'{"billing": {"zip": 40202, "phone": 5556251199, "city": "Louisville"}, "total": 59.98, "quantity": 2}'


def test_a_numeric_postcode_and_phone_are_faked_in_the_cassette():
    seen = json.loads(Scrubber(personal=Pseudonymiser(11)).body(BODY, "application/json"))
    billing = seen["billing"]
    assert billing["zip"] != 40202 and "40202" not in json.dumps(seen)
    assert billing["phone"] != 5556251199 and "5556251199" not in json.dumps(seen)
    assert billing["city"] != "Louisville"
    assert (seen["total"], seen["quantity"]) == (59.98, 2)  # no personal value: kept


def test_the_reports_second_scrub_fakes_a_numeric_postcode(pseudonymised_evidence):
    from syncproof.report import sanitize

    with pseudonymised_evidence(11):
        seen = sanitize.scrub({"billing": {"zip": 40202, "phone": Decimal(5556251199)}, "total": Decimal("59.98")})
    assert seen["billing"]["zip"] != 40202 and seen["billing"]["phone"] != Decimal(5556251199)
    assert seen["total"] == Decimal("59.98")


def test_request_matching_masks_a_numeric_postcode_as_it_masks_text():
    """A recorded request holds the fake, the live one the real value: requests that differ only in a numeric
    postcode or phone match, as they do when these are text."""
    live = match_key(BODY, "application/json")
    assert match_key(BODY.replace(b"40202", b"90210").replace(b"5556251199", b"5550000000"),
                     "application/json") == live
    recorded = Scrubber(personal=Pseudonymiser(11)).body(BODY, "application/json")
    assert match_key(recorded.encode() if isinstance(recorded, str) else recorded, "application/json") == live
    assert match_key(BODY.replace(b"59.98", b"60.00"), "application/json") != live  # not personal: tells apart


def test_replay_matches_a_recorded_fake_against_the_live_numeric_postcode():
    """Replay builds its match keys in one walk (``hashable_match_key``, a scrubber without a pseudonymiser): the
    cassette holds the fake (text), the replayed request the real number, and they must match, as text does."""
    from syncproof.recording._scrub import hashable_match_key

    replay = Scrubber()
    recorded = Scrubber(personal=Pseudonymiser(11)).body(BODY, "application/json")
    recorded_bytes = recorded.encode() if isinstance(recorded, str) else recorded
    assert hashable_match_key(recorded_bytes, "application/json", replay) == \
        hashable_match_key(BODY, "application/json", replay)
    listed = b'{"billing": {"phone": [5556251199, 5550000000]}}'
    assert hashable_match_key(listed, "application/json", replay) == \
        hashable_match_key(b'{"billing": {"phone": ["a", "b"]}}', "application/json", replay)


def test_a_list_of_numeric_phones_is_faked_in_the_cassette():
    body = b'{"billing": {"phone": [5556251199, 5550000000], "quantities": [1, 2]}}'
    seen = json.loads(Scrubber(personal=Pseudonymiser(11)).body(body, "application/json"))
    assert "5556251199" not in json.dumps(seen) and "5550000000" not in json.dumps(seen)
    assert seen["billing"]["quantities"] == [1, 2]
