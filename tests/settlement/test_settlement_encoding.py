from connectors.settlement_file import balance, open_settlement

from ._build import order_row, v2_bytes


def test_utf8_bom():
    settlement = open_settlement(v2_bytes([order_row("1.00")], "1.00", bom=True))
    assert settlement.format == "v2" and balance(settlement).balanced


def test_crlf_line_ends():
    rows = list(open_settlement(v2_bytes([order_row("1.00"), order_row("2.00")], "3.00", newline="\r\n")).rows())
    assert [r.promotion_id for r in rows] == ["", ""]
    assert [r.quantity for r in rows] == [1, 1]


def test_trailing_blank_line_is_ignored():
    data = v2_bytes([order_row("1.00")], "1.00") + b"\n\n"
    assert balance(open_settlement(data)).row_count == 1


def test_no_final_newline():
    assert balance(open_settlement(v2_bytes([order_row("1.00")], "1.00", trailing_newline=False))).balanced


def test_cp1252_description_is_decoded():
    data = v2_bytes([order_row("2.00", "Rückerstattung Gebühr", "other-transaction")], "2.00")
    data = data.replace("Rückerstattung Gebühr".encode("utf-8"), "Rückerstattung Gebühr".encode("cp1252"))
    row = next(open_settlement(data).rows())
    assert row.amount_description == "Rückerstattung Gebühr"


def test_utf8_and_latin1_in_one_file():
    data = v2_bytes([order_row("1.00", "Gebühr"), order_row("1.00", "Remboursé")], "2.00")
    data = data.replace("Remboursé".encode("utf-8"), "Remboursé".encode("latin-1"))
    assert [r.amount_description for r in open_settlement(data).rows()] == ["Gebühr", "Remboursé"]
