"""The audit copes with Amazon's windows: the 48-hour Finances lag, the two-minute rule, Reports' 90 days.

Sources (quoted in the emulator tests too):

- finances_2024-06-19.json, ``listTransactions``: "Financial events might not include orders from the
  last 48 hours"; ``postedAfter``: "The date-time must be more than two minutes before the time of
  the request."
- reports_2021-06-30.json, ``getReports`` ``createdSince``: "Reports are retained for a maximum of 90
  days." (SP-API docs, "Report Type Values": "If an explicit retention is not specified for a report
  type, then the report will be retained for 90 days.")

Decision for the lag: a refund Finances does not list yet makes no row (the audit reads from Amazon,
so the lag can never make a false mismatch); a window ending within 48 hours passes what it could
read and its message says which part may be incomplete, so it is never taken for a complete pass.
Once the refund is listed, the same audit finds it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from syncproof.audit import AuditWindow, Progress, ReadOnlyClients, audit_refunds_to_netsuite, audit_settlements
from syncproof.errors import ConfigError

pytestmark = pytest.mark.integration


def _order(backend):
    return backend.create_order([{"sku": "LAG-1", "quantity": 2, "item_price": "30.00", "item_tax": "2.40"}],
                                buyer_email="lag@example.invalid")


def test_a_refund_listed_late_is_incomplete_then_found_never_a_false_pass(runtime, window):
    amazon = runtime.sandbox.amazon
    order = _order(amazon)
    amazon.create_refund(order["AmazonOrderId"], [{"sku": "LAG-1", "quantity": 1}], lag_seconds=5 * 3600)
    clients = ReadOnlyClients.of(runtime)

    early = audit_refunds_to_netsuite(clients, runtime.config, window, "amazon", progress=Progress(enabled=False))
    assert early.audited["amazon refunds"] == 0 and early.passed  # not listed yet: no row to make
    message = early.check_result("RS-MN-1").message
    assert "may be incomplete" in message and "up to 48 hours after it posts" in message
    assert early.incomplete and early.incomplete[0] in early.notes

    amazon.clock.advance(5 * 3600)  # Amazon lists it now; the connector never synced the order
    later = audit_refunds_to_netsuite(ReadOnlyClients.of(runtime), runtime.config, window, "amazon",
                                      progress=Progress(enabled=False))
    assert later.audited["amazon refunds"] == 1
    (row,) = later.for_check("RS-MN-1")
    assert row.order == order["AmazonOrderId"] and row.what == "NetSuite refund record"


def test_a_window_ended_more_than_48_hours_ago_is_complete(runtime):
    now = dt.datetime.now(dt.timezone.utc)
    window = AuditWindow(now - dt.timedelta(days=10), now - dt.timedelta(days=3))
    result = audit_refunds_to_netsuite(ReadOnlyClients.of(runtime), runtime.config, window, "amazon")
    assert result.incomplete == [] and "may be incomplete" not in result.check_result().message


def test_a_since_too_recent_for_finances_is_refused_in_one_line(runtime):
    now = dt.datetime.now(dt.timezone.utc)
    window = AuditWindow(now - dt.timedelta(seconds=30), now + dt.timedelta(hours=1))
    clients = ReadOnlyClients.of(runtime)
    with pytest.raises(ConfigError) as refused:
        audit_refunds_to_netsuite(clients, runtime.config, window, "amazon")
    text = str(refused.value)
    assert "--since" in text and "more than two minutes before the request" in text and "\n" not in text
    assert refused.value.hint.startswith("pass a --since")
    assert clients.requests()["amazon"] == 0  # refused before a request was sent


def test_a_settlement_audit_older_than_90_days_is_refused_in_one_line(runtime):
    now = dt.datetime.now(dt.timezone.utc)
    window = AuditWindow(now - dt.timedelta(days=150), now - dt.timedelta(days=95))
    clients = ReadOnlyClients.of(runtime)
    with pytest.raises(ConfigError) as refused:
        audit_settlements(clients, runtime.config, window)
    text = str(refused.value)
    assert "keeps settlement reports only 90 days" in text and "\n" not in text
    assert "syncproof settlement check" in refused.value.hint
    assert sum(clients.requests().values()) == 0


def test_a_settlement_audit_reaching_past_90_days_says_which_part_is_gone(runtime):
    amazon = runtime.sandbox.amazon
    now = amazon.clock.now_dt()
    content = b"settlement-id\tsettlement-start-date\ttotal-amount\n1\t\t0.00\n"
    amazon.add_settlement_report(content, start=now - dt.timedelta(days=120), end=now - dt.timedelta(days=106))
    window = AuditWindow(now - dt.timedelta(days=130), now)
    result = audit_settlements(ReadOnlyClients.of(runtime), runtime.config, window)
    assert result.audited["settlements"] == 0  # created 104 days ago: Amazon no longer keeps it
    message = result.check_result("AS-3").message
    assert "may be incomplete" in message and "Amazon keeps settlement reports 90 days" in message


def test_syncproof_run_refuses_such_a_window_in_one_line_before_anything_is_written(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    since = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=30)).isoformat()
    out = tmp_path / "reports"
    done = subprocess.run([sys.executable, "-c", "from syncproof.cli import main; main()", "run", "--audit",
                           "--since", since, "--report-dir", str(out)], cwd=root, capture_output=True, text=True,
                          timeout=300)
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert done.returncode == 2, lines
    assert lines == [lines[0]] and lines[0].startswith("error: --since") and "too recent for Amazon" in lines[0]
    assert "pass a --since at least two minutes in the past" in lines[0]
    assert not out.exists()  # nothing written: no report folder, no results


def test_syncproof_run_audits_without_a_pytest_warning(tmp_path):
    """The window is checked before pytest starts without importing the audit plugin, which pytest must
    import itself to rewrite its asserts (else it warns 'Module already imported so cannot be rewritten')."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", "from syncproof.cli import main; main()", "run", "--audit",
                           "-k", "payouts", "--report-dir", str(tmp_path / "reports")], cwd=root,
                          capture_output=True, text=True, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "1 passed" in output and "warning" not in output.lower(), output
