"""Sign-off: stamping, verifying, tampering, re-rendering."""

from __future__ import annotations

import json

import pytest

from syncproof.report import SignOffError, render, results_hash, sign, verify

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture
def results_path(project):
    run = project.run("-W", "ignore::pytest.PytestUnknownMarkWarning")
    return run.out / "results.json"


def test_unsigned_results_do_not_verify(results_path):
    outcome = verify(results_path)
    assert not outcome and not outcome.signed
    assert "not been signed off" in outcome.summary()


def test_sign_then_verify(results_path):
    before = results_hash(json.loads(results_path.read_text()))
    html = sign(results_path, "Dana Reyes", "Finance lead", "conditional", comment="Fix cent rounding first")
    data = json.loads(results_path.read_text())
    assert data["signoff"]["results_sha256"] == before == results_hash(data)
    assert data["signoff"]["decision"] == "conditional"
    text = html.read_text()
    assert "Dana Reyes" in text and "CONDITIONAL" in text and before in text
    outcome = verify(results_path)
    assert outcome.ok and outcome.expected_sha256 == before, outcome.problems


def test_tampered_results_fail_verification(results_path):
    sign(results_path, "Dana Reyes", "Finance lead", "rejected")
    data = json.loads(results_path.read_text())
    data["verdict"]["status"] = "accepted"  # someone turns a rejection into an acceptance
    results_path.write_text(json.dumps(data))
    outcome = verify(results_path)
    assert not outcome.ok
    assert "results changed after sign-off" in outcome.summary()


def test_edited_html_fails_verification(results_path):
    html = sign(results_path, "Dana Reyes", "Finance lead", "rejected")
    html.write_text(html.read_text().replace("REJECTED", "ACCEPTED"))
    outcome = verify(results_path)
    assert not outcome.ok and "differs from a fresh rendering" in outcome.summary()


def test_refusals(results_path):
    with pytest.raises(SignOffError, match="decision must be one of"):
        sign(results_path, "Dana", "Lead", "maybe")
    with pytest.raises(SignOffError, match="name and role"):
        sign(results_path, " ", "Lead", "accepted")
    sign(results_path, "Dana", "Lead", "conditional")
    with pytest.raises(SignOffError, match="already signed"):
        sign(results_path, "Lee", "Lead", "rejected")


def test_render_without_running(results_path, tmp_path):
    paths = render(results_path, tmp_path / "copy")
    assert paths["html"].read_text() == (results_path.parent / "report.html").read_text()
    assert json.loads(paths["results"].read_text()) == json.loads(results_path.read_text())
    assert {p.name for p in (tmp_path / "copy").iterdir()} == {"results.json", "report.html", "junit.xml",
                                                               "cucumber.json"}
