"""A session without Gherkin scenarios leaves the report directory alone."""

import pytest

pytestmark = pytest.mark.filterwarnings("ignore")


def test_unit_test_session_writes_no_report(pytester, monkeypatch):
    from pathlib import Path

    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[2]))
    pytester.makepyfile(test_plain="def test_one():\n    assert True\n")
    # the plugins this suite loads (autoloading every installed plugin would cost the run a second or two)
    result = pytester.runpytest_subprocess("--disable-plugin-autoload", "-p", "pytest-bdd",
                                           "-p", "syncproof.report.collector", "--syncproof-report-dir=out")
    result.assert_outcomes(passed=1)
    assert not (pytester.path / "out").exists()
    assert "syncproof verdict" not in result.stdout.str()
