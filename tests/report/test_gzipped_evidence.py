"""A report document served gzip-compressed reaches the report's HTTP evidence as its text.

SP-API Reports 2021-06-30 model (``tests/vendor_specs/sp-api/reports_2021-06-30.json``),
``ReportDocument.compressionAlgorithm``: "If the report document contents have been compressed, the
compression algorithm used is returned in this property and you must decompress the report when you
download"; the Amazon emulator serves such a document's bytes gzipped from its pre-signed URL, without
``Content-Encoding``, as S3 does. Read as UTF-8 those bytes would be unreadable characters in the page.

Through the report's own path: an ``AmazonClient`` downloads over loopback HTTP with the redactor a
run builds (``syncproof.runtime``), its exchanges go to ``record_exchange``, and the page is rendered
from the results document.
"""

from __future__ import annotations

import gzip
import html
import json
from datetime import datetime, timedelta, timezone
from typing import Iterator

import pytest

from connectors import RetryPolicy
from connectors.amazon import AmazonClient, LwaCredentials
from sandbox._server import serve
from sandbox.amazon import DEMO_CREDENTIALS, AmazonBackend, create_app
from syncproof.report import recorder, sanitize
from syncproof.report.html import render_html
from syncproof.report.records import ScenarioRecord, StepRecord
from syncproof.report.results import build_results
from syncproof.runtime import _live_redactor, redactor_for
from virtual_time import VirtualClock

SETTLEMENT = ("settlement-id\tsettlement-start-date\tsettlement-end-date\ttotal-amount\tcurrency\ttransaction-type\t"
              "order-id\tamount-description\tamount\n"
              "1840761872\t2026-10-06 08:00:00 UTC\t2026-10-20 08:00:00 UTC\t1315.33\tUSD\t\t\t\t\n"
              "1840761872\t\t\t\t\tOrder\t113-2601815-9083016\tPrincipal\t43.50\n")
BUYER = {"email": "wilhelmina.oyelaran@post.example", "name": "Wilhelmina Oyelaran", "cpf": "853.513.468-93"}
ORDER_REPORT = ("amazon-order-id\tbuyer-email\tbuyer-name\tsku\tcpf\n"
                f"701-2601815-9083016\t{BUYER['email']}\t{BUYER['name']}\tSP-MUG-01\t{BUYER['cpf']}\n")


FEATURE = {"name": "Settlements", "keyword": "Feature", "file": "features/s.feature", "description": "",
           "tags": [], "line": 1}


@pytest.fixture
def amazon() -> Iterator[tuple[AmazonBackend, str]]:
    backend = AmazonBackend()
    with serve(create_app(backend), name="amazon") as running:
        yield backend, running.url


def evidence_of_download(amazon: tuple[AmazonBackend, str], content: bytes) -> tuple[dict, str]:
    """The report's evidence of downloading ``content``, served gzipped, and the page showing it."""
    backend, url = amazon
    now = datetime.now(timezone.utc)
    report = backend.add_settlement_report(content, start=now - timedelta(days=40), end=now - timedelta(days=26),
                                           compression="GZIP")
    record = ScenarioRecord(nodeid="t::download", feature=FEATURE, rule=None,
                            keyword="Scenario", name="download", description="", line=1, tags=["AS-1", "amazon"],
                            example={}, steps=[StepRecord("When", "the settlement document is downloaded", 2)])
    clock = VirtualClock()
    credentials = LwaCredentials(DEMO_CREDENTIALS.client_id, DEMO_CREDENTIALS.client_secret,
                                 DEMO_CREDENTIALS.refresh_token)
    recorder._activate(record)
    try:
        record.steps[0].status = "running"
        with AmazonClient(credentials, base_url=url, lwa_token_url=url + "/auth/o2/token",
                          redactor=_live_redactor(()), on_exchange=recorder.record_exchange,
                          retry=RetryPolicy(max_attempts=2, base_delay=0.01), sleep=clock.sleep,
                          monotonic=clock.now) as client:
            assert client.download_report(report["reportDocumentId"]).content == content
        record.steps[0].status = record.status = "passed"
    finally:
        recorder._activate(None)
    [download] = [x for x in record.steps[0].exchanges if x["system"] == "amazon-report-document"]
    return download, render_html(build_results([record.to_json()]))


def test_a_gzipped_document_is_shown_gunzipped_with_a_note(amazon):
    served = len(gzip.compress(SETTLEMENT.encode()))
    download, page = evidence_of_download(amazon, SETTLEMENT.encode())
    body = download["response_body"]
    assert body.startswith("[served gzip-compressed (") and body.endswith("shown gunzipped]\n" + SETTLEMENT)
    assert int(body.split("(")[1].split(" ")[0]) == served  # the bytes that came over HTTP
    assert html.escape(body, quote=False) in page  # in the page as it is in the results, no link to a file


def test_a_gzipped_document_in_a_pseudonymised_run_is_shown_scrubbed(amazon, pseudonymised_evidence):
    with pseudonymised_evidence(5):  # as live and audit runs turn it on
        download, page = evidence_of_download(amazon, ORDER_REPORT.encode())
    body = download["response_body"]
    assert body.startswith("[served gzip-compressed (")
    assert [value for value in BUYER.values() if value in body or value in page] == []
    header, row = body.split("\n")[1:3]
    assert header == ORDER_REPORT.split("\n")[0]
    assert row.split("\t")[0] == "701-2601815-9083016" and row.split("\t")[3] == "SP-MUG-01"
    assert "@" in row.split("\t")[1]  # an e-mail address still, a fake one


def test_the_reports_second_line_of_defence_finds_a_documents_header_under_the_gzip_note(pseudonymised_evidence):
    # a client whose redactor shows the document without scrubbing it (the run's redactor for a target that does
    # not pseudonymise): the report's scrub, with pseudonymising on, still finds the header row below the note
    shown = redactor_for().body(gzip.compress(ORDER_REPORT.encode()), "application/octet-stream")
    assert shown.startswith("[served gzip-compressed (") and BUYER["name"] in shown
    with pseudonymised_evidence(5):
        seen = sanitize.scrub({"response_body": shown})["response_body"]
    assert [value for value in BUYER.values() if value in seen] == [], seen
    assert seen.split("\n")[:2] == shown.split("\n")[:2]  # the note and the header row as they were


@pytest.mark.parametrize("content_type", ["application/octet-stream", "binary/octet-stream", ""])
def test_a_gzipped_json_body_keeps_its_secrets_out_whatever_type_it_was_served_as(content_type):
    # the type a gzipped body is served with names the compressed bytes (an octet stream, or no type at all),
    # not what they hold: JSON inside is read as JSON, its secret keys redacted
    body = gzip.compress(b'{"refresh_token": "Atzr|IwEBsecret-refresh", "client_secret": "amzn1.oa2-cs.v1.secret",'
                         b' "note": "kept"}')
    shown = redactor_for().body(body, content_type)
    assert shown.startswith("[served gzip-compressed (") and '"note": "kept"' in shown
    assert "Atzr|IwEBsecret-refresh" not in shown and "amzn1.oa2-cs.v1.secret" not in shown, shown


def test_the_reports_second_line_of_defence_reads_gzipped_json_under_the_note(pseudonymised_evidence):
    order = {"AmazonOrderId": "701-2601815-9083016", "ShippingAddress": {
        "Name": "Wilhelmina Oyelaran", "AddressLine1": "4183 Tamarack Turn St NE", "City": "Grand Rapids"}}
    shown = redactor_for().body(gzip.compress(json.dumps(order).encode()), "application/octet-stream")
    assert shown.startswith("[served gzip-compressed (") and "4183 Tamarack Turn St NE" in shown
    with pseudonymised_evidence(5):
        seen = sanitize.scrub({"response_body": shown})["response_body"]
    assert [value for value in order["ShippingAddress"].values() if value in seen] == [], seen
    assert seen.startswith(shown.split("\n")[0] + "\n") and order["AmazonOrderId"] in seen
