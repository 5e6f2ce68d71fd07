"""The refund-settings scenarios name the channel whose settings they show or change, so a live run's pre-flight
probes that channel alone (:mod:`syncproof.selection`): the Shopify ones are tagged ``@shopify`` like the Amazon
and eBay ones are tagged with theirs."""

from __future__ import annotations

from pathlib import Path

from syncproof.selection import selected_channels

ROOT = Path(__file__).resolve().parents[2]


def test_the_shopify_refund_settings_scenarios_talk_to_shopify_alone(monkeypatch):
    monkeypatch.chdir(ROOT)
    chosen = selected_channels([str(ROOT / "steps" / "test_scenarios.py"), "-p", "no:randomly",
                                "-m", "settings and not (amazon or ebay or woocommerce)"])
    assert chosen == frozenset({"shopify"})
