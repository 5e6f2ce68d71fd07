"""``charges_on_adjustment_items``: a refund's shipping and adjustments on the items the refund settings name,
each an Other Charge for Sale item (Oracle NetSuite help, "Best Practice for Refund Syncs": "The best practice
is to create Other Charge For Sale items to represent those partial or nonitem-specific refunds."). Pure: the
records are built here."""

from __future__ import annotations

from syncproof import checks
from syncproof.config import RefundSettings
from syncproof.model import Channel, Money, PostedLine, Refund, RefundLine

SETTINGS = RefundSettings()  # Refund Adjustment (positive), Refund Fee (negative)


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
    assert verdict.expected == {"Refund Adjustment": "5.99", "Refund Fee": "-3.00"}


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
    assert "NonInvtPart" in verdict.message and "Other Charge for Sale" in verdict.message
