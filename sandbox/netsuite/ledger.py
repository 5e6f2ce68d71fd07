"""SuiteQL rows for a stored transaction: header, signed lines and line links.

Rows are derived from the record as stored (not recomputed), so a field corrupted
through the sandbox control API shows up in SuiteQL too. The sign conventions are
described in :mod:`sandbox.netsuite.suiteql`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from .catalog import RETURN_SIDE, SALES_SIDE, kind_of
from .fields import ACCOUNT_BODY_FIELDS
from .suiteql import LINK_TYPES

__all__ = ["transaction_rows"]


def transaction_rows(record_type: str, record: dict[str, Any], *, source_type: str | None,
                     doc_types: dict[str, str | None], item_types: dict[str, str | None],
                     status_code: str | None) -> tuple[dict, list[dict], list[dict]]:
    """(transaction row, transactionline rows, previoustransactionlinelink rows).

    ``source_type`` is the record type of ``createdFrom``; ``doc_types`` maps the
    ids of applied documents to their record types, ``item_types`` item ids to
    their SuiteQL item type.
    """
    kind = kind_of(record_type)
    tid = int(record["id"])
    total = _num(record.get("total"))
    sign = -1 if record_type in RETURN_SIDE or record_type == "customerRefund" else 1
    created_from = _int((record.get("createdFrom") or {}).get("id"))
    header = {
        "id": tid,
        "tranid": record.get("tranId"),
        "type": kind.code,
        "recordtype": record_type.lower(),
        "entity": _int((record.get("entity") or {}).get("id")),
        "trandate": record.get("tranDate"),
        "externalid": record.get("externalId"),
        "otherrefnum": record.get("otherRefNum"),
        "memo": record.get("memo"),
        "currency": _int((record.get("currency") or {}).get("id")),
        "foreigntotal": _signed(total, sign),
        "exchangerate": _num(record.get("exchangeRate")),
        "status": status_code,
        "createddate": record.get("createdDate"),
        "lastmodifieddate": record.get("lastModifiedDate"),
        **{name: _custom_value(record, name) for name in ACCOUNT_BODY_FIELDS},
    }
    lines: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []

    def add(line_id: int, *, amount: Any, mainline: bool = False, taxline: bool = False,
            item: Any = None, itemtype: Any = None, quantity: Any = None, rate: Any = None,
            memo: Any = None) -> None:
        lines.append({
            "id": line_id, "linesequencenumber": line_id, "item": item, "itemtype": itemtype,
            "quantity": quantity, "rate": rate, "netamount": amount, "foreignamount": amount,
            "mainline": "T" if mainline else "F", "taxline": "T" if taxline else "F",
            "createdfrom": created_from, "memo": memo,
        })

    if record_type == "journalEntry":
        for index, line in enumerate(_items(record, "line")):
            debit, credit = _num(line.get("debit")), _num(line.get("credit"))
            amount = debit if debit not in (None, 0) else _signed(credit, -1)
            add(index, amount=amount, mainline=index == 0, memo=line.get("memo"))
        return header, lines, links

    add(0, amount=_signed(total, sign), mainline=True, memo=record.get("memo"))
    if record_type in SALES_SIDE or record_type in RETURN_SIDE:
        line_sign = -1 if record_type in SALES_SIDE else 1
        last = 0
        for line in _items(record, "item"):
            number = _int(line.get("line")) or last + 1
            last = max(last, number)
            add(
                number,
                amount=_signed(_num(line.get("amount")), line_sign),
                item=_int((line.get("item") or {}).get("id")),
                itemtype=item_types.get(str((line.get("item") or {}).get("id"))),
                quantity=_signed(_num(line.get("quantity")), line_sign),
                rate=_num(line.get("rate")),
                memo=line.get("description"),
            )
            if created_from is not None and line.get("orderLine") is not None and source_type:
                links.append({
                    "previousdoc": created_from, "previousline": _int(line["orderLine"]),
                    "previoustype": kind_of(source_type).code, "nextdoc": tid, "nextline": number,
                    "nexttype": kind.code, "linktype": LINK_TYPES.get((source_type, record_type)),
                })
        tax = _num(record.get("taxTotal"))
        if tax not in (None, 0):
            add(last + 1, amount=_signed(tax, line_sign), taxline=True)
    elif record_type == "deposit":
        for index, line in enumerate(_items(record, "other"), start=1):
            add(index, amount=_signed(_num(line.get("amount")), -1), memo=line.get("memo"))
    elif record_type in ("customerRefund", "customerPayment"):
        add(1, amount=_signed(total, -sign))
        for line in _items(record, "apply"):
            if not line.get("apply"):
                continue
            doc = (line.get("doc") or {}).get("id")
            doc_type = doc_types.get(str(doc))
            if doc_type:
                links.append({
                    "previousdoc": _int(doc), "previousline": 0,
                    "previoustype": kind_of(doc_type).code, "nextdoc": tid, "nextline": 0,
                    "nexttype": kind.code, "linktype": LINK_TYPES.get((doc_type, record_type)),
                })
    return header, lines, links


def _items(record: dict[str, Any], sublist: str) -> list[dict[str, Any]]:
    value = record.get(sublist)
    if isinstance(value, dict) and isinstance(value.get("items"), list):
        return [line for line in value["items"] if isinstance(line, dict)]
    return []


def _num(value: Any) -> Any:
    if value is None or isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return value  # corrupted on purpose: mirror it as it is


def _signed(value: Any, sign: int) -> Any:
    if isinstance(value, Decimal):
        return value * sign
    return value


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _custom_value(record: dict[str, Any], name: str) -> Any:
    """A custom body field's value as SuiteQL shows it (REST field names are matched without case)."""
    value = next((v for k, v in record.items() if k.lower() == name), None)
    return value if value in (None, "") or isinstance(value, str) else str(value)
