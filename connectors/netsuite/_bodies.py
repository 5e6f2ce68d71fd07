"""NetSuite REST bodies from domain values, and NetSuite records read back as domain values.

Pure functions: nothing here makes a request. Sublists are ``{"items": [...]}``,
references ``{"id": ...}`` or ``{"refName": ...}``; amounts stay Decimal.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Mapping

from syncproof.model import Channel, Money, Order, PostedLine, Refund, RefundLine

__all__ = ["ItemLine", "BilledLine", "BillingRecord", "PostingLine", "line_rate", "order_lines", "sales_order",
           "billing_record", "transform", "customer_refund", "customer_payment", "deposit", "journal_entry",
           "refund_from_record", "posted_lines", "item_line_ids", "ref_id", "posted_total", "SHIPPING_DESCRIPTION",
           "ADJUSTMENT_DESCRIPTION"]

SHIPPING_DESCRIPTION = "Shipping refund"
ADJUSTMENT_DESCRIPTION = "Refund adjustment"


def line_rate(amount: Decimal, quantity: int) -> Decimal:
    """The unit rate for ``amount`` over ``quantity``, exact to six places (the amount is sent too)."""
    if quantity <= 0:
        return amount
    return (amount / quantity).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP).normalize()


@dataclass(frozen=True)
class ItemLine:
    """One line of an item sublist: an item (or, in a transform, the billed line it refunds)."""

    quantity: int | Decimal
    rate: Decimal
    item_id: str | None = None
    amount: Decimal | None = None
    tax: Decimal | None = None
    description: str | None = None
    order_line: Any = None  # the source record's line, in a transform

    def to_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if self.order_line is not None:
            body["orderLine"] = self.order_line
        if self.item_id is not None:
            body["item"] = {"id": self.item_id}
        body["quantity"] = self.quantity
        body["rate"] = self.rate
        if self.amount is not None:
            body["amount"] = self.amount
        if self.tax is not None:
            body["tax1Amt"] = self.tax
        if self.description is not None:
            body["description"] = self.description
        return body


@dataclass(frozen=True)
class BilledLine:
    """A line of a cash sale or invoice, as a refund by transform needs it."""

    line: Any
    item_id: str
    quantity: Decimal
    rate: Decimal
    amount: Decimal
    tax: Decimal


@dataclass(frozen=True)
class BillingRecord:
    """A cash sale or invoice as a refund needs it: its lines and what is still open on it."""

    tranid: str
    amount_remaining: Decimal
    lines: tuple[BilledLine, ...]


@dataclass(frozen=True)
class PostingLine:
    """One account line of a deposit or journal entry (``amount`` positive is a credit to the account)."""

    account_id: str
    amount: Decimal
    memo: str


def _dec(value: Any) -> Decimal:
    return Decimal(str(value if value not in (None, "") else 0))


def ref_id(ref: Any) -> str | None:
    """The id of a NetSuite reference (``{"id": "12"}``), or None."""
    if isinstance(ref, dict) and ref.get("id") not in (None, ""):
        return str(ref["id"])
    return None


def order_lines(order: Order, item_ids: Mapping[str, str], shipping_item_id: str | None) -> list[ItemLine]:
    """The sales order lines of a channel order: net amount and tax per SKU, shipping on its item."""
    lines = [ItemLine(item_id=item_ids[line.sku], quantity=line.quantity,
                      rate=line_rate(line.net.amount, line.quantity), amount=line.net.amount,
                      tax=line.tax.amount, description=line.title or line.sku) for line in order.lines]
    if shipping_item_id is not None and order.shipping is not None:
        amount = order.shipping.amount.amount
        lines.append(ItemLine(item_id=shipping_item_id, quantity=1, rate=amount, amount=amount,
                              tax=order.shipping.tax.amount, description=order.shipping.title))
    return lines


def sales_order(*, customer_id: str, order_id_field: str, order_ref: str, lines: Iterable[ItemLine],
                memo: str | None = None, tran_date: str | None = None,
                currency_id: str | None = None, channel_field: str = "", channel: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"entity": {"id": customer_id}}
    if currency_id is not None:
        body["currency"] = {"id": currency_id}
    body[order_id_field] = order_ref
    if channel_field and channel:
        body[channel_field] = channel
    if memo is not None:
        body["memo"] = memo
    body["item"] = {"items": [line.to_body() for line in lines]}
    if tran_date:
        body["tranDate"] = tran_date
    return body


def billing_record(record: dict[str, Any]) -> BillingRecord:
    lines = tuple(BilledLine(line=s.get("line"), item_id=str(s.get("item", {}).get("id")),
                             quantity=_dec(s.get("quantity") or 1), rate=_dec(s.get("rate")),
                             amount=_dec(s.get("amount")), tax=_dec(s.get("tax1Amt")))
                  for s in record.get("item", {}).get("items", []))
    return BillingRecord(tranid=str(record.get("tranId") or ""), amount_remaining=_dec(record.get("amountRemaining")),
                         lines=lines)


def transform(*, memo: str | None = None, lines: Iterable[ItemLine] | None = None, account: str | None = None,
              payment_method: str | None = None) -> dict[str, Any]:
    """The body of a transform (the target's external id is added by the write).

    ``payment_method`` goes in ``paymentOption``: on current releases (Payment Instruments)
    a cash refund chooses its payment there, and has no ``paymentMethod`` field.
    """
    body: dict[str, Any] = {}
    if memo is not None:
        body["memo"] = memo
    if lines is not None:
        body["item"] = {"items": [line.to_body() for line in lines]}
    if account:
        body["account"] = {"refName": account}
    if payment_method:
        body["paymentOption"] = {"refName": payment_method}
    return body


def customer_refund(*, customer_id: str | None, memo: str, credit_memo_id: str, amount: Any,
                    account: str | None = None, payment_method: str | None = None) -> dict[str, Any]:
    """A customer refund paying out ``amount`` of a credit memo."""
    body: dict[str, Any] = {
        "customer": {"id": customer_id},
        "memo": memo,
        "apply": {"items": [{"doc": {"id": credit_memo_id}, "apply": True, "amount": amount}]},
    }
    if account:
        body["account"] = {"refName": account}
    if payment_method:
        body["paymentMethod"] = {"refName": payment_method}
    return body


def customer_payment(*, customer_id: str | None, memo: str, invoice_id: str) -> dict[str, Any]:
    """A customer payment applied in full to an invoice."""
    return {"customer": {"id": customer_id}, "memo": memo,
            "apply": {"items": [{"doc": {"id": invoice_id}, "apply": True}]}}


def _currency(currency_id: str | None) -> dict[str, Any]:
    return {"currency": {"id": currency_id}} if currency_id else {}


def deposit(*, bank_account_id: str, tran_date: str, memo: str, lines: Iterable[PostingLine],
            entity_id: str | None = None, currency_id: str | None = None) -> dict[str, Any]:
    """A deposit into the bank account, one ``other`` line per account, in the settlement's currency."""
    entity = {"entity": {"id": entity_id}} if entity_id else {}
    return {"account": {"id": bank_account_id}, **_currency(currency_id), "tranDate": tran_date, "memo": memo,
            "other": {"items": [{"account": {"id": line.account_id}, "amount": line.amount, "memo": line.memo,
                                 **entity} for line in lines]}}


def journal_entry(*, bank_account_id: str, total: Decimal, tran_date: str, memo: str, lines: Iterable[PostingLine],
                  entity_id: str | None = None, currency_id: str | None = None) -> dict[str, Any]:
    """A journal entry debiting the bank account with ``total``; each line credits (or debits) its account."""
    entity = {"entity": {"id": entity_id}} if entity_id else {}
    items: list[dict[str, Any]] = [{"account": {"id": bank_account_id}, "debit": total, "memo": memo}]
    for line in lines:
        side = "credit" if line.amount > 0 else "debit"
        items.append({"account": {"id": line.account_id}, side: abs(line.amount), "memo": line.memo, **entity})
    return {**_currency(currency_id), "tranDate": tran_date, "memo": memo, "line": {"items": items}}


def posted_total(record: dict[str, Any]) -> Decimal:
    """What a deposit or journal entry posts, in its own currency: a deposit's ``total``; a journal
    entry has no header total, so the sum of its debit lines (equal to its credits)."""
    if "line" in record and isinstance(record["line"], dict):
        return sum((_dec(line.get("debit")) for line in record["line"].get("items", [])), Decimal(0))
    return _dec(record.get("total"))


def refund_from_record(record: dict[str, Any], *, channel: Channel, channel_order_id: str, record_id: str,
                       currency: str, sku_by_id: Mapping[str, str], shipping_ids: set[str],
                       adjustment_ids: set[str], record_kind: str) -> Refund:
    """A NetSuite refund record in the channel's terms: lines per SKU, shipping, adjustments."""
    lines: list[RefundLine] = []
    shipping = shipping_tax = adjustment = None

    def money(value: Any) -> Money:
        return Money(Decimal(str(value if value is not None else 0)), currency)

    for line in record.get("item", {}).get("items", []):
        item_id = str(line.get("item", {}).get("id"))
        amount, tax = money(line.get("amount")), money(line.get("tax1Amt"))
        if item_id in adjustment_ids or item_id in shipping_ids:
            if item_id in shipping_ids or line.get("description") == SHIPPING_DESCRIPTION:
                shipping = amount if shipping is None else shipping + amount
                shipping_tax = tax if shipping_tax is None else shipping_tax + tax
            else:
                adjustment = amount if adjustment is None else adjustment + amount
            continue
        sku = sku_by_id.get(item_id) or str(line.get("item", {}).get("refName") or item_id)
        lines.append(RefundLine(sku=sku, quantity=int(Decimal(str(line.get("quantity") or 0))), amount=amount, tax=tax))
    return Refund(channel=channel, channel_order_id=channel_order_id, refund_id=record_id, currency=currency,
                  lines=tuple(lines), shipping=shipping, shipping_tax=shipping_tax, adjustment=adjustment,
                  note=record.get("memo"), extra={"record": record, "type": record_kind})


def posted_lines(record: dict[str, Any], items: Mapping[str, tuple[str, str]], currency: str) -> tuple[PostedLine, ...]:
    """A record's item lines as posted; ``items`` is internal id -> (itemId, type code) of their items."""
    posted = []
    for line in record.get("item", {}).get("items", []):
        ref = line.get("item", {})
        item_id = str(ref.get("id"))
        name, kind = items.get(item_id, (str(ref.get("refName") or item_id), ""))
        posted.append(PostedLine(item=name, item_id=item_id, item_type=kind,
                                 amount=Money(_dec(line.get("amount")), currency)))
    return tuple(posted)


def item_line_ids(record: dict[str, Any]) -> list[str]:
    """Internal ids of the items on a record's item lines."""
    return [str(line.get("item", {}).get("id")) for line in record.get("item", {}).get("items", [])]
