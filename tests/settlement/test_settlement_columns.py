import pytest

from connectors.settlement_file import SettlementFileError, balance, open_settlement

from ._build import order_row, v2_bytes


def test_row_missing_its_trailing_column():
    data = v2_bytes([order_row("1.00"), order_row("2.00")], "3.00")
    lines = data.split(b"\n")
    lines[2] = lines[2][: lines[2].rindex(b"\t")]  # drop the empty promotion-id
    rows = list(open_settlement(b"\n".join(lines)).rows())
    assert [str(r.amount) for r in rows] == ["1.00 USD", "2.00 USD"]
    assert rows[0].promotion_id == ""


def test_row_missing_many_columns_is_an_error():
    data = v2_bytes([order_row("1.00")], "1.00")
    lines = data.split(b"\n")
    lines[2] = b"\t".join(lines[2].split(b"\t")[:10])
    with pytest.raises(SettlementFileError) as info:
        list(open_settlement(b"\n".join(lines)).rows())
    assert info.value.line == 3 and "10 columns" in str(info.value)


def test_extra_empty_trailing_column_is_ignored():
    data = v2_bytes([order_row("1.00")], "1.00").replace(b"SKU-1\t1\t\n", b"SKU-1\t1\t\t\n")
    assert balance(open_settlement(data)).balanced


def test_extra_column_with_text_is_an_error():
    data = v2_bytes([order_row("1.00")], "1.00").replace(b"SKU-1\t1\t\n", b"SKU-1\t1\t\tsurplus\n")
    with pytest.raises(SettlementFileError) as info:
        list(open_settlement(data).rows())
    assert info.value.line == 3 and info.value.value == "surplus"


def test_promotion_id_is_kept():
    rows = list(open_settlement(v2_bytes([order_row("-1.00", "Principal", "Promotion", promotion_id="PROMO-9")],
                                         "-1.00")).rows())
    assert rows[0].promotion_id == "PROMO-9"
