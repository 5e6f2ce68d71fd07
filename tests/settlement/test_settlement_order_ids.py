import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.settlement_file import amazon_order_ids, is_amazon_order_id, open_settlement

from ._build import order_row, v2_bytes


@pytest.mark.parametrize("value", ["112-1234567-1234567", "058-7987646-0553626"])
def test_amazon_order_ids(value):
    assert is_amazon_order_id(value)


@pytest.mark.parametrize("value", ["FBA15ABCD", "S01-1234567-1234567", "RMV000123456", "123456789",
                                   "112-123456-1234567", "112-1234567-12345678", "", "１12-1234567-1234567",
                                   "112_1234567_1234567"])
def test_not_amazon_order_ids(value):
    assert not is_amazon_order_id(value)


NOT_ORDER_IDS = ["FBA15ABCD", "S01-1234567-1234567", "", "１12-1234567-1234567", "112-1234567-1234567\n",
                 "112-1234567-1234567\n113-1234567-1234567", "\n112-1234567-1234567", "112-1234567-123456",
                 "112-1234567-12345678"]


@pytest.mark.parametrize("other", [None, *NOT_ORDER_IDS])
@pytest.mark.parametrize("at", [0, 3, 7])
def test_the_order_ids_of_many_are_those_is_amazon_order_id_accepts(other, at):
    # One check of them all when all are order ids; a value holding a line break must not pass
    # for two ids, nor two short values for one.
    values = [f"{112 + k}-{k:07d}-{7654321 - k:07d}" for k in range(8)]
    if other is not None:
        values.insert(at, other)
    found = amazon_order_ids(values)
    assert list(found) == [v for v in values if is_amazon_order_id(v)]
    assert len(found) == len(values) - (other is not None)


def test_order_ids_split_over_values_are_not_order_ids():
    assert list(amazon_order_ids(["112-1234567", "1234567\n113-1234567-1234567"])) == []
    assert list(amazon_order_ids(["112-1234567-1234567\n113-1234567-1234567", ""])) == []
    assert list(amazon_order_ids([])) == []


def test_non_order_ids_are_kept_as_written():
    data = v2_bytes([order_row("-2.00", "FBAPerUnitFulfillmentFee", "ItemFees", order_id="S01-1234567-1234567"),
                     order_row("-1.00", "FBA Inbound Placement Service Fee", "other-transaction",
                               order_id="FBA15ABCD", transaction_type="other-transaction")], "-3.00")
    rows = list(open_settlement(data).rows())
    assert [r.order_id for r in rows] == ["S01-1234567-1234567", "FBA15ABCD"]
    assert not any(is_amazon_order_id(r.order_id) for r in rows)


def test_empty_marketplace_on_an_order_row():
    row = next(open_settlement(v2_bytes([order_row("1.00", marketplace_name="")], "1.00")).rows())
    assert row.marketplace_name == "" and row.order_id == "112-1234567-1234567"


_id_text = st.one_of(
    st.from_regex(r"\A[0-9]{3}-[0-9]{7}-[0-9]{7}\Z"),  # an order id
    st.text(alphabet="0123456789-\n\r \u0661\uff11", min_size=0, max_size=40),  # near ones
    st.lists(st.from_regex(r"\A[0-9]{3}-[0-9]{7}-[0-9]{7}\Z"), min_size=2, max_size=3).map("\n".join),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_id_text, max_size=12))
def test_the_order_ids_of_any_values_are_those_is_amazon_order_id_accepts(values):
    assert list(amazon_order_ids(values)) == [v for v in values if is_amazon_order_id(v)]
