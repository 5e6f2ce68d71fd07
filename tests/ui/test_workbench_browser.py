"""syncproof ui end to end: Chromium drives the page, the page drives a real sandbox run."""

from __future__ import annotations

import json
import os
import socket
import threading
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.filterwarnings("ignore")]

CHROMIUM = "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[2]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
RUN_TIMEOUT_MS = 240_000  # a ceiling for the sandbox run, not a timing goal

if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} is not installed (apt install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def workbench(tmp_path):
    from syncproof.ui import create_app

    reports = tmp_path / "reports"
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(root=REPO, report_dir=reports), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        thread.join(0.05)
    yield f"http://127.0.0.1:{port}", reports
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # nothing kept from another test
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.requests = requests
    yield page
    context.close()


def shots() -> Path | None:
    folder = os.environ.get("SYNCPROOF_SHOTS")
    return Path(folder) if folder else None


def shot(page, name: str) -> None:
    if shots():
        shots().mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots() / f"{name}.png"), full_page=True)


def pick(page, *names: str) -> None:
    page.click("#select-none")
    for name in names:
        page.locator(".scenario-pick", has_text=name).locator("input").check()


def outline_examples(page, name: str) -> list[str]:
    """The example labels the page lists under outline ``name`` (opening its list)."""
    examples = page.locator(".scenario-pick", has_text=name).locator("xpath=following-sibling::*[1]")
    examples.locator("summary").click()
    return examples.locator("li").all_inner_texts()


def test_the_page_counts_scenarios_as_the_report_does_and_lists_each_outlines_examples(workbench, page):
    """A Scenario Outline's every example row is a scenario of its own in the run and the report: the page's
    count is theirs (with the definitions beside it), and an outline shows its examples under the report's
    labels, to be read before picking it."""
    from syncproof.ui.catalog import catalog

    definitions = [s for f in catalog(REPO / "features")["features"] for s in f["scenarios"]]
    scenarios = sum(max(s["examples"], 1) for s in definitions)
    assert scenarios > len(definitions)
    url, _ = workbench
    page.goto(url)
    page.wait_for_selector(".scenario-pick")
    assert page.locator("#selection").inner_text() == (
        f"{scenarios} of {scenarios} scenarios selected ({len(definitions)} of {len(definitions)} definitions; each "
        "Scenario Outline example is a scenario, as in the report)")
    outline = next(s for s in definitions if s["name"] == "An invalid setting is refused with its reason")
    pick(page, outline["name"])
    assert page.locator("#selection").inner_text().startswith(
        f"{outline['examples']} of {scenarios} scenarios selected (1 of {len(definitions)} definitions")
    listed = outline_examples(page, outline["name"])
    assert len(listed) == outline["examples"] >= 2
    assert "An invalid setting is refused with its reason (key restock, value sometimes, message choose one of: " \
        "return, cancel, no_restock)" in listed
    shot(page, "ui-examples")
    single = next(s for s in definitions if s["examples"] == 1)
    summary = page.locator(".scenario-pick", has_text=single["name"]).locator("xpath=following-sibling::*[1]/summary")
    assert summary.inner_text() == "Scenario Outline · 1 example, a scenario in the report; picking the outline runs it"
    page.click("#select-none")
    assert page.locator("#selection").inner_text().startswith(f"0 of {scenarios} scenarios selected (0 of ")


def test_run_watch_do_a_manual_step_sign_off_and_verify(workbench, page, tmp_path):
    url, reports = workbench
    page.goto(url)
    page.wait_for_selector(".scenario-pick")
    assert page.locator("#preflight li.ok").first.inner_text().startswith("config")
    assert "DEMO" in page.locator("#preflight").inner_text()
    pick(page, "A partial refund on <channel> of one line")
    listed = outline_examples(page, "A partial refund on <channel> of one line")
    assert page.locator("#selection").inner_text().startswith(f"{len(listed)} of ")
    assert "(1 of " in page.locator("#selection").inner_text()
    shot(page, "ui-pick")
    page.click("#start")

    page.wait_for_selector("#person:not([hidden])", timeout=RUN_TIMEOUT_MS)
    instructions = page.locator("#person-instructions").inner_text()
    assert "In Seller Central, open order" in instructions and "refund 1" in instructions
    assert page.locator("#run-state").inner_text() == "waiting for you"
    assert page.locator(".scenario.st-running .steps li.running").count() == 1  # the step that waits
    shot(page, "ui-manual-step")
    screenshot = tmp_path / "seller-central.png"
    screenshot.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    page.fill("#person-note", "refund issued in Seller Central")
    page.set_input_files("#person-file", str(screenshot))
    page.click("#person-done")

    page.wait_for_selector("#verdict:not([hidden])", timeout=RUN_TIMEOUT_MS)
    assert page.locator("#verdict b").inner_text() == "DEMO"
    page.wait_for_function("document.getElementById('run-state').textContent === 'finished'",
                           timeout=RUN_TIMEOUT_MS)
    ran = page.locator(".scenario").count()  # one per channel the outline has rows for, Amazon's the manual one
    assert ran >= 2 and page.locator(".scenario.st-passed").count() == ran
    names = page.eval_on_selector_all(".scenario .name", "nodes => nodes.map(n => n.firstChild.textContent)")
    assert names == listed  # the examples it listed, as it named them (the check id chips after the name)
    assert page.locator(".scenario.st-failed").count() == 0
    shot(page, "ui-finished")

    page.fill("#so-name", "Dana Reyes")
    page.fill("#so-role", "Finance lead, Acme")
    page.select_option("#so-decision", "accepted")
    page.click("#signoff-form button[type=submit]")
    page.wait_for_selector("#signoff-result.bad")
    assert "the run is DEMO" in page.locator("#signoff-result").inner_text()
    page.select_option("#so-decision", "conditional")
    page.fill("#so-comment", "Rehearsal only; repeat on live")
    page.click("#signoff-form button[type=submit]")
    page.wait_for_selector("#signoff-result.good")
    assert "Verify: OK" in page.locator("#signoff-result").inner_text()
    page.wait_for_selector("#runs tr td:has-text('conditional')")
    shot(page, "ui-signed")

    from syncproof.report import verify

    results = json.loads((reports / "results.json").read_text())
    assert results["signoff"]["decision"] == "conditional" and results["verdict"]["status"] == "demo"
    assert verify(reports / "results.json").ok
    notes = [n for f in results["features"] for s in f["scenarios"] for n in s["notes"]]
    assert any("refund issued in Seller Central" in n and "Screenshot: evidence/" in n for n in notes)
    assert len(list((reports / "evidence").iterdir())) == 1

    report = page.context.browser.new_page(viewport={"width": 1280, "height": 900})
    report.goto(f"{url}/report/{results['run']['id']}")
    assert report.locator(".decision-word").inner_text() == "CONDITIONAL"
    assert "Rehearsal only" in report.locator(".decision-comment").inner_text()
    shot(report, "ui-report")
    assert all(u.startswith(url) for u in page.requests), page.requests  # nothing from the network


def test_a_run_stops_cleanly(workbench, page):
    url, reports = workbench
    page.goto(url)
    page.wait_for_selector(".scenario-pick")
    page.uncheck("#interactive")
    page.click("#start")
    page.wait_for_selector(".scenario", timeout=RUN_TIMEOUT_MS)
    page.click("#stop")
    page.wait_for_function("['stopped', 'finished'].includes(document.getElementById('run-state').textContent)",
                           timeout=RUN_TIMEOUT_MS)  # the run has ended, one way or the other
    results = json.loads((reports / "results.json").read_text())  # the report of what ran, whole
    counts = results["summary"]["scenarios"]
    assert page.locator("#run-state").inner_text() == "stopped", (counts, results["verdict"])
    assert counts["not-run"] > 0 and not list(reports.rglob("*.part")), (counts, results["verdict"])


def test_an_answer_the_page_asked_for_before_the_run_is_not_applied_to_it(workbench, page):
    url, reports = workbench
    held = []

    def hold_the_first_look(route):
        if not held:
            held.append(route)  # the page's look at the current run when it loads, before any run
        else:
            route.continue_()

    page.route("**/api/runs/current*", hold_the_first_look)
    page.goto(url)
    page.wait_for_selector(".scenario-pick")
    page.uncheck("#interactive")
    pick(page, "A partial refund on <channel> of one line")
    page.click("#start")
    page.wait_for_selector(".scenario", timeout=RUN_TIMEOUT_MS)
    held[0].continue_()  # answered now, with the run's events from its first one
    page.wait_for_function("['stopped', 'finished'].includes(document.getElementById('run-state').textContent)",
                           timeout=RUN_TIMEOUT_MS)
    shown = page.eval_on_selector_all(".scenario", "nodes => nodes.map(n => n.dataset.nodeid)")
    assert len(shown) >= 2 and len(shown) == len(set(shown)), shown
    assert page.locator(".scenario.st-passed").count() == len(shown)


def test_a_run_that_ends_without_a_report_shows_so_and_is_no_longer_watched(workbench, page):
    """A live run on an account nobody declared a test store refuses to start: it ends at once, before any
    report. The page shows it ended without one, with the line the run printed, and stops asking for its state:
    a minute of the page's timers (Playwright's clock, no waiting) makes no further look."""
    url, reports = workbench
    looks: list[str] = []
    page.on("request", lambda request: looks.append(request.url) if "/api/runs/current" in request.url else None)
    page.clock.install()
    page.goto(url)
    page.wait_for_selector(".scenario-pick")
    page.select_option("#target", "live")
    page.click("#start")
    page.wait_for_selector("#verdict.v-none:not([hidden])", timeout=RUN_TIMEOUT_MS)
    assert page.locator("#run-state").inner_text() == "finished"
    assert page.locator("#verdict b").inner_text() == "NO REPORT"
    assert "exit code 2" in page.locator("#verdict").inner_text()
    assert "refusing to run" in page.locator("#verdict p").inner_text()
    assert not (reports / "results.json").exists()
    assert page.locator("#start").is_enabled() and not page.locator("#stop").is_enabled()

    page.clock.pause_at(page.evaluate("Date.now()"))
    before = len(looks)
    page.clock.run_for(60_000)
    with page.expect_response("**/api/history"):  # a request the page makes after any look the timers made
        page.evaluate("fetch('/api/history')")
    assert len(looks) == before, looks[before:]
