"""Default account setup: currencies and a chart of accounts a connector posts to."""

from __future__ import annotations

from typing import Any

__all__ = ["CURRENCIES", "ACCOUNTS", "SUBSIDIARIES", "STATUSES", "FULLY_APPLIED", "PAID_IN_FULL"]

#: The first is the base currency; ``exchangeRate`` is units of base currency per unit.
CURRENCIES: list[dict[str, Any]] = [
    {"symbol": "USD", "name": "US Dollar", "exchangeRate": "1.0", "isBaseCurrency": True},
    {"symbol": "GBP", "name": "British pound", "exchangeRate": "1.27"},
    {"symbol": "CAD", "name": "Canadian Dollar", "exchangeRate": "0.73"},
    {"symbol": "EUR", "name": "Euro", "exchangeRate": "1.08"},
    {"symbol": "JPY", "name": "Japanese Yen", "exchangeRate": "0.0067"},
    {"symbol": "KWD", "name": "Kuwaiti Dinar", "exchangeRate": "3.25"},
]

#: Every account has its root subsidiary (id 1); a OneWorld account has more below it. Their currencies are
#: the ones above by internal id, in that order: 1 USD, 2 GBP, 4 EUR.
SUBSIDIARIES: list[dict[str, Any]] = [
    {"name": "Honeycomb Holdings Inc.", "currency": {"id": "1"}},
    {"name": "Honeycomb UK Ltd", "parent": {"id": "1"}, "currency": {"id": "2"}},
    {"name": "Honeycomb GmbH", "parent": {"id": "1"}, "currency": {"id": "4"}},
]

ACCOUNTS: list[dict[str, Any]] = [
    {"acctNumber": "1000", "acctName": "Checking", "acctType": "Bank"},
    {"acctNumber": "1010", "acctName": "Amazon Settlement Bank", "acctType": "Bank"},
    {"acctNumber": "1100", "acctName": "Undeposited Funds", "acctType": "OthCurrAsset"},
    {"acctNumber": "1150", "acctName": "Amazon Clearing", "acctType": "OthCurrAsset"},
    {"acctNumber": "1200", "acctName": "Accounts Receivable", "acctType": "AcctRec"},
    {"acctNumber": "2400", "acctName": "Sales Tax Payable", "acctType": "OthCurrLiab"},
    {"acctNumber": "4000", "acctName": "Sales", "acctType": "Income"},
    {"acctNumber": "4100", "acctName": "Shipping Income", "acctType": "Income"},
    {"acctNumber": "4900", "acctName": "Sales Returns and Allowances", "acctType": "Income"},
    {"acctNumber": "6100", "acctName": "Marketplace Fees", "acctType": "Expense"},
    {"acctNumber": "6110", "acctName": "Amazon Selling Fees", "acctType": "Expense"},
    {"acctNumber": "6120", "acctName": "Amazon FBA Fees", "acctType": "Expense"},
    {"acctNumber": "6130", "acctName": "Advertising Fees", "acctType": "Expense"},
    {"acctNumber": "6140", "acctName": "Marketplace Reimbursements", "acctType": "OthIncome"},
]

#: Default status per transaction type: (SuiteQL code, REST id, label).
STATUSES = {
    "salesOrder": ("B", "pendingFulfillment", "Pending Fulfillment"),
    "cashSale": ("B", "notDeposited", "Not Deposited"),
    "invoice": ("A", "open", "Open"),
    "returnAuthorization": ("B", "pendingReceipt", "Pending Receipt"),
    "creditMemo": ("A", "open", "Open"),
    "cashRefund": ("A", "notDeposited", "Not Deposited"),
    "customerRefund": ("A", "notDeposited", "Not Deposited"),
    "customerPayment": ("B", "notDeposited", "Not Deposited"),
    "deposit": ("A", "deposited", "Deposited"),
    "journalEntry": ("B", "approved", "Approved for Posting"),
}
FULLY_APPLIED = ("B", "fullyApplied", "Fully Applied")
PAID_IN_FULL = ("B", "paidInFull", "Paid In Full")
