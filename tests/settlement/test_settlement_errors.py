"""Every malformed file raises SettlementFileError naming line, column and value."""

import pytest

from connectors.settlement_file import SettlementFileError, balance, open_settlement

from ._build import order_row, v2_bytes


def fail(data: bytes) -> SettlementFileError:
    with pytest.raises(SettlementFileError) as info:
        balance(open_settlement(data))
    return info.value


def test_empty_file():
    err = fail(b"")
    assert err.line == 1 and "empty" in str(err)


def test_wrong_header_names_the_column():
    data = v2_bytes([order_row("1.00")], "1.00").replace(b"amount-type", b"amount-kind", 1)
    err = fail(data)
    assert err.line == 1 and err.column == "#13" and err.value == "amount-kind"
    assert "amount-type" in str(err) and err.hint


def test_csv_instead_of_tabs():
    err = fail(b"settlement-id,settlement-start-date\n1,2\n")
    assert err.line == 1 and "settlement-id,settlement-start-date" in err.value


def test_non_numeric_amount():
    err = fail(v2_bytes([order_row("1.00"), order_row("12,3x")], "1.00"))
    assert (err.line, err.column, err.value) == (4, "amount", "12,3x")
    assert "line 4" in str(err) and "'amount'" in str(err) and "12,3x" in str(err)


def test_non_numeric_total():
    err = fail(v2_bytes([order_row("1.00")], "n/a"))
    assert (err.line, err.column, err.value) == (2, "total-amount", "n/a")


def test_bad_posted_date():
    err = fail(v2_bytes([order_row("1.00", posted_date_time="2024-02-30 10:00:00 UTC")], "1.00"))
    assert (err.line, err.column) == (3, "posted-date-time") and "2024-02-30" in str(err)


def test_bad_settlement_date():
    err = fail(v2_bytes([], "0.00", summary={"deposit-date": "soon"}))
    assert (err.line, err.column, err.value) == (2, "deposit-date", "soon")


def test_bad_quantity():
    err = fail(v2_bytes([order_row("1.00", quantity_purchased="two")], "1.00"))
    assert (err.line, err.column, err.value) == (3, "quantity-purchased", "two")


def test_no_summary_row():
    err = fail(v2_bytes([order_row("1.00")], "1.00").split(b"\n", 1)[0] + b"\n")
    assert err.line == 2 and "summary" in str(err)


def test_first_data_row_is_not_a_summary():
    lines = v2_bytes([order_row("1.00")], "1.00").split(b"\n")
    err = fail(b"\n".join([lines[0], lines[2]]))
    assert err.line == 2 and err.column == "total-amount" and "summary" in str(err)


def test_two_settlement_ids():
    err = fail(v2_bytes([order_row("1.00"), order_row("2.00", settlement_id="99999999999")], "3.00"))
    assert (err.line, err.column, err.value) == (4, "settlement-id", "99999999999")
    assert "split" in err.hint


def test_second_summary_row():
    data = v2_bytes([order_row("1.00")], "1.00")
    summary_line = data.split(b"\n")[1]
    err = fail(data + summary_line + b"\n")
    assert (err.line, err.column) == (4, "total-amount")


def test_binary_garbage():
    err = fail(bytes(range(256)) * 4)
    assert err.line == 1


def test_nul_bytes_in_a_row():
    err = fail(v2_bytes([order_row("1.\x0000")], "1.00"))
    assert err.line == 3 and err.column == "amount"


def test_missing_file(tmp_path):
    with pytest.raises(SettlementFileError) as info:
        open_settlement(tmp_path / "nope.txt")
    assert "nope.txt" in str(info.value)


def test_text_mode_stream_is_refused(tmp_path):
    path = tmp_path / "s.txt"
    path.write_bytes(v2_bytes([order_row("1.00")], "1.00"))
    with open(path, encoding="utf-8") as handle, pytest.raises(SettlementFileError) as info:
        open_settlement(handle)
    assert "binary" in str(info.value)


def test_a_failed_file_cannot_be_balanced_afterwards():
    settlement = open_settlement(v2_bytes([order_row("x")], "1.00"))
    with pytest.raises(SettlementFileError):
        list(settlement.rows())
    with pytest.raises(SettlementFileError) as info:
        balance(settlement)
    assert "to the end" in str(info.value)
