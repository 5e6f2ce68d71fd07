"""The printed report as a PDF, through headless Chromium (Playwright).

The print layout is the report's own ``@media print`` styles: summary, matrix,
settlements, failures, configuration and sign-off; the appendix of scenarios and
HTTP evidence only with ``appendix=True``. Uses Debian's ``/usr/bin/chromium``
(or ``$SYNCPROOF_CHROMIUM``); nothing is downloaded.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from ..errors import SyncproofError
from .html import render_html
from .results import load_results

__all__ = ["CHROMIUM_ARGS", "chromium_path", "count_pages", "write_pdf"]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def chromium_path() -> str:
    """The Chromium to print with: ``$SYNCPROOF_CHROMIUM`` or ``/usr/bin/chromium``."""
    return os.environ.get("SYNCPROOF_CHROMIUM", "/usr/bin/chromium")


def count_pages(pdf: bytes) -> int:
    """The number of pages of a PDF Chromium wrote (its page objects are uncompressed)."""
    return len(_PAGE.findall(pdf))


def write_pdf(results_path: Path | str, out: Path | str | None = None, *, appendix: bool = False) -> tuple[Path, int]:
    """Print the report of ``results_path`` to ``out`` (default ``report.pdf`` next to it); (path, pages)."""
    results = load_results(results_path)
    target = Path(out) if out else Path(results_path).with_name("report.pdf")
    chromium = chromium_path()
    if not os.path.exists(chromium):
        raise SyncproofError(f"cannot write {target.name}: Chromium is not installed at {chromium}",
                             "install it (apt install chromium), set SYNCPROOF_CHROMIUM, or print report.html "
                             "from a browser")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise SyncproofError(f"cannot write {target.name}: Playwright is not installed",
                             "pip install playwright (no browser download is needed)") from None
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "report.html"
        page_file.write_text(render_html(results), encoding="utf-8")
        partial = target.with_name(f".{target.name}.part")  # renamed into place when complete
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                try:
                    page = browser.new_page()
                    page.goto(page_file.as_uri())
                    if appendix:
                        page.evaluate("document.body.classList.add('print-appendix')")
                    page.pdf(path=str(partial), format="A4", print_background=True, display_header_footer=True,
                             header_template="<span></span>",
                             footer_template='<div style="font-size:8px;width:100%;text-align:center;color:#666">'
                                             '<span class="pageNumber"></span> / <span class="totalPages"></span>'
                                             '</div>',
                             margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"})
                finally:
                    browser.close()
        except PlaywrightError as exc:
            partial.unlink(missing_ok=True)
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SyncproofError(f"cannot write {target.name}: Chromium failed: {first}",
                                 "check that Chromium starts (chromium --headless --version)") from None
        data = partial.read_bytes()
        os.replace(partial, target)
    return target, count_pages(data)
