@audit @amazon @settlement
Feature: Audit: every Amazon settlement in the window balances and is in NetSuite
  Each settlement whose period lies in the window balances to its total-amount, its order
  rows are matched to sales orders the connector synced (rows of orders never synced are
  listed as exceptions), and NetSuite holds one deposit or journal entry for its total.

  @AS-1 @AS-2 @AS-3 @AS-4 @KC-3
  Scenario: Settlements in the window balance and are posted in NetSuite
    When the audit of Amazon settlements runs over the window
    Then the audit finds no AS-3 mismatches
    And the audit finds no AS-4 mismatches
    And the audit sent no write to any system
