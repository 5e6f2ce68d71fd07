"""Field values of a settlement flat file: amounts, dates, quantities, order ids.

Each parser takes the raw text of one field and returns the value, or raises
``ValueError`` whose message says what is wrong; the reader turns that into a
:class:`~connectors.settlement_file.SettlementFileError` naming line and column.

Amounts come with a dot or a comma as the decimal separator, decided per value
(one report can hold both): when both appear, the last one is the decimal
separator and the other groups thousands (``1.141,18``, ``1,141.18``); a single
comma is a decimal comma (``1141,18``); several of the same separator and none
of the other are thousands separators (``1.234.567``). Exponents, ``NaN``,
underscores and anything but digits, one sign and separators are refused.

Dates come as ``2024-10-09 14:28:38 UTC``, ``15.11.2024 08:59:45 UTC``, ISO 8601
with an offset or ``Z`` (``2003-10-03T16:00:00-07:00``), or date only
(``2024-10-09``, ``09.10.2024``, taken as midnight UTC where a moment is needed).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation

__all__ = [
    "parse_amount",
    "parse_datetime",
    "parse_date",
    "parse_quantity",
    "is_amazon_order_id",
    "order_reference_kind",
]

_DIGITS = frozenset("0123456789")
_AMAZON_ORDER_ID = re.compile(r"[0-9]{3}-[0-9]{7}-[0-9]{7}").fullmatch  # ASCII digits only
_AMOUNT_CHARS = frozenset("0123456789.,")
_UTC = timezone.utc
_fromisoformat = datetime.fromisoformat


def parse_amount(text: str) -> Decimal:
    """Parse an amount written with a dot or a comma decimal separator."""
    s = text.strip()
    if not s:
        raise ValueError("the amount is empty")
    sign = ""
    if s[0] in "+-":
        sign, s = ("-" if s[0] == "-" else ""), s[1:].lstrip()
    if not s or not _AMOUNT_CHARS.issuperset(s) or s[0] in ".," or s[-1] in ".,":
        raise ValueError("is not an amount")
    if len(s) > 24:
        raise ValueError("has too many digits for an amount")
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        decimal_sep = "." if s.rfind(".") > s.rfind(",") else ","
        thousands = "," if decimal_sep == "." else "."
        if s.count(decimal_sep) != 1 or s.rfind(thousands) > s.rfind(decimal_sep):
            raise ValueError("mixes separators in a way that is not a number")
        whole, _, fraction = s.partition(decimal_sep)
        _check_groups(whole, thousands)
        s = whole.replace(thousands, "") + "." + fraction
    elif commas:
        if commas == 1:
            s = s.replace(",", ".")
        else:
            _check_groups(s, ",")
            s = s.replace(",", "")
    elif dots > 1:
        _check_groups(s, ".")
        s = s.replace(".", "")
    try:
        return Decimal(sign + s)
    except InvalidOperation:  # pragma: no cover - guarded by the character check
        raise ValueError("is not an amount") from None


def _check_groups(whole: str, separator: str) -> None:
    groups = whole.split(separator)
    if not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:]):
        raise ValueError(f"has a misplaced thousands separator {separator!r}")


def parse_datetime(text: str) -> datetime:
    """Parse a settlement date into an aware datetime (UTC unless an offset is given)."""
    if len(text) == 23 and text[19:] == " UTC" and text[4] == "-" and text[10] == " " and text.isascii():
        try:  # the common form, 2024-10-09 14:28:38 UTC
            return _fromisoformat(text[:19] + "+00:00")
        except ValueError:
            raise ValueError("is not a valid date or time") from None
    s = text.strip()
    if not s or not s[0].isdigit() or not s.isascii():
        raise ValueError("is not a date")
    utc_suffix = s.endswith(" UTC") or s.endswith(" GMT")
    if utc_suffix:
        s = s[:-4].rstrip()
    if len(s) >= 10 and s[2] == "." and s[5] == ".":  # dd.mm.yyyy[ hh:mm:ss]
        s = f"{s[6:10]}-{s[3:5]}-{s[0:2]}{s[10:]}"
    if len(s) < 10 or s[4] != "-" or s[7] != "-" or not _DIGITS.issuperset(s[:4] + s[5:7] + s[8:10]):
        raise ValueError("is not a date (expected 2024-10-09 14:28:38 UTC, 15.11.2024 08:59:45 UTC or ISO 8601)")
    try:
        value = datetime.fromisoformat(s)
    except ValueError:
        raise ValueError("is not a valid date or time") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=_UTC)
    elif utc_suffix:
        raise ValueError("has both an offset and 'UTC'")
    return value


def parse_date(text: str) -> date:
    """Parse a ``posted-date``: a date, or a date and time (its date is kept as written)."""
    s = text.strip()
    if len(s) == 10:
        if s[2] == "." and s[5] == ".":
            s = f"{s[6:10]}-{s[3:5]}-{s[0:2]}"
        if s[4] == "-" and s[7] == "-" and _DIGITS.issuperset(s[:4] + s[5:7] + s[8:10]):
            try:
                return date(int(s[:4]), int(s[5:7]), int(s[8:10]))
            except ValueError:
                raise ValueError("is not a valid date") from None
        raise ValueError("is not a date (expected 2024-10-09 or 09.10.2024)")
    return parse_datetime(s).date()


def parse_quantity(text: str) -> int:
    """Parse ``quantity-purchased``: a whole number, possibly negative."""
    s = text.strip()
    body = s[1:] if s[:1] == "-" else s
    if not body or not _DIGITS.issuperset(body) or len(body) > 9:
        raise ValueError("is not a whole quantity")
    return int(s)


def is_amazon_order_id(value: str) -> bool:
    """True for an Amazon order id: 3, 7 and 7 digits joined by dashes (``112-1234567-1234567``).

    FBA shipment ids (``FBA15ABCD``), removal order ids, multi-channel
    fulfilment ids (``S01-1234567-1234567``) and liquidation numbers are not.
    """
    return _AMAZON_ORDER_ID(value) is not None


def order_reference_kind(value: str, transaction_type: str = "", description: str = "") -> str:
    """What a non-Amazon value in the order-id column is.

    ``mcf`` (a multi-channel fulfilment order, ``S01-1234567-1234567``),
    ``fba_shipment`` (an inbound FBA shipment, ``FBA15ABCD``), ``removal`` (a
    removal or disposal order), ``liquidation`` (a liquidation reference, digits
    only or a Liquidations row), or ``unknown``; ``amazon`` for an Amazon order id.
    """
    text = value.strip()
    kind = "".join((transaction_type + " " + description).split()).lower()
    if is_amazon_order_id(text):
        return "amazon"
    if text[:1] == "S" and len(text) == 19 and text[3] == "-" and text[11] == "-" and \
            _DIGITS.issuperset(text[1:3] + text[4:11] + text[12:]):
        return "mcf"
    if text.upper().startswith("FBA"):
        return "fba_shipment"
    if "liquidation" in kind:
        return "liquidation"
    if "removal" in kind or "disposal" in kind or text.upper().startswith("RMV"):
        return "removal"
    if text and _DIGITS.issuperset(text):
        return "liquidation"
    return "unknown"
