from datetime import date, datetime, timezone
from decimal import Decimal

from connectors.settlement_file import V2_COLUMNS, balance, open_settlement
from syncproof.model import Money

from ._build import order_row, v2_bytes


def test_summary_and_rows_are_read():
    data = v2_bytes([order_row("19.99"), order_row("-3.00", "Commission", "ItemFees")], "16.99")
    with open_settlement(data) as settlement:
        assert settlement.format == "v2"
        summary = settlement.summary
        assert summary.settlement_id == "12345678901"
        assert summary.start == datetime(2024, 10, 1, 7, 49, 55, tzinfo=timezone.utc)
        assert summary.deposit_date.tzinfo is not None
        assert summary.total == Money("16.99", "USD")
        rows = list(settlement.rows())
    assert [r.line_number for r in rows] == [3, 4]
    first = rows[0]
    assert first.transaction_type == "Order"
    assert first.order_id == "112-1234567-1234567"
    assert first.amount == Money("19.99", "USD")
    assert first.posted_date == date(2024, 10, 9)
    assert first.posted_at == datetime(2024, 10, 9, 14, 28, 38, tzinfo=timezone.utc)
    assert first.quantity == 1 and first.sku == "SKU-1"
    assert rows[1].amount_description == "Commission"


def test_balance_to_the_cent():
    data = v2_bytes([order_row("0.10"), order_row("0.20")], "0.30")
    result = balance(open_settlement(data))
    assert result.balanced
    assert result.row_count == 2
    assert result.difference == Money("0", "USD")


def test_one_cent_off_does_not_balance():
    result = balance(open_settlement(v2_bytes([order_row("0.10"), order_row("0.20")], "0.31")))
    assert not result.balanced
    assert result.difference.amount == Decimal("-0.01")


def test_balance_after_rows_were_iterated():
    settlement = open_settlement(v2_bytes([order_row("1.00"), order_row("2.00")], "3.00"))
    assert len(list(settlement.rows())) == 2
    assert list(settlement.rows()) == []  # one pass
    assert balance(settlement).balanced


def test_header_without_promotion_id_is_accepted():
    data = v2_bytes([order_row("5.00")], "5.00", columns=V2_COLUMNS[:-1])
    settlement = open_settlement(data)
    rows = list(settlement.rows())
    assert rows[0].promotion_id == "" and rows[0].amount == Money("5.00", "USD")


def test_empty_settlement_balances_at_zero():
    result = balance(open_settlement(v2_bytes([], "0.00")))
    assert result.balanced and result.row_count == 0


def test_rows_are_immutable():
    row = next(open_settlement(v2_bytes([order_row("1.00")], "1.00")).rows())
    try:
        row.amount = Money("2.00", "USD")  # type: ignore[misc]
    except AttributeError:
        pass
    else:  # pragma: no cover
        raise AssertionError("a row must not be mutable")


def test_binary_stream_is_left_open(tmp_path):
    path = tmp_path / "s.txt"
    path.write_bytes(v2_bytes([order_row("1.00")], "1.00"))
    with open(path, "rb") as handle:
        settlement = open_settlement(handle)
        assert balance(settlement).balanced
        del settlement
        assert not handle.closed
