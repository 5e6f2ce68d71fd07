import pytest

from connectors.settlement_file import is_amazon_order_id, open_settlement

from ._build import order_row, v2_bytes


@pytest.mark.parametrize("value", ["112-1234567-1234567", "058-7987646-0553626"])
def test_amazon_order_ids(value):
    assert is_amazon_order_id(value)


@pytest.mark.parametrize("value", ["FBA15ABCD", "S01-1234567-1234567", "RMV000123456", "123456789",
                                   "112-123456-1234567", "112-1234567-12345678", "", "１12-1234567-1234567",
                                   "112_1234567_1234567", "112-1234567-123456", "112-1234567-1234567\n",
                                   "\n112-1234567-1234567", "112-1234567-1234567\n113-1234567-1234567"])
def test_not_amazon_order_ids(value):
    assert not is_amazon_order_id(value)


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
