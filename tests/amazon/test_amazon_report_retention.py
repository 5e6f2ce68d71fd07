"""Reports keeps documents 90 days: an older settlement report is gone.

Source: reports_2021-06-30.json, operation ``getReports``, parameter ``createdSince``: "The earliest
report creation date and time for reports to include in the response ... The default is 90 days ago.
Reports are retained for a maximum of 90 days." SP-API docs, "Report Type Values": "If an explicit
retention is not specified for a report type, then the report will be retained for 90 days." (The
settlement report's page, "Settlement Reports", states no other retention.)

What Amazon answers for a document past its retention is not in the model; the emulator answers
``getReportDocument`` as for any unknown document (404 ``NotFound``) and leaves the report out of
``getReports``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from connectors import AmazonError

pytestmark = pytest.mark.integration


def test_a_report_older_than_90_days_is_no_longer_listed_or_served(backend, client):
    now = backend.clock.now_dt()
    kept = backend.add_settlement_report(b"kept", start=now - timedelta(days=30), end=now - timedelta(days=16))
    old = backend.add_settlement_report(b"old", start=now - timedelta(days=100), end=now - timedelta(days=89),
                                        created=now - timedelta(days=89))
    listed = [r.report_id for r in client.settlement_reports(created_since=now - timedelta(days=120))]
    assert listed == [kept["reportId"], old["reportId"]]
    assert client.download_report(old["reportDocumentId"]).content == b"old"

    backend.clock.advance(2 * 86400)  # the old one is now 91 days old
    listed = [r.report_id for r in client.settlement_reports(created_since=now - timedelta(days=120))]
    assert listed == [kept["reportId"]]
    with pytest.raises(AmazonError) as gone:
        client.get_report_document(old["reportDocumentId"])
    assert gone.value.status == 404
    assert client.download_report(kept["reportDocumentId"]).content == b"kept"


def test_a_settlement_issued_by_a_scenario_is_kept_from_when_it_is_issued(backend, server):
    """The scenarios' settlements (fixed periods in the features) are issued when the scenario runs."""
    import httpx

    answer = httpx.post(server.url + "/__sandbox__/reports/settlement", content=b"x",
                        params={"start": "2026-01-05T08:00:00+00:00", "end": "2026-01-19T08:00:00+00:00",
                                "created": "now"})
    assert answer.status_code == 201
    created = answer.json()["createdTime"]
    assert created[:10] == backend.clock.now_dt().date().isoformat()
