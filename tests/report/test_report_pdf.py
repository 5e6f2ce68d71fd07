"""syncproof report pdf: the printed report through headless Chromium."""

from __future__ import annotations

import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore")]

if not os.path.exists("/usr/bin/chromium"):
    pytest.skip("/usr/bin/chromium is not installed (apt install chromium)", allow_module_level=True)


def test_report_pdf_prints_the_summary_and_the_appendix_on_request(project, tmp_path):
    from syncproof.report.pdf import write_pdf

    run = project.shared_run("-W", "ignore::pytest.PytestUnknownMarkWarning")
    path, pages = write_pdf(run.out / "results.json", tmp_path / "report.pdf")
    assert path.read_bytes().startswith(b"%PDF") and pages >= 1
    _, with_appendix = write_pdf(run.out / "results.json", tmp_path / "appendix.pdf", appendix=True)
    assert with_appendix > pages
    assert not list(tmp_path.glob(".*.part"))  # nothing half-written left behind


def test_without_chromium_it_is_one_line(project, tmp_path, monkeypatch):
    from syncproof.errors import SyncproofError
    from syncproof.report.pdf import write_pdf

    run = project.shared_run("-W", "ignore::pytest.PytestUnknownMarkWarning")
    monkeypatch.setenv("SYNCPROOF_CHROMIUM", str(tmp_path / "no-chromium"))
    with pytest.raises(SyncproofError, match="Chromium is not installed at") as caught:
        write_pdf(run.out / "results.json", tmp_path / "report.pdf")
    assert "\n" not in str(caught.value) and not (tmp_path / "report.pdf").exists()
