"""The compiled loops of the settlement tally do what their Python counterparts do.

``cells`` is ``list(map(cell_of.get, zip(*columns)))``, whatever texts the columns hold and
however its memo is filled; ``rows`` reads a plain amounts' text as the list of units it
stands for, and refuses a text that is not one; a reconciled settlement is the same, figure
for figure, whether the compiled loops or the Python ones ran.
"""

from __future__ import annotations

import random
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.settlement_file import is_amazon_order_id, open_settlement
from sandbox.settlement_generator import GeneratorOptions, write_settlement
from syncproof.config import parse_config
from syncproof.engine import settlement_tally
from syncproof.engine import store as engine_store
from syncproof.engine.settlements import SettlementSync
from syncproof.engine.store import EngineStore

kernel = settlement_tally._compiled
pytestmark = pytest.mark.skipif(kernel is None, reason="the compiled loops are not built in this install")

#: texts of the kinds a cell's key may hold: short, exactly 8 and 16 bytes, long, sharing their first and last
#: eight bytes, not ASCII, empty; and values that are not str at all
TEXTS = ["Order", "Refund", "ItemPrice", "ItemFees", "Principal", "Tax", "2024-10-05", "2024-10-14", "2024-11-05",
         "12345678", "1234567812345678", "Commission-and-a-long-description", "Commission-and-a-long-descriptiom",
         "Prefix--middle-A--suffix", "Prefix--middle-B--suffix", "", "Gebühr", "手数料", "\U0001f4e6 box"]
OTHERS = [None, 5, ("Order",), b"Order"]


def _copy(text: object) -> object:
    """An equal value, as another object where it can be (a file's texts are new strings every batch)."""
    return "".join(list(text)) if isinstance(text, str) and len(text) > 1 else text


_value = st.one_of(st.sampled_from(TEXTS), st.sampled_from(OTHERS))


@settings(max_examples=300, deadline=None)
@given(width=st.integers(1, 4), data=st.data())
def test_cells_are_the_dict_look_ups_of_the_rows_texts(width, data):
    keys = data.draw(st.lists(st.tuples(*[_value] * width), min_size=1, max_size=30, unique=True))
    known = data.draw(st.lists(st.sampled_from(keys), unique=True))
    cell_of = {key: n if n % 5 else ~n for n, key in enumerate(known)}  # fast-path cells and ones off it
    memo = kernel.memo()
    for _ in range(data.draw(st.integers(1, 4))):  # a memo serves every batch of its dict
        rows = data.draw(st.lists(st.sampled_from(keys), max_size=60))
        columns = [[_copy(row[c]) for row in rows] for c in range(width)]
        assert kernel.cells(columns, cell_of, memo) == list(map(cell_of.get, zip(*columns, strict=True)))
        extra = data.draw(st.sampled_from(keys))
        cell_of.setdefault(extra, len(cell_of))  # the dict gains a cell between batches, as the tally's does


def test_cells_stay_right_when_more_keys_are_remembered_than_the_memo_holds():
    rng = random.Random(3)
    keys = [(f"type-{n % 7}", f"amount-type-{n}", f"2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}") for n in range(5000)]
    cell_of = {key: n for n, key in enumerate(keys)}
    memo = kernel.memo()
    for _ in range(5):
        rows = rng.choices(keys, k=4000)
        columns = [[_copy(row[c]) for row in rows] for c in range(3)]
        assert kernel.cells(columns, cell_of, memo) == [cell_of[row] for row in rows]


def test_cells_refuse_columns_that_are_not_lists_of_one_length():
    with pytest.raises(ValueError, match="one length"):
        kernel.cells([["Order"], []], {}, kernel.memo())
    with pytest.raises(ValueError, match="1 to 4 columns"):
        kernel.cells([], {}, kernel.memo())
    with pytest.raises(ValueError):  # not a memo
        kernel.cells([["Order"]], {}, object())


def _rows(ids: list[str], cells: list[int], units, **given):
    """One call of the compiled loop, with one fast-path cell summed in a column of four orders."""
    from array import array
    sums = [array("q", bytes(8 * 4))]
    lists: dict[str, list] = {name: [] for name in ("slow", "slow_units", "recorded", "recorded_units", "new")}
    stop, i, last, n, read = kernel.rows(ids, cells, units, sums, {}, is_amazon_order_id, [], lists["slow"],
                                         lists["slow_units"], lists["recorded"], lists["recorded_units"],
                                         lists["new"], 0, None, 0, 0, given.get("capacity", 4))
    return stop, i, read, sums[0].tolist(), lists


def test_the_amounts_text_is_read_as_the_units_it_stands_for():
    ids = ["112-1111111-1111111", "112-1111111-1111111", "", "113-2222222-2222222"]
    as_text = _rows(ids, [0, 0, 0, 0], "-12.30\n5.00\n0.07\n1234567.89")
    as_list = _rows(ids, [0, 0, 0, 0], [-1230, 500, 7, 123456789])
    assert as_text[:2] == as_list[:2] == (0, 4)
    assert as_text[3:] == as_list[3:]
    assert as_text[2] == -1230 + 500 + 7 + 123456789 and as_list[2] == 0  # units read: from a text only
    assert as_text[4]["slow_units"] == [7]  # the row of no order is handed on with its units


def test_a_stop_to_widen_a_cell_leaves_the_row_it_stopped_at_unread():
    """A sum that leaves 64 bits stops the loop before the row is added; the units read are those before it."""
    stop, i, read, sums, _ = _rows(["112-1111111-1111111"] * 3, [0, 0, 0], "1.00\n2.00\n123456789012.34")
    assert (stop, i, read) == (2, 2, 300)
    assert sums[0] == (300 << 32) + 2


def test_a_stop_to_grow_the_columns_leaves_the_row_it_stopped_at_unread():
    ids = ["112-1111111-1111111", "113-2222222-2222222"]
    stop, i, read, _, lists = _rows(ids, [0, 0], "1.00\n2.00", capacity=1)
    assert (stop, i, read) == (1, 1, 100)  # the second order needs a second place in the columns
    assert lists["new"] == [0]


@pytest.mark.parametrize("text", ["12.30\nabc", "12.3.0", "-", "1.00\n\n2.00", "1.00\n2.00\n3.00", "1.00",
                                  "1234567890123456789", "１２.３０\n1.00"])
def test_an_amounts_text_that_is_not_one_plain_amount_a_row_is_refused(text):
    with pytest.raises(ValueError, match="amount"):
        _rows(["112-1111111-1111111", "112-1111111-1111111"], [0, 0], text)


def _reconciled(folder, data: bytes, synced: list[str]):
    store = EngineStore(folder / "engine.sqlite3")
    store.executemany("INSERT OR IGNORE INTO orders (channel, channel_order_id, status, synced_at) VALUES "
                      "('amazon', ?, 'synced', '')", ((order_id,) for order_id in synced))
    sync = SettlementSync(None, store, parse_config({"project": {"go_live": "2020-01-01"}}))  # type: ignore[arg-type]
    with open_settlement(data) as settlement:
        outcome, tally, matched = sync.reconcile(settlement)
    store.close()
    assert tally is not None and tally.connector is not None
    refunds = {k: (g.month, dict(g.amounts), g.lines) for k, g in tally.connector.refunds.items()}
    return (outcome.row_count, outcome.rows_sum, outcome.balanced, outcome.totals_by_category,
            outcome.totals_by_type, [e.to_json() for e in outcome.exceptions], outcome.exceptions_total,
            outcome.posted, sorted(matched), len(matched), refunds, tally.fees(sorted(matched)))


@pytest.mark.parametrize("seed", [1, 2])
def test_a_settlement_reconciles_the_same_by_the_compiled_loops_and_the_python_ones(tmp_path, seed):
    path = tmp_path / "settlement.txt"
    write_settlement(path, GeneratorOptions(rows=3000, seed=seed, start=None))
    data = path.read_bytes()
    with open_settlement(data) as settlement:
        ids = sorted({row.order_id for row in settlement.rows() if is_amazon_order_id(row.order_id)})
    synced = random.Random(seed).sample(ids, len(ids) * 9 // 10) + ["S01-1234567-1234567", "999-0000000-0000000"]
    (tmp_path / "compiled").mkdir()
    (tmp_path / "python").mkdir()
    compiled = _reconciled(tmp_path / "compiled", data, synced)
    with mock.patch.object(settlement_tally, "_compiled", None), mock.patch.object(engine_store, "_compiled", None):
        python = _reconciled(tmp_path / "python", data, synced)
    assert compiled == python
    assert len(compiled[5]) >= len(ids) // 10  # the unsynced orders are exceptions
    assert compiled[2]  # balanced: the total read with the amounts is the file's


def test_units_read_past_64_bits_are_summed_exactly():
    """Rows of no order, whose units are only read and handed on: their sum leaves 64 bits and stays exact."""
    units = [999_999_999_999_999_999] * 12 + [-5]
    stop, i, read, _, lists = _rows([""] * len(units), [0] * len(units), "\n".join(map(str, units)))
    assert (stop, i) == (0, len(units))
    assert read == sum(units) > 2**63
    assert lists["slow_units"] == units and lists["slow"] == list(range(len(units)))
