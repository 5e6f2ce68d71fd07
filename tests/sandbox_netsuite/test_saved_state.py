"""The account's state kept and put back: what a recording from the sandbox starts every scenario from."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def _item_names(api) -> list[str]:
    return [row["itemid"] for row in api.suiteql("SELECT id, itemid FROM item ORDER BY id").json()["items"]]


def test_a_restored_account_holds_what_was_kept_and_nothing_made_since(api, backend):
    kept = api.create("otherChargeSaleItem", {"itemId": "Amazon fee", "displayName": "Amazon fee"})
    state = backend.saved_state()
    api.create("otherChargeSaleItem", {"itemId": "Made later", "displayName": "Made later"})
    api.send("PATCH", f"/record/v1/otherChargeSaleItem/{kept}", {"displayName": "Renamed"})

    backend.restore_state(state)

    assert _item_names(api) == ["Amazon fee"]  # the SuiteQL mirror too, not a query cached before
    assert api.get("otherChargeSaleItem", kept)["displayName"] == "Amazon fee"
    again = api.create("otherChargeSaleItem", {"itemId": "Made again", "displayName": "Made again"})
    assert int(again) == int(kept) + 1  # ids go on from the kept account, as on the first run


def test_a_state_can_be_restored_again_after_the_account_changed(api, backend):
    api.create("otherChargeSaleItem", {"itemId": "Amazon fee", "displayName": "Amazon fee"})
    state = backend.saved_state()
    for name in ("First", "Second"):
        api.create("otherChargeSaleItem", {"itemId": name, "displayName": name})
        backend.restore_state(state)
        assert _item_names(api) == ["Amazon fee"]


def test_restoring_forgets_the_nonces_seen_since(backend):
    state = backend.saved_state()
    backend.verifier._seen.add(("consumer", "token", "nonce"))

    backend.restore_state(state)

    assert not backend.verifier._seen
