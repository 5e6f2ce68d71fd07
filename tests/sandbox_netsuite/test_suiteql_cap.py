"""SuiteQL's cap on results: at most 100,000 a query, in at most 1,000 pages.

Oracle help, "Executing SuiteQL Queries Through REST Web Services": "Using SuiteQL queries,
you can return a maximum of 100,000 results."
Oracle help, "Collection Paging": "The results are displayed on multiple pages, with the
default setting of 1000 results per page on a maximum of 1000 pages. [...] Without
SuiteAnalytics Connect, you can display maximum 100 000 results." and "You can specify your
criteria to return fewer than 1000 results per page. In this case, the overall number of
returned results is lower, too, because a maximum of 1000 pages of results can be returned."

How ``totalResults`` reads for a query past the cap is not documented; the emulator counts
only the results the query returns (never more than the cap), so a reader cannot tell from it
how far past the cap the query goes, and a page past the cap is refused.
"""

from __future__ import annotations

import datetime as dt

import pytest

from connectors import NetSuiteError
from connectors.netsuite import NetSuiteClient, NetSuiteCredentials, reads
from connectors.netsuite._suiteql import rows
from sandbox.netsuite import DEMO_CREDENTIALS

pytestmark = pytest.mark.integration

QUERY = "SELECT id FROM item ORDER BY id"


def _page(api, limit: int, offset: int):
    return api.send("POST", "/query/v1/suiteql", {"q": QUERY}, params={"limit": limit, "offset": offset},
                    headers={"Prefer": "transient"})


def test_a_query_returns_at_most_a_thousand_pages(api, backend):
    backend.seed_items({"itemId": f"CAP-{n:05d}"} for n in range(1005))  # 1,005 items: over 1,000 pages of 1

    last = _page(api, 1, 999)
    past = _page(api, 1, 1000)

    assert last.status_code == 200
    body = last.json()
    assert body["count"] == 1 and body["hasMore"] is False and body["totalResults"] == 1000
    assert past.status_code == 400
    detail = past.json()["o:errorDetails"][0]
    assert detail["o:errorCode"] == "INVALID_PARAMETER" and detail["o:errorQueryParam"] == "offset"


def test_a_query_returns_at_most_100000_results(api, backend):
    backend.suiteql_result_limit = 100_000
    assert backend.suiteql("SELECT id FROM currency ORDER BY id", 1000, 0)["totalResults"] < 100_000
    refused = _page(api, 1000, 100_000)
    assert refused.status_code == 400
    assert "100,000" in refused.json()["o:errorDetails"][0]["detail"]


def _client(netsuite) -> NetSuiteClient:
    c = DEMO_CREDENTIALS
    return NetSuiteClient.for_account(NetSuiteCredentials(c.account_id, c.consumer_key, c.consumer_secret,
                                                          c.token_id, c.token_secret), base_url=netsuite.url)


def test_the_pager_refuses_to_pass_a_capped_query_off_as_complete(netsuite, backend):
    backend.suiteql_result_limit = 50
    backend.seed_items({"itemId": f"CAP-{n:03d}"} for n in range(80))
    with _client(netsuite) as client:
        with pytest.raises(NetSuiteError) as refused:
            list(rows(client, "SELECT id FROM item ORDER BY id", page_size=10, cap=50))
    assert refused.value.code == "SYNCPROOF_SUITEQL_CAP" and "narrow the query" in str(refused.value)


def test_the_audit_reads_every_refund_of_one_day_past_the_cap(netsuite, backend, catalog):
    """One day holds more refunds than one query returns: read on by id, none missed, none twice."""
    backend.suiteql_result_limit = 50
    refunds = []
    for _ in range(120):
        refunds.append(backend.create("cashRefund", {
            "entity": {"id": catalog["customer"]}, "tranDate": "2026-10-05",
            "item": {"items": [{"item": {"id": catalog["mug"]}, "quantity": 1, "rate": "1.00"}]}}))
    with _client(netsuite) as client:
        found = reads.refund_records(client, order_id_field="otherRefNum", specials=reads.Specials(),
                                     start=dt.date(2026, 10, 5), end=dt.date(2026, 10, 6), row_limit=50)
    assert sorted(r.id for r in found) == sorted(refunds)
    assert len({r.id for r in found}) == 120
