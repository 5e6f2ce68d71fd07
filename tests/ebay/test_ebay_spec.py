"""eBay's channel spec: its config table, hosts, order ids, scrubbing of buyer data, refund direction."""

from __future__ import annotations

import json

import pytest

from syncproof.channels import Connection, get
from syncproof.config import parse_config
from syncproof.errors import ConfigError
from syncproof.recording import Pseudonymiser, Scrubber


def test_the_table_is_validated_from_the_spec():
    config = parse_config({"ebay": {"environment": "sandbox", "marketplace_id": "EBAY_GB"}})
    options = config.channel("ebay").options
    assert options["environment"] == "sandbox" and options["refresh_token_env"] == "EBAY_REFRESH_TOKEN"
    with pytest.raises(ConfigError, match="production"):
        parse_config({"ebay": {"environment": "staging"}})
    with pytest.raises(Exception, match="eBay refunds are made on eBay"):
        parse_config({"ebay": {"refunds": {"direction": "from_netsuite"}}})


def test_a_live_client_talks_to_ebays_hosts_for_the_environment():
    spec = get("ebay")
    for environment, api, apiz in (("production", "https://api.ebay.com", "https://apiz.ebay.com"),
                                   ("sandbox", "https://api.sandbox.ebay.com", "https://apiz.sandbox.ebay.com")):
        settings = parse_config({"ebay": {"environment": environment}}).channel("ebay")
        client = spec.client(settings, Connection(None, {"client_id": "a", "client_secret": "b",
                                                         "refresh_token": "c"}))
        try:
            assert (client.base_url, client.finances_url) == (api, apiz)
            assert spec.live_origins(settings) == [api, apiz]
        finally:
            client.close()


def test_ebay_order_ids_are_told_from_the_other_channels():
    claims = get("ebay").claims_order_id
    assert claims("12-03456-78901")
    assert not claims("112-1234567-1234567") and not claims("1001") and not claims("12-0345-78901")


def test_buyer_data_is_pseudonymised_in_cassettes_and_account_names_are_not():
    order = {"orderId": "12-03456-78901", "buyer": {"username": "ada_lovelace_1815"},
             "fulfillmentStartInstructions": [{"shippingStep": {"shipTo": {
                 "fullName": "Ada Lovelace", "email": "ada@example.com", "primaryPhone": {"phoneNumber": "555 0100"},
                 "contactAddress": {"addressLine1": "12 St James's Square", "city": "London",
                                    "postalCode": "SW1Y 4JH"}}}}]}
    scrubbed = Scrubber(personal=Pseudonymiser(seed=1)).body(json.dumps(order).encode(), "application/json")
    text = scrubbed.decode()
    for real in ("ada_lovelace_1815", "Ada Lovelace", "ada@example.com", "555 0100", "St James", "SW1Y 4JH"):
        assert real not in text, real
    assert "12-03456-78901" in text
    account = {"items": [{"id": "1", "acctnumber": "1000", "fullname": "Checking"}]}
    kept = Scrubber(personal=Pseudonymiser(seed=1)).body(json.dumps(account).encode(), "application/json")
    assert b'"Checking"' in kept


def test_its_secrets_are_redacted():
    from syncproof import channels

    assert {"authorization"} <= channels.secret_headers()
    assert {"refresh_token", "client_secret", "access_token"} <= channels.secret_keys()


def test_the_verdict_on_an_unretrievable_refund_passes_only_when_the_audit_lists_it():
    from syncproof import checks
    from syncproof.audit import Mismatch

    row = Mismatch("RS-MN-1", "ebay", "12-03456-78901", "42-00001-00001", "NetSuite refund record",
                   "one, created from the order's sales order", "none")
    found = checks.audit_reports_missing_refund([row], channel="ebay", channel_order_id="12-03456-78901",
                                                refund_id="42-00001-00001", total="15.66 USD")
    assert found.passed and "42-00001-00001" in found.message
    missed = checks.audit_reports_missing_refund([], channel="ebay", channel_order_id="12-03456-78901",
                                                 refund_id="42-00001-00001", total="15.66 USD")
    assert not missed.passed and "did not report ebay refund 42-00001-00001" in missed.message
