"""Sublist lines and totals: amounts from quantity and rate, to the currency's minor unit.

An item line as the emulator stores it (and REST returns it)::

    {"line": 1, "item": {"id": "12", "refName": "SKU-1"}, "quantity": Decimal("2"),
     "rate": Decimal("19.99"), "amount": Decimal("39.98"), "tax1Amt": Decimal("3.20"),
     "description": "Blue mug", "orderLine": 1}

``amount`` defaults to ``quantity * rate`` rounded half up; ``rate`` defaults to
``amount / quantity`` when only the amount is given; ``tax1Amt`` defaults to zero.
Totals are always computed from the lines: ``subtotal`` = Σ amount,
``taxTotal`` = Σ tax1Amt, ``total`` = subtotal + taxTotal.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Callable, Literal, overload

from syncproof.model import MINOR_UNITS

from .errors import invalid_content

__all__ = ["to_decimal", "money", "build_item_line", "item_totals", "prorate"]


@overload
def to_decimal(value: Any, path: str, *, required: Literal[True]) -> Decimal: ...
@overload
def to_decimal(value: Any, path: str, *, required: bool = False) -> Decimal | None: ...
def to_decimal(value: Any, path: str, *, required: bool = False) -> Decimal | None:
    """A Decimal from a JSON number or numeric string; floats and booleans are refused."""
    if value is None:
        if required:
            raise invalid_content(f"Please enter value(s) for: {path}.", path)
        return None
    if isinstance(value, bool) or isinstance(value, float):
        raise invalid_content(f"Invalid number {value!r} for field {path}.", path)
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise invalid_content(f"Invalid number {value!r} for field {path}.", path) from None
    if not result.is_finite():
        raise invalid_content(f"Invalid number {value!r} for field {path}.", path)
    return result


def money(value: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor unit."""
    quantum = Decimal(1).scaleb(-MINOR_UNITS.get(currency, 2))
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def prorate(amount: Decimal, part: Decimal, whole: Decimal, currency: str) -> Decimal:
    """``amount * part / whole``, rounded to the currency (whole must not be zero)."""
    if whole == part:
        return amount
    return money(amount * part / whole, currency)


def build_item_line(
    raw: dict[str, Any], index: int, number: int, currency: str,
    item_ref: Callable[[Any, str], dict[str, str]],
) -> dict[str, Any]:
    """Validate one ``item.items`` entry and compute its amount.

    ``item_ref(value, path)`` resolves the item reference or raises NetSuite's error.
    """
    path = f"item.items[{index}]"
    if not isinstance(raw, dict):
        raise invalid_content(f"Invalid line {raw!r}.", path)
    if raw.get("item") is None:
        raise invalid_content("Please enter value(s) for: Item.", f"{path}.item")
    item = item_ref(raw["item"], f"{path}.item")
    quantity = to_decimal(raw.get("quantity"), f"{path}.quantity")
    rate = to_decimal(raw.get("rate"), f"{path}.rate")
    amount = to_decimal(raw.get("amount"), f"{path}.amount")
    tax = to_decimal(raw.get("tax1Amt"), f"{path}.tax1Amt")
    if quantity is None:
        quantity = Decimal(1)
    if quantity < 0:
        raise invalid_content("Quantity must not be negative.", f"{path}.quantity")
    if amount is None:
        if rate is None:
            raise invalid_content("Please enter value(s) for: Rate or Amount.", f"{path}.rate")
        amount = money(quantity * rate, currency)
    elif rate is None:
        rate = amount / quantity if quantity else amount
        exponent = rate.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -4:  # an inexact division: keep four places, as NetSuite does
            rate = rate.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    line: dict[str, Any] = {
        "line": number,
        "item": item,
        "quantity": quantity,
        "rate": rate,
        "amount": money(amount, currency),
        "tax1Amt": money(tax if tax is not None else Decimal(0), currency),
    }
    for key in ("description", "memo"):
        if raw.get(key) is not None:
            line[key] = str(raw[key])
    if raw.get("orderLine") is not None:
        line["orderLine"] = int(raw["orderLine"])
    return line


def item_totals(lines: list[dict[str, Any]], currency: str) -> dict[str, Decimal]:
    subtotal = money(sum((line["amount"] for line in lines), Decimal(0)), currency)
    tax = money(sum((line["tax1Amt"] for line in lines), Decimal(0)), currency)
    return {"subtotal": subtotal, "taxTotal": tax, "total": subtotal + tax}
