from decimal import Decimal

import pytest

from connectors.settlement_file import balance, open_settlement, parse_amount

from ._build import order_row, v2_bytes


@pytest.mark.parametrize("text, expected", [
    ("1141,18", "1141.18"), ("1.141,18", "1141.18"), ("1,141.18", "1141.18"), ("-0,30", "-0.30"),
    ("1141.18", "1141.18"), ("12.345.678,90", "12345678.90"), ("1.234.567", "1234567"), ("7", "7"),
    ("  19.99 ", "19.99"), ("19,99 ", "19.99"),
])
def test_amount_formats(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["1e5", "NaN", "1_000", "1.2.3,4", "12,3x", "", "--1", "1,14,1.00", ",5", "5,"])
def test_not_amounts(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_eu_file_with_comma_decimals_balances():
    data = v2_bytes([order_row("1.141,18"), order_row("-171,18", "Commission", "ItemFees")], "970,00",
                    summary={"currency": "EUR", "settlement-start-date": "01.10.2024 07:49:55 UTC"})
    result = balance(open_settlement(data))
    assert result.balanced and str(result.total) == "970.00 EUR"


def test_both_styles_in_one_file():
    data = v2_bytes([order_row("5,05"), order_row("5.05")], "10,10")
    assert balance(open_settlement(data)).balanced


def test_trailing_spaces_in_amounts():
    rows = list(open_settlement(v2_bytes([order_row("12.50  ")], "12.50 ")).rows())
    assert rows[0].amount.amount == Decimal("12.50")
