from decimal import Decimal

import pytest

from connectors.settlement_file import balance, is_amazon_order_id, open_settlement
from sandbox.settlement_generator import (
    GeneratorOptions,
    SettlementItem,
    SettlementOrder,
    SettlementRefund,
    settlement_bytes,
    write_settlement,
)

QUIRKS = ["decimal_comma", "thousands_separator", "eu_dates", "iso_dates", "bom", "crlf", "trailing_blank_line",
          "missing_trailing_column", "trailing_spaces", "non_utf8_description", "non_order_ids", "reserve_rows",
          "other_transaction_types", "empty_marketplace"]


@pytest.mark.parametrize("fmt", ["v2", "legacy"])
@pytest.mark.parametrize("quirk", [None, *QUIRKS])
def test_generated_file_parses_and_balances(fmt, quirk):
    options = GeneratorOptions(rows=300, seed=11, format=fmt, **({quirk: True} if quirk else {}))
    settlement = open_settlement(settlement_bytes(options))
    result = balance(settlement)
    assert settlement.format == fmt
    assert result.balanced, result
    assert result.row_count >= 300


def test_all_quirks_together_and_legacy_without_promotions():
    options = GeneratorOptions(rows=500, seed=3, format="legacy", legacy_promotion_columns=False,
                               **{q: True for q in QUIRKS if q != "iso_dates"})
    assert balance(open_settlement(settlement_bytes(options))).balanced


def test_quirks_are_really_present():
    data = settlement_bytes(GeneratorOptions(rows=200, seed=2, bom=True, crlf=True, decimal_comma=True,
                                             non_utf8_description=True, reserve_rows=True, non_order_ids=True))
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    assert "Rückerstattung".encode("cp1252") in data
    rows = list(open_settlement(data).rows())
    assert any(r.amount_description == "Current Reserve Amount" for r in rows)
    assert any(r.order_id and not is_amazon_order_id(r.order_id) for r in rows)


def test_unbalanced_option_is_detected(tmp_path):
    path = tmp_path / "u.txt"
    info = write_settlement(path, GeneratorOptions(rows=100, seed=5, unbalance=Decimal("-0.01")))
    result = balance(open_settlement(path))
    assert not result.balanced
    assert result.difference.amount == Decimal("0.01")
    assert info.total == info.rows_sum - Decimal("0.01")


def test_same_seed_same_bytes_and_different_seed_differs():
    a = settlement_bytes(GeneratorOptions(rows=100, seed=9))
    assert a == settlement_bytes(GeneratorOptions(rows=100, seed=9))
    assert a != settlement_bytes(GeneratorOptions(rows=100, seed=10))


def test_given_orders_are_included():
    order = SettlementOrder("111-2223334-4445556", (SettlementItem("SKU-X", 2, Decimal("40.00"), Decimal("3.20")),),
                            (SettlementRefund("SKU-X", 1, Decimal("20.00"), Decimal("1.60")),))
    settlement = open_settlement(settlement_bytes(GeneratorOptions(rows=10, seed=1), [order]))
    mine = [r for r in settlement.rows() if r.order_id == order.order_id]
    by = {(r.transaction_type, r.amount_description): r.amount.amount for r in mine}
    assert by[("Order", "Principal")] == Decimal("40.00")
    assert by[("Order", "Commission")] == Decimal("-6.00")
    assert by[("Refund", "Principal")] == Decimal("-20.00")
    assert by[("Refund", "Tax")] == Decimal("-1.60")
    assert {r.sku for r in mine} == {"SKU-X"}
    assert balance(settlement).balanced


def test_float_unbalance_is_refused():
    with pytest.raises(ValueError):
        GeneratorOptions(unbalance=0.01)  # type: ignore[arg-type]
