"""A store's "Number of decimals" (``woocommerce_price_num_decimals``) is how WooCommerce writes every REST amount,
and it need not be the currency's ISO 4217 minor unit.

Sources (read with the search tool, woocommerce/woocommerce):

- ``plugins/woocommerce/includes/rest-api/Controllers/Version2/class-wc-rest-orders-v2-controller.php`` and
  ``class-wc-rest-order-refunds-v2-controller.php``, ``prepare_object_for_response``: ``$this->request['dp'] =
  is_null( $this->request['dp'] ) ? wc_get_price_decimals() : absint( $this->request['dp'] );`` then every amount
  is ``wc_format_decimal( $data[ $key ], $this->request['dp'] )``; ``get_collection_params``: ``dp``, "Number of
  decimal points to use in each resource.", default ``wc_get_price_decimals()``;
- ``plugins/woocommerce/includes/wc-formatting-functions.php``: ``wc_get_price_decimals()`` is ``absint(
  get_option( 'woocommerce_price_num_decimals', 2 ) )``; ``wc_format_decimal`` with a ``dp`` is ``number_format(
  floatval( $number ), $dp, '.', '' )`` (exactly ``dp`` decimals); ``wc_round_tax_total`` rounds to
  ``wc_get_price_decimals()`` unless told otherwise;
- ``plugins/woocommerce/includes/admin/settings/class-wc-settings-general.php``: "Number of decimals",
  ``woocommerce_price_num_decimals``, default ``'2'``, type number, min 0;
- REST API docs, "Setting options" (https://developer.woocommerce.com/docs/apis/rest-api/v3/setting-options/):
  ``GET /wp-json/wc/v3/settings/<group_id>/<id>`` answers ``id``, ``label``, ``description``, ``value``,
  ``default``, ``type``...
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import httpx
import pytest

from connectors import RefundNotExpressible
from connectors._woocommerce_parse import price_decimals_setting
from connectors.woocommerce import WooCommerceClient
from sandbox._server import serve
from sandbox.woocommerce import DEMO_KEY, DEMO_SECRET, WooBackend, create_app
from syncproof.channels.woocommerce import SPEC
from syncproof.model import Money, OrderLine


@contextmanager
def store(currency: str, decimals: int | None = None) -> Iterator[tuple[WooCommerceClient, httpx.Client]]:
    """A store selling in ``currency`` with its "Number of decimals" (WooCommerce's default when None)."""
    backend = WooBackend(currency=currency) if decimals is None else WooBackend(currency=currency,
                                                                               price_decimals=decimals)
    with serve(create_app(backend), name="woocommerce") as running:
        with WooCommerceClient(running.url, DEMO_KEY, DEMO_SECRET, sleep=lambda seconds: None) as client, \
                httpx.Client(base_url=running.url + "/wp-json/wc/v3", auth=(DEMO_KEY, DEMO_SECRET)) as raw:
            yield client, raw


def _line(currency: str, quantity: int, unit: str, tax: str) -> OrderLine:
    money = Money(unit, currency)
    return OrderLine("1", "SP-MUG-01", quantity, money, Money(tax, currency), Money.zero(currency), "Stoneware mug")


# --- the emulator ---------------------------------------------------------------------------------------------
def test_a_store_writes_amounts_with_two_decimals_unless_set_and_says_so_in_its_settings():
    """class-wc-settings-general.php: woocommerce_price_num_decimals defaults to '2'; wc_get_price_decimals()
    falls back to 2; the setting is read as the docs' "Retrieve a setting option"."""
    with store("JPY") as (client, raw):
        made = client.create_order([_line("JPY", 1, "1500", "120")])
        body = raw.get(f"/orders/{made.channel_order_id}").json()
        setting = raw.get("/settings/general/woocommerce_price_num_decimals").json()
    assert (body["total"], body["line_items"][0]["total"], body["total_tax"]) == ("1620.00", "1500.00", "120.00")
    assert (setting["id"], setting["label"], setting["default"], setting["value"]) == (
        "woocommerce_price_num_decimals", "Number of decimals", "2", "2")


@pytest.mark.parametrize(("currency", "decimals", "unit", "expected", "stored"), [
    ("JPY", 0, "1500", ("1620", "1500", "120"), "120"),          # number_format( ..., 0 ): no decimal point at all
    ("KWD", 3, "3.375", ("10.935", "10.125", "0.810"), "0.81"),  # three units at 3.375 dinars, 8% tax to the fils
])
def test_every_amount_is_written_with_the_stores_number_of_decimals(currency, decimals, unit, expected, stored):
    """prepare_object_for_response: dp is wc_get_price_decimals() when the request names none, and every amount
    is wc_format_decimal( $value, $dp ), number_format with exactly dp decimals; taxes round to the store's
    decimals (wc_round_tax_total). A line's taxes per rate are the exception: get_order_item_data writes them as
    stored ('total' => $tax), see test_line_taxes.py."""
    quantity = 1 if currency == "JPY" else 3
    with store(currency, decimals) as (client, raw):
        made = client.create_order([_line(currency, quantity, unit, "0")])
        body = raw.get(f"/orders/{made.channel_order_id}").json()
    item = body["line_items"][0]
    assert (body["total"], item["total"], item["total_tax"]) == expected
    assert item["taxes"][0]["total"] == stored and body["cart_tax"] == expected[2]


def test_the_dp_parameter_writes_amounts_with_the_decimals_it_names():
    """get_collection_params: dp, "Number of decimal points to use in each resource.", type integer with
    rest_validate_request_arg, so a collection refuses a dp that is not one; the refunds controller prepares its
    amounts the same way. register_routes declares only ``context`` for a single order's GET, so there dp is not
    validated and prepare_object_for_response's absint( $this->request['dp'] ) makes "two" 0."""
    with store("USD") as (client, raw):
        made = client.create_order([_line("USD", 2, "14.50", "2.32")])
        order_id = made.channel_order_id
        client.create_refund(order_id, {made.lines[0].line_id: 1})
        order = raw.get(f"/orders/{order_id}", params={"dp": 3}).json()
        listed = raw.get("/orders", params={"dp": 0}).json()[0]
        refund = raw.get(f"/orders/{order_id}/refunds", params={"dp": 4}).json()[0]
        refused = raw.get("/orders", params={"dp": "two"})
        unchecked = raw.get(f"/orders/{order_id}", params={"dp": "two"})
    assert (order["total"], order["line_items"][0]["subtotal"]) == ("31.320", "29.000")
    assert listed["total"] == "31"
    assert (refund["amount"], refund["line_items"][0]["total"]) == ("15.6600", "-14.5000")
    assert refused.status_code == 400 and refused.json()["code"] == "rest_invalid_param"
    assert unchecked.status_code == 200 and unchecked.json()["total"] == "31"


# --- the connector ----------------------------------------------------------------------------------------------
def test_a_dinar_store_set_to_three_decimals_keeps_every_fils_of_a_partial_refund():
    """Read exactly as written: one of three units at 3.375 dinars is 3.375 and 0.270 of tax, 3.645 back (a store
    writing two decimals, or a client rounding to them, would make it 3.65)."""
    with store("KWD", 3) as (client, raw):
        made = client.create_order([_line("KWD", 3, "3.375", "0")])
        refund = client.create_refund(made.channel_order_id, {made.lines[0].line_id: 1})
        sent = raw.get(f"/orders/{made.channel_order_id}/refunds").json()[0]
    assert sent["amount"] == "3.645"
    assert (refund.lines[0].amount, refund.lines[0].tax, refund.total) == (
        Money("3.375", "KWD"), Money("0.270", "KWD"), Money("3.645", "KWD"))
    assert refund.adjustment is None


def test_a_yen_store_left_at_two_decimals_refunds_whole_yen_shares():
    """A yen store at WooCommerce's default 2 decimals holds 2,999 yen of mugs taxed 239.92 yen; one of the three
    is 1,000 yen and 80 yen of tax back, amounts the store shows and NetSuite holds, not 999.67 and 79.97."""
    with store("JPY") as (client, raw):
        line = OrderLine("1", "SP-MUG-01", 3, Money("1000", "JPY"), Money.zero("JPY"), Money("1", "JPY"), "Mug")
        made = client.create_order([line])
        order = raw.get(f"/orders/{made.channel_order_id}").json()
        body = client.refund_body(order, [], {made.lines[0].line_id: 1}, False)
        refund = client.create_refund(made.channel_order_id, {made.lines[0].line_id: 1})
    assert (order["line_items"][0]["total"], order["line_items"][0]["total_tax"]) == ("2999.00", "239.92")
    item = body["line_items"][0]
    assert (item["refund_total"], item["refund_tax"][0]["refund_total"]) == ("1000", "80")
    assert refund.total == Money("1080", "JPY")


def test_the_last_unit_of_a_yen_store_left_at_two_decimals_is_refused_naming_what_the_store_holds():
    """The same store: after two whole-yen shares the line has 999.00 and 79.92 of tax left, 1,078.92 yen, which
    no refund in whole yen can return. The one line shows the store's amount as it is (not 1,079, as the refund
    is) and the setting to change; nothing is sent."""
    with store("JPY") as (client, raw):
        line = OrderLine("1", "SP-MUG-01", 3, Money("1000", "JPY"), Money.zero("JPY"), Money("1", "JPY"), "Mug")
        made = client.create_order([line])
        item = made.lines[0].line_id
        client.create_refund(made.channel_order_id, {item: 1})
        client.create_refund(made.channel_order_id, {item: 1})
        with pytest.raises(RefundNotExpressible) as caught:
            client.create_refund(made.channel_order_id, {item: 1})
        refunds = raw.get(f"/orders/{made.channel_order_id}/refunds").json()
    assert "has 1078.92 JPY left to refund, less than the 1079 JPY to refund" in caught.value.message
    assert "writes amounts with 2 decimals and JPY has 0" in caught.value.message
    assert caught.value.hint == "set WooCommerce > Settings > General > Number of decimals to 0, the minor unit of JPY"
    assert len(refunds) == 2


def test_a_refund_in_fils_is_refused_by_a_dinar_store_that_shows_two_decimals():
    """A NetSuite refund of 1.235 dinars cannot be written to a store showing two decimals without becoming 1.24:
    nothing is sent, and the one line says which setting to change."""
    with store("KWD", 2) as (client, raw):
        made = client.create_order([_line("KWD", 1, "10.00", "0")])
        with pytest.raises(RefundNotExpressible) as caught:
            client.create_refund(made.channel_order_id, {}, amount=Money("1.235", "KWD"))
        refunds = raw.get(f"/orders/{made.channel_order_id}/refunds").json()
    assert "needs 3 decimals and the store writes amounts with 2" in caught.value.message
    assert "Number of decimals to 3" in caught.value.hint
    assert refunds == []


@pytest.mark.parametrize(("currency", "decimals", "ok"), [("KWD", 3, True), ("KWD", 2, False), ("JPY", None, False),
                                                           ("JPY", 0, True)])
def test_the_doctor_says_when_the_stores_decimals_are_not_the_currencys(currency, decimals, ok):
    with store(currency, decimals) as (client, raw):
        lines = list(SPEC.doctor(client))
    assert [(line.check, line.ok) for line in lines] == [("authentication", True), ("number of decimals", ok)]
    if not ok:
        unit = {"KWD": 3, "JPY": 0}[currency]
        assert lines[1].fix == (f"set WooCommerce > Settings > General > Number of decimals to {unit}, the minor unit "
                                f"of {currency}")


@pytest.mark.parametrize(("value", "decimals"), [("3", 3), (0, 0), ("", 0), ("-2", 2), ("2 places", 2), ("none", 0)])
def test_the_setting_is_read_as_wc_get_price_decimals_reads_it(value, decimals):
    """wc_get_price_decimals() is absint( get_option( 'woocommerce_price_num_decimals', 2 ) ): a "Number of
    decimals" left blank makes the REST API write whole amounts, and the doctor says so instead of failing on it."""
    assert price_decimals_setting(value) == decimals
