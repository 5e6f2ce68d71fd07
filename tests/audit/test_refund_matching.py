"""How the audit finds a channel refund's id in a NetSuite record's external id or memo."""

from __future__ import annotations

import pytest

from syncproof.audit.refunds import _mentions


@pytest.mark.parametrize("text, value, found", [
    ("shopify-refund-5000000007", "5000000007", True),
    ("shopify refund 5000000007 on order 5000000004", "5000000004", True),
    ("shopify-refund-50000000071", "5000000007", False),  # a longer id is another refund
    ("shopify-refund-A5000000007", "5000000007", False),
    ("refund 77 then 7", "7", True),  # the second mention stands alone
    ("refund 77", "7", False),
    ("RMA_12", "12", True),  # an underscore is no letter or digit
    ("", "12", False),
])
def test_a_refund_id_counts_only_as_a_whole_token(text, value, found):
    assert _mentions(text, value) is found
