"""Every figure of the tally is a plain Decimal pass over the rows, whatever the rows and however they are batched.

Random rows of orders, fees, refunds and non-order amounts, naming Amazon order ids, ids
that are not (an FBA shipment, a multi-channel id, one digit short, non-ASCII digits, one
holding a line break) and none; amounts up to 10**17 units written with 0 to 3 decimals;
tallied in batches of 1 row up to all of them, by column blocks, with the connector model on
and off, with columns that grow by one order at a time (so they grow while a batch is
tallied), by the compiled per-row loop and by the Python one.
"""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.settlement_file import balance, batches_of, open_settlement
from syncproof.engine import settlement_tally
from tests.settlement._build import order_row, row, v2_lines
from tests.settlement._tally_reference import figures, new_tally, reference

ORDER_IDS = ["112-1111111-1111111", "113-2222222-2222222", "114-3333333-3333333", "115-4444444-4444444",
             "116-5555555-5555555"]
NOT_ORDER_IDS = ["", "S01-1234567-1234567", "FBA15ABCD", "112-1234567-123456", "\uff11\uff11\uff12-1234567-1234567",
                 "\u0661\u0661\u0662-1234567-1234567"]
#: ids a file's cell cannot hold, given to the rows after they are read
LINE_BREAK_IDS = ["112-1111111-1111111\n113-2222222-2222222", "114-3333333-3333333\n", "\n115-4444444-4444444"]
KINDS = [("Order", "ItemPrice", "Principal"), ("Order", "ItemPrice", "Tax"), ("Order", "ItemFees", "Commission"),
         ("Order", "ItemFees", "FBAPerUnitFulfillmentFee"), ("Refund", "ItemPrice", "Principal"),
         ("Refund", "ItemPrice", "Tax"), ("Refund", "ItemFees", "Commission"),
         ("other-transaction", "other-transaction", "Storage Fee")]
DATES = ["2024-10-09", "2024-11-02", ""]


def _amount(units: int, decimals: int) -> str:
    digits = str(abs(units)).rjust(decimals + 1, "0")
    text = f"{digits[:-decimals]}.{digits[-decimals:]}" if decimals else digits
    return ("-" if units < 0 else "") + text


#: a row's units: small, huge, or about the 2**31 units whose packed sums leave 64 bits
_units = st.one_of(st.integers(-10**4, 10**4), st.integers(-10**17, 10**17), st.integers(-2**31, 2**31),
                   st.sampled_from([2**31, -2**31, 2**31 - 1, 2**30, -2**30, 2**30 + 1]))
_row = st.tuples(st.sampled_from(KINDS), st.one_of(st.sampled_from(ORDER_IDS), st.sampled_from(NOT_ORDER_IDS)),
                 _units, st.integers(0, 3), st.sampled_from(DATES), st.integers(0, 2),
                 st.booleans())


def _file_row(spec: tuple) -> dict:
    (transaction_type, amount_type, description), order_id, units, decimals, posted, adjustment, _ = spec
    values = row(transaction_type=transaction_type, order_id=order_id, amount_type=amount_type,
                 amount_description=description, amount=_amount(units, decimals), posted_date=posted,
                 adjustment_id=f"adj-{adjustment}" if transaction_type == "Refund" else "")
    return order_row(values.pop("amount"), **{k.replace("-", "_"): v for k, v in values.items()})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=st.lists(_row, min_size=1, max_size=40), size=st.integers(1, 41), growth=st.sampled_from([1, 2, 1 << 14]),
       connector=st.booleans(), line_breaks=st.lists(st.sampled_from(LINE_BREAK_IDS), max_size=40),
       decimals=st.sampled_from([None, None, 0, 2]))
@pytest.mark.parametrize("compiled", [True, False], ids=["compiled loop", "Python loop"])
def test_every_figure_is_the_rows_summed_one_by_one(specs, size, growth, connector, line_breaks, decimals, compiled):
    """``decimals``: every amount written with that many (a block of them is read from its text), else each its
    own number of them."""
    if compiled and settlement_tally._compiled is None:
        pytest.skip("the compiled loop is not built in this install (no C compiler): the Python loop runs")
    if decimals is not None:
        specs = [(*spec[:3], decimals, *spec[4:]) for spec in specs]
    data = ("\n".join(v2_lines([_file_row(spec) for spec in specs])) + "\n").encode()
    with open_settlement(data) as settlement:
        rows = list(settlement.rows())
    assert len(rows) == len(specs)
    # some rows (those marked so) name an id holding a line break instead
    odd = iter(line_breaks)
    rows = [r._replace(order_id=next(odd, r.order_id)) if spec[-1] else r for r, spec in zip(rows, specs, strict=True)]
    expected = reference(rows, connector=connector)
    with mock.patch.object(settlement_tally, "_GROWTH", growth), \
            mock.patch.object(settlement_tally, "_compiled", settlement_tally._compiled if compiled else None):
        by_size = new_tally(connector)
        by_size.add_batches(batches_of(rows, size))
        assert figures(by_size) == expected
        if not any(spec[-1] for spec in specs) or not line_breaks:
            by_block = new_tally(connector)
            with open_settlement(data) as settlement:
                by_block.add_batches(settlement.batches())
                totals = settlement.totals()
            assert figures(by_block) == expected
            with open_settlement(data) as settlement:  # read by the reader alone
                line = balance(settlement).currencies[0]
            assert totals == (line.row_count, line.rows_sum.amount)
            assert str(totals[1]) == str(line.rows_sum.amount)  # the same exponent too


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled loop", "Python loop"])
def test_the_columns_grow_only_for_an_order_not_numbered_yet(compiled):
    """Columns full of orders (two, growing by two) take another row of an order numbered before without growing."""
    if compiled and settlement_tally._compiled is None:
        pytest.skip("the compiled loop is not built in this install (no C compiler): the Python loop runs")
    specs = [(KINDS[0], ORDER_IDS[0], 100, 2, DATES[0], 0, False), (KINDS[0], ORDER_IDS[1], 200, 2, DATES[0], 0, False),
             (KINDS[1], ORDER_IDS[0], 7, 2, DATES[0], 0, False)]
    data = ("\n".join(v2_lines([_file_row(spec) for spec in specs])) + "\n").encode()
    with open_settlement(data) as settlement:
        rows = list(settlement.rows())
    with mock.patch.object(settlement_tally, "_GROWTH", 2), \
            mock.patch.object(settlement_tally, "_compiled", settlement_tally._compiled if compiled else None):
        tally = new_tally(False)
        tally.add_batches(batches_of(rows, len(rows)))
    assert tally._capacity == 2
    assert figures(tally) == reference(rows, connector=False)
