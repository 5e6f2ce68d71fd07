@refunds @to_netsuite
Feature: Refunds made in the marketplace or cart are posted to NetSuite
  A refund processed in the marketplace or cart updates the order in the connector and
  posts a refund to NetSuite. The NetSuite record is the type the refund settings call
  for, made from the order's billing record, with the amounts, quantities and SKUs of
  the marketplace refund, to the cent.

  Background:
    Given NetSuite has the items:
      | sku               | name              | price | type          |
      | SP-MUG-01         | Stoneware mug     | 14.50 | non-inventory |
      | SP-TEE-02         | Organic tee       | 22.00 | non-inventory |
      | SP-CAP-03         | Canvas cap        | 18.00 | non-inventory |
      | Shipping          | Shipping          | 0.00  | other charge  |
      | Refund Adjustment | Refund Adjustment | 0.00  | other charge  |
      | Refund Fee        | Refund Fee        | 0.00  | other charge  |

  @RS-MN-1 @RS-MN-2 @RS-MN-3 @KC-1 @KC-2 @KC-3
  Scenario Outline: A full refund on <channel> of an order billed as <billing>
    Given <channel> refunds sync to NetSuite
    And a <channel> order billed as <billing> with:
      | sku       | quantity | price | tax  | discount |
      | SP-MUG-01 | 2        | 14.50 | 2.32 | 0.00     |
      | SP-TEE-02 | 1        | 22.00 | 1.76 | 0.00     |
    And the order ships for 5.99 with 0.48 tax
    And the order is synced to NetSuite
    When the whole order is refunded in <channel>, shipping included
    And the refund is synced
    Then the connector's record of the order shows the refund synced
    And NetSuite has the records the refund settings call for
    And the NetSuite records are <records>
    And the NetSuite refund matches the <channel> refund to the cent
    And the NetSuite refund leads back to the order

    @shopify
    Examples: Shopify
      | channel | billing     | records       |
      | shopify | a cash sale | a cash refund |
      | shopify | an invoice  | a credit memo |

    @woocommerce
    Examples: WooCommerce
      | channel     | billing     | records       |
      | woocommerce | a cash sale | a cash refund |
      | woocommerce | an invoice  | a credit memo |

    @amazon
    Examples: Amazon
      | channel | billing     | records       |
      | amazon  | a cash sale | a cash refund |
      | amazon  | an invoice  | a credit memo |

    @ebay
    Examples: eBay
      | channel | billing     | records       |
      | ebay    | a cash sale | a cash refund |
      | ebay    | an invoice  | a credit memo |

  @RS-MN-2 @KC-2 @engine @shopify
  Scenario Outline: A refund of an order billed as <billing> with return_authorization <ra> and customer_refund <cr>
    Given shopify refunds sync to NetSuite
    And the shopify refund setting "return_authorization" is "<ra>"
    And the shopify refund setting "customer_refund" is "<cr>"
    And a shopify order billed as <billing> with:
      | sku       | quantity | price | tax  | discount |
      | SP-MUG-01 | 2        | 14.50 | 2.32 | 0.00     |
    And the order is synced to NetSuite
    When 1 of SP-MUG-01 is refunded in shopify
    And the refund is synced
    Then the NetSuite records are <records>
    And NetSuite has the records the refund settings call for
    And the NetSuite refund matches the shopify refund to the cent

    Examples:
      | billing     | ra    | cr    | records                                                            |
      | a cash sale | true  | false | a return authorization, then a cash refund                         |
      | a cash sale | false | true  | a cash refund                                                      |
      | an invoice  | false | true  | a credit memo, then a customer refund                              |
      | an invoice  | true  | true  | a return authorization, then a credit memo, then a customer refund |

  @RS-MN-1 @RS-MN-2 @RS-MN-3
  Scenario Outline: A partial refund on <channel> of one line
    Given <channel> refunds sync to NetSuite
    And a <channel> order billed as a cash sale with:
      | sku       | quantity | price | tax  | discount |
      | SP-MUG-01 | 1        | 14.50 | 1.16 | 0.00     |
      | SP-CAP-03 | 1        | 18.00 | 1.44 | 0.00     |
    And the order is synced to NetSuite
    When 1 of SP-CAP-03 is refunded in <channel>
    And the refund is synced
    Then the connector's record of the order shows the refund synced
    And NetSuite has the records the refund settings call for
    And the NetSuite refund matches the <channel> refund to the cent

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

    @ebay
    Examples: eBay
      | channel |
      | ebay    |

  @RS-MN-1 @RS-MN-3
  Scenario Outline: A refund on <channel> of an order billed as <billing> keeps a restocking fee
    # The channel pays back less than the refunded line comes to and the merchant keeps the rest. Shopify's
    # Refund resource: "You can refund less than the calculated amount ... then an order adjustment is created
    # automatically to account for the discrepancy"; WooCommerce's order refund amount "will take precedence
    # over line item totals, even when total of line items does not matches with this amount". The kept fee
    # goes on the refund settings' negative adjustment item (FarApp, "Issuing Refunds": "Post negative refund
    # adjustments against item"), an Other Charge item ("Best Practice for Refund Syncs").
    Given <channel> refunds sync to NetSuite
    And a <channel> order billed as <billing> with:
      | sku       | quantity | price | tax  | discount |
      | SP-MUG-01 | 1        | 14.50 | 1.16 | 0.00     |
      | SP-CAP-03 | 1        | 18.00 | 1.44 | 0.00     |
    And the order is synced to NetSuite
    When 1 of SP-CAP-03 is refunded in <channel> keeping a 2.50 restocking fee
    And the refund is synced
    Then the connector's record of the order shows the refund synced
    And NetSuite has the records the refund settings call for
    And the NetSuite refund matches the <channel> refund to the cent
    And the NetSuite refund keeps the 2.50 fee on the refund settings' negative adjustment item

    @shopify
    Examples: Shopify
      | channel | billing     |
      | shopify | a cash sale |
      | shopify | an invoice  |

    @woocommerce
    Examples: WooCommerce
      | channel     | billing     |
      | woocommerce | a cash sale |
      | woocommerce | an invoice  |

  @RS-MN-3
  Scenario Outline: Part of a multi-quantity line is refunded on <channel>
    Given <channel> refunds sync to NetSuite
    And a <channel> order billed as an invoice with:
      | sku       | quantity | price | tax  | discount |
      | SP-TEE-02 | 3        | 22.00 | 5.28 | 0.00     |
    And the order is synced to NetSuite
    When 2 of SP-TEE-02 is refunded in <channel>
    And the refund is synced
    Then the NetSuite refund matches the <channel> refund to the cent
    And the NetSuite refund leads back to the order

    @shopify
    Examples: Shopify
      | channel |
      | shopify |

    @woocommerce
    Examples: WooCommerce
      | channel     |
      | woocommerce |

    @ebay
    Examples: eBay
      | channel |
      | ebay    |

  @RS-MN-3
  Scenario Outline: Only the shipping is refunded on <channel>
    Given <channel> refunds sync to NetSuite
    And a <channel> order billed as a cash sale with:
      | sku       | quantity | price | tax  | discount |
      | SP-MUG-01 | 1        | 14.50 | 1.16 | 0.00     |
    And the order ships for 7.50 with 0.60 tax
    And the order is synced to NetSuite
    When only the shipping is refunded in <channel>
    And the refund is synced
    Then the NetSuite refund matches the <channel> refund to the cent

    @shopify
    Examples: Shopify
      | channel |
      | shopify |

    @woocommerce
    Examples: WooCommerce
      | channel     |
      | woocommerce |

  @RS-MN-3
  Scenario Outline: A discounted line is refunded on <channel>
    Given <channel> refunds sync to NetSuite
    And a <channel> order billed as a cash sale with:
      | sku       | quantity | price | tax  | discount |
      | SP-TEE-02 | 2        | 22.00 | 3.17 | 4.40     |
      | SP-MUG-01 | 1        | 14.50 | 1.16 | 0.00     |
    And the order is synced to NetSuite
    When 1 of SP-TEE-02 is refunded in <channel>
    And the refund is synced
    Then the NetSuite refund matches the <channel> refund to the cent

    @shopify
    Examples: Shopify
      | channel |
      | shopify |

    @woocommerce
    Examples: WooCommerce
      | channel     |
      | woocommerce |

  @RS-MN-1 @RS-MN-3
  Scenario Outline: An amazon refund in <currency> is posted to NetSuite in <currency>
    Given amazon refunds sync to NetSuite
    And a amazon order in <currency> billed as a cash sale with:
      | sku       | quantity | price       | tax       | discount |
      | SP-MUG-01 | 2        | <mug price> | <mug tax> | 0        |
      | SP-CAP-03 | 1        | <cap price> | <cap tax> | 0        |
    And the order is synced to NetSuite
    When 1 of SP-MUG-01 is refunded in amazon
    And the refund is synced
    Then the connector's record of the order shows the refund synced
    And the NetSuite refund matches the amazon refund to the cent

    @amazon
    Examples: Amazon marketplaces
      | currency | mug price | mug tax | cap price | cap tax |
      | JPY      | 1450      | 232     | 1800      | 144     |
      | EUR      | 14.50     | 5.51    | 18.00     | 3.42    |
      | GBP      | 12.50     | 5.00    | 15.00     | 3.00    |
      | CAD      | 19.99     | 5.20    | 24.00     | 3.12    |

  @RS-MN-1 @RS-MN-3
  Scenario Outline: An ebay refund in <currency> on <marketplace> is posted to NetSuite in <currency>
    # eBay's Amount: "currency ... Default: The default currency of the eBay marketplace that hosts the
    # listing"; an order in EUR is sold on EBAY_DE, one in GBP on EBAY_GB (MarketplaceIdEnum)
    Given ebay refunds sync to NetSuite
    And a ebay order in <currency> billed as a cash sale with:
      | sku       | quantity | price       | tax       | discount |
      | SP-MUG-01 | 2        | <mug price> | <mug tax> | 0        |
      | SP-CAP-03 | 1        | <cap price> | <cap tax> | 0        |
    And the order ships for <shipping> with <shipping tax> tax
    And the order is synced to NetSuite
    When 1 of SP-MUG-01 is refunded in ebay
    And the refund is synced
    Then the connector's record of the order shows the refund synced
    And the NetSuite refund matches the ebay refund to the cent

    @ebay
    Examples: eBay marketplaces
      | currency | marketplace | mug price | mug tax | cap price | cap tax | shipping | shipping tax |
      | EUR      | EBAY_DE     | 14.50     | 5.51    | 18.00     | 3.42    | 4.90     | 0.93         |
      | GBP      | EBAY_GB     | 12.50     | 5.00    | 15.00     | 3.00    | 3.99     | 0.80         |

  @RS-MN-1 @RS-MN-3
  Scenario Outline: A shopify refund presented in <currency> by a USD store is posted to NetSuite in <currency>
    Given shopify refunds sync to NetSuite
    And a shopify order in <currency> billed as a cash sale with:
      | sku       | quantity | price       | tax       | discount |
      | SP-MUG-01 | 2        | <mug price> | <mug tax> | 0        |
      | SP-CAP-03 | 1        | <cap price> | <cap tax> | 0        |
    And the order ships for <shipping> with <shipping tax> tax
    And the order is synced to NetSuite
    When 1 of SP-MUG-01 is refunded in shopify
    And the refund is synced
    Then the connector's record of the order shows the refund synced
    And the NetSuite refund matches the shopify refund to the cent

    @shopify
    Examples: Shopify stores whose customers pay in another currency than the shop's
      | currency | mug price | mug tax | cap price | cap tax | shipping | shipping tax |
      | EUR      | 14.50     | 2.32    | 18.00     | 1.44    | 5.99     | 0.48         |
      | JPY      | 1450      | 232     | 1800      | 144     | 600      | 48           |

  @RS-MN-1 @KC-1 @engine
  Scenario Outline: A refund on a <channel> order that was never synced is an exception
    Given <channel> refunds sync to NetSuite
    And a <channel> order billed as a cash sale with:
      | sku       | quantity | price | tax  | discount |
      | SP-MUG-01 | 1        | 14.50 | 1.16 | 0.00     |
    And the order is not synced to NetSuite
    When the whole order is refunded in <channel>, shipping included
    And the refund is synced
    Then the refund is reported as an exception naming the order
    And NetSuite has no refund for it

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

    @ebay
    Examples: eBay
      | channel |
      | ebay    |

  @RS-MN-1 @KC-2 @engine
  Scenario Outline: A second sync run on <channel> creates nothing new
    Given <channel> refunds sync to NetSuite
    And a <channel> order billed as an invoice with:
      | sku       | quantity | price | tax  | discount |
      | SP-CAP-03 | 2        | 18.00 | 2.88 | 0.00     |
    And the order is synced to NetSuite
    When 1 of SP-CAP-03 is refunded in <channel>
    And the refund is synced
    And the refund is synced again
    Then the second sync reports the refund unchanged
    And NetSuite has exactly one refund for it

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

    @ebay
    Examples: eBay
      | channel |
      | ebay    |

  @RS-MN-1 @KC-1 @ebay
  Scenario: A refund issued on ebay without the buyer's request is reported, not missed
    # Oracle: a refund issued without the buyer's request shows as an external transaction in the
    # API and the NetSuite Connector cannot retrieve it. eBay still pays it out, so the audit of
    # eBay's own money movements (Finances REFUND transactions) must list it as missing in NetSuite.
    Given ebay refunds sync to NetSuite
    And a ebay order billed as a cash sale with:
      | sku       | quantity | price | tax  | discount |
      | SP-MUG-01 | 2        | 14.50 | 2.32 | 0.00     |
      | SP-CAP-03 | 1        | 18.00 | 1.44 | 0.00     |
    And the order is synced to NetSuite
    When the seller refunds 1 of SP-MUG-01 in ebay without a buyer request
    And the connector syncs again
    Then NetSuite has no refund for it
    And the audit of ebay refunds to NetSuite over the order's days reports the refund missing in NetSuite
