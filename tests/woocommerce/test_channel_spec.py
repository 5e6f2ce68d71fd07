"""The WooCommerce channel is one spec: its config table, HTTPS rule, doctor probe and scrubbing rules."""

from __future__ import annotations

import json

import pytest

from syncproof import channels
from syncproof.config import parse_config, starter_file
from syncproof.doctor import diagnose
from syncproof.errors import ConfigError
from syncproof.recording import Pseudonymiser, Scrubber
from syncproof.runtime import open_runtime


def test_the_table_comes_from_the_spec():
    config = parse_config({"woocommerce": {"store_url": "https://shop.example.com", "test_store": True,
                                           "refunds": {"direction": "from_netsuite"}}})
    options = config.channel("woocommerce").options
    assert options["api_version"] == "wc/v3" and options["api_refund"] is False
    assert options["consumer_key_env"] == "WOOCOMMERCE_CONSUMER_KEY"
    assert options["consumer_secret_env"] == "WOOCOMMERCE_CONSUMER_SECRET"
    assert config.channel("woocommerce").refunds.direction == "from_netsuite"
    with pytest.raises(ConfigError, match='did you mean "store_url"'):
        parse_config({"woocommerce": {"store_ur": "x"}})
    assert "[woocommerce]\n# run the WooCommerce scenarios\nenabled = true" in starter_file()


def test_a_plain_http_store_is_refused_with_the_fix():
    from syncproof.channels.woocommerce import store_url

    settings = parse_config({"woocommerce": {"store_url": "http://shop.example.com"}}).channel("woocommerce")
    with pytest.raises(ConfigError) as caught:
        store_url(settings)
    assert "is not an https:// address" in caught.value.message and "basic auth only over HTTPS" in caught.value.hint
    local = parse_config({"woocommerce": {"store_url": "http://127.0.0.1:8080/"}}).channel("woocommerce")
    assert store_url(local) == "http://127.0.0.1:8080"  # a store on this machine, e.g. a local WordPress


def test_the_doctor_authenticates_against_the_emulator():
    lines = [line for line in diagnose(parse_config({}), open_runtime) if line.system == "woocommerce"]
    assert [(line.check, line.ok, line.detail) for line in lines] == [
        ("authentication", True, "store currency USD"),
        ("number of decimals", True, "amounts with 2 decimals, as USD")]


def test_consumer_key_and_secret_never_reach_a_cassette():
    assert {"consumer_key", "consumer_secret"} <= channels.secret_keys()
    scrubber = Scrubber()
    url = scrubber.url("https://shop.example.com/wp-json/wc/v3/orders?consumer_key=ck_live&consumer_secret=cs_live")
    assert "ck_live" not in url and "cs_live" not in url
    assert scrubber.headers([("Authorization", "Basic Y2tfbGl2ZTpjc19saXZl")]) == {"Authorization": ["[redacted]"]}


def test_buyer_billing_and_shipping_details_are_pseudonymised():
    order = {"id": 7001, "billing": {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@lovelace.org",
                                     "phone": "+44 20 7946 0000", "address_1": "12 St James's Square",
                                     "city": "London", "postcode": "SW1Y 4JH"},
             "shipping": {"first_name": "Ada", "last_name": "Lovelace", "address_1": "12 St James's Square"}}
    text = Scrubber(personal=Pseudonymiser(seed=3)).body(json.dumps(order).encode(), "application/json").decode()
    for real in ("Ada", "Lovelace", "ada@lovelace.org", "7946", "St James", "London", "SW1Y"):
        assert real not in text, real
    assert json.loads(text)["id"] == 7001


def test_order_ids_it_claims_are_the_stores_numbers():
    spec = channels.get("woocommerce")
    assert spec.claims_order_id("7001") and not spec.claims_order_id("112-4410327-7781530")
    assert spec.validate_refunds(parse_config({}).channel("woocommerce").refunds) is None
