"""Small helpers to write settlement files by hand in tests."""

from __future__ import annotations

from connectors.settlement_file import LEGACY_COLUMNS, V2_COLUMNS

SUMMARY = {
    "settlement-id": "12345678901",
    "settlement-start-date": "2024-10-01 07:49:55 UTC",
    "settlement-end-date": "2024-10-15 07:49:55 UTC",
    "deposit-date": "2024-10-17 07:49:55 UTC",
    "total-amount": "0.00",
    "currency": "USD",
}


def row(**values: str) -> dict[str, str]:
    """A V2 data row from keyword arguments (underscores become dashes)."""
    return {k.replace("_", "-"): v for k, v in values.items()}


def order_row(amount: str, description: str = "Principal", amount_type: str = "ItemPrice", **extra: str) -> dict:
    base = row(transaction_type="Order", order_id="112-1234567-1234567", marketplace_name="Amazon.com",
               amount_type=amount_type, amount_description=description, amount=amount, fulfillment_id="AFN",
               posted_date="2024-10-09", posted_date_time="2024-10-09 14:28:38 UTC", sku="SKU-1",
               quantity_purchased="1")
    base.update(row(**extra))
    return base


def v2_lines(rows: list[dict], total: str | None = None, summary: dict | None = None,
             columns: tuple[str, ...] = V2_COLUMNS) -> list[str]:
    head = dict(SUMMARY, **(summary or {}))
    if total is not None:
        head["total-amount"] = total
    out = ["\t".join(columns), "\t".join(head.get(c, "") for c in columns)]
    for r in rows:
        values = dict(r)
        values.setdefault("settlement-id", head["settlement-id"])
        out.append("\t".join(values.get(c, "") for c in columns))
    return out


def v2_bytes(rows: list[dict], total: str | None = None, *, summary: dict | None = None, newline: str = "\n",
             bom: bool = False, columns: tuple[str, ...] = V2_COLUMNS, trailing_newline: bool = True) -> bytes:
    text = newline.join(v2_lines(rows, total, summary, columns)) + (newline if trailing_newline else "")
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def legacy_bytes(rows: list[dict], total: str, *, promotions: bool = True) -> bytes:
    columns = LEGACY_COLUMNS if promotions else tuple(
        c for c in LEGACY_COLUMNS if c not in ("promotion-id", "promotion-type", "promotion-amount"))
    head = dict(SUMMARY, **{"settlement-start-date": "2012-10-01T07:00:00+00:00",
                            "settlement-end-date": "2012-10-15T07:00:00+00:00",
                            "deposit-date": "2012-10-17T07:00:00+00:00", "total-amount": total})
    out = ["\t".join(columns), "\t".join(head.get(c, "") for c in columns)]
    for r in rows:
        values = dict(r)
        values.setdefault("settlement-id", head["settlement-id"])
        out.append("\t".join(values.get(c, "") for c in columns))
    return ("\n".join(out) + "\n").encode("utf-8")


#: Shapes of large V2 files a block reader must read as their lines: (id, GeneratorOptions keywords).
FILE_SHAPES: list[tuple[str, dict]] = [
    ("plain", {}),
    ("23-columns", {"promotion_id_column": False}),
    ("short-lines-crlf", {"missing_trailing_column": True, "trailing_blank_line": True, "crlf": True}),
    ("decimal-comma", {"decimal_comma": True, "thousands_separator": True, "eu_dates": True, "bom": True}),
    ("iso-dates", {"iso_dates": True, "trailing_spaces": True, "non_order_ids": True}),
    ("jpy", {"currency": "JPY", "reserve_rows": True, "other_transaction_types": True}),
]
