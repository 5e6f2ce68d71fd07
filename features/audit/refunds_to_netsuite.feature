@audit @refunds @to_netsuite
Feature: Audit: every marketplace and cart refund in the window is in NetSuite
  A read-only reconciliation over a window (--since, --until; default the last 30 days).
  Each refund made in Shopify, Amazon or eBay has exactly one NetSuite refund record of the type
  the refund settings call for, created from the order's sales order (found by the order id
  the connector writes on it), with the same SKUs, quantities, amounts, shipping, tax and
  total. The result is a table of mismatches; an empty table is a pass.

  @shopify @RS-MN-1 @RS-MN-2 @RS-MN-3 @KC-1 @KC-2
  Scenario: Shopify refunds in the window are posted to NetSuite as the settings call for
    When the audit of shopify refunds to NetSuite runs over the window
    Then the audit finds no RS-MN-1 mismatches
    And the audit finds no RS-MN-2 mismatches
    And the audit finds no RS-MN-3 mismatches
    And the audit sent no write to any system

  @amazon @RS-MN-1 @RS-MN-2 @RS-MN-3 @KC-1 @KC-2
  Scenario: Amazon refunds in the window are posted to NetSuite as the settings call for
    When the audit of amazon refunds to NetSuite runs over the window
    Then the audit finds no RS-MN-1 mismatches
    And the audit finds no RS-MN-2 mismatches
    And the audit finds no RS-MN-3 mismatches
    And the audit sent no write to any system

  @ebay @RS-MN-1 @RS-MN-2 @RS-MN-3 @KC-1 @KC-2
  Scenario: eBay refunds in the window are posted to NetSuite as the settings call for
    # read from eBay's money movements (Finances REFUND transactions), so a refund the connector
    # cannot retrieve (issued without the buyer's request) is a mismatch too
    When the audit of ebay refunds to NetSuite runs over the window
    Then the audit finds no RS-MN-1 mismatches
    And the audit finds no RS-MN-2 mismatches
    And the audit finds no RS-MN-3 mismatches
    And the audit sent no write to any system
