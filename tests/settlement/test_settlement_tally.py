"""The settlement tally's sums are those of adding the rows' Decimals from zero: value and exponent.

The tally keeps integer units while every amount has the same number of decimals
and turns to Decimal at the first one that differs; the reference here adds the
rows' Decimals directly.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from connectors.settlement_file import is_amazon_order_id, open_settlement
from syncproof.engine.settlement_connector import ConnectorTally
from syncproof.engine.settlement_tally import FlaggedOrders, RowKind, SettlementTally
from tests.settlement._build import order_row, row, v2_lines

A, B, C = "112-1234567-1234567", "113-1234567-1234567", "114-1234567-1234567"


def kind_of(transaction_type: str, amount_type: str, description: str) -> RowKind:
    order = amount_type in ("ItemPrice", "ItemFees")
    return RowKind(amount_type.lower(), "Fees" if amount_type == "ItemFees" else "Sales", order, None)


def _tally(rows: list[dict]) -> tuple[SettlementTally, list]:
    data = ("\n".join(v2_lines(rows)) + "\n").encode()
    with open_settlement(data) as settlement:
        parsed = list(settlement.rows())
    tally = SettlementTally(kind_of, connector=None, end_month="2024-10")
    tally.add(parsed)
    return tally, parsed


def _reference(parsed) -> dict:
    per_order: dict = {}
    by_category: dict = {}
    non_order: dict = {}
    for r in parsed:
        kind = kind_of(r.transaction_type, r.amount_type, r.amount_description)
        by_category[kind.category] = by_category.get(kind.category, Decimal(0)) + r.amount.amount
        key = (kind.category, kind.account)
        if kind.order_row and r.order_id and is_amazon_order_id(r.order_id):
            amounts = per_order.setdefault(r.order_id, {})
            amounts[key] = amounts.get(key, Decimal(0)) + r.amount.amount
        elif not (kind.order_row and r.order_id):
            non_order[key] = non_order.get(key, Decimal(0)) + r.amount.amount
    return {"per_order": per_order, "by_category": by_category, "non_order": non_order}


def _as_text(sums: dict) -> dict:
    return {k: str(v) for k, v in sums.items()}


@pytest.mark.parametrize("amounts", [
    ["19.99", "-3.00", "0.00", "-0.00", "5.10", "-19.99", "2.50", "1.00"],  # one exponent: integer units
    ["19.99", "-3.00", "5", "-0.00", "1.5", "2.500", "-19.99", "7"],  # mixed: turns to Decimal
    ["19.99", "-3.00", "2.00", "1.5", "0.30", "-0.10", "2.50", "1.00"],  # an order's sum turns to Decimal
    ["5", "7", "-12", "0", "3", "1", "2", "4"],  # whole amounts (JPY)
    ["10", "-10", "2.25", "0", "1", "1.00", "3", "4"],  # an order summing to zero, then mixed
], ids=["cents", "mixed", "mixed-in-an-order", "whole", "zero-then-mixed"])
def test_sums_are_the_decimal_sums(amounts):
    rows = [
        order_row(amounts[0], order_id=A), order_row(amounts[1], "Commission", "ItemFees", order_id=A),
        order_row(amounts[2], order_id=B), order_row(amounts[3], order_id=B),
        row(transaction_type="other-transaction", amount_type="Subscription Fee", amount_description="Sub",
            amount=amounts[4]),
        order_row(amounts[5], order_id=C, transaction_type="Refund"),
        order_row(amounts[6], "Commission", "ItemFees", order_id=B),
        order_row(amounts[7], order_id="FBA15ABCD"),
    ]
    tally, parsed = _tally(rows)
    expected = _reference(parsed)
    assert list(tally.order_ids()) == [A, B, C]
    for order_id, sums in expected["per_order"].items():
        assert _as_text(tally.order_amounts(order_id)) == _as_text(sums)
        assert str(tally.order_total(order_id)) == str(sum(sums.values(), Decimal(0)))
    assert _as_text(tally.by_category) == _as_text(expected["by_category"])
    assert list(tally.by_category) == list(expected["by_category"])
    assert _as_text(tally.non_order) == _as_text(expected["non_order"])
    assert tally.order_rows(B) == (3, 5, ("Order",))
    assert tally.order_rows(C) == (1, 8, ("Refund",))
    assert tally.not_orders["FBA15ABCD"][:3] == [Decimal(amounts[7]), 1, 10]


def test_connector_fees_are_summed_per_order_fee_and_month():
    from syncproof.engine.settlement_connector import ConnectorTally
    from syncproof.settlement_categories import SettlementCategory, classify

    fees = (SettlementCategory.ORDER_FEE, SettlementCategory.REFUND_FEE)

    def connector_kind(transaction_type: str, amount_type: str, description: str) -> RowKind:
        found = classify(transaction_type, amount_type, description)
        return RowKind(found.category.value, "Sales", found.category.group in ("order", "refund"), found,
                       fee=found.category in fees, refund=found.category is SettlementCategory.REFUND)

    october, november = {"posted_date": "2024-10-30"}, {"posted_date": "2024-11-02"}
    rows = [
        order_row("19.99", order_id=A), order_row("-3.00", "Commission", "ItemFees", order_id=A, **october),
        order_row("-1.00", "Commission", "ItemFees", order_id=A, **october),
        order_row("-2.50", "Commission", "ItemFees", order_id=A, **november),
        order_row("-0.30", "FBAPerUnitFulfillmentFee", "ItemFees", order_id=B, **october),
        order_row("0.30", "FBAPerUnitFulfillmentFee", "ItemFees", order_id=B, **october),  # sums to zero
        order_row("-4.00", "Commission", "ItemFees", order_id=C, posted_date=""),
    ]
    data = ("\n".join(v2_lines(rows)) + "\n").encode()
    with open_settlement(data) as settlement:
        parsed = list(settlement.rows())
    tally = SettlementTally(connector_kind, connector=ConnectorTally(), end_month="2024-10")
    tally.add(parsed)
    expected: dict = {}
    for r in parsed:
        found = classify(r.transaction_type, r.amount_type, r.amount_description)
        if found.category in fees:
            key = (r.order_id, found.key, r.posted_date.strftime("%Y-%m") if r.posted_date else "2024-10")
            expected[key] = expected.get(key, Decimal(0)) + r.amount.amount
    expected = {k: v for k, v in expected.items() if v}
    assert len(expected) == 3  # A in October and November, C in the settlement's month
    assert _as_text(tally.fees([A, B, C])) == _as_text(expected)
    assert set(tally.fees([B])) == set()
    assert str(tally.order_total(A)) == "13.49"  # the fees counted once


def test_a_refund_row_added_as_a_decimal_is_grouped_as_written():
    from syncproof.engine.settlement_connector import ConnectorTally
    from syncproof.settlement_categories import SettlementCategory

    connector = ConnectorTally()
    refund = SettlementCategory.REFUND
    connector.add(refund, "refund.principal", True, "2024-10", Decimal("-12.30"), A, "adj-1", "SKU-1", 2)
    connector.add(refund, "refund.tax", True, "2024-10", Decimal("-1.000"), A, "adj-1", "SKU-1", None)
    connector.add_refund(A, "adj-1", "2024-10", "refund.principal", -5, 0, "SKU-1", None)
    group = connector.refunds[(A, "adj-1")]
    assert {k: str(v) for k, v in group.amounts.items()} == {"refund.principal": "-17.30", "refund.tax": "-1.000"}
    assert [group.lines["SKU-1"][0], str(group.lines["SKU-1"][1]), str(group.lines["SKU-1"][2])] == \
        [3, "17.30", "1.000"]


def test_the_orders_flagged_are_a_set_of_their_ids():
    numbers = {A: 0, B: 1, C: 2}
    flagged = FlaggedOrders(numbers, list(numbers), b"\x01\x00\x01")
    assert len(flagged) == 2 and list(flagged) == [A, C] and flagged == {A, C}
    assert A in flagged and B not in flagged and "115-1234567-1234567" not in flagged and 5 not in flagged
    assert flagged & {B, C, "x"} == {C} and {A, "x"} & flagged == {A} and sorted(flagged | {B}) == [A, B, C]
    with pytest.raises(ValueError, match="a flag is needed"):
        FlaggedOrders(numbers, list(numbers), b"\x01")


def test_refund_rows_given_by_column_need_a_value_of_each_column_for_each_row():
    connector = ConnectorTally()
    with pytest.raises(ValueError, match="one value of each column per row"):
        connector.add_refunds([A, B], ["adj-1", "adj-2"], ["2024-10"], ["refund.principal"] * 2, [-5, -7], [0, 0],
                              ["SKU-1", "SKU-2"], [None, None])
    assert connector.refunds == {}  # nothing kept of the refused rows
    connector.add_refunds([A, A], ["adj-1", "adj-1"], ["2024-10"] * 2, ["refund.principal", "refund.tax"], [-500, -41],
                          [-2, -2], ["SKU-1", "SKU-1"], [2, None])
    group = connector.refunds[(A, "adj-1")]
    assert dict(group.amounts) == {"refund.principal": Decimal("-5.00"), "refund.tax": Decimal("-0.41")}
    assert group.lines == {"SKU-1": [2, Decimal("5.00"), Decimal("0.41")]}
