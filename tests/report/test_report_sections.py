"""The report's sections rendered from a results document: settlements, matrix marks, configuration, print."""

from __future__ import annotations

import re

import pytest

from syncproof.config import parse_config
from syncproof.connector_defects import DEFECT_ENV
from syncproof.report.configuration import configuration_under_test
from syncproof.report.html import netsuite_links, readable, render_html, tie_out
from syncproof.report.records import ScenarioRecord, StepRecord, label_of, with_articles
from syncproof.report.results import build_results

FEATURE = {"name": "Settlements", "keyword": "Feature", "file": "features/s.feature", "description": "",
           "tags": [], "line": 1}


def usd(amount: str) -> dict:
    return {"amount": amount, "currency": "USD"}


def scenario(name: str, tags: list[str], steps: list[str], settlements=(), status="passed", line=3) -> dict:
    return ScenarioRecord(
        nodeid=f"s.py::test_{line}", feature=FEATURE, rule=None, keyword="Scenario", name=name, description="",
        line=line, tags=tags, example={}, status=status, settlements=list(settlements),
        steps=[StepRecord("Given", text, line + 1 + i, status=status) for i, text in enumerate(steps)]).to_json()


WITH_EXCEPTIONS = {
    "id": "1943591361", "status": "posted_with_exceptions", "currency": "USD",
    "period": {"start": "2026-10-06", "end": "2026-10-20"}, "rows": 20,
    "balance": {"total_amount": usd("-76.42"), "rows_sum": usd("-76.42"), "difference": usd("0.00"),
                "balanced": True},
    "posted": usd("-198.24"), "exceptions_total": usd("121.82"), "deposit": usd("-76.42"),
    "netsuite_record": "deposit 1013", "totals_by_transaction_type": {"Order": "210.17"},
    "exceptions": [{"order_id": "112-0579868-2828807", "amount": "121.82", "transaction_types": ["Order", "Refund"],
                    "reason": "order 112-0579868-2828807 was never synced"}],
}
TOO_EARLY = {
    "id": "3839633851", "status": "too_early", "currency": "USD", "rows": 5,
    "balance": {"total_amount": usd("333.42"), "rows_sum": usd("333.42"), "difference": usd("0.00"),
                "balanced": True},
    "posted": usd("0.00"), "exceptions_total": usd("0.00"), "deposit": "not posted", "netsuite_record": None,
    "exceptions": [], "go_live": "2026-09-01",
    "reason": "settlement 3839633851 starts 2026-09-08, fewer than 3 weeks after go-live (2026-09-01)",
}


@pytest.fixture
def results() -> dict:
    return build_results([
        scenario("Settlement with exceptions", ["AS-4", "amazon"], ["an amazon settlement"], [WITH_EXCEPTIONS]),
        scenario("Settlement too early", ["AS-2", "amazon"], ["an amazon settlement"], [TOO_EARLY], line=9),
        scenario("A setting is changed", ["RS-SET-1"], ["shopify refunds sync to NetSuite"], line=15),
    ], metadata={"target": "live", "netsuite_account": "1234567_SB1",
                 "configuration": {"refund settings": {"shopify": {"invoice_refund": "credit_memo"}},
                                   "fault plan": "none"}})


def card(html: str, settlement_id: str) -> str:
    start = html.index(f'data-settlement="{settlement_id}"')
    return html[start:html.index("</article>", start)]


def test_a_card_states_its_status_the_tie_out_and_links_the_netsuite_record(results):
    text = card(render_html(results), "1943591361")
    assert "Posted with exceptions" in text
    assert re.search(r"Posted</span> <span class=\"num\">-198.24 USD</span> \+\s*<span class=\"lbl\">exceptions"
                     r"</span> <span class=\"num\">121.82 USD</span>\s*=", text)
    assert ('href="https://1234567-sb1.app.netsuite.com/app/accounting/transactions/transaction.nl?id=1013"'
            in text)
    assert "<td>Order, Refund</td>" in text and '["Order"' not in text  # types read as words, not JSON


def test_a_too_early_card_says_why_and_claims_nothing_posted(results):
    text = card(render_html(results), "3839633851")
    assert "Too early: not posted" in text and "fewer than 3 weeks after go-live" in text
    assert "Every row was posted" not in text and "Passed" not in text
    assert "Go-live (this scenario)" in text and "2026-09-01" in text


def test_the_matrix_credits_the_channels_scenarios_touch_and_marks_not_applicable(results):
    rows = {row["id"]: {k: v for k, v in row["by_channel"].items() if k in ("shopify", "amazon")}
            for row in results["matrix"]}  # the two channels these results ran
    assert rows["RS-SET-1"] == {"shopify": "passed", "amazon": "not-covered"}
    assert rows["AS-2"] == {"shopify": "not-applicable", "amazon": "passed"}
    assert rows["RS-NM-1"] == {"shopify": "not-covered", "amazon": "not-applicable"}
    html = render_html(results)
    assert 'title="Amazon: not applicable"' in html and 'title="Shopify: not covered"' in html


def test_run_details_show_the_configuration_under_test(results):
    html = render_html(results)
    section = html[html.index('<section id="run">'):html.index('<section id="signoff"')]
    assert "Configuration under test" in section and "credit_memo" in section and "Fault plan" in section


def test_print_leaves_the_appendix_out_unless_asked():
    css = render_html(build_results([scenario("x", [], ["y"])], metadata={"target": "sandbox"}))
    assert "#scenarios { display: none; }" in css and "body.print-appendix #scenarios { display: block;" in css


def test_links_without_a_real_account():
    assert netsuite_links("deposit 7", {"target": "sandbox", "netsuite_account": "sandbox emulator"})[0]["url"] is None
    masked = netsuite_links(["journal entry 9"], {"target": "live", "netsuite_account": "12•••••_SB1"})[0]
    assert masked["url"] == "https://system.netsuite.com/app/accounting/transactions/transaction.nl?id=9"


def test_tie_out_and_readable_values():
    assert tie_out(WITH_EXCEPTIONS)["holds"] is True
    assert tie_out({**WITH_EXCEPTIONS, "posted": usd("-198.25")})["holds"] is False
    assert readable(["Order", "Refund"]) == "Order, Refund" and readable({"a_b": usd("1.00")}) == "a b 1.00 USD"


def test_example_rows_are_told_apart_and_articles_fit():
    assert with_articles("A refund on a amazon order", {"channel": "amazon"}) == "A refund on an amazon order"
    assert with_articles("A refund on a shopify order", {"channel": "shopify"}) == "A refund on a shopify order"
    label = label_of("An invalid setting is refused", {"key": "restock"})
    assert label == "An invalid setting is refused (key restock)"
    assert label_of("Changing restock", {"key": "restock"}) == "Changing restock"


def test_the_configuration_shows_the_connector_defects_the_environment_sets_over_the_files(monkeypatch):
    cfg = parse_config({"project": {"target": "sandbox"}, "sandbox": {"connector_defects": "cent_off"}})
    monkeypatch.delenv(DEFECT_ENV, raising=False)
    assert configuration_under_test(cfg)["connector defects"] == "cent_off"
    monkeypatch.setenv(DEFECT_ENV, "refund_not_linked@full_refund and shopify")
    assert configuration_under_test(cfg)["connector defects"] == "refund_not_linked@full_refund and shopify"
    monkeypatch.setenv(DEFECT_ENV, "")  # set and empty: no defect, whatever the file says
    assert configuration_under_test(cfg)["connector defects"] == "none"
