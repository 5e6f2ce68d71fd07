"""Refund charge lines: a NetSuite refund's shipping and other amounts are on the items the refund settings name.

A refund posted to NetSuite carries the channel refund's item lines on the order's items; every other
line (refunded shipping, an adjustment) must be on the adjustment item the refund settings name for it,
and that item must be of the type the footprint table's ``[refund_lines]`` calls for (Other Charge for
Sale). The amounts check reads both adjustment items alike, so only this check sees an amount on the
wrong one, or an adjustment item of the wrong type.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..footprints import refund_charge_items
from ..model import Money, PostedLine, Refund
from ..verdict import CheckResult, FailureCategory

__all__ = ["charges_on_adjustment_items"]


def _expected(channel_refund: Refund, settings: Any) -> dict[str, Money]:
    """Item -> what the channel refund puts on it: its shipping and its adjustment, each on the item the
    settings name for it (nothing for an amount of zero)."""
    rule = refund_charge_items()
    wanted: dict[str, Money] = {}
    adjustment = channel_refund.adjustment
    amounts = [("shipping", channel_refund.shipping)]
    if adjustment is not None:
        amounts.append(("positive" if adjustment.amount > 0 else "negative", adjustment))
    for key, amount in amounts:
        if amount is not None and not amount.rounded().is_zero():
            item = rule.item_for(settings, key)
            wanted[item] = wanted.get(item, Money.zero(channel_refund.currency)) + amount
    return wanted


def _shown(amounts: dict[str, Money]) -> dict[str, str]:
    return {item: str(amount.rounded().amount) for item, amount in sorted(amounts.items())}


def charges_on_adjustment_items(channel_refund: Refund, posted: Sequence[PostedLine], settings: Any, *,
                                check_id: str = "RS-MN-3") -> CheckResult:
    """The NetSuite refund's lines that are not the channel refund's SKUs hold its shipping and adjustment, each
    on the item ``settings`` (the channel's refund settings) name for it, and those items are of the footprint's
    item type. ``posted`` are the NetSuite refund's item lines with their items' itemIds and types."""
    rule = refund_charge_items()
    where = f"order {channel_refund.channel_order_id} refund {channel_refund.refund_id}"
    title = "the NetSuite refund's shipping and adjustments are on the refund settings' adjustment items"
    skus = {line.sku for line in channel_refund.lines}
    charges = [line for line in posted if line.item not in skus and not line.amount.rounded().is_zero()]
    wanted = _expected(channel_refund, settings)
    got: dict[str, Money] = {}
    for line in charges:
        got[line.item] = got.get(line.item, Money.zero(line.amount.currency)) + line.amount
    expected, actual = _shown(wanted), _shown(got)
    evidence = [{"expected": {"items": expected, "item_type": rule.item_type},
                 "NetSuite": [{"item": line.item, "item_id": line.item_id, "item_type": line.item_type,
                               "amount": str(line.amount.amount), "currency": line.amount.currency}
                              for line in charges]}]
    currency = channel_refund.currency
    misplaced = [item for item in actual if item not in expected]
    for item in misplaced + sorted(item for item in expected if actual.get(item) != expected[item]):
        if item in misplaced:
            named = ", ".join(map(repr, expected)) or "none"
            message = (f"{where}: {actual[item]} {currency} of shipping and adjustments is on item {item!r}, which "
                       f"the refund settings do not name for it (expected on {named})")
        else:
            message = (f"{where}: item {item!r} holds {actual.get(item, '0.00')} {currency} of shipping and "
                       f"adjustments, expected {expected[item]} {currency}")
        return CheckResult(check_id, title, False, expected, actual, message, evidence, FailureCategory.DATA_MISMATCH)
    wrong = next((line for line in charges if line.item_type != rule.item_type), None)
    if wrong is not None:
        kind = f"of type {wrong.item_type}" if wrong.item_type else "of an unknown type"
        return CheckResult(check_id, title, False, {"item_type": rule.item_type},
                           {"item": wrong.item, "item_type": wrong.item_type or "unknown"},
                           f"{where}: item {wrong.item!r} holding {wrong.amount.amount} {wrong.amount.currency} is "
                           f"{kind}, not an {rule.item_type_name} item "
                           f"({rule.item_type}): make it one in NetSuite or name one in the refund settings",
                           evidence, FailureCategory.CONFIGURATION)
    return CheckResult(check_id, title, True, expected, actual,
                       f"{where}: {len(charges)} line(s) of shipping and adjustments, each on the item the refund "
                       f"settings name, all {rule.item_type_name} items", evidence)
