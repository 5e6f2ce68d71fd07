"""Which checks a channel's matrix column can show, read from the channel's spec, not from a list of names."""

from dataclasses import replace

from syncproof import channels
from syncproof.report.coverage import applies, channel_mark


def test_netsuite_to_channel_checks_apply_to_every_channel_whose_refunds_can_start_in_netsuite():
    for spec in channels.specs():
        assert applies("RS-NM-1", spec.name) == ("from_netsuite" in spec.refund_directions), spec.name
    assert applies("RS-NM-3", "woocommerce") and not applies("RS-NM-3", "ebay")


def test_settlement_checks_apply_to_channels_with_settlements_only():
    assert [s.name for s in channels.specs() if applies("AS-4", s.name)] == ["amazon"]


def test_a_cart_added_to_the_registry_gets_the_netsuite_to_channel_checks():
    cart = replace(channels.get("woocommerce"), name="acme", title="Acme")
    channels.register(cart)
    try:
        assert applies("RS-NM-2", "acme") and channel_mark("RS-NM-2", "acme", ["passed"]) == "passed"
        assert channel_mark("AS-1", "acme", []) == "not-applicable"
    finally:
        channels.unregister("acme")
    assert not applies("RS-NM-2", "acme")  # unknown channel
