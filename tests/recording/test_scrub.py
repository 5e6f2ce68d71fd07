"""The scrubbing rules, one by one."""

from __future__ import annotations

import hashlib
import json

from syncproof.recording import Pseudonymiser, Scrubber
from syncproof.recording._scrub import match_key, match_url

HOSTS = {"http://127.0.0.1:41234": "http://netsuite.sandbox.syncproof",
         "http://127.0.0.1:4123": "http://amazon.sandbox.syncproof"}


def scrubber(seed: int = 7) -> Scrubber:
    return Scrubber(HOSTS, {"7654321_SB2": "[netsuite-account]", "acme-outdoor": "[shop]"}, Pseudonymiser(seed))


def test_secret_headers_are_redacted_whatever_their_case_and_noise_headers_dropped():
    headers = scrubber().headers([("AUTHORIZATION", 'OAuth realm="7654321_SB2", oauth_signature="abc"'),
                                  ("X-Amz-Access-Token", "Atza|tok"), ("x-shopify-access-token", "shpat_1"),
                                  ("Cookie", "a=b"), ("Set-Cookie", "s=1"), ("Host", "127.0.0.1:41234"),
                                  ("Accept", "*/*")], frozenset({"host"}))
    assert headers == {"AUTHORIZATION": ["[redacted]"], "X-Amz-Access-Token": ["[redacted]"],
                       "x-shopify-access-token": ["[redacted]"], "Cookie": ["[redacted]"],
                       "Set-Cookie": ["[redacted]"], "Accept": ["*/*"]}


def test_identifiers_and_presigned_secrets_are_found_in_text_that_is_not_ascii_too():
    """Case-insensitive matching folds more than ASCII's lower case: such text is searched with the patterns."""
    text = scrubber().text("Compte 7654321-Sb2 réglé — lien https://x/d?Signature=c0ffee&ſ=1 for acme_OUTDOOR")
    assert text == "Compte [netsuite-account] réglé — lien https://x/d?Signature=[redacted]&ſ=1 for [shop]"
    assert scrubber().text("ſignature=c0ffee é") == "ſignature=[redacted] é"  # as re.IGNORECASE folds ſ to s


def test_hosts_become_placeholders_and_presigned_secrets_are_redacted():
    url = scrubber().url("http://127.0.0.1:41234/doc/1?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIA%2F1"
                         "&X-Amz-Security-Token=tok&X-Amz-Signature=deadbeef")
    assert url.startswith("http://netsuite.sandbox.syncproof/doc/1?")
    assert "AKIA" not in url and "deadbeef" not in url and "tok" not in url.split("?")[1].replace("Token", "")
    assert "X-Amz-Algorithm=AWS4" in url
    assert scrubber().url("http://127.0.0.1:4123/x") == "http://amazon.sandbox.syncproof/x"  # longest host first


def test_lwa_form_and_token_json_lose_their_secrets():
    s = scrubber()
    form = s.body(b"grant_type=refresh_token&refresh_token=Atzr%7Creal&client_id=amzn1.app&client_secret=cs",
                  "application/x-www-form-urlencoded")
    assert form == b"grant_type=refresh_token&refresh_token=[redacted]&client_id=[redacted]&client_secret=[redacted]"
    token = json.loads(s.body(b'{"access_token": "Atza|x", "token_type": "bearer", "expires_in": 3600}',
                              "application/json"))
    assert token == {"access_token": "[redacted]", "token_type": "bearer", "expires_in": 3600}


def test_presigned_urls_inside_json_bodies_are_scrubbed():
    body = scrubber().body(b'{"url": "http://127.0.0.1:4123/d?X-Amz-Signature=abc&X-Amz-Credential=AK"}',
                           "application/json")
    assert json.loads(body) == {"url": "http://amazon.sandbox.syncproof/d?X-Amz-Signature=[redacted]"
                                       "&X-Amz-Credential=[redacted]"}


def test_account_identifiers_become_placeholders_in_any_spelling():
    text = scrubber().text("7654321_SB2 7654321-sb2 https://7654321-SB2.suitetalk acme-outdoor.myshopify.com")
    assert text == ("[netsuite-account] [netsuite-account] https://[netsuite-account].suitetalk "
                    "[shop].myshopify.com")


def test_personal_values_get_consistent_fakes_and_linked_ids_stay_linked():
    s = scrubber()
    order = json.loads(s.body(json.dumps({
        "BuyerInfo": {"BuyerEmail": "Grace.Hopper@navy.mil", "BuyerName": "Grace Hopper"},
        "ShippingAddress": {"Name": "Grace Hopper", "AddressLine1": "1 Pentagon Way", "City": "Arlington",
                            "PostalCode": "22202", "Phone": "+1 703 555 0100"},
        "lineItems": [{"name": "Stoneware mug"}]}).encode(), "application/json"))
    buyer, address = order["BuyerInfo"], order["ShippingAddress"]
    assert buyer["BuyerEmail"] != "Grace.Hopper@navy.mil" and buyer["BuyerEmail"].endswith((".com", ".org", ".net"))
    assert buyer["BuyerName"] == address["Name"] != "Grace Hopper"  # same real value, same fake
    assert "Pentagon" not in address["AddressLine1"] and address["City"] != "Arlington"
    assert address["PostalCode"] != "22202" and "703" not in address["Phone"]
    assert order["lineItems"] == [{"name": "Stoneware mug"}]  # a product's name is not personal
    customer = json.loads(s.body(b'{"firstName": "Grace", "lastName": "Hopper", "email": "grace.hopper@navy.mil"}',
                                 "application/json"))
    assert f'{customer["firstName"]} {customer["lastName"]}' == buyer["BuyerName"]
    assert customer["email"] == buyer["BuyerEmail"]  # e-mails compared case-insensitively
    real_id = hashlib.sha256(b"grace.hopper@navy.mil").hexdigest()[:16]
    fake_id = hashlib.sha256(buyer["BuyerEmail"].lower().encode()).hexdigest()[:16]
    assert s.url(f"http://127.0.0.1:41234/customer/eid:amazon-customer-{real_id}").endswith(fake_id)
    assert "someone@example.org" not in s.text("mail someone@corp.io now")


def test_pseudonyms_are_deterministic_per_seed():
    first = scrubber(3).body(b'{"email": "a@b.io"}', "application/json")
    assert first == scrubber(3).body(b'{"email": "a@b.io"}', "application/json")


def test_matching_ignores_personal_values_but_not_the_rest():
    a = match_key(b'{"email": "x@y.io", "note": "for x@y.io", "amount": 1.50}', "application/json")
    b = match_key(b'{"email": "z@w.io", "note": "for z@w.io", "amount": 1.50}', "application/json")
    c = match_key(b'{"email": "z@w.io", "note": "for z@w.io", "amount": 2.50}', "application/json")
    assert a == b and a != c
    assert match_url("http://h/x?b=2&a=1") == match_url("http://h/x?a=1&b=2")
    assert match_url("http://h/x?a=1") != match_url("http://h/y?a=1")


def test_pseudonymisers_draw_what_their_own_seeded_faker_would():
    """One Faker serves every pseudonymiser; each draws the values a Faker seeded with its seed gives."""
    import random

    from faker import Faker

    from syncproof.recording._scrub import _FAKERS

    seeds = (0, 7, 2**31 + 5)
    own = {seed: Pseudonymiser(seed) for seed in seeds}
    reference = {seed: Faker("en_US") for seed in seeds}
    for seed, faker in reference.items():
        faker.seed_instance(seed)
    pick = random.Random(1)
    for _ in range(600):  # interleaved, as a recording's and a report's pseudonymisers are
        seed, kind = pick.choice(seeds), pick.choice(sorted(_FAKERS))
        assert own[seed]._new(kind) == _FAKERS[kind](reference[seed])


def test_the_one_walk_match_key_is_the_three_walk_one():
    from syncproof.recording._scrub import hashable, hashable_match_key, normalised_match_key

    bodies = [
        (b'{"customer": {"email": "ada@x.io", "name": "Ada Lovelace", "note": "mail ada@x.io"},'
         b' "client_secret": {"a": 1}, "access_token": ["t", {"email": "b@y.io"}], "refresh_token": null,'
         b' "password": "", "items": [{"id": 1, "city": "Paris"}, "x@y.io", 2.50], "email": ["a@b.co"],'
         b' "url": "https://s3/x?X-Amz-Signature=abc&b=1"}', "application/json"),
        (b'["a@b.co", {"shipTo": {"fullName": "Bo Li"}}]', ""),
        (b'"just text a@b.co"', "application/json"),
        (b'{"a": 1, "a": 2}', "application/json"),
        (b"grant_type=refresh_token&refresh_token=Atzr", "application/x-www-form-urlencoded"),
    ]
    for normalise in (Scrubber(), Scrubber(HOSTS, {"7654321_SB2": "[netsuite-account]"})):
        for body, content_type in bodies:
            assert hashable_match_key(body, content_type, normalise) == \
                hashable(normalised_match_key(body, content_type, normalise))


def test_a_body_scrubbed_again_after_a_name_was_learned_has_the_name_replaced():
    """A cassette's exchange is scrubbed again for the report's evidence: what was learned in between counts."""
    s = scrubber()
    note = b'{"note": "refund for Ada Lovelace"}'
    assert s.json_body(note, "application/json") == {"note": "refund for Ada Lovelace"}  # no name known yet
    assert s.json_body(note, "application/json") == {"note": "refund for Ada Lovelace"}
    assert s.text("paid to Ada Lovelace") == "paid to Ada Lovelace"
    s.body(b'{"customer": {"name": "Ada Lovelace"}}', "application/json")
    again = s.json_body(note, "application/json")
    assert "Lovelace" not in again["note"] and again["note"].startswith("refund for ")
    assert s.text("paid to Ada Lovelace") == "paid to " + again["note"][len("refund for "):]


def test_an_ebay_buyers_registration_contact_gets_pseudonyms_name_included():
    # eBay Fulfillment API, type Buyer (developer.ebay.com/api-docs/sell/fulfillment/types/sel:Buyer):
    # "buyerRegistrationAddress: Buyer's contact information that includes the buyer's name, email, phone number,
    # and address" (an ExtendedContact: fullName, contactAddress, primaryPhone, email), next to taxIdentifier
    contact = {"fullName": "Mario Rossi", "email": "mario.rossi@posta.example",
               "primaryPhone": {"phoneNumber": "3331234567"},
               "contactAddress": {"addressLine1": "Via Roma 1", "city": "Milano", "postalCode": "20121",
                                  "countryCode": "IT"}}
    order = {"orderId": "12-34567-89012", "buyer": {"username": "m.rossi", "buyerRegistrationAddress": contact,
                                                    "taxIdentifier": {"taxpayerId": "RSSMRA85T10A562S"}}}
    text = json.dumps(scrubber().value(order))
    assert [value for value in ("Mario Rossi", "mario.rossi@posta.example", "3331234567", "Via Roma 1", "Milano",
                                "20121", "RSSMRA85T10A562S") if value in text] == [], text
    assert '"countryCode": "IT"' in text
