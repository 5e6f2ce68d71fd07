"""Sign-off: stamping, verifying, tampering, re-rendering."""

from __future__ import annotations

import json

import pytest

from syncproof.report import SignOffError, render, results_hash, sign, verify

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture
def results_path(project):
    run = project.shared_run("-W", "ignore::pytest.PytestUnknownMarkWarning")
    return run.out / "results.json"


def test_unsigned_results_do_not_verify(results_path):
    outcome = verify(results_path)
    assert not outcome and not outcome.signed
    assert "not been signed off" in outcome.summary()


def test_sign_then_verify(results_path):
    html = sign(results_path, "Dana Reyes", "Finance lead", "conditional", comment="Fix cent rounding first")
    data = json.loads(results_path.read_text())
    before = data["signoff"]["results_sha256"]
    assert before == results_hash(data)
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
    assert "changed after sign-off" in outcome.summary()


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


def test_editing_the_sign_off_itself_breaks_the_hash(results_path):
    """A "rejected by T. Tester" sign-off edited to accepted by someone else, then re-rendered, must not verify."""
    sign(results_path, "T. Tester", "QA", "rejected")
    data = json.loads(results_path.read_text())
    data["signoff"].update(decision="accepted", name="A. Nother")
    results_path.write_text(json.dumps(data))
    render(results_path)  # the HTML is re-rendered to match the edited file
    outcome = verify(results_path)
    assert not outcome.ok and "changed after sign-off" in outcome.summary()


def test_a_missing_report_fails_verification(results_path):
    html = sign(results_path, "Dana Reyes", "Finance lead", "rejected")
    html.unlink()
    outcome = verify(results_path)
    assert not outcome.ok and "report.html does not exist" in outcome.summary()


def test_the_hash_recorded_outside_the_file_is_checked(results_path):
    sign(results_path, "Dana Reyes", "Finance lead", "rejected")
    recorded = json.loads(results_path.read_text())["signoff"]["results_sha256"]
    assert verify(results_path, expected_sha256=recorded).ok
    outcome = verify(results_path, expected_sha256="0" * 64)
    assert not outcome.ok and "recorded at sign-off" in outcome.summary()


def test_a_recomputed_plain_hash_cannot_pass_a_keyed_signature(results_path, monkeypatch):
    from syncproof.report.seal import seal_hash

    monkeypatch.setenv("SYNCPROOF_SIGNING_KEY", "the signer's secret")
    sign(results_path, "Dana Reyes", "Finance lead", "rejected")
    assert verify(results_path).ok
    data = json.loads(results_path.read_text())
    data["signoff"]["decision"] = "accepted"
    data["signoff"]["results_sha256"] = seal_hash(data)  # the forger recomputes the public hash
    results_path.write_text(json.dumps(data))
    render(results_path)
    outcome = verify(results_path)
    assert not outcome.ok and "signature does not match" in outcome.summary()
    del data["signoff"]["signature"]  # ... or drops the signature altogether
    data["signoff"]["results_sha256"] = seal_hash(data)
    results_path.write_text(json.dumps(data))
    render(results_path)
    outcome = verify(results_path)
    assert not outcome.ok and "carries no signature" in outcome.summary()
    monkeypatch.delenv("SYNCPROOF_SIGNING_KEY")
    sign(results_path, "Dana Reyes", "Finance lead", "rejected", force=True)
    monkeypatch.setenv("SYNCPROOF_SIGNING_KEY", "another key")
    assert not verify(results_path).ok
