from datetime import date
from decimal import Decimal

import pytest

from connectors.settlement_file import SettlementFileError, balance, open_settlement

from ._build import legacy_bytes, row

ORDER = dict(transaction_type="Order", order_id="112-1234567-1234567", marketplace_name="Amazon.com",
             fulfillment_id="AFN", posted_date="2012-10-09", sku="SKU-1", quantity_purchased="2")


def legacy_rows(promotions: bool) -> list[dict]:
    rows = [row(price_type="Principal", price_amount="20.00", **ORDER),
            row(price_type="Tax", price_amount="1.60", **ORDER),
            row(item_related_fee_type="Commission", item_related_fee_amount="-3.00", **ORDER),
            row(transaction_type="Storage Fee", other_amount="-4.10", posted_date="2012-10-12T00:00:00+00:00"),
            row(transaction_type="other-transaction", other_fee_amount="-1.50",
                other_fee_reason_description="Subscription Fee", posted_date="2012-10-12")]
    if promotions:
        rows.append(row(promotion_id="PROMO-1", promotion_type="Shipping", promotion_amount="-0.60", **ORDER))
    return rows


@pytest.mark.parametrize("promotions, total", [(True, "12.40"), (False, "13.00")])
def test_legacy_rows_normalised(promotions, total):
    settlement = open_settlement(legacy_bytes(legacy_rows(promotions), total, promotions=promotions))
    assert settlement.format == "legacy"
    rows = list(settlement.rows())
    got = [(r.amount_type, r.amount_description, str(r.amount.amount)) for r in rows]
    expected = [("ItemPrice", "Principal", "20.00"), ("ItemPrice", "Tax", "1.60"),
                ("ItemFees", "Commission", "-3.00"), ("other-transaction", "Storage Fee", "-4.10"),
                ("other-transaction", "Subscription Fee", "-1.50")]
    if promotions:
        expected.append(("Promotion", "Shipping", "-0.60"))
        assert rows[-1].promotion_id == "PROMO-1"
    assert got == expected
    assert rows[0].quantity == 2 and rows[0].posted_date == date(2012, 10, 9) and rows[0].posted_at is None
    assert rows[3].posted_at is not None
    assert rows[0].source_column == "price-amount"
    assert balance(settlement).balanced


def test_one_legacy_line_with_several_amounts():
    data = legacy_bytes([row(price_type="Principal", price_amount="10.00", item_related_fee_type="Commission",
                             item_related_fee_amount="-1.50", **ORDER)], "8.50")
    rows = list(open_settlement(data).rows())
    assert [r.line_number for r in rows] == [3, 3]
    assert sum(r.amount.amount for r in rows) == Decimal("8.50")


def test_legacy_bad_amount_names_its_column():
    with pytest.raises(SettlementFileError) as info:
        list(open_settlement(legacy_bytes([row(misc_fee_amount="abc", **ORDER)], "0")).rows())
    assert (info.value.line, info.value.column, info.value.value) == (3, "misc-fee-amount", "abc")


def test_legacy_row_with_v2_width_is_an_error():
    data = legacy_bytes([row(price_type="Principal", price_amount="1.00", **ORDER)], "1.00")
    lines = data.split(b"\n")
    lines[2] = b"\t".join(lines[2].split(b"\t")[:24])
    with pytest.raises(SettlementFileError) as info:
        list(open_settlement(b"\n".join(lines)).rows())
    assert info.value.line == 3 and "24 columns" in str(info.value)
