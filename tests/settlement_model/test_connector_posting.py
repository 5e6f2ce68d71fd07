"""Settlement posting in the NetSuite Connector's model, tied out against NetSuite.

Rules from Oracle NetSuite help, "Importing Amazon Settlement Reports in NetSuite
Connector" and "Managing Amazon Settlement Sync" (order modifications on the billed
record of the order; non-order modifications summed into a cash sale when Amazon owes
the seller, a cash refund when the seller owes Amazon; refunds against the original
order) and "Amazon Settlement Sync Settings" (Customer Internal ID, merge refunds, merge
order fees, split summary transactions spanning two months, post refunds as credit memos).
"""

from __future__ import annotations

from decimal import Decimal

from connectors.netsuite.settlements import settlement_footprint

from ._helpers import post_settlement, tie

REIMBURSED = (("other-transaction", "FBA Inventory Reimbursement", "WAREHOUSE_DAMAGE", Decimal("900.00"), 3),)
STORAGE = (("other-transaction", "other-transaction", "Storage Fee", Decimal("-900.00"), 3),)


def test_fee_lines_on_the_billed_record_and_a_summary_cash_sale(runtime):
    posted = post_settlement(runtime, seed=910000001, non_order=REIMBURSED)
    assert posted.outcome.status == "posted", posted.outcome.reason
    result = tie(runtime, posted)
    assert result.mismatches == [], [m.sentence() for m in result.mismatches]
    footprint = settlement_footprint(runtime.netsuite, posted.settlement_id)
    # US files: the marketplace facilitator tax Amazon withholds is a fee line of its own on the billed record
    assert {line.item for line in footprint.lines} == {"order_fee.commission", "order_fee.withheld_tax.principal"}
    assert [s.type for s in footprint.summaries] == ["CashSale"]


def test_a_summary_cash_refund_when_the_seller_owes_amazon(runtime):
    posted = post_settlement(runtime, seed=910000002, non_order=STORAGE)
    assert posted.outcome.status == "posted", posted.outcome.reason
    assert tie(runtime, posted).mismatches == []
    assert [s.type for s in settlement_footprint(runtime.netsuite, posted.settlement_id).summaries] == ["CashRfnd"]


def test_a_deleted_fee_line_is_one_mismatch_naming_the_order_and_amount(runtime):
    posted = post_settlement(runtime, seed=910000003, non_order=REIMBURSED)
    footprint = settlement_footprint(runtime.netsuite, posted.settlement_id)
    victim = footprint.lines[0]
    backend = runtime.sandbox.netsuite
    record = backend.get("cashSale", victim.transaction_id)
    kept = [line for line in record["item"]["items"] if line.get("description", "").split(": ")[-1] != victim.item]
    backend.update("cashSale", victim.transaction_id, {"item": {"items": kept}}, replace=("item",))
    result = tie(runtime, posted)
    fee_mismatches = [m for m in result.mismatches if m.what.startswith("order_fee.commission line")]
    assert len(fee_mismatches) == 1
    order = next(o.channel_order_id for o in posted.orders if o.channel_order_id == fee_mismatches[0].order)
    assert fee_mismatches[0].order == order and fee_mismatches[0].expected == f"{victim.amount:.2f} USD"


def _types(runtime, posted):
    return sorted(s.type for s in settlement_footprint(runtime.netsuite, posted.settlement_id).summaries)


def test_a_refund_the_refund_sync_posted_is_not_posted_again(runtime):
    posted = post_settlement(runtime, seed=910000004, refund_first=True, sync_refund=True, non_order=REIMBURSED)
    assert posted.outcome.status == "posted", posted.outcome.reason
    result = tie(runtime, posted)
    assert result.mismatches == [], [m.sentence() for m in result.mismatches]
    assert [f["what"] for f in result.found].count("refund") == 1


def test_a_refund_only_in_the_settlement_is_posted_against_the_order(runtime):
    posted = post_settlement(runtime, seed=910000005, refund_first=True, non_order=REIMBURSED)
    result = tie(runtime, posted)
    assert result.mismatches == [], [m.sentence() for m in result.mismatches]
    assert any(f["what"] == "refund" and f["netsuite"].startswith("CashRfnd") for f in result.found)


def test_merged_refunds_in_one_summary_refund(runtime):
    posted = post_settlement(runtime, seed=910000006, refund_first=True, non_order=REIMBURSED, merge_refunds=True)
    assert tie(runtime, posted).mismatches == []
    assert _types(runtime, posted) == ["CashRfnd", "CashSale"]


def test_merged_order_fees_in_one_summary_transaction(runtime):
    posted = post_settlement(runtime, seed=910000007, orders=3, non_order=REIMBURSED, merge_order_fees=True)
    result = tie(runtime, posted)
    assert result.mismatches == [], [m.sentence() for m in result.mismatches]
    assert settlement_footprint(runtime.netsuite, posted.settlement_id).lines == ()
    assert _types(runtime, posted) == ["CashRfnd", "CashSale"]  # fees: the seller owes Amazon


def test_a_settlement_spanning_two_months_is_split(runtime):
    import datetime as dt

    start = dt.datetime(2026, 10, 25, 8, tzinfo=dt.timezone.utc)
    rows = (("other-transaction", "FBA Inventory Reimbursement", "WAREHOUSE_DAMAGE", Decimal("900.00"), 1),
            ("other-transaction", "FBA Inventory Reimbursement", "WAREHOUSE_LOST", Decimal("800.00"), 10))
    posted = post_settlement(runtime, seed=910000008, non_order=rows, start=start, split_by_month=True)
    result = tie(runtime, posted)
    assert result.mismatches == [], [m.sentence() for m in result.mismatches]
    days = sorted(s.day for s in settlement_footprint(runtime.netsuite, posted.settlement_id).summaries)
    assert [d[:7] for d in days] == ["2026-10", "2026-11"]
    unsplit = tie(runtime, posted, split_by_month=False)
    assert unsplit.mismatches  # one summary was expected, two were found


def test_refunds_posted_as_credit_memos(runtime):
    posted = post_settlement(runtime, seed=910000009, refund_first=True, non_order=REIMBURSED, billing="invoice",
                             refunds_as_credit_memos=True)
    result = tie(runtime, posted)
    assert result.mismatches == [], [m.sentence() for m in result.mismatches]
    assert any(f["what"] == "refund" and f["netsuite"].startswith("CustCred") for f in result.found)


def test_orders_never_synced_are_exceptions_and_every_cent_is_accounted(runtime):
    posted = post_settlement(runtime, seed=910000010, unsynced=1, non_order=REIMBURSED)
    assert posted.outcome.status == "posted_with_exceptions"
    result = tie(runtime, posted)
    assert result.mismatches == []
    assert list(result.exceptions) == [posted.orders[-1].channel_order_id]


def test_a_missing_settlement_customer_fails_with_its_reason(runtime):
    posted = post_settlement(runtime, seed=910000011, non_order=REIMBURSED, customer_internal_id="")
    assert posted.outcome.status == "failed" and "customer_internal_id" in posted.outcome.reason


def test_a_second_import_posts_nothing(runtime):
    posted = post_settlement(runtime, seed=910000012, non_order=REIMBURSED)
    posted.engine.store.record_settlement(posted.settlement_id, status="failed", netsuite_type=None,
                                          netsuite_id=None, total=None, currency="USD", period_start=None,
                                          period_end=None, exceptions=[])  # forget it was posted
    import datetime as dt

    posted.engine.settlements.run(runtime.amazon, created_since=dt.datetime(2026, 10, 1, tzinfo=dt.timezone.utc))
    assert tie(runtime, posted).mismatches == []


def _account_id(runtime, name: str) -> str:
    return next(str(r["id"]) for r in runtime.netsuite.suiteql("SELECT id, fullname FROM account ORDER BY id")
                if r.get("fullname") == name)


def test_the_payout_deposit_is_the_third_leg_naming_both_amounts(runtime):
    """With [settlement] bank_account set, the deposit dated on or after the deposit-date must equal the total."""
    from connectors.settlement_file import open_settlement
    from syncproof.settlement_verification import verify_settlement

    posted = post_settlement(runtime, seed=910000013, non_order=REIMBURSED, bank_account="Amazon Settlement Bank")
    with open_settlement(posted.content) as settlement:
        summary = settlement.summary
    verified = verify_settlement(runtime.netsuite, posted.config, posted.content)
    assert verified.bank is not None and not verified.bank.passed and "no deposit" in verified.bank.message
    bank, clearing = _account_id(runtime, "Amazon Settlement Bank"), _account_id(runtime, "Amazon Clearing")
    day = summary.deposit_date.date().isoformat()
    runtime.netsuite.create("deposit", {"account": {"id": bank}, "tranDate": day, "other": {"items": [
        {"account": {"id": clearing}, "amount": summary.total.amount - Decimal("0.01")}]}})
    verified = verify_settlement(runtime.netsuite, posted.config, posted.content)
    assert not verified.bank.passed
    assert str(summary.total.rounded()) in verified.bank.message
    assert str((summary.total - summary.total.__class__("0.01", "USD")).rounded()) in verified.bank.message
    runtime.netsuite.create("deposit", {"account": {"id": bank}, "tranDate": day, "other": {"items": [
        {"account": {"id": clearing}, "amount": summary.total.amount}]}})  # the payout as the bank shows it
    verified = verify_settlement(runtime.netsuite, posted.config, posted.content)
    assert verified.bank.passed, verified.bank.message
    assert verified.tie.mismatches == []


def test_a_settlement_item_missing_in_netsuite_fails_naming_it(runtime):
    """A fee type without its settlement item cannot be posted: the status names the item (nothing half-posted)."""
    posted = post_settlement(runtime, seed=910000014, non_order=(
        ("other-transaction", "other-transaction", "Vine Fee", Decimal("-5.00"), 2),), )
    assert posted.outcome.status == "posted"  # Create Settlement Items made "other.vine" too
    item = next(r for r in runtime.netsuite.suiteql("SELECT id, itemid FROM item ORDER BY id")
                if r.get("itemid") == "other.vine")
    runtime.sandbox.netsuite.delete("otherChargeSaleItem", str(item["id"]))
    again = post_settlement(runtime, seed=910000015, non_order=(
        ("other-transaction", "other-transaction", "Vine Fee", Decimal("-5.00"), 2),), create_items=False)
    assert again.outcome.status == "failed" and "other.vine" in again.outcome.reason
    assert settlement_footprint(runtime.netsuite, again.settlement_id).lines == ()
