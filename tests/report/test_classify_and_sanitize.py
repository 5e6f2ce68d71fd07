"""Failure categories and the report's second-line redaction."""

from __future__ import annotations

import pytest

from connectors import AuthenticationFailed, Exchange, NetSuiteError, ShopifyError
from connectors.amazon import AmazonClient
from syncproof.report import recorder
from syncproof.report.classify import classify, reason_of
from syncproof.report.records import ScenarioRecord, StepRecord
from syncproof.report.sanitize import MAX_BODY_CHARS, REDACTED, add_literals, clear_literals, mask_identifier, scrub
from syncproof.verdict import CheckFailed, CheckResult, FailureCategory


class SyncproofConfigError(Exception):
    pass


class Categorised(Exception):
    category = FailureCategory.SYNC_DID_NOT_HAPPEN


def failed(category=FailureCategory.DATA_MISMATCH):
    return CheckFailed(CheckResult.compare("RS-MN-3", "refund total", expected="1.00", actual="2.00",
                                           where="order #1", category=category))


@pytest.mark.parametrize("exc, category", [
    (failed(), "data mismatch"),
    (failed(FailureCategory.SYNC_DID_NOT_HAPPEN), "sync did not happen"),
    (NetSuiteError("bad field", status=400), "API error"),
    (ShopifyError("userErrors", status=200), "API error"),
    (AuthenticationFailed("401 from NetSuite"), "API error"),
    (SyncproofConfigError("missing [netsuite].account"), "configuration"),
    (Categorised("no refund after 300 s"), "sync did not happen"),
    (AssertionError("refund for order 1001 did not sync within 300 s"), "sync did not happen"),
    (TimeoutError("polling"), "sync did not happen"),
    (AssertionError("3 != 4"), "data mismatch"),
    (KeyError("sku"), "data mismatch"),
])
def test_classify(exc, category):
    assert classify(exc) == category


def test_category_attribute_wins_over_connector_type():
    exc = NetSuiteError("x", status=500)
    exc.category = "configuration"
    assert classify(exc) == "configuration"


def test_reason_is_one_line():
    assert reason_of(failed()) == "refund total differs for order #1: expected 1.00, found 2.00"
    assert reason_of(KeyError("sku")) == "KeyError: 'sku'"
    assert reason_of(AssertionError("first\nsecond")) == "first"


def test_scrub_redacts_secret_names_and_header_dumps():
    data = {"headers": {"Authorization": "Bearer abc", "Accept": "json"},
            "body": {"refresh_token": "r1", "total": "10.00"},
            "raw": "GET /x\nAuthorization: Bearer abc\nAccept: json"}
    out = scrub(data)
    assert out["headers"] == {"Authorization": REDACTED, "Accept": "json"}
    assert out["body"] == {"refresh_token": REDACTED, "total": "10.00"}
    assert "abc" not in out["raw"] and "Accept: json" in out["raw"]


def test_scrub_bounds_bodies_and_masks_literals():
    add_literals("TSTDRV1234567")
    try:
        out = scrub({"url": "https://tstdrv1234567.example/TSTDRV1234567", "body": "x" * (MAX_BODY_CHARS + 50)})
    finally:
        clear_literals()
    assert "TSTDRV1234567" not in out["url"] and mask_identifier("TSTDRV1234567") in out["url"]
    assert out["body"].startswith("x" * MAX_BODY_CHARS) and "50 more characters" in out["body"]


def test_mask_identifier():
    assert mask_identifier("TSTDRV1234567") == "TST•••••••567"
    assert mask_identifier("acme") == "••••"
    assert mask_identifier(mask_identifier("TSTDRV1234567")) == mask_identifier("TSTDRV1234567")


def test_record_functions_attach_to_running_step_and_are_noops_outside():
    recorder.record_note("nobody listening")  # no scenario: nothing happens, nothing raised
    record = ScenarioRecord(nodeid="t::x", feature={"name": "F", "file": "f.feature"}, rule=None,
                            keyword="Scenario", name="x", description="", line=1, tags=["AS-3"],
                            example={}, steps=[StepRecord("Given", "a", 2), StepRecord("Then", "b", 3)])
    recorder._activate(record)
    try:
        record.steps[1].status = "running"
        body = '{"access_token": "tok-999", "rows": "' + "y" * (MAX_BODY_CHARS * 2) + '"}'
        redactor = AmazonClient.default_redactor()  # the plumbing's secret names and SP-API's
        recorder.record_exchange(Exchange("amazon", "GET", "https://sp.example/x", 200, 5.0,
                                          redactor.header_items([("x-amz-access-token", "tok-999")]),
                                          "", {}, redactor.body(body.encode(), "application/json")))
        recorder.record_check(CheckResult.compare("AS-3", "balance", expected="1.00", actual="1.00", where="s1"))
        recorder.record_settlement({"id": "s1", "balance": {"amount": "1.00", "currency": "USD"}})
    finally:
        recorder._activate(None)
    [exchange] = record.steps[1].exchanges
    assert "tok-999" not in str(exchange)
    assert len(exchange["response_body"]) < MAX_BODY_CHARS + 100
    assert record.checks[0]["step"] == 1 and record.settlements[0]["balance"]["amount"] == "1.00"


def test_run_metadata_masks_account_and_store_ids_only():
    from syncproof.report.environment import mask_metadata

    try:
        out = mask_metadata({"target": "live", "netsuite_account": "TSTDRV1234567",
                             "netsuite_account_kind": "sandbox", "shopify_store": "acme-test.myshopify.com",
                             "go_live": "2026-12-01", "stores": {"amazon": "A1B2C3D4E5"},
                             "amazon_seller_id": "sandbox emulator"})
        assert scrub("see acme-test.myshopify.com") == "see " + mask_identifier("acme-test.myshopify.com")
    finally:
        clear_literals()
    assert out["netsuite_account"] == "TST•••••••567" and out["netsuite_account_kind"] == "sandbox"
    assert "acme-test" not in out["shopify_store"] and out["stores"]["amazon"] == "A1••••••E5"
    assert out["go_live"] == "2026-12-01" and out["target"] == "live"
    assert out["amazon_seller_id"] == "sandbox emulator"
