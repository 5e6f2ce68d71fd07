import pytest

from syncproof.settlement_categories import SettlementCategory as C
from syncproof.settlement_categories import classify


@pytest.mark.parametrize("tt, at, desc, category, key", [
    ("Order", "ItemPrice", "Principal", C.ORDER_ITEM, "order_item.principal"),
    ("Order", "ItemPrice", "Tax", C.ORDER_ITEM, "order_item.tax"),
    ("Order", "ItemPrice", "Shipping", C.ORDER_ITEM, "order_item.shipping"),
    ("Order", "ItemPrice", "ShippingTax", C.ORDER_ITEM, "order_item.shipping_tax"),
    ("Order", "ItemPrice", "GiftWrap", C.ORDER_ITEM, "order_item.gift_wrap"),
    ("Order", "Promotion", "Shipping", C.ORDER_ITEM, "order_item.promotion_shipping"),
    ("Order", "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", C.ORDER_ITEM,
     "order_item.withheld_tax.principal"),
    ("Order", "ItemFees", "Commission", C.ORDER_FEE, "order_fee.commission"),
    ("Order", "ItemFees", "FBAPerUnitFulfillmentFee", C.ORDER_FEE, "order_fee.fba_per_unit_fulfillment_fee"),
    ("Refund", "ItemPrice", "Principal", C.REFUND, "refund.principal"),
    ("Refund", "ItemPrice", "Tax", C.REFUND, "refund.tax"),
    ("Refund", "Promotion", "Principal", C.REFUND, "refund.promotion_principal"),
    ("Refund", "ItemFees", "RefundCommission", C.REFUND_FEE, "refund_fee.refund_commission"),
    ("Refund", "ItemFees", "Commission", C.REFUND_FEE, "refund_fee.commission"),
    ("A-to-z Guarantee Refund", "ItemPrice", "Principal", C.REFUND, "refund.principal"),
    ("Chargeback Refund", "ItemPrice", "Shipping", C.REFUND, "refund.shipping"),
    ("other-transaction", "other-transaction", "Current Reserve Amount", C.RESERVE, "reserve.current"),
    ("other-transaction", "other-transaction", "Previous Reserve Amount Balance", C.RESERVE, "reserve.previous"),
    ("other-transaction", "other-transaction", "Storage Fee", C.STORAGE, "storage"),
    ("other-transaction", "other-transaction", "Subscription Fee", C.SUBSCRIPTION, "subscription"),
    ("ServiceFee", "Cost of Advertising", "TransactionTotalAmount", C.ADVERTISING, "advertising"),
    ("other-transaction", "FBA Inventory Reimbursement", "WAREHOUSE_DAMAGE", C.REIMBURSEMENT,
     "reimbursement.fba_inventory"),
    ("other-transaction", "other-transaction", "RemovalComplete", C.REMOVAL, "removal"),
    ("Liquidations", "other-transaction", "Liquidations", C.LIQUIDATION, "liquidation"),
])
def test_known_amounts(tt, at, desc, category, key):
    found = classify(tt, at, desc)
    assert (found.category, found.key) == (category, key)


def test_case_and_spaces_do_not_matter():
    assert classify(" order ", "itemprice", "PRINCIPAL ").key == "order_item.principal"


def test_unknown_goes_to_other_keeping_its_text():
    found = classify("FBAFees", "other-transaction", "Brand New Fee")
    assert found.category is C.OTHER
    assert found.key == "other:FBAFees|other-transaction|Brand New Fee"


def test_unknown_order_fee_is_not_guessed():
    found = classify("Order", "ItemFees", "MysteryFee")
    assert found.category is C.OTHER and "MysteryFee" in found.key


def test_groups():
    assert C.ORDER_FEE.group == "order" and C.REFUND_FEE.group == "refund" and C.RESERVE.group == "non_order"
