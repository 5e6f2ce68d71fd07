"""Which channel a check id applies to, and which channels a scenario touched.

The matrix has one column per channel with one of four marks: passed, failed,
incomplete, **not covered** (the check applies to the channel but no scenario of this
run exercised it there) and **not applicable** (the check cannot apply, by the channel's
spec: Amazon and eBay refunds never start in NetSuite, and settlements are Amazon's).

A scenario touches the channel its tag or outline row names; a scenario with neither
(a refund-settings scenario) touches the channels its steps name.

    >>> applies("RS-NM-1", "amazon"), applies("RS-NM-1", "woocommerce"), applies("AS-3", "shopify")
    (False, True, False)
    >>> channels_touched(None, ["shopify refunds sync to NetSuite", "a shopify order"])
    ['shopify']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .. import channels as channel_registry
from ..channels import ChannelSpec
from .checks_catalog import CHANNELS

__all__ = ["MARKS", "applies", "channels_touched", "channel_mark", "combined_status"]

#: Check-id prefixes -> what a channel must offer for them to apply (absent: every channel): NetSuite-to-channel
#: refunds need a channel whose refunds can sync from NetSuite, settlement checks a channel with settlements.
_ONLY: dict[str, Callable[[ChannelSpec], bool]] = {
    "RS-NM-": lambda spec: "from_netsuite" in spec.refund_directions,
    "AS-": lambda spec: bool(spec.extra.get("settlements")),
}

#: mark -> (symbol, words) as the report shows them.
MARKS = {"passed": ("✓", "passed"), "failed": ("✗", "failed"), "incomplete": ("–", "incomplete"),
         "not-covered": ("?", "not covered"), "not-applicable": ("n/a", "not applicable")}


def applies(check_id: str, channel: str) -> bool:
    """Whether ``check_id`` can be proved on ``channel`` at all."""
    for prefix, offers in _ONLY.items():
        if check_id.upper().startswith(prefix):
            return channel in channel_registry.names() and offers(channel_registry.get(channel))
    return True


def channels_touched(channel: str | None, step_texts: Iterable[str]) -> list[str]:
    """``[channel]`` when the scenario names one, else the channels its steps mention."""
    if channel:
        return [channel]
    text = " ".join(step_texts).lower()
    return [ch for ch in CHANNELS if re.search(rf"\b{ch}\b", text)]


def channel_mark(check_id: str, channel: str, statuses: list[str]) -> str:
    """The matrix mark for ``check_id`` on ``channel`` given the statuses of the scenarios there."""
    if not applies(check_id, channel):
        return "not-applicable"
    return combined_status(statuses, none="not-covered")


def combined_status(statuses: list[str], *, none: str) -> str:
    """One status for a group of scenario statuses: ``none`` when empty, failed, passed, or incomplete."""
    if not statuses:
        return none
    if any(s in ("failed", "error") for s in statuses):
        return "failed"
    if all(s == "passed" for s in statuses):
        return "passed"
    return "incomplete"
