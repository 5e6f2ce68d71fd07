@amazon @settlement @engine
Feature: Amazon settlements are reconciled and posted to NetSuite
  Oracle's guidance: test Amazon settlement sync with orders the connector synced
  earlier, a few weeks after go-live. A settlement balances when its rows sum to the
  total-amount of its summary row. In the NetSuite Connector's model every row is found
  in NetSuite where the connector puts it (fees as lines on the order's billed record,
  non-order amounts in one summary cash sale or cash refund for the settlement customer,
  refunds against the order) or is an exception, and NetSuite plus the exceptions equals
  the total-amount to the cent.

  Background:
    Given NetSuite has the items:
      | sku               | name              | price | type          |
      | SP-MUG-01         | Stoneware mug     | 14.50 | non-inventory |
      | SP-TEE-02         | Organic tee       | 22.00 | non-inventory |
      | Shipping          | Shipping          | 0.00  | other charge  |
      | Refund Adjustment | Refund Adjustment | 0.00  | other charge  |
      | Refund Fee        | Refund Fee        | 0.00  | other charge  |
    And go-live was on 2026-09-01 and settlement testing waits 3 weeks
    And the settlement customer and the settlement items exist in NetSuite

  @AS-1 @AS-2 @AS-3 @AS-4 @KC-3
  Scenario: A settlement of orders and refunds the connector synced balances and is posted
    Given 3 Amazon orders the connector synced
    And the first of them was refunded on Amazon and the refund synced
    When Amazon issues a settlement for them starting 2026-10-06
    And the settlement sync runs
    Then the settlement qualifies for settlement testing
    And the settlement balances to the cent
    And the settlement has no exceptions
    And every settlement row is in NetSuite where the posting model puts it, to the cent

  @AS-1 @AS-4
  Scenario: Rows for orders the connector never synced are exceptions, and every cent is accounted for
    Given 2 Amazon orders the connector synced
    And 2 Amazon orders the connector never synced
    When Amazon issues a settlement for them starting 2026-10-06
    And the settlement sync runs
    Then the orders never synced are listed as exceptions with their reason
    And every settlement row is in NetSuite where the posting model puts it, to the cent

  @AS-2
  Scenario: A settlement that starts too soon after go-live is flagged
    Given 1 Amazon order the connector synced
    When Amazon issues a settlement for them starting 2026-09-08
    And the settlement sync runs
    Then the settlement is flagged as too early, naming 2026-09-22 as the first date that qualifies
    And nothing is posted to NetSuite for it

  @AS-3 @AS-4
  Scenario: An EU settlement with comma decimals and day-first dates balances
    Given 2 Amazon orders the connector synced
    When Amazon issues an EU-style settlement for them starting 2026-10-13
    And the settlement sync runs
    Then the settlement balances to the cent
    And every settlement row is in NetSuite where the posting model puts it, to the cent

  @AS-4 @KC-2
  Scenario: Importing the same settlement twice creates nothing the second time
    Given 1 Amazon order the connector synced
    When Amazon issues a settlement for them starting 2026-10-06
    And the settlement sync runs
    And the settlement sync runs again
    Then every settlement row is in NetSuite where the posting model puts it, to the cent
    And the second run reports the settlement unchanged

  @AS-4
  Scenario Outline: Fees go on the billed record and non-order amounts into one summary <record>
    Given 2 Amazon orders the connector synced
    And the period holds non-order amounts:
      | transaction-type  | amount-type                 | amount-description | amount   |
      | other-transaction | <amount-type>               | <description>      | <amount> |
    When Amazon issues a settlement for them starting 2026-10-06
    And the settlement sync runs
    Then each synced order's fees are lines on its billed record
    And NetSuite holds the settlement's summary transactions:
      | record   | for               |
      | <record> | non-order amounts |
    And every settlement row is in NetSuite where the posting model puts it, to the cent

    Examples:
      | record      | amount-type                 | description      | amount  |
      | cash sale   | FBA Inventory Reimbursement | WAREHOUSE_DAMAGE | 900.00  |
      | cash refund | other-transaction           | Storage Fee      | -900.00 |

  @AS-4
  Scenario: Merged refunds are one summary refund
    Given the settlement settings:
      | setting       | value |
      | merge_refunds | true  |
    And 2 Amazon orders the connector synced
    And the first of them was refunded on Amazon
    And the period holds non-order amounts:
      | transaction-type  | amount-type                 | amount-description | amount |
      | other-transaction | FBA Inventory Reimbursement | WAREHOUSE_LOST     | 900.00 |
    When Amazon issues a settlement for them starting 2026-10-06
    And the settlement sync runs
    Then NetSuite holds the settlement's summary transactions:
      | record      | for               |
      | cash refund | merged refunds    |
      | cash sale   | non-order amounts |
    And every settlement row is in NetSuite where the posting model puts it, to the cent

  @AS-4
  Scenario: Merged order fees are one summary transaction
    Given the settlement settings:
      | setting          | value |
      | merge_order_fees | true  |
    And 3 Amazon orders the connector synced
    And the period holds non-order amounts:
      | transaction-type  | amount-type                 | amount-description | amount |
      | other-transaction | FBA Inventory Reimbursement | WAREHOUSE_DAMAGE   | 900.00 |
    When Amazon issues a settlement for them starting 2026-10-06
    And the settlement sync runs
    Then NetSuite holds the settlement's summary transactions:
      | record      | for               |
      | cash refund | merged order fees |
      | cash sale   | non-order amounts |
    And every settlement row is in NetSuite where the posting model puts it, to the cent

  @AS-4
  Scenario: A settlement spanning two months is split into one summary per month
    Given the settlement settings:
      | setting        | value |
      | split_by_month | true  |
    And 1 Amazon order the connector synced
    And the period holds non-order amounts:
      | transaction-type  | amount-type                 | amount-description | amount | day |
      | other-transaction | FBA Inventory Reimbursement | WAREHOUSE_DAMAGE   | 900.00 | 1   |
      | other-transaction | FBA Inventory Reimbursement | WAREHOUSE_LOST     | 800.00 | 10  |
    When Amazon issues a settlement for them starting 2026-10-25
    And the settlement sync runs
    Then NetSuite holds the settlement's summary transactions:
      | record    | for                               |
      | cash sale | non-order amounts of 2026-10      |
      | cash sale | non-order amounts of 2026-11      |
    And every settlement row is in NetSuite where the posting model puts it, to the cent

  @AS-4
  Scenario: Refunds posted as credit memos
    Given the settlement settings:
      | setting                 | value |
      | refunds_as_credit_memos | true  |
    And Amazon orders are billed as invoice
    And 2 Amazon orders the connector synced
    And the first of them was refunded on Amazon
    When Amazon issues a settlement for them starting 2026-10-06
    And the settlement sync runs
    Then every settlement row is in NetSuite where the posting model puts it, to the cent

  @AS-3 @AS-4
  Scenario Outline: Summary posting: one <posting> per settlement, and the payout in the bank account
    Given the settlement settings:
      | setting      | value                  |
      | posting      | <posting>              |
      | bank_account | Amazon Settlement Bank |
    And 2 Amazon orders the connector synced
    When Amazon issues a settlement for them starting 2026-10-06
    And the settlement sync runs
    Then the settlement balances to the cent
    And every settlement row is in NetSuite where the posting model puts it, to the cent

    Examples:
      | posting |
      | deposit |
