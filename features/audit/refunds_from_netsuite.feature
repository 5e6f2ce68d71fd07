@audit @refunds @from_netsuite
Feature: Audit: every NetSuite refund in the window on a synced order is in the cart
  For channels whose refunds start in NetSuite ([<channel>.refunds] direction = "from_netsuite"):
  each refund record dated in the window and created from a connector-synced order of the cart
  (its sales order names the cart in the connector's channel field) appears in the cart in the
  record's currency, with the same lines, shipping, tax and total. An empty mismatch table is a pass.

  @RS-NM-1 @RS-NM-2 @RS-NM-3 @KC-1
  Scenario Outline: NetSuite refunds in the window are in <channel> with the same amounts
    When the audit of NetSuite refunds to <channel> runs over the window
    Then the audit finds no RS-NM-1 mismatches
    And the audit finds no RS-NM-2 mismatches
    And the audit finds no RS-NM-3 mismatches
    And the audit sent no write to any system

    @shopify
    Examples: Shopify
      | channel |
      | shopify |

    @woocommerce
    Examples: WooCommerce
      | channel     |
      | woocommerce |
