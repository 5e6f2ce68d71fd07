"""A WooCommerce line's taxes per rate are written as the store keeps them, unrounded; the line's ``total_tax`` and
everything the order adds up hold each of them rounded to the store's "Number of decimals". A refund returns its
tax to the minor unit, as the store counts it, so the refunds of a line add up to its ``total_tax`` and NetSuite
gets the same amounts.

Sources (read with the search tool, woocommerce/woocommerce):

- ``plugins/woocommerce/includes/rest-api/Controllers/Version2/class-wc-rest-orders-v2-controller.php``,
  ``get_order_item_data``: ``subtotal``, ``subtotal_tax``, ``total``, ``total_tax`` go through ``wc_format_decimal(
  $data[ $key ], $this->request['dp'] )``, but "Format taxes" writes ``'total' => $tax`` and ``'subtotal' =>
  $data['taxes']['subtotal'][ $tax_rate_id ]`` for each rate as stored, unformatted;
- ``plugins/woocommerce/includes/class-wc-tax.php``, ``calc_exclusive_tax``: ``$price * ( floatval( $tax_rate ) /
  100 )``, then "Round all taxes to precision (4DP) before passing them back" through ``WC_Tax::round``, which
  rounds to ``wc_get_rounding_precision()``: ``wc_get_price_decimals() + 2``, at least ``WC_ROUNDING_PRECISION``
  (``class-woocommerce.php``: ``define( 'WC_ROUNDING_PRECISION', 6 )``), so 8% of 3.26 is stored as 0.2608;
- ``plugins/woocommerce/includes/class-wc-order-item-product.php``, ``set_taxes``: the rates' taxes are kept as
  ``wc_format_decimal`` strings (no ``dp``: every decimal), and ``set_total_tax( array_sum( array_map(
  'wc_round_tax_total', $tax_data['total'] ) ) )`` unless ``woocommerce_tax_round_at_subtotal`` is ``yes``;
- ``plugins/woocommerce/includes/abstracts/abstract-wc-order.php``, ``update_taxes``: the order's tax lines add up
  each item's ``round_line_tax( $tax, false )`` (line items, fees) and ``wc_round_tax_total( $tax )`` (shipping).
"""

from __future__ import annotations

import pytest

from syncproof import checks
from syncproof.channels import channel_for
from syncproof.config import parse_config
from syncproof.engine import SyncEngine
from syncproof.engine.refunds import netsuite_refund_as_domain
from syncproof.engine.store import EngineStore
from syncproof.model import Channel, Money, OrderLine, Shipping, TransactionType
from syncproof.runtime import open_runtime

from .test_store_decimals import store


@pytest.fixture
def runtime():
    """The sandbox's emulators (NetSuite, WooCommerce...) on loopback, as a run opens them."""
    opened = open_runtime(parse_config({}))
    yield opened
    opened.close()


def usd(value: str) -> Money:
    return Money(value, "USD")


def _three_at_3_33() -> list[OrderLine]:
    """Three units at 3.33: 8% of 9.99 is 0.7992, stored as such; the line's total_tax is 0.80."""
    return [OrderLine("1", "SP-MUG-01", 3, usd("3.33"), usd("0.80"), usd("0"), "Stoneware mug")]


def test_a_lines_taxes_are_written_as_stored_and_its_total_tax_rounded_to_the_stores_decimals():
    with store("USD") as (client, raw):
        made = client.create_order(
            [OrderLine("1", "SP-MUG-01", 1, usd("3.26"), usd("0.26"), usd("0"), "Stoneware mug"),
             OrderLine("2", "SP-TEE-02", 2, usd("22.00"), usd("3.17"), usd("4.40"), "Organic tee")],
            shipping=Shipping(usd("5.99"), usd("0.48"), "Flat rate"), customer=("Ada Lovelace", "ada@example.com"))
        body = raw.get(f"/orders/{made.channel_order_id}").json()
        wide = raw.get(f"/orders/{made.channel_order_id}", params={"dp": 4}).json()
    mug, tee = body["line_items"]
    [ship] = body["shipping_lines"]
    assert (mug["taxes"][0]["total"], mug["taxes"][0]["subtotal"], mug["total_tax"]) == ("0.2608", "0.2608", "0.26")
    # the tee's 44.00 less 4.40 of discount: 8% of 39.60 is 3.168, of the 44.00 subtotal 3.52
    assert (tee["taxes"][0]["total"], tee["taxes"][0]["subtotal"]) == ("3.168", "3.52")
    assert (tee["total_tax"], tee["subtotal_tax"]) == ("3.17", "3.52")
    assert (ship["taxes"][0]["total"], ship["taxes"][0]["subtotal"], ship["total_tax"]) == ("0.4792", "", "0.48")
    [tax_line] = body["tax_lines"]
    assert (tax_line["tax_total"], tax_line["shipping_tax_total"]) == ("3.43", "0.48")
    assert (body["cart_tax"], body["shipping_tax"], body["total_tax"], body["total"]) == ("3.43", "0.48", "3.91",
                                                                                        "52.76")
    # dp formats the amounts, never the taxes as stored
    assert (wide["line_items"][0]["total_tax"], wide["line_items"][0]["taxes"][0]["total"]) == ("0.2600", "0.2608")
    assert made.lines[0].tax == usd("0.26") and made.shipping is not None and made.shipping.tax == usd("0.48")


def test_one_unit_at_a_time_returns_the_lines_tax_to_the_cent_and_adds_up_to_its_total_tax():
    """Shares of 0.80, not of 0.7992: 0.27, 0.27 and what is left, 0.26 (the stored tax would leave 0.2592, a
    fraction of a cent the store would round and NetSuite could not hold)."""
    with store("USD") as (client, raw):
        made = client.create_order(_three_at_3_33())
        item = made.lines[0].line_id
        refunds = [client.create_refund(made.channel_order_id, {item: 1}) for _ in range(3)]
        sent = raw.get(f"/orders/{made.channel_order_id}/refunds", params={"order": "asc"}).json()
        order = raw.get(f"/orders/{made.channel_order_id}").json()
    assert [r["line_items"][0]["taxes"][0]["total"] for r in sent] == ["-0.27", "-0.27", "-0.26"]
    assert [r["amount"] for r in sent] == ["3.60", "3.60", "3.59"]
    assert [(r.lines[0].tax, r.total, r.adjustment) for r in refunds] == [
        (usd("0.27"), usd("3.60"), None), (usd("0.27"), usd("3.60"), None), (usd("0.26"), usd("3.59"), None)]
    assert Money.total((r.lines[0].tax for r in refunds), "USD") == usd(order["line_items"][0]["total_tax"])
    assert order["status"] == "refunded"


def test_a_netsuite_refund_of_one_unit_reaches_the_store_with_the_tax_netsuite_prorated(runtime):
    """Two units at 0.66: 8% of 1.32 is stored as 0.1056, a total_tax of 0.11, which is what NetSuite bills. NetSuite
    refunds one unit with half of 0.11, 0.06 (half of the stored 0.1056 would be 0.05); pushed to the store over
    loopback HTTP, the WooCommerce refund returns 0.06 of tax too, so it has no adjustment and both sides agree."""
    push = parse_config({"woocommerce": {"refunds": {"direction": "from_netsuite"}}})
    engine = SyncEngine.build(runtime.netsuite, EngineStore(), push)
    engine.books.ensure_item("SP-MUG-01", "mug")
    woo = channel_for(runtime, "woocommerce")
    order = woo.place_order([OrderLine("1", "SP-MUG-01", 2, usd("0.66"), usd("0.11"), usd("0"), "mug")],
                            shipping=None, customer=("Ada Lovelace", "ada@example.com"), note="line taxes")
    assert engine.orders.sync(order).synced
    record = engine.store.order("woocommerce", order.channel_order_id)
    billing = TransactionType(record.billing_type)
    ns_id = engine.books.refund_in_netsuite(billing, record.billing_id, TransactionType.CASH_REFUND, "line-taxes-1",
                                            {"SP-MUG-01": 1})
    posted = netsuite_refund_as_domain(engine.books, TransactionType.CASH_REFUND, ns_id, Channel("woocommerce"),
                                       order.channel_order_id, "USD", push.channel("woocommerce").refunds)
    assert (posted.lines[0].tax, posted.total) == (usd("0.06"), usd("0.72"))

    [result] = [r for r in engine.refunds.from_netsuite("woocommerce", woo.client) if r.channel_order_id]

    assert result.status == "created", result.reason
    [refund] = woo.refunds(order)
    assert (refund.lines[0].tax, refund.total, refund.adjustment) == (usd("0.06"), usd("0.72"), None)
    verdict = checks.refund_amounts_match(posted, refund, check_id="RS-NM-3", expected_side="NetSuite",
                                          actual_side="woocommerce")
    assert verdict.passed, verdict.message
