"""syncproof cleanup deletes what a tagged run made in NetSuite, and nothing else."""

from __future__ import annotations

import pytest

from syncproof.channels import channel_for
from syncproof.cleanup import cleanup
from syncproof.errors import SyncproofError
from syncproof.model import Money, OrderLine

TAG = "sp20261126093000-1a2b"


def usd(value: str) -> Money:
    return Money(value, "USD")


def _sync_one(runtime, note):
    engine = runtime.engine()
    for sku in ("CL-MUG", "Shipping", "Refund Adjustment", "Refund Fee"):
        engine.books.ensure_item(sku, sku)
    shop = channel_for(runtime, "shopify")
    order = shop.place_order([OrderLine("1", "CL-MUG", 2, usd("14.50"), usd("2.32"), usd("0"), "mug")],
                             shipping=None, customer=("Clean Up", f"{note}@example.com"), note=note)
    assert engine.orders.sync(order).synced
    refund = shop.refund(order, {"CL-MUG": 1}, shipping=False, note=note)
    assert engine.refunds.to_netsuite(refund).status == "created"
    return order


def _transactions(runtime):
    return {str(r["id"]) for r in runtime.netsuite.suiteql("SELECT id FROM transaction ORDER BY id")}


def _customers(runtime):
    return {str(r["id"]) for r in runtime.netsuite.suiteql("SELECT id FROM customer ORDER BY id")}


def test_cleanup_deletes_the_tagged_run_and_keeps_the_rest(runtime):
    runtime.run_tag = ""
    _sync_one(runtime, "untagged")
    untagged = _transactions(runtime)
    runtime.run_tag = TAG
    try:
        _sync_one(runtime, "tagged")
    finally:
        runtime.run_tag = ""
    tagged = _transactions(runtime) - untagged
    assert len(tagged) == 3  # sales order, cash sale, cash refund
    customers = _customers(runtime)
    preview = cleanup(runtime.netsuite, TAG, dry_run=True)
    assert len(preview.deleted) == 4 and _transactions(runtime) >= tagged  # and the run's own customer
    report = cleanup(runtime.netsuite, TAG)
    assert len(report.deleted) == 4 and report.kept == []
    assert [line for line in report.deleted if line.startswith("cash refund")]
    assert [line for line in report.deleted if line.startswith("customer")]
    assert _transactions(runtime) == untagged
    assert len(_customers(runtime)) == len(customers) - 1  # the untagged run's customer stays
    assert any("Shopify" in line for line in report.notes)
    assert any("CL-MUG" in line for line in report.notes)  # the items it used are listed


def test_a_malformed_tag_is_refused():
    with pytest.raises(SyncproofError, match="not a syncproof run tag"):
        cleanup(None, "%")
