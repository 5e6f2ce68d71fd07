from connectors.settlement_file import balance, open_settlement

from ._build import order_row, row, v2_bytes


def reserve(description: str, amount: str) -> dict:
    return row(transaction_type="other-transaction", amount_type="other-transaction",
               amount_description=description, amount=amount, posted_date="2024-10-15")


def test_reserve_rows_count_in_the_balance():
    data = v2_bytes([reserve("Previous Reserve Amount Balance", "50.00"), order_row("10.00"),
                     reserve("Current Reserve Amount", "-55.00")], "5.00")
    settlement = open_settlement(data)
    rows = list(settlement.rows())
    assert [r.amount_description for r in rows][::2] == ["Previous Reserve Amount Balance", "Current Reserve Amount"]
    assert balance(settlement).balanced


def test_unknown_types_and_descriptions_are_kept():
    kinds = ["Chargeback Refund", "A-to-z Guarantee Refund", "ServiceFee", "FBAFees", "Liquidations",
             "Brand New Type"]
    data = v2_bytes([order_row("1.00", "Something New", "NewAmountType", transaction_type=k) for k in kinds],
                    "6.00")
    rows = list(open_settlement(data).rows())
    assert [r.transaction_type for r in rows] == kinds
    assert {r.amount_type for r in rows} == {"NewAmountType"}
    assert {r.amount_description for r in rows} == {"Something New"}
