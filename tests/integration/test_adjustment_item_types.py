"""The refund settings refuse an adjustment item that is not an Other Charge item, when they are changed.

Oracle NetSuite help, "Best Practice for Refund Syncs" (section_162926808593), Generic Refund Items: "For
storefronts that offer partial or nonitem-specific refunds, NetSuite Connector lets you designate specific items
in NetSuite to account for the refunded amount on the Refund record. The best practice is to create Other Charge
For Sale items to represent those partial or nonitem-specific refunds." Before, a change naming a non-inventory
item was accepted and only RS-MN-3 found it, at refund time. Each test reads the items from the NetSuite emulator
over HTTP; the check's one SuiteQL query reads the items' ids and types together.
"""

from __future__ import annotations

import pytest

from syncproof.config import parse_config
from syncproof.engine import SyncEngine
from syncproof.errors import SettingsRefused
from syncproof.refund_settings import change_refund_setting


def _fresh_books(runtime, engine):
    """Books that have read nothing yet, as a scenario's settings change gets them."""
    return SyncEngine.build(runtime.netsuite, engine.store, engine.config).books


def test_a_non_inventory_adjustment_item_is_refused_naming_it_and_the_fix(runtime, engine):
    """The settings scenario "An invalid setting is refused with its reason" shows it too, for SP-MUG-01."""
    engine.books.ensure_item("AT-MUG", "AT-MUG")  # a non-inventory sale item
    engine.books.ensure_item("AT Fee", "AT Fee", charge=True)
    config = parse_config({"shopify": {"refunds": {"negative_adjustment_item": "AT Fee"}}})
    books = _fresh_books(runtime, engine)
    before = runtime.netsuite.stats.requests
    with pytest.raises(SettingsRefused) as refused:
        change_refund_setting(config, "shopify", "positive_adjustment_item", "AT-MUG", books)
    assert runtime.netsuite.stats.requests == before + 1  # one query reads both items' ids and types
    message = str(refused.value)
    assert message.startswith("[shopify.refunds] positive_adjustment_item: NetSuite item 'AT-MUG' is of type "
                              "NonInvtPart, not an Other Charge item (OthCharge)")
    assert '"create Other Charge For Sale items"' in message
    assert "name an Other Charge for Sale item in positive_adjustment_item" in refused.value.hint
