"""An order's rows need not be consecutive: rows interleaved with other orders' tally as the rows do.

Real V2 settlement files can list an order's rows apart (its refund weeks later, a fee
after other orders' rows). The tally looks an order up once per run of its rows; these
tests scatter the rows and hold every figure to a plain Decimal pass over the rows, with
the connector model on and off, read by column blocks and by built rows.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from connectors._settlement_v2_batch import ColumnBatch
from connectors.settlement_file import batches_of, open_settlement
from sandbox.settlement_generator import GeneratorOptions, settlement_bytes
from tests.settlement._build import order_row, row, v2_lines
from tests.settlement._tally_reference import figures, new_tally, reference, tallied, text_of

A, B, C, D = "112-1111111-1111111", "113-2222222-2222222", "114-3333333-3333333", "115-4444444-4444444"


def _check(data: bytes, *, connector: bool) -> list:
    """Tally ``data`` by column blocks, by built rows and by built rows three at a time; each must be the
    reference. The rows, parsed."""
    with open_settlement(data) as settlement:
        rows = list(settlement.rows())
    expected = reference(rows, connector=connector)
    by_block = new_tally(connector)
    with open_settlement(data) as settlement:
        batches = list(settlement.batches())
        assert any(isinstance(batch, ColumnBatch) for batch in batches), "the file is read by column blocks"
        by_block.add_batches(batches)
    assert figures(by_block) == expected
    by_row = new_tally(connector)
    by_row.add(rows)
    assert figures(by_row) == expected
    by_three = new_tally(connector)
    by_three.add_batches(batches_of(rows, 3))  # ids first seen, and known as no order, in later batches
    assert figures(by_three) == expected
    return rows


def _returns(rows: list) -> int:
    """How many times a row's order is one seen before another order's row: 0 when every order's rows run."""
    last, seen, returns = None, set(), 0
    for r in rows:
        if r.order_id != last:
            returns += r.order_id in seen
            seen.add(r.order_id)
            last = r.order_id
    return returns


def _shuffled(data: bytes, seed: int, *, times: bool = False) -> bytes:
    """The file with its rows in another order (the header and the summary line first); with ``times``
    each row's posted-date holds its posted-date-time, as the reader accepts (a date and a time)."""
    lines = data.decode("utf-8").split("\n")
    head, body = lines[:2], [line for line in lines[2:] if line]
    if times:
        body = ["\t".join([*f[:16], f[17], *f[17:]]) for f in (line.split("\t") for line in body)]
    random.Random(seed).shuffle(body)
    return ("\n".join(head + body) + "\n").encode("utf-8")


SHAPES = {
    "plain": {},
    "times-in-posted-date": {},
    "non-order-ids": {"iso_dates": True, "non_order_ids": True},
    "eu": {"decimal_comma": True, "thousands_separator": True, "eu_dates": True},
    "jpy": {"currency": "JPY", "reserve_rows": True, "other_transaction_types": True},
}


@pytest.mark.parametrize("connector", [True, False], ids=["connector-model", "summary-posting"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_generated_file_in_another_row_order_tallies_as_its_rows(shape, connector):
    data = _shuffled(settlement_bytes(GeneratorOptions(rows=3000, seed=53, **SHAPES[shape])), seed=7,
                     times=shape == "times-in-posted-date")
    rows = _check(data, connector=connector)
    assert _returns(rows) > 500  # orders' rows scattered, refunds among them


def _fee(amount: str, order_id: str, **extra: str) -> dict:
    return order_row(amount, "Commission", "ItemFees", order_id=order_id, **extra)


def _refund(amount: str, order_id: str, description: str = "Principal", **extra: str) -> dict:
    values = {"transaction_type": "Refund", "adjustment_id": f"adj-{order_id[-3:]}", "sku": "SKU-9",
              "quantity_purchased": "2" if description == "Principal" else ""}
    values.update(extra)
    return order_row(amount, description, order_id=order_id, **values)


def _storage(amount: str, order_id: str = "") -> dict:
    return row(transaction_type="other-transaction", amount_type="other-transaction",
               amount_description="Storage Fee", amount=amount, order_id=order_id, posted_date="2024-10-12")


INTERLEAVED = [
    _refund("-4.00", B),  # B's first row is a refund (off the fast path with the connector model)
    order_row("19.99", order_id=A),
    _storage("-1.50", C),  # a non-order row naming an order before its first row: it does not number C
    order_row("5", order_id=B),  # another exponent in the same block
    _fee("-3.00", A, posted_date="2024-10-30"),
    _storage("-2.25"),
    order_row("7.10", order_id="FBA15ABCD"),  # not an Amazon order id
    _fee("-1.000", B, posted_date="30.10.2024"),  # the same date, written another way
    order_row("2.50", order_id=A),
    _refund("-0.40", B, "Tax"),
    _fee("-0.50", A, posted_date="2024-10-30 08:00:00 UTC"),  # the same date again, with a time
    order_row("1.5", order_id=C),
    _fee("-2.00", A, posted_date="2024-11-02"),
    _refund("-19.99", A, posted_date="2024-11-03"),
    order_row("0.30", order_id="FBA15ABCD"),
    _fee("-0.70", C, posted_date=""),  # no posted date: the settlement's month
    _storage("3"),
    order_row("4.00", order_id=B),
    _refund("-1.5", C, "Tax", posted_date="2024-11-05"),
    order_row("-2.500", order_id=A, transaction_type="Refund", amount_type="ItemPrice", adjustment_id="adj-x"),
    _fee("0.70", C, posted_date=""),  # C's fee sums to zero
    _refund("-3.00", B, adjustment_id="adj-2"),
    _storage("0.10", "S01-1234567-1234567"),
]


@pytest.mark.parametrize("connector", [True, False], ids=["connector-model", "summary-posting"])
def test_an_orders_rows_apart_keep_its_number_first_line_and_sums(connector):
    data = ("\n".join(v2_lines(INTERLEAVED)) + "\n").encode()
    rows = _check(data, connector=connector)
    assert _returns(rows) >= 8
    tally = tallied(data, connector)
    assert list(tally.order_ids()) == [B, A, C]  # numbered by their first rows, the refund first for B
    assert [tally.order_rows(order_id)[:2] for order_id in (A, B, C)] == [(7, 4), (6, 3), (4, 14)]
    assert str(tally.order_total(B)) == "0.600"  # -4.00 + 5 - 1.000 - 0.40 + 4.00 - 3.00
    if connector:
        assert text_of(tally.fees([A, B, C])) == {(A, "order_fee.commission", "2024-10"): "-3.50",
                                                (A, "order_fee.commission", "2024-11"): "-2.00",
                                                (B, "order_fee.commission", "2024-10"): "-1.000"}


def test_sums_beyond_machine_integers_stay_exact_with_rows_apart():
    big = "9999999999999.99"  # its units shifted past 64 bits: the cell's sums become Python integers
    rows = [order_row("1.00", order_id=D), order_row(big, order_id=D),  # past 64 bits on an order's second row
            order_row(big, order_id=A), order_row("1.00", order_id=B), _refund(f"-{big}", A),
            order_row(big, order_id=B), _fee("-0.01", A), order_row(big, order_id=A), _refund(f"-{big}", C),
            order_row("2.00", order_id=D), _refund("-1.00", B), order_row(big, order_id=C)]
    data = ("\n".join(v2_lines(rows)) + "\n").encode()
    for connector in (True, False):
        _check(data, connector=connector)


def _orders(count: int) -> list[str]:
    return [f"{200 + k % 700:03d}-{k:07d}-{7654321 - k:07d}" for k in range(count)]


@pytest.mark.parametrize("other", ["S01-1234567-1234567", "FBA15ABCD", "112-1234567-123456", ""])
@pytest.mark.parametrize("connector", [True, False], ids=["connector-model", "summary-posting"])
def test_one_id_that_is_no_order_among_the_new_orders_of_a_batch(other, connector):
    # An id that is no Amazon order's, among the orders a batch names first, numbers none of
    # them and adds to its own not-order figures.
    ids = _orders(40)
    rows = [order_row(f"{k}.{k % 100:02d}", order_id=order_id) for k, order_id in enumerate(ids[:20])]
    rows.insert(7, order_row("3.33", order_id=other))
    rows.insert(8, _fee("-0.33", ids[3]))
    rows += [_fee("-1.11", other), _refund("-2.22", ids[25]), order_row("4.44", order_id=ids[25]),
             *(order_row("1.00", order_id=order_id) for order_id in ids[20:]), order_row("5.55", order_id=other)]
    data = ("\n".join(v2_lines(rows)) + "\n").encode()
    _check(data, connector=connector)
    tally = tallied(data, connector)
    assert list(tally.order_ids()) == [*ids[:20], ids[25], *ids[20:25], *ids[26:]]  # as they first occur
    assert tally.order_rows(ids[3]) == (2, 6, ("Order",))
    assert tally.order_rows(ids[7]) == (1, 12, ("Order",))  # after the row of the id that is no order
    if other:
        assert tally.not_orders[other][:3] == [Decimal("7.77"), 3, 10]


@pytest.mark.parametrize("connector", [True, False], ids=["connector-model", "summary-posting"])
@pytest.mark.parametrize(("rows", "totals", "order_ids"), [
    # a row of no order ahead of the first order's row adds nothing to that order
    ([order_row("7.10", order_id="FBA15ABCD"), order_row("2.00", order_id=A), order_row("0.10", order_id="")],
     {A: "2.00"}, [A]),
    # a row of 2**31 units, more than a packed machine integer holds: its cell's sums widen to Python integers
    ([order_row("21474836.48", order_id=A), order_row("-10737418.24", order_id=A),
      order_row("1.00", order_id="S01-1234567-1234567"), order_row("3.00", order_id=B)],
     {A: "10737418.24", B: "3.00"}, [A, B]),
], ids=["no-order-row-first", "sums-widened"])
def test_rows_of_no_order_and_large_sums_keep_each_orders_total(connector, rows, totals, order_ids):
    data = ("\n".join(v2_lines(rows)) + "\n").encode()
    _check(data, connector=connector)
    tally = tallied(data, connector)
    assert {order_id: str(tally.order_total(order_id)) for order_id in totals} == totals
    assert list(tally.order_ids()) == order_ids
