@audit @refunds @to_netsuite
Feature: Audit: every refund a marketplace paid out is in NetSuite, and every payout balances
  For marketplaces that pay the seller out in payouts (eBay: the Finances API's getPayouts and
  the transactions of each payout): each payout dated in the window sums to its amount to the
  minor unit of its currency, and every refund it paid out has a NetSuite refund record created
  from the order's sales order. A transaction of the window paid out by a payout dated after
  the window is reconciled with that payout, read by the payoutId the transaction names
  (getPayout). Money not yet paid out is noted, not failed. An empty mismatch table is a pass.

  @RS-MN-1 @KC-1
  Scenario Outline: <channel> payouts in the window balance and every refund they paid out is in NetSuite
    When the audit of <channel> payouts runs over the window
    Then the audit finds no RS-MN-1 mismatches
    And the audit sent no write to any system

    @ebay
    Examples: eBay
      | channel |
      | ebay    |
