@audit @refunds @to_netsuite
Feature: Audit: every marketplace and cart refund in the window is in NetSuite
  A read-only reconciliation over a window (--since, --until; default the last 30 days).
  Each refund made in Shopify, WooCommerce, Amazon or eBay has exactly one NetSuite refund record
  of the type the refund settings call for, created from the order's sales order (found by the
  order id the connector writes on it, and the channel it names), in the refund's currency, with the
  same SKUs, quantities, amounts, shipping, tax and total. The result is a table of mismatches; an
  empty table is a pass.

  @RS-MN-1 @RS-MN-2 @RS-MN-3 @KC-1 @KC-2
  Scenario Outline: <channel> refunds in the window are posted to NetSuite as the settings call for
    When the audit of <channel> refunds to NetSuite runs over the window
    Then the audit finds no RS-MN-1 mismatches
    And the audit finds no RS-MN-2 mismatches
    And the audit finds no RS-MN-3 mismatches
    And the audit sent no write to any system

    @shopify
    Examples: Shopify
      | channel |
      | shopify |

    @woocommerce
    Examples: WooCommerce
      | channel     |
      | woocommerce |

    @amazon
    Examples: Amazon
      | channel |
      | amazon  |

    # read from eBay's money movements (Finances REFUND transactions), so a refund the connector
    # cannot retrieve (issued without the buyer's request) is a mismatch too
    @ebay
    Examples: eBay
      | channel |
      | ebay    |
