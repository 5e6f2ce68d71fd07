@amazon @settlement @engine
Feature: Amazon settlements are reconciled and posted to NetSuite
  Oracle's guidance: test Amazon settlement sync with orders the connector synced
  earlier, a few weeks after go-live. A settlement balances when its rows sum to the
  total-amount of its summary row; every row is posted in NetSuite or listed as an
  exception, and what is posted equals the deposit.

  Background:
    Given NetSuite has the items:
      | sku               | name              | price |
      | SP-MUG-01         | Stoneware mug     | 14.50 |
      | SP-TEE-02         | Organic tee       | 22.00 |
      | Shipping          | Shipping          | 0.00  |
      | Refund Adjustment | Refund Adjustment | 0.00  |
      | Refund Fee        | Refund Fee        | 0.00  |
    And go-live was on 2026-09-01 and settlement testing waits 3 weeks

  @AS-1 @AS-2 @AS-3 @AS-4 @KC-3
  Scenario: A settlement of orders and refunds the connector synced balances and is posted
    Given 3 Amazon orders the connector synced
    And the first of them was refunded on Amazon and the refund synced
    When Amazon issues a settlement for them starting 2026-10-06
    And the settlement sync runs
    Then the settlement qualifies for settlement testing
    And the settlement balances to the cent
    And the settlement has no exceptions
    And the deposit in NetSuite equals the settlement's total-amount

  @AS-1 @AS-4
  Scenario: Rows for orders the connector never synced are exceptions, and every cent is accounted for
    Given 2 Amazon orders the connector synced
    And 2 Amazon orders the connector never synced
    When Amazon issues a settlement for them starting 2026-10-06
    And the settlement sync runs
    Then the orders never synced are listed as exceptions with their reason
    And every settlement row is posted or listed as an exception
    And the deposit in NetSuite equals the settlement's total-amount

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
    And the deposit in NetSuite equals the settlement's total-amount

  @AS-4 @KC-2
  Scenario: Importing the same settlement twice creates nothing the second time
    Given 1 Amazon order the connector synced
    When Amazon issues a settlement for them starting 2026-10-06
    And the settlement sync runs
    And the settlement sync runs again
    Then the second run reports the settlement unchanged
    And NetSuite has exactly one deposit for the settlement
