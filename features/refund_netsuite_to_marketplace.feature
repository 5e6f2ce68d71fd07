@refunds @from_netsuite
Feature: Refunds made in NetSuite are synced to the cart
  For channels whose refunds start in NetSuite, a refund created in NetSuite from an
  order's billing record must be linked to that order, update the order in the
  connector, and post the same refund in the cart: lines, quantities, shipping, tax
  and total, to the cent.

  Background:
    Given NetSuite has the items:
      | sku               | name              | price | type          |
      | SP-MUG-01         | Stoneware mug     | 14.50 | non-inventory |
      | SP-TEE-02         | Organic tee       | 22.00 | non-inventory |
      | SP-CAP-03         | Canvas cap        | 18.00 | non-inventory |
      | Shipping          | Shipping          | 0.00  | other charge  |
      | Refund Adjustment | Refund Adjustment | 0.00  | other charge  |
      | Refund Fee        | Refund Fee        | 0.00  | other charge  |

  @RS-NM-1 @RS-NM-2 @RS-NM-3 @KC-1 @KC-3
  Scenario Outline: A NetSuite <refund> of an order billed as <billing> reaches <channel>
    Given <channel> refunds sync from NetSuite
    And a <channel> order billed as <billing> with:
      | sku       | quantity | price | tax  | discount |
      | SP-MUG-01 | 2        | 14.50 | 2.32 | 0.00     |
      | SP-TEE-02 | 1        | 22.00 | 1.76 | 0.00     |
    And the order is synced to NetSuite
    When the order is refunded in NetSuite as a <refund> for:
      | sku       | quantity |
      | SP-MUG-01 | 1        |
      | SP-TEE-02 | 1        |
    And the refund is synced
    Then the NetSuite refund leads back to the order
    And the connector's record of the order shows the refund synced
    And the <channel> refund matches the NetSuite refund to the cent

    @shopify
    Examples: Shopify
      | channel | billing     | refund        |
      | shopify | a cash sale | cash refund   |
      | shopify | an invoice  | credit memo   |

    @woocommerce
    Examples: WooCommerce
      | channel     | billing     | refund      |
      | woocommerce | a cash sale | cash refund |
      | woocommerce | an invoice  | credit memo |

  @RS-NM-3
  Scenario Outline: A NetSuite refund with shipping reaches <channel>
    Given <channel> refunds sync from NetSuite
    And a <channel> order billed as a cash sale with:
      | sku       | quantity | price | tax  | discount |
      | SP-CAP-03 | 1        | 18.00 | 1.44 | 0.00     |
    And the order ships for 5.00 with 0.40 tax
    And the order is synced to NetSuite
    When the order is refunded in NetSuite as a cash refund for:
      | sku       | quantity |
      | SP-CAP-03 | 1        |
      | shipping  | 1        |
    And the refund is synced
    Then the <channel> refund matches the NetSuite refund to the cent

    @shopify
    Examples: Shopify
      | channel |
      | shopify |

    @woocommerce
    Examples: WooCommerce
      | channel     |
      | woocommerce |

  @RS-NM-3
  Scenario Outline: Part of a multi-quantity line refunded in NetSuite reaches <channel>
    Given <channel> refunds sync from NetSuite
    And a <channel> order billed as an invoice with:
      | sku       | quantity | price | tax  | discount |
      | SP-TEE-02 | 3        | 22.00 | 5.28 | 0.00     |
      | SP-MUG-01 | 1        | 14.50 | 1.16 | 0.00     |
    And the order is synced to NetSuite
    When the order is refunded in NetSuite as a credit memo for:
      | sku       | quantity |
      | SP-TEE-02 | 2        |
    And the refund is synced
    Then the <channel> refund matches the NetSuite refund to the cent

    @shopify
    Examples: Shopify
      | channel |
      | shopify |

    @woocommerce
    Examples: WooCommerce
      | channel     |
      | woocommerce |

  @RS-NM-2 @KC-2 @engine
  Scenario Outline: A refund made in <channel> is not echoed back
    Given <channel> refunds sync from NetSuite
    And a <channel> order billed as a cash sale with:
      | sku       | quantity | price | tax  | discount |
      | SP-MUG-01 | 1        | 14.50 | 1.16 | 0.00     |
    And the order is synced to NetSuite
    When the whole order is refunded in <channel>, shipping included
    And the refund is synced
    Then NetSuite has no refund for it
    And the connector records no refund for the order

    @shopify
    Examples: Shopify
      | channel |
      | shopify |

    @woocommerce
    Examples: WooCommerce
      | channel     |
      | woocommerce |

  @RS-NM-1 @RS-NM-2 @KC-1 @engine
  Scenario Outline: A NetSuite refund of an order syncproof never synced is reported, not pushed to <channel>
    Given <channel> refunds sync from NetSuite
    And a sales order for channel order "<order>" with:
      | sku       | quantity | price |
      | SP-MUG-01 | 1        | 14.50 |
    When the sales order is billed as a cash sale
    And it is refunded in NetSuite as a cash refund
    And the refund is synced
    Then the NetSuite refund is reported as not created from a synced order

    @shopify
    Examples: Shopify
      | channel | order |
      | shopify | #9001 |

    @woocommerce
    Examples: WooCommerce
      | channel     | order |
      | woocommerce | 9901  |
