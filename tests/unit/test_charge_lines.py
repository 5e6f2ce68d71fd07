"""``charges_on_adjustment_items``: a refund's shipping and adjustments on the items the refund settings name,
each an Other Charge item (Oracle NetSuite help, "Best Practice for Refund Syncs": "The best practice is to
create Other Charge For Sale items to represent those partial or nonitem-specific refunds"; FarApp, "Issuing
Refunds", support.farapp.com/hc/en-us/articles/115004755648: "The "Post positive refund adjustments against
item" and "Post negative refund adjustments against item" are used to post partial refunds to NetSuite").
No source says where refunded shipping goes: the positive adjustment item and the order's shipping item are
both accepted. Pure: the records are built here."""

from __future__ import annotations

from dataclasses import replace

from syncproof import checks
from syncproof.config import RefundSettings
from syncproof.model import Channel, Money, PostedLine, Refund, RefundLine

SETTINGS = RefundSettings()  # Refund Adjustment (positive), Refund Fee (negative)
SHIPPING_ITEM = "Shipping"  # the item the order's shipping line is on


def usd(value: str) -> Money:
    return Money(value, "USD")


def _refund(*, shipping: str | None = None, adjustment: str | None = None) -> Refund:
    return Refund(Channel("shopify"), "1001", "R1", "USD",
                  lines=(RefundLine("SP-MUG-01", 1, usd("14.50"), usd("1.16")),),
                  shipping=usd(shipping) if shipping else None, adjustment=usd(adjustment) if adjustment else None)


def _line(item: str, amount: str, item_type: str = "OthCharge") -> PostedLine:
    return PostedLine(item, f"id-{item}", item_type, usd(amount))


def test_a_fee_goes_on_the_negative_item_and_shipping_on_the_positive_one():
    refund = _refund(shipping="5.99", adjustment="-3.00")
    posted = [_line("SP-MUG-01", "14.50", "NonInvtPart"), _line("Refund Adjustment", "5.99"),
              _line("Refund Fee", "-3.00")]
    verdict = checks.charges_on_adjustment_items(refund, posted, SETTINGS)
    assert verdict.passed, verdict.message
    assert verdict.expected == {"Refund Adjustment": "5.99 USD", "Refund Fee": "-3.00 USD"}


def test_a_fee_on_the_positive_item_fails_naming_both_items():
    refund = _refund(adjustment="-3.00")
    verdict = checks.charges_on_adjustment_items(refund, [_line("Refund Adjustment", "-3.00")], SETTINGS)
    assert not verdict.passed
    assert "-3.00 USD" in verdict.message and "'Refund Adjustment'" in verdict.message
    assert "'Refund Fee'" in verdict.message and "order 1001" in verdict.message


def test_shipping_left_off_fails_naming_the_item_it_belongs_on():
    verdict = checks.charges_on_adjustment_items(_refund(shipping="5.99"), [], SETTINGS)
    assert not verdict.passed
    assert "'Refund Adjustment'" in verdict.message and "5.99 USD" in verdict.message


def test_an_adjustment_item_of_another_type_fails_as_configuration():
    refund = _refund(shipping="5.99")
    verdict = checks.charges_on_adjustment_items(refund, [_line("Refund Adjustment", "5.99", "NonInvtPart")],
                                                 SETTINGS)
    assert not verdict.passed and verdict.category is not None and verdict.category.value == "configuration"
    assert "NonInvtPart" in verdict.message and "not an Other Charge item" in verdict.message


def test_shipping_refunded_on_the_orders_shipping_item_passes():
    """Shipping given back on the Shipping item the order's shipping line is on, as the amounts check reads it."""
    refund = _refund(shipping="5.99", adjustment="-3.00")
    posted = [_line("SP-MUG-01", "14.50", "NonInvtPart"), _line("Shipping", "5.99"), _line("Refund Fee", "-3.00")]
    verdict = checks.charges_on_adjustment_items(refund, posted, SETTINGS, shipping_item=SHIPPING_ITEM)
    assert verdict.passed, verdict.message
    assert verdict.actual == {"Refund Fee": "-3.00 USD", "Shipping": "5.99 USD"}


def test_shipping_on_the_fee_item_fails_naming_the_places_it_may_be():
    verdict = checks.charges_on_adjustment_items(_refund(shipping="5.99"), [_line("Refund Fee", "5.99")], SETTINGS,
                                                 shipping_item=SHIPPING_ITEM)
    assert not verdict.passed
    assert "'Refund Fee'" in verdict.message and "'Refund Adjustment', 'Shipping'" in verdict.message


def test_shipping_is_not_expected_when_the_settings_do_not_refund_it():
    settings = replace(SETTINGS, refund_shipping=False)
    verdict = checks.charges_on_adjustment_items(_refund(shipping="5.99"), [_line("SP-MUG-01", "14.50")], settings,
                                                 shipping_item=SHIPPING_ITEM)
    assert verdict.passed, verdict.message
    assert verdict.expected == {}


def test_shipping_refunded_against_the_settings_fails_saying_so():
    settings = replace(SETTINGS, refund_shipping=False)
    verdict = checks.charges_on_adjustment_items(_refund(shipping="5.99"), [_line("Shipping", "5.99")], settings,
                                                 shipping_item=SHIPPING_ITEM)
    assert not verdict.passed
    assert "'Shipping'" in verdict.message and "refund_shipping = false" in verdict.message


def test_a_refund_with_nothing_to_place_says_so():
    verdict = checks.charges_on_adjustment_items(_refund(), [_line("SP-MUG-01", "14.50", "NonInvtPart")], SETTINGS)
    assert verdict.passed
    assert "nothing to place" in verdict.message and "0 line(s)" not in verdict.message


def test_amounts_in_another_currency_than_the_channels_fail_naming_both():
    """A NetSuite line of 5.99 EUR is not the channel's 5.99 USD of shipping."""
    posted = [PostedLine("Refund Adjustment", "id-adj", "OthCharge", Money("5.99", "EUR"))]
    verdict = checks.charges_on_adjustment_items(_refund(shipping="5.99"), posted, SETTINGS)
    assert not verdict.passed
    assert "5.99 EUR" in verdict.message and "5.99 USD" in verdict.message


def test_a_kept_fee_on_the_negative_item_passes():
    """``fee_kept_on_negative_item``: the channel refund keeps the fee and NetSuite holds it on the fee item."""
    verdict = checks.fee_kept_on_negative_item(_refund(adjustment="-2.50"), [_line("Refund Fee", "-2.50")],
                                               SETTINGS, usd("2.50"))
    assert verdict.passed, verdict.message
    assert verdict.actual == {"kept by the channel": "2.50 USD", "Refund Fee": "-2.50 USD"}


def test_a_kept_fee_on_the_positive_item_fails_naming_where_it_is():
    verdict = checks.fee_kept_on_negative_item(_refund(adjustment="-2.50"), [_line("Refund Adjustment", "-2.50")],
                                               SETTINGS, usd("2.50"))
    assert not verdict.passed
    assert "'Refund Fee' holds 0.00 USD, expected -2.50 USD" in verdict.message
    assert "on item 'Refund Adjustment' instead" in verdict.message and "order 1001" in verdict.message


def test_a_fee_the_channel_did_not_record_fails_before_netsuite_is_read():
    """A channel refund without the fee proves nothing about where NetSuite puts one: it fails, saying so."""
    verdict = checks.fee_kept_on_negative_item(_refund(), [], SETTINGS, usd("2.50"))
    assert not verdict.passed
    assert "keeps 0.00 USD from the customer, the scenario kept 2.50 USD" in verdict.message
