"""The Shopify leg of the refund audit when its bulk query fails: one line, then the same audit page by page."""

from __future__ import annotations

import io
import logging

import httpx
import pytest

from syncproof.audit import Progress, ReadOnlyClients, audit_refunds_to_netsuite


@pytest.fixture
def bulk_runtime():
    from syncproof.config import parse_config
    from syncproof.runtime import open_runtime

    rt = open_runtime(parse_config({"shopify": {"audit_bulk_from": 1}}))
    httpx.post(rt.sandbox.shopify_url + "/__sandbox__/throttle", json={"restoreRate": 1_000_000}).raise_for_status()
    yield rt
    rt.close()


def _rows(result):
    return sorted((m.check_id, m.order, m.refund, m.what) for m in result.mismatches)


def test_a_timed_out_bulk_query_is_named_in_one_line_and_the_audit_reads_pages(bulk_runtime, window, bench, caplog):
    rt = bulk_runtime
    bench.seed(rt.sandbox, 30, 30, plant_each=1, progress=None)
    planned = rt.sandbox.shopify_url + "/__sandbox__/bulk"
    paged = ReadOnlyClients.of(rt)
    paged.client("shopify").audit_bulk_from = None
    expected = _rows(audit_refunds_to_netsuite(paged, rt.config, window, "shopify"))

    httpx.post(planned, json={"plan": "TIMEOUT"}).raise_for_status()
    shown = io.StringIO()
    seen = audit_refunds_to_netsuite(ReadOnlyClients.of(rt), rt.config, window, "shopify",
                                     progress=Progress(shown, every=3600))
    httpx.post(planned, json={"plan": "CANCELED"}).raise_for_status()
    with caplog.at_level(logging.WARNING, logger="syncproof.audit"):
        quiet = audit_refunds_to_netsuite(ReadOnlyClients.of(rt), rt.config, window, "shopify",
                                          progress=Progress(enabled=False))

    fallback = [line for line in shown.getvalue().splitlines() if "bulk operation" in line]
    assert fallback == ["audit: shopify bulk operation gid://shopify/BulkOperation/1 ended FAILED (TIMEOUT); "
                        "reading the orders page by page instead"]
    assert [r.getMessage() for r in caplog.records] == [
        "shopify: shopify bulk operation gid://shopify/BulkOperation/2 ended CANCELED; "
        "reading the orders page by page instead"]
    assert _rows(seen) == _rows(quiet) == expected != []
