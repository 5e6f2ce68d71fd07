"""Every hint leading to NetSuite's Multiple Currencies feature says it cannot be turned off once used.

Oracle NetSuite help, Currency Management (docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/chapter_N1395057.html):
"You should review this topic and others in this section before you enable the feature. You cannot disable the
feature after you create transactions and records that rely upon it." Multiple Currencies (section_N1395463.html):
"You cannot disable these features if there are associated records or transactions." Enabling the Multiple
Currencies Feature (section_N1395677.html): "Go to Setup > Company > Enable Features. On the Company subtab, check
the Multiple Currencies box."
"""

from __future__ import annotations

from connectors.netsuite import CurrencyUnknown, CurrencyUnresolved

WARNING = "NetSuite does not let Multiple Currencies be turned off once records or transactions use it"


def test_a_currency_the_account_lacks_says_the_feature_stays_on():
    line = str(CurrencyUnknown("JPY", "settlement"))
    assert "add JPY under Lists > Accounting > Currencies (Multiple Currencies enabled) before syncing" in line
    assert WARNING in line and "\n" not in line


def test_a_transaction_without_a_currency_says_where_the_feature_is_and_that_it_stays_on():
    line = str(CurrencyUnresolved("cash refund 5", None))
    assert "enable Multiple Currencies (Setup > Company > Enable Features, Company subtab)" in line
    assert WARNING in line and "\n" not in line
