"""The domain model: money, orders, refunds and NetSuite transaction types.

This module is a leaf: it imports only the standard library, so connectors,
the engine, the checks and the emulators can all share it.

Money is always a :class:`decimal.Decimal` with an ISO 4217 currency. Floats are
refused, currencies never mix, and rounding is explicit (ROUND_HALF_UP to the
currency's minor unit).
"""

from __future__ import annotations

import enum
import json as _json
import re as _re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Iterable

__all__ = [
    "MINOR_UNITS",
    "round_half_up",
    "Money",
    "MoneyError",
    "Channel",
    "TransactionType",
    "Shipping",
    "CatalogueItem",
    "OrderLine",
    "Order",
    "RefundLine",
    "PostedLine",
    "Refund",
    "RefundDirection",
    "ChainLink",
    "json_dumps",
    "json_loads",
]

#: The currencies whose minor unit is not two decimals (ISO 4217 list one, "minor unit" column);
#: every other currency has two.
MINOR_UNITS: dict[str, int] = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
    "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    "CLF": 4, "UYW": 4,
}


def round_half_up(value: Decimal, places: int) -> Decimal:
    """``value`` rounded half away from zero to ``places`` decimals (``ROUND_HALF_UP``, as PHP's ``round``)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


class MoneyError(ValueError):
    """Money was built from a float, a malformed amount, or mixed currencies."""


def _minor_unit(currency: str) -> int:
    return MINOR_UNITS.get(currency, 2)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in one currency, held as a Decimal.

        >>> Money("19.99", "USD") + Money("0.01", "USD")
        Money('20.00', 'USD')
    """

    amount: Decimal
    currency: str

    def __init__(self, amount: Decimal | str | int, currency: str) -> None:
        if isinstance(amount, float):
            raise MoneyError(f"money must not be a float ({amount!r}); pass a string or Decimal")
        if isinstance(amount, bool):
            raise MoneyError("money must not be a bool")
        if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha():
            raise MoneyError(f"currency must be a three-letter ISO 4217 code, not {currency!r}")
        try:
            value = amount if isinstance(amount, Decimal) else Decimal(str(amount).strip())
        except InvalidOperation:
            raise MoneyError(f"{amount!r} is not an amount") from None
        if not value.is_finite():
            raise MoneyError(f"{amount!r} is not a finite amount")
        object.__setattr__(self, "amount", value)
        object.__setattr__(self, "currency", currency.upper())

    # construction -----------------------------------------------------------
    @classmethod
    def zero(cls, currency: str) -> "Money":
        return cls(Decimal(0), currency)

    @classmethod
    def total(cls, items: Iterable["Money"], currency: str) -> "Money":
        """Sum ``items``; an empty iterable gives zero in ``currency``."""
        result = cls.zero(currency)
        for item in items:
            result = result + item
        return result

    # arithmetic -------------------------------------------------------------
    def _same(self, other: object) -> "Money":
        if not isinstance(other, Money):
            raise MoneyError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise MoneyError(f"cannot combine {self.currency} with {other.currency}")
        return other

    def __add__(self, other: "Money") -> "Money":
        return Money(self.amount + self._same(other).amount, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        return Money(self.amount - self._same(other).amount, self.currency)

    def __neg__(self) -> "Money":
        return Money(-self.amount, self.currency)

    def __abs__(self) -> "Money":
        return Money(abs(self.amount), self.currency)

    def __mul__(self, factor: int | Decimal) -> "Money":
        if isinstance(factor, float):
            raise MoneyError("multiply money by an int or Decimal, not a float")
        if isinstance(factor, Money):
            raise MoneyError("cannot multiply money by money")
        return Money(self.amount * Decimal(factor), self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: "Money") -> bool:
        return self.amount < self._same(other).amount

    def __le__(self, other: "Money") -> bool:
        return self.amount <= self._same(other).amount

    def __gt__(self, other: "Money") -> bool:
        return self.amount > self._same(other).amount

    def __ge__(self, other: "Money") -> bool:
        return self.amount >= self._same(other).amount

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.currency == other.currency and self.amount == other.amount

    def __hash__(self) -> int:
        return hash((self.amount.normalize(), self.currency))

    def __bool__(self) -> bool:
        return self.amount != 0

    # presentation -----------------------------------------------------------
    @property
    def minor_unit(self) -> int:
        return _minor_unit(self.currency)

    def rounded(self) -> "Money":
        """Round half up to the currency's minor unit (cents for USD)."""
        return Money(round_half_up(self.amount, self.minor_unit), self.currency)

    def is_zero(self) -> bool:
        return self.rounded().amount == 0

    def __str__(self) -> str:
        return f"{self.rounded().amount} {self.currency}"

    def __repr__(self) -> str:
        return f"Money('{self.rounded().amount}', '{self.currency}')"

    def to_json(self) -> dict[str, str]:
        return {"amount": str(self.rounded().amount), "currency": self.currency}


class Channel(str):
    """A marketplace or cart connected to NetSuite, by the name its spec registers (``Channel("shopify")``).

    The model names no channel: the registry (:mod:`syncproof.channels`) holds them.
    """

    __slots__ = ()

    @property
    def value(self) -> str:
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"Channel({str.__repr__(self)})"


class RefundDirection(str, enum.Enum):
    """Which system a channel's refunds start in."""

    TO_NETSUITE = "to_netsuite"
    FROM_NETSUITE = "from_netsuite"


class TransactionType(str, enum.Enum):
    """NetSuite transaction types, valued by their SuiteQL ``transaction.type`` code."""

    SALES_ORDER = "SalesOrd"
    CASH_SALE = "CashSale"
    INVOICE = "CustInvc"
    RETURN_AUTHORIZATION = "RtnAuth"
    CREDIT_MEMO = "CustCred"
    CASH_REFUND = "CashRfnd"
    CUSTOMER_REFUND = "CustRfnd"
    CUSTOMER_PAYMENT = "CustPymt"
    DEPOSIT = "Deposit"
    JOURNAL_ENTRY = "Journal"

    @property
    def record_type(self) -> str:
        """The REST record type name (``cashRefund``) for this transaction type."""
        return _RECORD_TYPES[self]

    @classmethod
    def from_record_type(cls, record_type: str) -> "TransactionType":
        for member, name in _RECORD_TYPES.items():
            if name.lower() == record_type.lower():
                return member
        raise ValueError(f"{record_type!r} is not a NetSuite transaction record type")

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def from_label(cls, label: str) -> "TransactionType":
        """``"cash refund"`` -> CASH_REFUND (as the Gherkin names them)."""
        wanted = " ".join(label.lower().replace("_", " ").split())
        for member, text in _LABELS.items():
            if text == wanted:
                return member
        raise ValueError(f"{label!r} is not a NetSuite transaction type; use one of: {', '.join(_LABELS.values())}")


_RECORD_TYPES = {
    TransactionType.SALES_ORDER: "salesOrder",
    TransactionType.CASH_SALE: "cashSale",
    TransactionType.INVOICE: "invoice",
    TransactionType.RETURN_AUTHORIZATION: "returnAuthorization",
    TransactionType.CREDIT_MEMO: "creditMemo",
    TransactionType.CASH_REFUND: "cashRefund",
    TransactionType.CUSTOMER_REFUND: "customerRefund",
    TransactionType.CUSTOMER_PAYMENT: "customerPayment",
    TransactionType.DEPOSIT: "deposit",
    TransactionType.JOURNAL_ENTRY: "journalEntry",
}
_LABELS = {
    TransactionType.SALES_ORDER: "sales order",
    TransactionType.CASH_SALE: "cash sale",
    TransactionType.INVOICE: "invoice",
    TransactionType.RETURN_AUTHORIZATION: "return authorization",
    TransactionType.CREDIT_MEMO: "credit memo",
    TransactionType.CASH_REFUND: "cash refund",
    TransactionType.CUSTOMER_REFUND: "customer refund",
    TransactionType.CUSTOMER_PAYMENT: "customer payment",
    TransactionType.DEPOSIT: "deposit",
    TransactionType.JOURNAL_ENTRY: "journal entry",
}


@dataclass(frozen=True)
class CatalogueItem:
    """An item a scenario needs in NetSuite: its SKU (the item's itemId), display name and price.

    ``other_charge`` makes it an Other Charge for Sale item (what refunded shipping and refund
    adjustments go on), else a Non-inventory Item for Sale.
    """

    sku: str
    name: str | None = None
    price: Decimal | None = None
    other_charge: bool = False


@dataclass(frozen=True)
class Shipping:
    """Shipping charged on an order (or refunded by a refund)."""

    amount: Money
    tax: Money
    title: str = "Shipping"


@dataclass(frozen=True)
class OrderLine:
    """One line of a channel order. ``unit_price`` is before discount and tax."""

    line_id: str
    sku: str
    quantity: int
    unit_price: Money
    tax: Money
    discount: Money
    title: str = ""

    @property
    def gross(self) -> Money:
        return self.unit_price * self.quantity

    @property
    def net(self) -> Money:
        """What the line earns before tax: gross less discount."""
        return self.gross - self.discount

    @property
    def total(self) -> Money:
        return self.net + self.tax


@dataclass(frozen=True)
class Order:
    """An order as the marketplace or cart holds it."""

    channel: Channel
    channel_order_id: str
    currency: str
    lines: tuple[OrderLine, ...]
    shipping: Shipping | None = None
    customer_email: str | None = None
    customer_name: str | None = None
    created_at: str | None = None
    channel_ref: str | None = None  # the channel's own id when it differs from the order id (Shopify gid)
    #: when the channel last changed the order (a refund changes it too), as the channel writes it; not part of
    #: the order's identity: two reads of one order compare equal whatever happened to it in between
    updated_at: str | None = field(default=None, compare=False)

    def line(self, line_id: str) -> OrderLine:
        for line in self.lines:
            if line.line_id == line_id:
                return line
        raise KeyError(line_id)

    def line_for_sku(self, sku: str) -> OrderLine:
        for line in self.lines:
            if line.sku == sku:
                return line
        raise KeyError(sku)

    @property
    def subtotal(self) -> Money:
        return Money.total((line.net for line in self.lines), self.currency)

    @property
    def tax(self) -> Money:
        tax = Money.total((line.tax for line in self.lines), self.currency)
        return tax + self.shipping.tax if self.shipping else tax

    @property
    def total(self) -> Money:
        total = self.subtotal + self.tax
        return total + self.shipping.amount if self.shipping else total


@dataclass(frozen=True)
class PostedLine:
    """One item line of a NetSuite record as posted: its item's itemId, internal id and type, and its amount
    (before tax). ``item_type`` is the item's type code as NetSuite's SuiteQL gives it (``OthCharge``,
    ``NonInvtPart``, ``InvtPart``...); empty when the item could not be read."""

    item: str
    item_id: str
    item_type: str
    amount: Money


@dataclass(frozen=True)
class RefundLine:
    """A refunded quantity of one order line, with the money refunded for it."""

    sku: str
    quantity: int
    amount: Money  # net of discount, before tax
    tax: Money
    line_id: str | None = None

    @property
    def total(self) -> Money:
        return self.amount + self.tax


@dataclass(frozen=True)
class Refund:
    """A refund as one system holds it, in the channel's terms."""

    channel: Channel
    channel_order_id: str
    refund_id: str
    currency: str
    lines: tuple[RefundLine, ...] = ()
    shipping: Money | None = None
    shipping_tax: Money | None = None
    adjustment: Money | None = None  # any amount that is not an item line or shipping
    note: str | None = None
    created_at: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def lines_total(self) -> Money:
        return Money.total((line.total for line in self.lines), self.currency)

    @property
    def tax(self) -> Money:
        tax = Money.total((line.tax for line in self.lines), self.currency)
        return tax + self.shipping_tax if self.shipping_tax else tax

    @property
    def total(self) -> Money:
        total = self.lines_total
        for extra in (self.shipping, self.shipping_tax, self.adjustment):
            if extra is not None:
                total = total + extra
        return total

    def quantity_by_sku(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for line in self.lines:
            result[line.sku] = result.get(line.sku, 0) + line.quantity
        return result


@dataclass(frozen=True)
class ChainLink:
    """One transaction in a NetSuite ``createdFrom`` chain (refund -> ... -> sales order)."""

    id: str
    type: str  # the transaction type code, e.g. CashRfnd (see TransactionType)
    tranid: str
    order_ref: str | None  # the sales order field that carries the channel order id
    created_from: str | None

    def to_json(self) -> dict[str, str | None]:
        return {"id": self.id, "type": self.type, "tranid": self.tranid, "order_ref": self.order_ref,
                "created_from": self.created_from}


# --- money on the wire ---------------------------------------------------------
# JSON numbers are read as Decimal and Decimals are written as JSON numbers with
# their exact text, so no amount ever passes through a float.

_DECIMAL_MARK = "\u0000dec:"
#: a marked Decimal as json.dumps writes it (it always escapes NUL): the string's quotes go
_DECIMAL_TOKEN = _re.compile(r'"\\u0000dec:(-?[0-9]+(?:\.[0-9]+)?(?:E[+-]?[0-9]+)?)"')


_DECODER = _json.JSONDecoder(parse_float=Decimal)  # json.loads with an option builds one per call


def json_loads(text: str | bytes):
    """Parse JSON with every non-integer number as a Decimal."""
    if isinstance(text, str):  # json.loads, without making a decoder
        if text.startswith("\ufeff"):
            raise _json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        return _DECODER.decode(text)
    return _json.loads(text, parse_float=Decimal)


def _decimal_text(value: Decimal) -> str:
    """Plain text of ``value`` (no exponent, trailing zeros kept); negative zero becomes zero."""
    return format(abs(value) if value == 0 else value, "f")


def _mark_decimals(value):
    if isinstance(value, Decimal):
        return _DECIMAL_MARK + _decimal_text(value)
    if isinstance(value, Money):
        return _DECIMAL_MARK + _decimal_text(value.rounded().amount)
    if isinstance(value, float):
        raise MoneyError(f"refusing to write a float ({value!r}) to JSON; use Decimal")
    if isinstance(value, dict):
        return {k: _mark_decimals(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mark_decimals(v) for v in value]
    return value


def json_dumps(value, **kwargs) -> str:
    """Write JSON with Decimals (and Money amounts) as exact JSON numbers."""
    text = _json.dumps(_mark_decimals(value), **kwargs)
    return _DECIMAL_TOKEN.sub(r"\1", text)
