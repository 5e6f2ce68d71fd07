"""Record transformation rules: which pairs are allowed, and the target's lines.

A transform copies the source's header (entity, currency, otherRefNum, memo) and
pre-fills the target with every source line that has something left, and sets
``createdFrom``, as NetSuite does (Oracle help, "Transforming Records"). An optional
body may override header fields and send ``item.items``; the item sublist is keyed
(Oracle help, "Working with Sublists"), so:

- a line with ``orderLine`` updates the pre-filled line made from the source line
  of that number; its quantity defaults to what remains, its rate to the source
  rate, its tax to the source tax prorated by quantity;
- a line with ``item`` and no ``orderLine`` is added (shipping refund, goodwill
  adjustment, ...);
- pre-filled lines the body does not name STAY on the target, unless the request
  asks ``?replace=item``, which removes every line the body does not list.

What remains on a source line is its quantity minus the quantities earlier
transforms *of the same kind* took from it: billing (sales order to cash sale or
invoice) or returning (everything else). Taking more is a ``USER_ERROR``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable

from .catalog import BILLING_TRANSFORMS, TRANSFORMS, kind_of
from .errors import NetSuiteError, invalid_content, user_error
from .lines import prorate

__all__ = ["check_allowed", "same_kind", "remaining_quantities", "plan_lines", "HEADER_COPY"]

#: Header fields a transform copies from its source.
HEADER_COPY = ("entity", "currency", "exchangeRate", "otherRefNum", "memo", "subsidiary", "location", "department",
               "class")


def check_allowed(from_type: str, to_type: str) -> None:
    if to_type not in TRANSFORMS.get(from_type, ()):
        raise NetSuiteError(
            400, "INVALID_RCRD_TRANSFRM",
            f"That type of record transformation is not allowed: {from_type} to {to_type}. "
            "See the documentation for a list of supported transformation types.")


def same_kind(from_type: str, a: str, b: str) -> bool:
    """Whether transforms ``from_type -> a`` and ``from_type -> b`` draw on the same quantity."""
    return ((from_type, a) in BILLING_TRANSFORMS) == ((from_type, b) in BILLING_TRANSFORMS)


def remaining_quantities(source: dict[str, Any], to_type: str, source_type: str,
                         children: Iterable[tuple[str, dict[str, Any]]]) -> dict[int, Decimal]:
    """Quantity left on each source line for a transform to ``to_type``."""
    left = {line["line"]: line["quantity"] for line in source.get("item", {}).get("items", [])}
    for child_type, child in children:
        if not same_kind(source_type, child_type, to_type):
            continue
        for line in child.get("item", {}).get("items", []):
            order_line = line.get("orderLine")
            if order_line in left:
                left[order_line] -= line["quantity"]
    return left


def plan_lines(source: dict[str, Any], source_type: str, to_type: str,
               body_lines: list[Any] | None, remaining: dict[int, Decimal],
               currency: str, *, replace: bool = False) -> list[dict[str, Any]]:
    """The raw ``item.items`` of the target, checked against what remains refundable.

    The target is pre-filled with every source line that has something left; a body
    line with ``orderLine`` updates the pre-filled line of that source line (the key),
    a body line without one is added, and pre-filled lines the body does not name stay
    unless ``replace`` (``?replace=item``) is asked for, which removes them.
    """
    by_number = {line["line"]: line for line in source.get("item", {}).get("items", [])}
    label = f"{kind_of(source_type).label} #{source.get('tranId')}"
    verb = "bill" if (source_type, to_type) in BILLING_TRANSFORMS else "return or refund"
    prefilled = {number: _from_source(line, remaining[number], {}, currency)
                 for number, line in by_number.items() if remaining.get(number, Decimal(0)) > 0}
    if body_lines is None:
        if not prefilled and not replace:
            raise user_error(f"Nothing is left to {verb} on {label}: every line has been used "
                             "by earlier transactions.", "item")
        return [] if replace else list(prefilled.values())
    if not isinstance(body_lines, list):
        raise invalid_content("item.items must be a list.", "item.items")
    updated: dict[int, dict[str, Any]] = {}
    added: list[dict[str, Any]] = []
    for index, raw in enumerate(body_lines):
        path = f"item.items[{index}]"
        if not isinstance(raw, dict):
            raise invalid_content(f"Invalid line {raw!r}.", path)
        if raw.get("orderLine") is None:
            added.append(dict(raw))
            continue
        try:
            number = int(raw["orderLine"])
        except (TypeError, ValueError):
            raise invalid_content(f"Invalid orderLine {raw['orderLine']!r}.", f"{path}.orderLine") from None
        line = by_number.get(number)
        if line is None:
            raise invalid_content(f"{label} has no line {number}.", f"{path}.orderLine")
        given_item = raw.get("item")
        if isinstance(given_item, dict) and given_item.get("id") is not None \
                and str(given_item["id"]) != line["item"]["id"]:
            raise user_error(f"Line {number} of {label} is item {line['item']['refName']}, "
                             f"not item {given_item['id']}.", f"{path}.item")
        left = remaining.get(number, Decimal(0))
        quantity = raw.get("quantity")
        quantity = left if quantity is None else Decimal(str(quantity))
        if quantity < 0:
            raise invalid_content("Quantity must not be negative.", f"{path}.quantity")
        if quantity > left:
            sku = line["item"]["refName"]
            raise user_error(
                f"You cannot {verb} more than remains on line {number} ({sku}) of {label}: "
                f"{quantity} requested, {max(left, Decimal(0))} remaining.", f"{path}.quantity")
        updated[number] = _from_source(line, quantity, raw, currency)  # the key: a second entry updates it again
    planned = [updated.get(number, line) for number, line in prefilled.items()
               if number in updated or not replace]
    planned += [line for number, line in updated.items() if number not in prefilled]
    return planned + added


def _from_source(line: dict[str, Any], quantity: Decimal, raw: dict[str, Any],
                 currency: str) -> dict[str, Any]:
    planned = {
        "item": {"id": line["item"]["id"]},
        "quantity": quantity,
        "rate": raw.get("rate", line["rate"]),
        "orderLine": line["line"],
    }
    if raw.get("amount") is not None:
        planned["amount"] = raw["amount"]
    elif raw.get("rate") is None and quantity == line["quantity"]:
        planned["amount"] = line["amount"]
    if raw.get("tax1Amt") is not None:
        planned["tax1Amt"] = raw["tax1Amt"]
    elif line["quantity"]:
        planned["tax1Amt"] = prorate(line["tax1Amt"], quantity, line["quantity"], currency)
    for key in ("description", "memo"):
        value = raw.get(key, line.get(key))
        if value is not None:
            planned[key] = value
    return planned
