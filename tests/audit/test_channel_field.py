"""Two carts with the same numeric order id on one NetSuite account: each channel's audit sees only its own
records, told apart by the channel the connector writes on the sales order (real loopback HTTP to the emulators).

Sources:

- Oracle NetSuite help, "Default Mappings for Shopify Connector", Shopify Default Order Sync Mappings:
  storefront field ``id`` -> NetSuite field ``custbody_fa_channel_order`` (and "Default Mappings for
  Amazon Vendor Central Connector": ``orderid`` -> ``custbody_fa_channel_order``). Shopify's ``id`` and
  WooCommerce's ``id`` (the order's post id) are both plain numbers.
- FarApp support (FarApp is the NetSuite Connector's former name), "Mapping Your Orders": "Do not use this
  mapping page to setup mappings to the fields you have set as you[r] storefront field or your storefront
  order field. If you do this then you will start seeing duplicate orders in NetSuite": the connector keeps
  a storefront (channel) field and a storefront order field on every order.
- No Oracle page found names the storefront field's id or its values. ``custbody_fa_channel`` holding the
  channel's name ("Shopify", "Amazon", "eBay"; "Shopify-Wholesale..." for a second Shopify account) is how
  customers' own SuiteScripts read it; it is the default of ``[netsuite] channel_field``
  (``syncproof/footprints.toml``, ``[sales_order]``), and WooCommerce's value "WooCommerce" is the channel's
  title, not confirmed by a source.
"""

from __future__ import annotations

import pytest

from syncproof.audit import (
    NetSuiteView,
    Progress,
    ReadOnlyClients,
    audit_refunds_from_netsuite,
    audit_refunds_to_netsuite,
)
from syncproof.config import parse_config
from syncproof.footprints import names_channel

pytestmark = pytest.mark.integration

BOTH_FROM_NETSUITE = {"shopify": {"refunds": {"direction": "from_netsuite"}},
                      "woocommerce": {"refunds": {"direction": "from_netsuite"}}}


def _twins(runtime, bench):
    """A WooCommerce order and a Shopify order with the same id, each refunded once and posted to NetSuite."""
    seeder = bench.Seeder(runtime.sandbox)
    woo, woo_bill = seeder.woocommerce_order(1)
    shop, shop_bill = seeder.shopify_order(1, order_id=woo.id)
    assert str(shop.id) == str(woo.id)
    return seeder, (woo, woo_bill), (shop, shop_bill)


def _from_netsuite(runtime, window, config, channel):
    clients = ReadOnlyClients.of(runtime)
    view = NetSuiteView(clients, config, window, progress=Progress(enabled=False))
    return audit_refunds_from_netsuite(clients, config, window, channel, view=view)


def test_each_carts_audit_of_netsuite_refunds_sees_only_its_own(runtime, window, bench):
    seeder, (woo, woo_bill), (shop, shop_bill) = _twins(runtime, bench)
    woo_record = seeder.woocommerce_netsuite_refund(woo, woo_bill)
    seeder.shopify_refund(shop, shop_bill, None)  # the Shopify refund and its NetSuite cash refund
    config = parse_config(BOTH_FROM_NETSUITE)
    for channel in ("woocommerce", "shopify"):
        result = _from_netsuite(runtime, window, config, channel)
        assert result.passed, result.check_result().message
        assert result.audited["NetSuite refund records"] == 1, (channel, result.audited)
        assert not any("order id pattern" in note for note in result.notes), result.notes
    netsuite = runtime.sandbox.netsuite
    assert {so["custbody_fa_channel"] for so in netsuite.records("salesOrder")} == {"Shopify", "WooCommerce"}
    assert woo_record in {r["id"] for r in netsuite.records("cashRefund")}


def test_without_the_channel_field_both_carts_claim_both_records_and_the_evidence_says_why(runtime, window, bench):
    seeder, (woo, woo_bill), (shop, shop_bill) = _twins(runtime, bench)
    seeder.woocommerce_netsuite_refund(woo, woo_bill)
    seeder.shopify_refund(shop, shop_bill, None)
    config = parse_config({**BOTH_FROM_NETSUITE, "netsuite": {"channel_field": ""}})
    result = _from_netsuite(runtime, window, config, "woocommerce")
    assert result.audited["NetSuite refund records"] == 2
    assert [m.check_id for m in result.mismatches] == ["RS-NM-2"]  # Shopify's record has no WooCommerce refund
    notes = result.check_result("RS-NM-2").evidence[0]["notes"]
    assert any("2 NetSuite refund record(s) claimed for woocommerce by the order id pattern alone "
               "([netsuite] channel_field is empty)" in note for note in notes), notes


def test_a_sales_order_naming_no_channel_falls_back_to_the_order_id_and_says_so(runtime, window, bench):
    seeder = bench.Seeder(runtime.sandbox)
    woo, woo_bill = seeder.woocommerce_order(1)
    seeder.woocommerce_netsuite_refund(woo, woo_bill)
    netsuite = runtime.sandbox.netsuite
    (so,) = netsuite.records("salesOrder")
    netsuite.update("salesOrder", so["id"], {"custbody_fa_channel": ""})  # posted before the field existed
    result = _from_netsuite(runtime, window, parse_config(BOTH_FROM_NETSUITE), "woocommerce")
    assert result.passed and result.audited["NetSuite refund records"] == 1
    assert any("1 NetSuite refund record(s) claimed for woocommerce by the order id pattern alone (their sales "
               "order has no custbody_fa_channel value)" in note for note in result.notes), result.notes


def test_each_carts_audit_of_its_refunds_in_netsuite_pairs_only_its_own_records(runtime, window, bench):
    seeder, (woo, woo_bill), (shop, shop_bill) = _twins(runtime, bench)
    seeder.woocommerce_refund(woo, woo_bill, None)
    seeder.shopify_refund(shop, shop_bill, None)  # same total as the WooCommerce refund, same order id
    clients = ReadOnlyClients.of(runtime)
    view = NetSuiteView(clients, runtime.config, window, progress=Progress(enabled=False))
    for channel in ("woocommerce", "shopify"):
        result = audit_refunds_to_netsuite(clients, runtime.config, window, channel, view=view)
        assert result.passed, result.check_result().message
    blind = parse_config({"netsuite": {"channel_field": ""}})
    clients = ReadOnlyClients.of(runtime)
    view = NetSuiteView(clients, blind, window, progress=Progress(enabled=False))
    result = audit_refunds_to_netsuite(clients, blind, window, "woocommerce", view=view)
    assert [m.what for m in result.mismatches] == ["NetSuite refund records for this refund"]  # Shopify's as a twin


@pytest.mark.parametrize(("value", "name", "named"), [
    ("WooCommerce", "WooCommerce", True), ("woocommerce", "WooCommerce", True),
    ("Shopify-WholesaleShopify", "Shopify", True),  # a second account of the channel (as a customer's script reads it)
    ("Shopify", "WooCommerce", False), ("AmazonVendorCentral", "Amazon", False), ("", "Shopify", False),
])
def test_the_channel_field_names_a_channel_or_one_of_its_accounts(value, name, named):
    assert names_channel(value, name) is named


def test_a_record_whose_order_names_a_channel_syncproof_does_not_know_makes_the_pass_say_so(runtime, window, bench):
    """A channel field holding something else (a list's internal id, a storefront renamed "WooCommerce US") would
    leave every record unclaimed and the audit of NetSuite's refunds an empty pass: the pass names them instead."""
    seeder = bench.Seeder(runtime.sandbox)
    woo, woo_bill = seeder.woocommerce_order(1)
    seeder.woocommerce_netsuite_refund(woo, woo_bill)
    netsuite = runtime.sandbox.netsuite
    (so,) = netsuite.records("salesOrder")
    netsuite.update("salesOrder", so["id"], {"custbody_fa_channel": "7"})
    result = _from_netsuite(runtime, window, parse_config(BOTH_FROM_NETSUITE), "woocommerce")
    assert result.passed and result.audited["NetSuite refund records"] == 0
    [why] = result.incomplete
    assert why == ("1 NetSuite refund record(s) on sales orders whose custbody_fa_channel names no channel syncproof "
                   "knows ('7'): audited for no channel; [netsuite] channel_field must name the field holding "
                   "the channel's name (Amazon, eBay, Shopify, WooCommerce)")
    assert "may be incomplete: 1 NetSuite refund record(s)" in result.check_result().message
