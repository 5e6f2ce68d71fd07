"""Refund charge lines: a NetSuite refund's shipping and other amounts are on the items the refund settings name.

A refund posted to NetSuite carries the channel refund's item lines on the order's items; every other
line is on an item of the type the footprint table's ``[refund_lines]`` calls for (Other Charge): an
adjustment on the adjustment item the refund settings name for its sign (FarApp, "Issuing Refunds": "Post
positive refund adjustments against item" and "Post negative refund adjustments against item"), refunded
shipping on any of the places ``[refund_lines] shipping`` allows (no source says which; the positive
adjustment item or the order's shipping item), and no shipping at all when the settings do not refund it.
The amounts check reads both adjustment items alike, so only this check sees an amount on the wrong one, or
an adjustment item of the wrong type. :func:`fee_kept_on_negative_item` checks one such amount by name: a fee
the merchant kept from a refund (a restocking fee), which the channel refund must show and NetSuite must hold
on the negative adjustment item.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..footprints import refund_charge_items
from ..model import Money, PostedLine, Refund
from ..verdict import CheckResult, FailureCategory

__all__ = ["charges_on_adjustment_items", "fee_kept_on_negative_item"]


def _add(placed: dict[str, Money], item: str, amount: Money) -> None:
    placed[item] = placed[item] + amount if item in placed else amount


def _placements(channel_refund: Refund, settings: Any, shipping_item: str | None) -> list[dict[str, Money]]:
    """Each way the channel refund's shipping and adjustment may be placed, item -> amount, the table's first
    shipping place first (nothing for an amount of zero, no shipping when the settings do not refund it)."""
    rule = refund_charge_items()
    fixed: dict[str, Money] = {}
    adjustment = channel_refund.adjustment
    if adjustment is not None and not adjustment.is_zero():
        _add(fixed, rule.item_for(settings, "positive" if adjustment.amount > 0 else "negative"), adjustment)
    shipping = channel_refund.shipping
    if shipping is None or shipping.is_zero() or not getattr(settings, "refund_shipping", True):
        return [fixed]
    placements = []
    for item in rule.shipping_items(settings, shipping_item):
        placed = dict(fixed)
        _add(placed, item, shipping)
        placements.append(placed)
    return placements or [fixed]


def _shown(amounts: dict[str, Money]) -> dict[str, str]:
    return {item: str(amount) for item, amount in sorted(amounts.items())}


def _same(wanted: dict[str, Money], got: dict[str, Money]) -> bool:
    return wanted.keys() == got.keys() and all(wanted[k].rounded() == got[k].rounded() for k in wanted)


def _mismatch(where: str, wanted: dict[str, Money], got: dict[str, Money], shipping_places: Sequence[str],
              shipping_refunded: bool) -> str:
    """One sentence naming the first item whose amount is not what the settings call for."""
    misplaced = [item for item in sorted(got) if item not in wanted]
    if not shipping_refunded:
        note = " (the refund settings do not refund shipping: refund_shipping = false)"
    elif len(shipping_places) > 1:
        note = f" (refunded shipping may be on any of {', '.join(map(repr, shipping_places))})"
    else:
        note = ""
    if misplaced:
        item = misplaced[0]
        named = ", ".join(map(repr, sorted(wanted))) or "none"
        return (f"{where}: {got[item]} of shipping and adjustments is on item {item!r}, which the refund settings "
                f"do not name for it (expected on {named}){note}")
    item = next(item for item in sorted(wanted)
                if item not in got or got[item].rounded() != wanted[item].rounded())
    held = str(got[item]) if item in got else "nothing"
    return f"{where}: item {item!r} holds {held} of shipping and adjustments, expected {wanted[item]}{note}"


def charges_on_adjustment_items(channel_refund: Refund, posted: Sequence[PostedLine], settings: Any, *,
                                shipping_item: str | None = None, check_id: str = "RS-MN-3") -> CheckResult:
    """The NetSuite refund's lines that are not the channel refund's SKUs hold its shipping and adjustment, each
    on an item ``settings`` (the channel's refund settings) allow for it, and those items are of the footprint's
    item type. ``posted`` are the NetSuite refund's item lines with their items' itemIds and types;
    ``shipping_item`` is the item the order's shipping line is on, one place refunded shipping may sit."""
    rule = refund_charge_items()
    where = f"order {channel_refund.channel_order_id} refund {channel_refund.refund_id}"
    title = "the NetSuite refund's shipping and adjustments are on the refund settings' adjustment items"
    skus = {line.sku for line in channel_refund.lines}
    charges = [line for line in posted if line.item not in skus and not line.amount.is_zero()]
    got: dict[str, Money] = {}
    for line in charges:
        _add(got, line.item, line.amount)
    placements = _placements(channel_refund, settings, shipping_item)
    wanted = next((placed for placed in placements if _same(placed, got)), placements[0])
    expected, actual = _shown(wanted), _shown(got)
    evidence = [{"expected": {"items": [_shown(placed) for placed in placements], "item_type": rule.item_type},
                 "NetSuite": [{"item": line.item, "item_id": line.item_id, "item_type": line.item_type,
                               "amount": str(line.amount.amount), "currency": line.amount.currency}
                              for line in charges]}]
    if not _same(wanted, got):
        message = _mismatch(where, wanted, got, rule.shipping_items(settings, shipping_item),
                            bool(getattr(settings, "refund_shipping", True)))
        return CheckResult(check_id, title, False, expected, actual, message, evidence, FailureCategory.DATA_MISMATCH)
    wrong = next((line for line in charges if line.item_type != rule.item_type), None)
    if wrong is not None:
        kind = f"of type {wrong.item_type}" if wrong.item_type else "of an unknown type"
        return CheckResult(check_id, title, False, {"item_type": rule.item_type},
                           {"item": wrong.item, "item_type": wrong.item_type or "unknown"},
                           f"{where}: item {wrong.item!r} holding {wrong.amount} is {kind}, not an "
                           f"{rule.item_type_name} item ({rule.item_type}): make it one in NetSuite or name one in "
                           f"the refund settings", evidence, FailureCategory.CONFIGURATION)
    if not charges:
        return CheckResult(check_id, title, True, expected, actual,
                           f"{where}: nothing to place: the refund has no shipping or adjustment, and the NetSuite "
                           f"refund has no line besides its SKUs", evidence)
    return CheckResult(check_id, title, True, expected, actual,
                       f"{where}: {len(charges)} line(s) of shipping and adjustments, each on an item the refund "
                       f"settings allow for it, all {rule.item_type_name} items", evidence)


def fee_kept_on_negative_item(channel_refund: Refund, posted: Sequence[PostedLine], settings: Any, fee: Money, *,
                              check_id: str = "RS-MN-3") -> CheckResult:
    """The channel refund keeps ``fee`` (its adjustment is ``-fee``) and the NetSuite refund's lines on the item
    ``settings`` name for a negative adjustment hold ``-fee``: the fee is neither dropped nor given back on the
    positive adjustment item."""
    rule = refund_charge_items()
    item = rule.item_for(settings, "negative")
    where = f"order {channel_refund.channel_order_id} refund {channel_refund.refund_id}"
    title = "the fee the merchant kept is on the refund settings' negative adjustment item"
    kept = -channel_refund.adjustment if channel_refund.adjustment is not None else Money.zero(fee.currency)
    held = Money.total((line.amount for line in posted if line.item == item), fee.currency)
    expected = {"kept by the channel": str(fee), item: str(-fee)}
    actual = {"kept by the channel": str(kept), item: str(held)}
    evidence = [{"channel adjustment": str(channel_refund.adjustment), "negative adjustment item": item,
                 "NetSuite": [{"item": line.item, "item_type": line.item_type, "amount": str(line.amount)}
                              for line in posted if line.item not in {ln.sku for ln in channel_refund.lines}]}]
    if kept.rounded() != fee.rounded():
        return CheckResult(check_id, title, False, expected, actual,
                           f"{where}: the {channel_refund.channel.value} refund keeps {kept} from the customer, the "
                           f"scenario kept {fee}: the channel did not record the fee", evidence,
                           FailureCategory.DATA_MISMATCH)
    if held.rounded() != (-fee).rounded():
        elsewhere = [line.item for line in posted if line.item != item and line.amount.rounded() == (-fee).rounded()]
        note = f"; {-fee} is on item {elsewhere[0]!r} instead" if elsewhere else ""
        return CheckResult(check_id, title, False, expected, actual,
                           f"{where}: the negative adjustment item {item!r} holds {held}, expected {-fee}, the fee "
                           f"kept from the customer{note}", evidence, FailureCategory.DATA_MISMATCH)
    return CheckResult(check_id, title, True, expected, actual,
                       f"{where}: the {fee} kept from the customer is on the negative adjustment item {item!r}",
                       evidence)
