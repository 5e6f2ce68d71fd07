"""What a user is told to change when a NetSuite account lacks a currency, in one place.

    >>> add_currency_hint("JPY", "syncing this order")  # doctest: +ELLIPSIS
    'add JPY under Lists > Accounting > Currencies (Multiple Currencies enabled) before syncing this order; note ...'

Enabling Multiple Currencies cannot be undone once the account uses it. Oracle's NetSuite help,
Currency Management: "You should review this topic and others in this section before you enable
the feature. You cannot disable the feature after you create transactions and records that rely
upon it."; Multiple Currencies: "You cannot disable these features if there are associated records
or transactions." Every hint that leads to the feature says so, so that nobody turns it on in a
customer's account on a one-line suggestion. The feature is on the Company subtab of Setup >
Company > Enable Features (Oracle, Enabling the Multiple Currencies Feature).
"""

from __future__ import annotations

__all__ = ["MULTIPLE_CURRENCIES_STAY_ON", "add_currency_hint", "enable_multiple_currencies_hint"]

#: what every hint leading to the Multiple Currencies feature adds
MULTIPLE_CURRENCIES_STAY_ON = ("note that NetSuite does not let Multiple Currencies be turned off once records "
                               "or transactions use it")


def add_currency_hint(currency: str, before: str) -> str:
    """Add ``currency`` to the account (which needs Multiple Currencies) before ``before``."""
    return (f"add {currency} under Lists > Accounting > Currencies (Multiple Currencies enabled) before {before}; "
            f"{MULTIPLE_CURRENCIES_STAY_ON}")


def enable_multiple_currencies_hint(so_that: str) -> str:
    """Enable Multiple Currencies so that ``so_that``."""
    return (f"enable Multiple Currencies (Setup > Company > Enable Features, Company subtab) so {so_that}; "
            f"{MULTIPLE_CURRENCIES_STAY_ON}")
