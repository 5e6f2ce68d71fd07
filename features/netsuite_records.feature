@netsuite
Feature: NetSuite refunds lead back to their orders
  A refund made in NetSuite by transforming the billing record of an order must be
  linked to that order: its createdFrom chain ends at the sales order that carries
  the marketplace order id. Oracle's guidance: refunds are always linked to the
  original transaction.

  Background:
    Given NetSuite has the items:
      | sku       | name          | price |
      | SP-MUG-01 | Stoneware mug | 14.50 |
      | SP-TEE-02 | Organic tee   | 22.00 |

  @RS-NM-1 @KC-1
  Scenario Outline: A sales order billed as <billing> is refunded by transform as <refund>
    Given a sales order for channel order "<order>" with:
      | sku       | quantity | price |
      | SP-MUG-01 | 2        | 14.50 |
      | SP-TEE-02 | 1        | 22.00 |
    When the sales order is billed as <billing>
    And it is refunded in NetSuite as <refund>
    Then the refund's createdFrom chain ends at the sales order for channel order "<order>"

    Examples:
      | billing     | refund        | order               |
      | a cash sale | a cash refund | 112-4410327-7781530 |
      | an invoice  | a credit memo | 113-2217054-6409126 |

  @RS-NM-1 @KC-1
  Scenario: An invoiced order is refunded through a return authorization
    Given a sales order for channel order "#1042" with:
      | sku       | quantity | price |
      | SP-TEE-02 | 3        | 22.00 |
    When the sales order is billed as an invoice
    And it is refunded in NetSuite through a return authorization and a credit memo
    Then the refund's createdFrom chain ends at the sales order for channel order "#1042"
