"""Rows read a batch at a time by column are the rows read one by one, and tally to the same sums.

``SettlementFile.batches()`` gives column blocks for plain V2 lines and batches of built
rows for everything else; the reference is ``rows()`` of the same file.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from connectors.settlement_file import balance, is_amazon_order_id, open_settlement
from sandbox.settlement_generator import GeneratorOptions, settlement_bytes
from syncproof.engine.settlement_connector import ConnectorTally
from syncproof.engine.settlement_tally import RowKind, SettlementTally
from syncproof.settlement_categories import SettlementCategory, classify
from tests.settlement._build import FILE_SHAPES, order_row, v2_lines

ROWS = 3000  # several blocks of text
OPTIONS = [GeneratorOptions(rows=ROWS, seed=31 + i, **shape) for i, (_, shape) in enumerate(FILE_SHAPES)]
OPTIONS.append(GeneratorOptions(rows=ROWS, seed=37, format="legacy", non_order_ids=True))
IDS = [name for name, _ in FILE_SHAPES] + ["legacy"]
FEES = (SettlementCategory.ORDER_FEE, SettlementCategory.REFUND_FEE)


def kind_of(transaction_type: str, amount_type: str, description: str) -> RowKind:
    found = classify(transaction_type, amount_type, description)
    account = "Fees" if found.category in FEES else "Sales"
    return RowKind(found.category.value, account, found.category.group in ("order", "refund"), found,
                   fee=found.category in FEES, refund=found.category is SettlementCategory.REFUND)


def _rows(data: bytes) -> list:
    with open_settlement(data) as settlement:
        return list(settlement.rows())


@pytest.mark.parametrize("options", OPTIONS, ids=IDS)
def test_batches_hold_the_rows(options):
    data = settlement_bytes(options)
    expected = _rows(data)
    with open_settlement(data) as settlement:
        batches = list(settlement.batches())
        after = balance(settlement)
    built = [row for batch in batches for row in batch.rows()]
    one_by_one = [batch.row(i) for batch in batches for i in range(batch.count)]
    assert built == expected and one_by_one == expected
    read = {field: [text for batch in batches for text in batch.texts(field)]
            for field in ("transaction_type", "order_id", "amount_type", "amount_description", "sku")}
    for field, texts in read.items():
        assert texts == [getattr(row, field) for row in expected]
    assert [line for batch in batches for line in batch.lines()] == [row.line_number for row in expected]
    assert [d for batch in batches for d in batch.posted_dates()] == [row.posted_date for row in expected]
    dates_of_keys: dict = {}  # rows of one posted-date key were posted on one date
    for batch in batches:
        for key, posted in zip(batch.posted_keys(), batch.posted_dates(), strict=True):
            assert dates_of_keys.setdefault(key, posted) == posted
    assert [q for batch in batches for q in batch.quantities()] == [row.quantity for row in expected]
    picked = [(batch, list(range(batch.count))[1::3]) for batch in batches]  # some of each batch's rows
    assert [q for batch, rows in picked for q in batch.quantities_of(rows)] == \
        [batch.quantities()[i] for batch, rows in picked for i in rows]
    amounts = []
    for batch in batches:
        units = batch.amount_units()
        exponents = [units.exponent] * batch.count if isinstance(units.exponent, int) else units.exponent
        amounts += [Decimal(u).scaleb(e) for u, e in zip(units.units, exponents, strict=True)]
        assert units.currency == expected[0].amount.currency
    for amount, row in zip(amounts, expected, strict=True):  # value and exponent as written
        assert amount == row.amount.amount and amount.as_tuple().exponent == row.amount.amount.as_tuple().exponent
    assert after.rows_sum.amount == sum((row.amount.amount for row in expected), Decimal(0))
    assert after.row_count == len(expected) and after.balanced


def _tally(data: bytes, *, batches: bool, connector: bool) -> SettlementTally:
    tally = SettlementTally(kind_of, connector=ConnectorTally() if connector else None, end_month="2024-10")
    with open_settlement(data) as settlement:
        if batches:
            tally.add_batches(settlement.batches())
        else:
            tally.add(list(settlement.rows()))
    return tally


def _figures(tally: SettlementTally) -> dict:
    orders = list(tally.order_ids())
    figures = {
        "orders": orders,
        "by_category": {k: str(v) for k, v in tally.by_category.items()},
        "by_type": {k: str(v) for k, v in tally.by_type.items()},
        "non_order": {k: str(v) for k, v in tally.non_order.items()},
        "per_order": [(tally.order_rows(o), str(tally.order_total(o)),
                       {k: str(v) for k, v in tally.order_amounts(o).items()}) for o in orders],
        "fees": {k: str(v) for k, v in tally.fees(orders).items()},
        "not_orders": {k: (str(v[0]), *v[1:]) for k, v in tally.not_orders.items()},
    }
    if tally.connector is not None:
        figures["connector_non_order"] = {k: str(v) for k, v in tally.connector.non_order.items()}
        figures["refunds"] = {k: (g.month, {a: str(b) for a, b in g.amounts.items()},
                                  {s: (q, str(p), str(t)) for s, (q, p, t) in g.lines.items()})
                              for k, g in tally.connector.refunds.items()}
    return figures


@pytest.mark.parametrize("connector", [True, False], ids=["connector-model", "summary-posting"])
@pytest.mark.parametrize("options", OPTIONS, ids=IDS)
def test_tally_by_batch_is_the_tally_by_row(options, connector):
    data = settlement_bytes(options)
    by_batch = _figures(_tally(data, batches=True, connector=connector))
    by_row = _figures(_tally(data, batches=False, connector=connector))
    assert by_batch == by_row
    # and both are the Decimal sums of the rows
    per_order: dict[str, Decimal] = {}
    by_category: dict[str, Decimal] = {}
    rows_of: dict[str, list[int]] = {}  # an order's line numbers
    for row in _rows(data):
        kind = kind_of(row.transaction_type, row.amount_type, row.amount_description)
        by_category[kind.category] = by_category.get(kind.category, Decimal(0)) + row.amount.amount
        if kind.order_row and is_amazon_order_id(row.order_id):
            per_order[row.order_id] = per_order.get(row.order_id, Decimal(0)) + row.amount.amount
            rows_of.setdefault(row.order_id, []).append(row.line_number)
    assert by_batch["orders"] == list(per_order)
    # each order's row count and first line, whichever row (refund or fee, tallied apart or not) comes first
    assert [figures[:2] for figures, _, _ in by_batch["per_order"]] == \
        [(len(lines), lines[0]) for lines in rows_of.values()]
    assert [total for _, total, _ in by_batch["per_order"]] == [str(v) for v in per_order.values()]
    assert by_batch["by_category"] == {k: str(v) for k, v in by_category.items()}


def test_sums_beyond_machine_integers_stay_exact():
    order = "112-7654321-7654321"
    rows = [order_row("9999999999999.99", order_id=order) for _ in range(3)]
    rows.append(order_row("-0.01", "Commission", "ItemFees", order_id=order))
    data = ("\n".join(v2_lines(rows)) + "\n").encode()
    tally = _tally(data, batches=True, connector=True)
    assert str(tally.order_total(order)) == "29999999999999.96"
    assert tally.order_rows(order)[0] == 4
    assert {k: str(v) for k, v in tally.order_amounts(order).items()} == {
        ("order_item", "Sales"): "29999999999999.97", ("order_fee", "Fees"): "-0.01"}


@pytest.mark.parametrize("options", OPTIONS, ids=IDS)
def test_connector_model_refund_and_non_order_rows_are_the_rows(options):
    data = settlement_bytes(options)
    figures = _figures(_tally(data, batches=True, connector=True))
    refunds: dict = {}
    non_order: dict = {}
    for row in _rows(data):
        found = classify(row.transaction_type, row.amount_type, row.amount_description)
        month = row.posted_date.strftime("%Y-%m") if row.posted_date else "2024-10"
        order_row = found.category.group in ("order", "refund") and bool(row.order_id)
        if not order_row:
            non_order[(found.key, month)] = non_order.get((found.key, month), Decimal(0)) + row.amount.amount
        elif found.category is SettlementCategory.REFUND and is_amazon_order_id(row.order_id):
            month_of, amounts, lines = refunds.setdefault((row.order_id, row.adjustment_id), (month, {}, {}))
            amounts[found.key] = amounts.get(found.key, Decimal(0)) + row.amount.amount
            if row.sku and found.key in ("refund.principal", "refund.tax"):
                quantity, principal, tax = lines.get(row.sku, (0, Decimal(0), Decimal(0)))
                if found.key == "refund.principal":
                    lines[row.sku] = (quantity + (row.quantity or 1), principal - row.amount.amount, tax)
                else:
                    lines[row.sku] = (quantity, principal, tax - row.amount.amount)
    assert refunds, "the file has refund rows of Amazon orders"
    assert figures["refunds"] == {k: (month, {a: str(b) for a, b in amounts.items()},
                                      {s: (q, str(p), str(t)) for s, (q, p, t) in lines.items()})
                                  for k, (month, amounts, lines) in refunds.items()}
    assert figures["connector_non_order"] == {k: str(v) for k, v in non_order.items()}
