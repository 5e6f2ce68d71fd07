"""GraphQL documents the Shopify connector sends (Admin API names, 2026-10).

Page sizes keep each query's requested cost well under Shopify's single-query
limit of 1,000 points: an order listing page of 5 orders with up to 20 lines each (an order with more
lines is fetched again on its own, with up to 100).
"""

from __future__ import annotations

__all__ = [
    "MONEY", "ORDER_FIELDS", "REFUND_FIELDS", "SHOP", "ORDER", "ORDERS", "REFUND_IDS", "REFUND",
    "SUGGESTED_REFUND", "REFUND_CREATE", "REFUND_CREATE_IDEMPOTENT", "ORDER_CREATE", "ORDER_PAGE_SIZE",
    "LINE_PAGE_SIZE", "ORDER_CHANGES", "ORDER_CHANGES_PAGE_SIZE",
]

ORDER_PAGE_SIZE = 5
LINE_PAGE_SIZE = 20

#: amounts are read in the order's presentment currency: the money the customer paid and is refunded
#: (``RefundInput.currency`` "must be the presentment currency"), which is what NetSuite is posted in
MONEY = "presentmentMoney { amount currencyCode }"

ORDER_FIELDS = f"""
fragment OrderFields on Order {{
  id legacyResourceId name email createdAt updatedAt currencyCode presentmentCurrencyCode displayFinancialStatus
  totalPriceSet {{ {MONEY} }}
  shippingLine {{ title originalPriceSet {{ {MONEY} }} taxLines {{ priceSet {{ {MONEY} }} }} }}
  lineItems(first: $lineCount) {{
    pageInfo {{ hasNextPage }}
    nodes {{
      id sku title quantity
      originalUnitPriceSet {{ {MONEY} }}
      totalDiscountSet {{ {MONEY} }}
      taxLines {{ priceSet {{ {MONEY} }} }}
    }}
  }}
}}
"""

REFUND_FIELDS = f"""
fragment RefundFields on Refund {{
  id legacyResourceId note createdAt
  order {{ id legacyResourceId }}
  totalRefundedSet {{ {MONEY} }}
  refundLineItems(first: 60) {{
    nodes {{
      quantity restockType
      lineItem {{ id sku }}
      subtotalSet {{ {MONEY} }}
      totalTaxSet {{ {MONEY} }}
    }}
  }}
  refundShippingLines(first: 5) {{
    nodes {{ subtotalAmountSet {{ {MONEY} }} taxAmountSet {{ {MONEY} }} }}
  }}
  transactions(first: 10) {{
    nodes {{ id kind status gateway amountSet {{ {MONEY} }} parentTransaction {{ id }} }}
  }}
}}
"""

SHOP = "query Shop { shop { name currencyCode myshopifyDomain } }"

ORDER = ORDER_FIELDS + """
query Order($id: ID!, $lineCount: Int!) { order(id: $id) { ...OrderFields } }
"""

ORDERS = ORDER_FIELDS + """
query Orders($first: Int!, $after: String, $query: String, $lineCount: Int!) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { ...OrderFields }
  }
}
"""

#: what changed since a time, and nothing else: a listing page of 50 costs about 52 points requested, the
#: full listing (ORDERS) 857 for 5
ORDER_CHANGES_PAGE_SIZE = 50
ORDER_CHANGES = """
query OrderChanges($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { id updatedAt }
  }
}
"""

REFUND_IDS = """
query RefundIds($id: ID!) { order(id: $id) { id refunds(first: 50) { id note } } }
"""

REFUND = REFUND_FIELDS + """
query Refund($id: ID!) { refund(id: $id) { ...RefundFields } }
"""

SUGGESTED_REFUND = f"""
query SuggestedRefund($id: ID!, $lines: [RefundLineItemInput!], $refundShipping: Boolean,
                      $shippingAmount: Money, $lineCount: Int!) {{
  order(id: $id) {{
    id currencyCode presentmentCurrencyCode
    lineItems(first: $lineCount) {{ nodes {{ id refundableQuantity unfulfilledQuantity }} }}
    suggestedRefund(refundLineItems: $lines, refundShipping: $refundShipping, shippingAmount: $shippingAmount) {{
      amountSet {{ {MONEY} }}
      subtotalSet {{ {MONEY} }}
      discountedSubtotalSet {{ {MONEY} }}
      totalTaxSet {{ {MONEY} }}
      maximumRefundableSet {{ {MONEY} }}
      shipping {{ amountSet {{ {MONEY} }} taxSet {{ {MONEY} }} maximumRefundableSet {{ {MONEY} }} }}
      refundLineItems {{ quantity lineItem {{ id sku }} subtotalSet {{ {MONEY} }} totalTaxSet {{ {MONEY} }} }}
      suggestedTransactions {{ gateway amountSet {{ {MONEY} }} parentTransaction {{ id }} }}
    }}
  }}
}}
"""

REFUND_CREATE = REFUND_FIELDS + """
mutation RefundCreate($input: RefundInput!) {
  refundCreate(input: $input) {
    refund { ...RefundFields }
    userErrors { field message }
  }
}
"""

#: refundCreate with Shopify's idempotency directive (Admin API 2026-01 and later)
REFUND_CREATE_IDEMPOTENT = REFUND_FIELDS + """
mutation RefundCreate($input: RefundInput!, $idempotencyKey: String!) {
  refundCreate(input: $input) @idempotent(key: $idempotencyKey) {
    refund { ...RefundFields }
    userErrors { field message }
  }
}
"""

ORDER_CREATE = ORDER_FIELDS + """
mutation OrderCreate($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput, $lineCount: Int!) {
  orderCreate(order: $order, options: $options) {
    order { ...OrderFields }
    userErrors { field message code }
  }
}
"""
