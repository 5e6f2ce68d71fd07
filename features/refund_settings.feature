@refunds @settings
Feature: Refund settings can be read and changed
  The refund settings decide which NetSuite records a refund becomes. They can be
  shown and changed; a change governs the next sync only, earlier refunds stay as
  they were; a setting NetSuite cannot honour is refused with a clear message.

  Background:
    Given NetSuite has the items:
      | sku               | name              | price | type          |
      | SP-MUG-01         | Stoneware mug     | 14.50 | non-inventory |
      | SP-TEE-02         | Organic tee       | 22.00 | non-inventory |
      | Shipping          | Shipping          | 0.00  | other charge  |
      | Refund Adjustment | Refund Adjustment | 0.00  | other charge  |
      | Refund Fee        | Refund Fee        | 0.00  | other charge  |

  @RS-SET-1 @shopify
  Scenario: The refund settings are shown
    When the refund settings are shown
    Then they show for shopify:
      | key                  | value       |
      | direction            | to_netsuite |
      | cash_sale_refund     | cash_refund |
      | invoice_refund       | credit_memo |
      | return_authorization | false       |
      | customer_refund      | false       |

  @RS-SET-1 @RS-MN-2 @KC-2 @engine @shopify
  Scenario Outline: Changing <key> to <value> governs the next refund only
    Given shopify refunds sync to NetSuite
    And a shopify order billed as an invoice with:
      | sku       | quantity | price | tax  | discount |
      | SP-MUG-01 | 1        | 14.50 | 1.16 | 0.00     |
      | SP-TEE-02 | 1        | 22.00 | 1.76 | 0.00     |
    And the order is synced to NetSuite
    And 1 of SP-MUG-01 is refunded in shopify
    And the refund is synced
    When the shopify refund setting "<key>" is changed to "<value>"
    And 1 of SP-TEE-02 is refunded in shopify
    And the refund is synced
    Then the first refund is still a credit memo alone
    And the second refund is <records>

    Examples:
      | key                  | value | records                                    |
      | return_authorization | true  | a return authorization, then a credit memo |
      | customer_refund      | true  | a credit memo, then a customer refund      |

  @RS-SET-1 @shopify
  Scenario Outline: An invalid setting is refused with its reason
    When the shopify refund setting "<key>" is changed to "<value>"
    Then the change is refused with "<message>"
    And the shopify refund settings are unchanged

    Examples:
      | key                      | value        | message                                                                    |
      | cash_sale_refund         | credit_memo  | NetSuite refunds a cash sale with a cash refund                            |
      | invoice_refund           | cash_refund  | NetSuite refunds an invoice with a credit memo                             |
      | positive_adjustment_item | No Such Item | no NetSuite item has itemId 'No Such Item'                                 |
      | negative_adjustment_item | SP-MUG-01    | NetSuite item 'SP-MUG-01' is of type NonInvtPart, not an Other Charge item |
      | restock                  | sometimes    | choose one of: return, cancel, no_restock                                  |

  @RS-SET-1 @amazon
  Scenario: Amazon refunds cannot be set to start in NetSuite
    When the amazon refund setting "direction" is changed to "from_netsuite"
    Then the change is refused with "Amazon refunds are issued in Seller Central"
    And the amazon refund settings are unchanged

  @RS-SET-1 @ebay
  Scenario: eBay refunds cannot be set to start in NetSuite
    When the ebay refund setting "direction" is changed to "from_netsuite"
    Then the change is refused with "eBay refunds are made on eBay"
    And the ebay refund settings are unchanged

  @RS-SET-1 @RS-NM-2 @RS-MN-1 @engine
  Scenario Outline: The refund direction is changed to from NetSuite after refunds synced to NetSuite
    Given <channel> refunds sync to NetSuite
    And a <channel> order billed as a cash sale with:
      | sku       | quantity | price | tax  | discount |
      | SP-MUG-01 | 2        | 14.50 | 2.32 | 0.00     |
    And the order is synced to NetSuite
    And 1 of SP-MUG-01 is refunded in <channel>
    And the refund is synced
    When the <channel> refund setting "direction" is changed to "from_netsuite"
    And the connector syncs again
    Then <channel> has only the refund made in <channel>
    And NetSuite has exactly one refund for it

    @shopify
    Examples: Shopify
      | channel |
      | shopify |

    @woocommerce
    Examples: WooCommerce
      | channel     |
      | woocommerce |

  @RS-SET-1 @RS-MN-1 @RS-NM-3 @engine
  Scenario Outline: The refund direction is changed to NetSuite after refunds synced from NetSuite
    Given <channel> refunds sync from NetSuite
    And a <channel> order billed as a cash sale with:
      | sku       | quantity | price | tax  | discount |
      | SP-MUG-01 | 2        | 14.50 | 2.32 | 0.00     |
    And the order is synced to NetSuite
    When the order is refunded in NetSuite as a cash refund for:
      | sku       | quantity |
      | SP-MUG-01 | 1        |
    And the refund is synced
    And the <channel> refund setting "direction" is changed to "to_netsuite"
    And the connector syncs again
    Then NetSuite has only the refund made in NetSuite
    And the <channel> refund matches the NetSuite refund to the cent

    @shopify
    Examples: Shopify
      | channel |
      | shopify |

    @woocommerce
    Examples: WooCommerce
      | channel     |
      | woocommerce |
