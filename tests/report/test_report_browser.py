"""The report in a real browser: filters, search, evidence, printing, and reading with JS off."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from syncproof.report.html import render_html
from syncproof.report.results import build_results
from tests.report.test_report_sections import WITH_EXCEPTIONS
from tests.report.test_report_sections import scenario as settlement_scenario

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore")]

CHROMIUM = "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "reports" / "out"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} is not installed (apt install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def report_url(project) -> str:
    run = project.shared_run("-W", "ignore::pytest.PytestUnknownMarkWarning")
    return (run.out / "report.html").as_uri()


def scenario(page, name: str):
    return page.locator("details.scenario", has=page.locator(".sname", has_text=name))


def test_filter_search_and_expand_evidence(browser, report_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.goto(report_url)
    assert page.locator(".verdict-word").inner_text() == "REJECTED"
    assert page.locator("#f-count").inner_text() == "Showing 6 of 6 scenarios"

    full, partial = scenario(page, "Full refund of order 1001"), scenario(page, "Partial refund of order 2002")
    assert full.is_visible() and partial.is_visible()

    page.get_by_role("button", name="Failed", exact=True).click()
    assert partial.is_visible() and not full.is_visible()
    assert page.locator("#f-count").inner_text() == "Showing 2 of 6 scenarios"

    page.get_by_role("button", name="All", exact=True).click()
    page.fill("#f-search", "SKU-RED-1")
    page.wait_for_function("document.getElementById('f-count').textContent.startsWith('Showing 1 ')")
    assert full.is_visible() and not partial.is_visible()

    page.fill("#f-search", "")
    page.select_option("#f-channel", "amazon")
    page.wait_for_function("document.getElementById('f-count').textContent === 'Showing 3 of 6 scenarios'")
    assert partial.is_visible() and not full.is_visible()
    page.select_option("#f-channel", "")

    evidence = partial.locator("table.checks details.evidence").first
    exchange = evidence.locator("details.exchange").first
    assert not exchange.is_visible()
    evidence.locator("summary").first.click()
    assert exchange.is_visible()
    headers = exchange.locator(".exchange-body")
    assert not headers.is_visible()
    exchange.locator("summary").click()
    assert headers.is_visible() and "[redacted]" in headers.inner_text()
    assert "secret-token-123" not in page.content()

    page.locator("tr.mrow[data-check='AS-3'] th.cid").click()
    assert page.locator("#f-count").inner_text() == "Showing 1 of 6 scenarios"
    page.locator("#f-check").select_option("")

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / "report-browser.png"), full_page=True)
    assert all(url.startswith("file://") for url in requests), requests  # nothing fetched from the network
    page.close()


def test_print_leaves_the_appendix_out_unless_ticked(browser, report_url):
    page = browser.new_page()
    page.goto(report_url)
    page.get_by_role("button", name="Failed", exact=True).click()
    full = scenario(page, "Full refund of order 1001")
    page.emulate_media(media="print")
    assert page.locator("#matrix").is_visible() and page.locator("#signoff").is_visible()
    assert not full.is_visible() and not page.locator("#toolbar").is_visible()
    page.emulate_media(media="screen")
    page.check("#print-appendix")
    page.emulate_media(media="print")
    assert full.is_visible()  # filters do not hide anything on paper
    assert full.locator("ol.steps").is_visible()  # closed details print expanded
    page.close()


def test_a_matrix_link_lands_below_the_sticky_toolbar_and_expand_all_opens_every_scenario(browser, report_url):
    page = browser.new_page(viewport={"width": 1280, "height": 700})
    page.goto(report_url)
    page.locator("#matrix a.sclink", has_text="Partial refund of order 2002").click()
    target = scenario(page, "Partial refund of order 2002")
    page.wait_for_function("location.hash.length > 1")
    toolbar_bottom = page.locator("#toolbar").bounding_box()["y"] + page.locator("#toolbar").bounding_box()["height"]
    assert target.locator("> summary").bounding_box()["y"] >= toolbar_bottom - 1  # not hidden under the toolbar
    page.click("#expand-all")
    page.wait_for_function("[...document.querySelectorAll('details.scenario')].every(d => d.open)")
    assert page.locator("details.exchange[open]").count() == 0  # evidence stays folded
    page.close()


def test_reads_with_javascript_off(browser, report_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(report_url)
    assert not page.locator("#toolbar").is_visible()  # controls that need JS are not shown
    full = scenario(page, "Full refund of order 1001")
    steps = full.locator("ol.steps")
    assert not steps.is_visible()
    full.locator("summary").first.click()
    assert steps.is_visible()
    context.close()


def test_an_exception_s_order_id_stays_on_one_line_in_a_narrow_card(browser, tmp_path):
    """Two settlement cards side by side leave the exceptions table little room: the order id must not break
    at its dashes (a consultant reads it and copies it into NetSuite's search)."""
    results = build_results([settlement_scenario("Settlement with exceptions", ["AS-4", "amazon"],
                                                 ["an amazon settlement"], [WITH_EXCEPTIONS, WITH_EXCEPTIONS])])
    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(results), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 900})  # two cards a row
    page.goto(page_file.as_uri())
    cell = page.locator("table.exceptions td", has_text="112-0579868-2828807").first
    lines = cell.evaluate("td => { const r = document.createRange(); r.selectNodeContents(td);"
                          " return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }")
    assert lines == 1
    page.close()
