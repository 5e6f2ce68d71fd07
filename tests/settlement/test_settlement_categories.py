"""The row-to-line table: each rule's statement line, posting category and key.

Lines follow Seller Central's Statement View help page ("Payments Summary: Statement
View", G200913190): beginning balance (previous reserve), sales (product charges,
shipping, tax, promo rebates, other), refunds (refunded sales, refunded expenses),
expenses (Amazon fees, FBA fees, cost of advertising, other), account-level reserves.
"""

import pytest

from syncproof.settlement_categories import MAPPING, classify
from syncproof.settlement_categories import SettlementCategory as C
from syncproof.settlement_categories import StatementLine as L


@pytest.mark.parametrize("tt, at, desc, line, category, key", [
    ("Order", "ItemPrice", "Principal", L.PRODUCT_CHARGES, C.ORDER_ITEM, "order_item.principal"),
    ("Order", "ItemPrice", "Tax", L.TAX_COLLECTED, C.ORDER_ITEM, "order_item.tax"),
    ("Order", "ItemPrice", "Shipping", L.SHIPPING_CREDITS, C.ORDER_ITEM, "order_item.shipping"),
    ("Order", "ItemPrice", "ShippingTax", L.TAX_COLLECTED, C.ORDER_ITEM, "order_item.shipping_tax"),
    ("Order", "ItemPrice", "GiftWrap", L.GIFT_WRAP_CREDITS, C.ORDER_ITEM, "order_item.gift_wrap"),
    ("Order", "ItemPrice", "GiftWrapTax", L.TAX_COLLECTED, C.ORDER_ITEM, "order_item.gift_wrap_tax"),
    ("Order", "Promotion", "Shipping", L.PROMOTIONAL_REBATES, C.ORDER_ITEM, "order_item.promotion_shipping"),
    ("Order", "Promotion", "TaxDiscount", L.PROMOTIONAL_REBATES, C.ORDER_ITEM,
     "order_item.promotion_tax_discount"),
    ("Refund", "Promotion", "TaxDiscount", L.REFUNDED_EXPENSES, C.REFUND, "refund.promotion_tax_discount"),
    ("Order", "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", L.MARKETPLACE_FACILITATOR_TAX,
     C.ORDER_FEE, "order_fee.withheld_tax.principal"),
    ("Refund", "ItemWithheldTax", "MarketplaceFacilitatorTax-Shipping", L.MARKETPLACE_FACILITATOR_TAX,
     C.REFUND_FEE, "refund_fee.withheld_tax.shipping"),
    ("Order", "ItemFees", "Commission", L.AMAZON_FEES, C.ORDER_FEE, "order_fee.commission"),
    ("Order", "ItemFees", "FBAPerUnitFulfillmentFee", L.AMAZON_FEES, C.ORDER_FEE,
     "order_fee.fba_per_unit_fulfillment_fee"),
    ("Order", "ShipmentFees", "FBA transportation fee", L.AMAZON_FEES, C.ORDER_FEE,
     "order_fee.fba_transportation_fee"),
    ("Refund", "ItemPrice", "Principal", L.REFUNDED_SALES, C.REFUND, "refund.principal"),
    ("Refund", "ItemPrice", "Tax", L.REFUNDED_SALES, C.REFUND, "refund.tax"),
    ("Refund", "ItemPrice", "RestockingFee", L.REFUNDED_SALES, C.REFUND, "refund.restocking_fee"),
    ("Refund", "Promotion", "Principal", L.REFUNDED_EXPENSES, C.REFUND, "refund.promotion_principal"),
    ("Refund", "ItemFees", "Commission", L.REFUNDED_EXPENSES, C.REFUND_FEE, "refund_fee.commission"),
    ("Refund", "ItemFees", "RefundCommission", L.AMAZON_FEES, C.REFUND_FEE, "refund_fee.refund_commission"),
    ("A-to-z Guarantee Refund", "ItemPrice", "Principal", L.REFUNDED_SALES, C.REFUND, "refund.principal"),
    ("Chargeback Refund", "ItemPrice", "Shipping", L.REFUNDED_SALES, C.REFUND, "refund.shipping"),
    ("other-transaction", "other-transaction", "Previous Reserve Amount Balance", L.BEGINNING_BALANCE,
     C.RESERVE, "reserve.previous"),
    ("other-transaction", "other-transaction", "Current Reserve Amount", L.ACCOUNT_LEVEL_RESERVE, C.RESERVE,
     "reserve.current"),
    ("other-transaction", "other-transaction", "Storage Fee", L.STORAGE, C.STORAGE, "storage"),
    ("Storage Fee", "other-transaction", "Storage Fee", L.STORAGE, C.STORAGE, "storage"),  # legacy other-amount
    ("other-transaction", "other-transaction", "Subscription Fee", L.SUBSCRIPTION, C.SUBSCRIPTION, "subscription"),
    ("ServiceFee", "Cost of Advertising", "TransactionTotalAmount", L.ADVERTISING, C.ADVERTISING, "advertising"),
    ("ServiceFee", "Cost of Advertising", "TaxAmount", L.ADVERTISING, C.ADVERTISING, "advertising.tax"),
    ("ServiceFee", "other-transaction", "TaxAmount", L.AMAZON_FEES, C.OTHER, "service_fee.tax"),
    ("other-transaction", "FBA Inventory Reimbursement", "WAREHOUSE_DAMAGE", L.REIMBURSEMENTS, C.REIMBURSEMENT,
     "reimbursement.warehouse_damage"),
    ("other-transaction", "FBA Inventory Reimbursement", "WAREHOUSE_LOST", L.REIMBURSEMENTS, C.REIMBURSEMENT,
     "reimbursement.warehouse_lost"),
    ("other-transaction", "FBA Inventory Reimbursement", "REVERSAL_REIMBURSEMENT", L.REIMBURSEMENTS,
     C.REIMBURSEMENT, "reimbursement.reversal"),
    ("other-transaction", "other-transaction", "WAREHOUSE_DAMAGE", L.REIMBURSEMENTS, C.REIMBURSEMENT,
     "reimbursement.warehouse_damage"),
    ("other-transaction", "other-transaction", "RemovalComplete", L.FBA_FEES, C.REMOVAL, "removal"),
    ("other-transaction", "other-transaction", "FBA Inbound Placement Service Fee", L.FBA_FEES, C.OTHER,
     "fba.inbound_placement"),
    ("FBAFees", "other-transaction", "FBA Inbound Placement Service Fee", L.FBA_FEES, C.OTHER,
     "fba.inbound_placement"),
    ("Liquidations", "other-transaction", "Liquidations", L.LIQUIDATION_PROCEEDS, C.LIQUIDATION,
     "liquidation.proceeds"),
    ("Liquidations", "other-transaction", "LiquidationsBrokerageFee", L.LIQUIDATION_FEES, C.LIQUIDATION,
     "liquidation.brokerage_fee"),
    ("other-transaction", "other-transaction", "Shipping label purchase", L.EXPENSES_OTHER, C.OTHER,
     "other.shipping_label"),
    ("Transfer", "other-transaction", "Payable to Amazon", L.TRANSFERS, C.OTHER, "transfer.payable_to_amazon"),
])
def test_known_amounts(tt, at, desc, line, category, key):
    found = classify(tt, at, desc)
    assert (found.line, found.category, found.key) == (line, category, key)
    assert found.known


def test_case_and_spaces_do_not_matter():
    assert classify(" order ", "itemprice", "PRINCIPAL ").key == "order_item.principal"


def test_unknown_is_its_own_line_keeping_its_text():
    found = classify("FBAFees", "other-transaction", "Brand New Fee")
    assert found.line is L.FBA_FEES  # the FBAFees transaction type names the line
    found = classify("NewThing", "other-transaction", "Brand New Fee")
    assert found.line is L.UNKNOWN and not found.known and found.category is C.OTHER
    assert found.key == "other:NewThing|other-transaction|Brand New Fee"


def test_unknown_order_fee_is_not_guessed():
    found = classify("Order", "ItemFees", "MysteryFee")
    assert found.line is L.UNKNOWN and "MysteryFee" in found.key


def test_every_order_and_refund_rule_keeps_order_and_refund_apart():
    for rule in MAPPING:
        if rule.transactions == "order":
            assert rule.category.group == "order" and not rule.line.value.startswith("refunds.")
        if rule.transactions == "refund":
            assert rule.category.group == "refund"
            assert rule.line.section in ("refunds", "expenses", "sales"), rule


def test_groups():
    assert C.ORDER_FEE.group == "order" and C.REFUND_FEE.group == "refund" and C.RESERVE.group == "non_order"
