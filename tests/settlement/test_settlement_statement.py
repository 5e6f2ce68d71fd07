"""The statement view of hand-written settlement files, line by line, to the cent.

Lines as Seller Central's statement view groups them (Seller Central help "Payments
Summary: Statement View", G200913190); amounts named as in the V2 flat file
(SP-API reports: GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2) and the legacy flat file.
"""

from __future__ import annotations

import json
from decimal import Decimal

from click.testing import CliRunner

from connectors.settlement_file import open_settlement
from syncproof.cli import cli
from syncproof.settlement_categories import StatementLine as L
from syncproof.settlement_statement import statement_of

from ._build import legacy_bytes, order_row, row, v2_bytes

NON_ORDER = dict(transaction_type="other-transaction", amount_type="other-transaction",
                 posted_date="2024-10-10")


def other(amount: str, description: str, **extra: str) -> dict:
    return row(**{**NON_ORDER, "amount_description": description, "amount": amount, **extra})


def refund_row(amount: str, description: str = "Principal", amount_type: str = "ItemPrice") -> dict:
    return order_row(amount, description, amount_type, transaction_type="Refund", adjustment_id="A1")


#: A settlement written by hand from Amazon's documented amount types, with the
#: statement worked out by hand (below, not by the code under test).
HAND_BUILT = [
    other("100.00", "Previous Reserve Amount Balance"),
    order_row("50.00"), order_row("4.00", "Tax"), order_row("5.00", "Shipping"),
    order_row("0.40", "ShippingTax"), order_row("2.00", "GiftWrap"),
    order_row("-3.00", "Principal", "Promotion"), order_row("-0.24", "TaxDiscount", "Promotion"),
    order_row("-7.50", "Commission", "ItemFees"), order_row("-3.22", "FBAPerUnitFulfillmentFee", "ItemFees"),
    order_row("-4.00", "MarketplaceFacilitatorTax-Principal", "ItemWithheldTax"),
    refund_row("-20.00"), refund_row("-1.60", "Tax"), refund_row("3.00", "Commission", "ItemFees"),
    refund_row("-0.60", "RefundCommission", "ItemFees"), refund_row("1.00", "Principal", "Promotion"),
    other("-12.34", "Storage Fee"), other("-39.99", "Subscription Fee"),
    row(transaction_type="ServiceFee", amount_type="Cost of Advertising", amount_description="TransactionTotalAmount",
        amount="-25.00"),
    row(transaction_type="ServiceFee", amount_type="other-transaction", amount_description="TaxAmount",
        amount="-2.10"),
    other("15.00", "WAREHOUSE_DAMAGE", amount_type="FBA Inventory Reimbursement"),
    other("9.99", "WAREHOUSE_LOST", amount_type="FBA Inventory Reimbursement"),
    other("-9.99", "REVERSAL_REIMBURSEMENT", amount_type="FBA Inventory Reimbursement"),
    other("30.00", "Liquidations", transaction_type="Liquidations", order_id="123456789"),
    other("-4.50", "LiquidationsBrokerageFee", transaction_type="Liquidations", order_id="123456789"),
    other("-80.00", "Current Reserve Amount"),
    other("-1.11", "Something Amazon never documented", transaction_type="NewKind"),
]
HAND_STATEMENT = {
    "beginning_balance": "100.00",
    "sales.product_charges": "50.00", "sales.shipping_credits": "5.00", "sales.gift_wrap_credits": "2.00",
    "sales.tax_collected": "4.40", "sales.marketplace_facilitator_tax": "-4.00",
    "sales.liquidation_proceeds": "30.00", "sales.other": "0.00",
    "promotional_rebates": "-3.24",
    "refunds.refunded_sales": "-21.60", "refunds.refunded_expenses": "4.00",
    "expenses.amazon_fees": "-13.42", "expenses.fba_fees": "0.00", "expenses.advertising": "-25.00",
    "expenses.storage": "-12.34", "expenses.subscription": "-39.99", "expenses.liquidation_fees": "-4.50",
    "expenses.other": "0.00",
    "reimbursements": "15.00", "account_level_reserve": "-80.00", "transfers": "0.00", "unknown": "-1.11",
}
HAND_TOTAL = "5.20"


def test_hand_built_statement_via_settlement_check_json_to_the_cent(tmp_path):
    path = tmp_path / "hand.txt"
    path.write_bytes(v2_bytes(HAND_BUILT, HAND_TOTAL))
    result = CliRunner().invoke(cli, ["settlement", "check", "--json", str(path)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    statement = document["files"][0]["statement"]
    got = {line["line"]: line["amount"] for line in statement["lines"]}
    assert got == {k: {"amount": v, "currency": "USD"} for k, v in HAND_STATEMENT.items()}
    assert statement["net_proceeds"] == {"amount": HAND_TOTAL, "currency": "USD"}
    assert statement["balanced"] is True
    assert statement["amazon_fees_by_type"] == {
        "commission": {"amount": "-7.50", "currency": "USD"},
        "fba_per_unit_fulfillment_fee": {"amount": "-3.22", "currency": "USD"},
        "refund_commission": {"amount": "-0.60", "currency": "USD"},
        "tax": {"amount": "-2.10", "currency": "USD"}}
    assert statement["unknown_rows"] == 1
    assert statement["unknown"][0]["amount_description"] == "Something Amazon never documented"
    assert statement["sections"]["refunds"] == {"amount": "-17.60", "currency": "USD"}
    assert document["files"][0]["rows"] == len(HAND_BUILT)
    assert document["summary"] == {"files": 1, "balanced": 1, "not_balanced": 0, "unreadable": 0}
    liquidation = document["files"][0]["non_amazon_order_ids"]
    assert liquidation["by_kind"] == {"liquidation": 2}


def _statement(data: bytes):
    with open_settlement(data) as settlement:
        return statement_of(settlement)


def test_reserves_are_two_lines_even_when_they_net_to_zero():
    statement = _statement(v2_bytes([other("40.00", "Previous Reserve Amount Balance"),
                                      other("-40.00", "Current Reserve Amount")], "0.00"))
    assert statement.line(L.BEGINNING_BALANCE).amount == Decimal("40.00")
    assert statement.line(L.ACCOUNT_LEVEL_RESERVE).amount == Decimal("-40.00")


def test_tax_discount_on_orders_and_refunds():
    statement = _statement(v2_bytes([order_row("-0.80", "TaxDiscount", "Promotion"),
                                      refund_row("0.80", "TaxDiscount", "Promotion")], "0.00"))
    assert statement.line(L.PROMOTIONAL_REBATES).amount == Decimal("-0.80")
    assert statement.line(L.REFUNDED_EXPENSES).amount == Decimal("0.80")
    assert statement.unknown_rows == 0


LEGACY_ORDER = dict(transaction_type="Order", order_id="112-1234567-1234567", marketplace_name="Amazon.com",
                    fulfillment_id="AFN", posted_date="2012-10-09", sku="SKU-1", quantity_purchased="1")


def test_legacy_fba_transportation_fee_is_an_amazon_fee_and_rows_are_file_rows():
    data = legacy_bytes([
        row(price_type="Principal", price_amount="20.00", shipment_fee_type="FBA transportation fee",
            shipment_fee_amount="-2.50", item_related_fee_type="Commission", item_related_fee_amount="-3.00",
            **LEGACY_ORDER),
        row(promotion_id="P1", promotion_type="TaxDiscount", promotion_amount="-0.40", **LEGACY_ORDER),
    ], "14.10")
    statement = _statement(data)
    assert statement.file_rows == 2 and statement.amounts == 4
    assert statement.line(L.AMAZON_FEES).amount == Decimal("-5.50")
    assert statement.amazon_fees["fba_transportation_fee"].amount == Decimal("-2.50")
    assert statement.line(L.PROMOTIONAL_REBATES).amount == Decimal("-0.40")
    assert statement.unknown_rows == 0 and statement.balanced


def test_settlement_check_counts_legacy_file_rows_in_both_formats(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes(legacy_bytes([row(price_type="Principal", price_amount="10.00",
                                       item_related_fee_type="Commission", item_related_fee_amount="-1.50",
                                       **LEGACY_ORDER)], "8.50"))
    as_json = json.loads(CliRunner().invoke(cli, ["settlement", "check", "--json", str(path)]).output)
    assert as_json["files"][0]["rows"] == 1 and as_json["files"][0]["amounts"] == 2
    text = CliRunner().invoke(cli, ["settlement", "check", str(path)]).output
    assert ", 1 rows" in text


def test_reimbursements_and_their_reversal_and_lost_stock():
    statement = _statement(v2_bytes([
        other("12.00", "WAREHOUSE_DAMAGE", amount_type="FBA Inventory Reimbursement"),
        other("7.00", "WAREHOUSE_LOST", amount_type="FBA Inventory Reimbursement"),
        other("-12.00", "REVERSAL_REIMBURSEMENT", amount_type="FBA Inventory Reimbursement")], "7.00"))
    assert statement.line(L.REIMBURSEMENTS).amount == Decimal("7.00")
    assert statement.line(L.SALES_OTHER).amount == 0 and statement.unknown_rows == 0


def test_v1_service_fee_tax_amount_is_an_amazon_fee():
    statement = _statement(v2_bytes([row(transaction_type="ServiceFee", amount_type="other-transaction",
                                         amount_description="TaxAmount", amount="-1.90")], "-1.90"))
    assert statement.line(L.AMAZON_FEES).amount == Decimal("-1.90") and statement.unknown_rows == 0


def test_unknown_rows_are_counted_listed_and_not_guessed():
    statement = _statement(v2_bytes([other("-1.00", "Brand new fee", transaction_type="Novel"),
                                      other("-2.00", "Brand new fee", transaction_type="Novel"),
                                      order_row("-3.00", "MysteryFee", "ItemFees")], "-6.00"))
    assert statement.line(L.UNKNOWN).amount == Decimal("-6.00")
    assert statement.unknown_rows == 3 and len(statement.unknown) == 2
    assert statement.unknown[0].rows == 2 and statement.unknown[0].amount.amount == Decimal("-3.00")
    assert statement.line(L.AMAZON_FEES).amount == 0 and statement.line(L.EXPENSES_OTHER).amount == 0


def test_net_proceeds_differs_from_total_when_unbalanced():
    statement = _statement(v2_bytes([order_row("10.00")], "10.01"))
    assert not statement.balanced and str(statement.difference) == "-0.01 USD"


def test_a_generated_settlement_statement_reproduces_what_its_generator_intended(tmp_path):
    from sandbox.settlement_generator import GeneratorOptions, write_settlement

    path = tmp_path / "generated.txt"
    written = write_settlement(path, GeneratorOptions(rows=2000, seed=11, reserve_rows=True, non_order_ids=True,
                                                      other_transaction_types=True))
    with open_settlement(path) as settlement:
        statement = statement_of(settlement)
    got = {line.value: money.amount for line, money in statement.lines.items() if money.amount}
    assert got == {line: amount for line, amount in written.statement.items() if amount}
    assert len(got) >= 12 and statement.net_proceeds.amount == written.total and statement.balanced
