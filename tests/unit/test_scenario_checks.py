"""The scenario verdicts of :mod:`syncproof.checks`: each passes on the right records and fails, naming what
differs, on the wrong ones. Pure functions: the records are built here, no system is called."""

from __future__ import annotations

from dataclasses import dataclass

from syncproof import checks
from syncproof.verdict import FailureCategory


@dataclass
class _Error:
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"reason": self.reason}


@dataclass
class _Result:
    refund_id: str
    status: str
    reason: str | None = None


def test_a_refund_exception_must_name_its_order():
    named = checks.refund_reported_as_exception("R1", "1001", [_Error("order 1001 was never synced")])
    assert named.passed and named.check_id == "RS-MN-1"
    other = checks.refund_reported_as_exception("R1", "1001", [_Error("order 2002 was never synced")])
    assert not other.passed and "not reported as an exception" in other.message
    assert other.category is FailureCategory.DATA_MISMATCH
    assert not checks.refund_reported_as_exception("R1", "1001", []).passed


def test_an_unlinked_netsuite_refund_must_be_reported_not_pushed():
    reported = [_Result("77", "exception", "cash refund 77 not pushed: no synced order")]
    assert checks.unlinked_refund_reported("77", reported).passed
    pushed = checks.unlinked_refund_reported("77", [_Result("77", "created")])
    assert not pushed.passed and "neither pushed nor reported" in pushed.message
    assert not checks.unlinked_refund_reported("77", []).passed


def test_record_counts_and_echoes():
    rows = [{"id": "5", "type": "CashRfnd", "externalid": "x"}]
    assert checks.no_refund_records([], where="r").passed
    assert not checks.no_refund_records(rows, where="r").passed
    assert checks.one_refund_record(rows, where="r").passed
    assert not checks.one_refund_record(rows * 2, where="r").passed
    assert checks.only_netsuite_refund("5", rows, where="o").passed
    assert not checks.only_netsuite_refund("5", rows + [{"id": "6"}], where="o").passed
    assert checks.only_channel_refund("shopify", "R1", ["R1"], where="o").passed
    echoed = checks.only_channel_refund("shopify", "R1", ["R1", "R2"], where="o")
    assert not echoed.passed and echoed.title == "shopify refunds on the order"
    assert checks.no_connector_refunds([], where="o").passed
    assert not checks.no_connector_refunds([{"channel_refund_id": "R1"}], where="o").passed


def test_reruns_and_the_connector_that_never_synced():
    assert checks.rerun_unchanged("unchanged", what="sync", where="refund R1").passed
    created = checks.rerun_unchanged("created", what="import", where="settlement 9")
    assert not created.passed and created.title == "second import outcome" and created.check_id == "KC-2"
    assert checks.rerun_unchanged(None, what="sync", where="r").actual == "absent"
    never = checks.order_never_synced("amazon", "111-1", "not synced in 4 connector cycles")
    assert not never.passed and never.check_id == "KC-3"
    assert never.category is FailureCategory.SYNC_DID_NOT_HAPPEN


def test_settings_verdicts():
    assert checks.settings_shown({"direction": "to_netsuite"}, {"direction": "to_netsuite", "restock": "true"},
                                 where="shopify").passed
    assert not checks.settings_shown({"direction": "to_netsuite"}, {}, where="shopify").passed
    assert checks.setting_refused(ValueError("customer_refund needs a payment method"), "payment method").passed
    accepted = checks.setting_refused(None, "payment method")
    assert not accepted.passed and accepted.category is FailureCategory.CONFIGURATION
    assert not checks.setting_refused(ValueError("something else"), "payment method").passed
    assert checks.settings_unchanged({"a": 1}, {"a": 1}, where="s").passed
    assert not checks.settings_unchanged({"a": 1}, {"a": 2}, where="s").passed
    assert checks.refund_records_as_stated(["credit memo", "return authorization"],
                                           ["return authorization", "credit memo"], where="r").passed
    assert not checks.refund_records_after_change(["cash refund"], ["credit memo"], where="r").passed
    assert not checks.refund_records_before_change(["credit memo"], [], where="r").passed


def test_settlement_verdicts():
    found = [{"what": "order_fee.Commission", "order": "111-1", "netsuite": "CashSale 4"},
             {"what": "summary cash sale for the non-order amounts", "netsuite": "CashSale 9"},
             {"what": "sale", "order": "111-2", "netsuite": "CashSale 5"}]
    assert checks.fees_on_billed_records(found, ["111-1"], settlement_id="9").passed
    assert not checks.fees_on_billed_records(found, ["111-1", "111-2"], settlement_id="9").passed
    assert checks.summary_transactions([("cash sale", "non-order amounts")], found, settlement_id="9").passed
    assert not checks.summary_transactions([("cash refund", "non-order amounts")], found, settlement_id="9").passed
    assert checks.nothing_posted([found[2]], [], settlement_id="9").passed
    assert not checks.nothing_posted(found, [], settlement_id="9").passed
    assert checks.settlement_too_early("9", "too_early", "the first qualifying start is 2026-11-01",
                                       "2026-11-01").passed
    assert not checks.settlement_too_early("9", "posted", None, "2026-11-01").passed


def test_the_audit_must_not_write():
    assert checks.audit_read_only(0, {"netsuite": 4}).passed
    wrote = checks.audit_read_only(1, {"netsuite": 4})
    assert not wrote.passed and "1 write request" in wrote.message
