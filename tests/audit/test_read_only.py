"""An audit run sends no write to any system, and a write through an audit client is refused."""

from __future__ import annotations

import json

import pytest

from connectors import WriteRefused
from syncproof.audit import ReadOnlyClients, audit_refunds_to_netsuite, audit_settlements


def test_an_audit_sends_only_reads(runtime, window, bench):
    bench.seed(runtime.sandbox, 30, 30, plant_each=1, progress=None)
    seen = []
    for client in runtime.clients:
        client.on_exchange = seen.append
    clients = ReadOnlyClients.of(runtime)
    for channel in ("shopify", "amazon"):
        audit_refunds_to_netsuite(clients, runtime.config, window, channel)
    audit_settlements(clients, runtime.config, window)
    assert clients.writes() == 0
    by_system: dict[str, set] = {}
    for exchange in seen:
        by_system.setdefault(exchange.system, set()).add(exchange.method)
        if exchange.system == "netsuite":
            assert (exchange.method, exchange.url.split("?")[0].endswith("/query/v1/suiteql")) == ("POST", True)
        if exchange.system == "shopify":
            assert "mutation" not in json.loads(exchange.request_body)["query"]
    assert by_system["amazon"] == {"GET"}
    assert set(by_system) >= {"netsuite", "shopify", "amazon"}


def test_a_write_through_an_audit_client_is_refused(runtime):
    clients = ReadOnlyClients.of(runtime)
    before = len(runtime.sandbox.netsuite.ids("customer"))
    with pytest.raises(WriteRefused, match="audit runs are read-only"):
        clients.netsuite.create("customer", {"companyName": "Should not exist"})
    with pytest.raises(WriteRefused):
        clients.shopify.graphql(
            "mutation X { refundCreate(input: {orderId: \"gid://shopify/Order/1\"}) { userErrors { message } } }"
        )
    with pytest.raises(WriteRefused):
        clients.amazon.request("POST", "/orders/v0/orders")
    assert len(runtime.sandbox.netsuite.ids("customer")) == before
    assert clients.writes() == 0 and "netsuite" in clients.requests() and not any(clients.requests().values())
    # the run's own clients are untouched: they may still write to the sandbox
    assert runtime.netsuite.write_guard is None


def test_an_audit_reading_shopify_in_bulk_still_sends_only_reads(window, bench):
    from syncproof.config import parse_config
    from syncproof.runtime import open_runtime

    rt = open_runtime(parse_config({"shopify": {"audit_bulk_from": 1}}))  # bulk queries however few the orders
    try:
        bench.seed(rt.sandbox, 30, 30, plant_each=1, progress=None)
        seen = []
        for client in rt.clients:
            client.on_exchange = seen.append
        clients = ReadOnlyClients.of(rt)
        clients.client("shopify")._downloads.on_exchange = seen.append
        result = audit_refunds_to_netsuite(clients, rt.config, window, "shopify")
        shopify = [e for e in seen if e.system.startswith("shopify")]
        mutations = [json.loads(e.request_body)["query"] for e in shopify
                     if e.method == "POST" and "mutation" in json.loads(e.request_body)["query"]]
        assert clients.writes() == 0 and len(mutations) == 2  # one bulkOperationRunQuery per financial status
        assert all("bulkOperationRunQuery" in m and "refundCreate" not in m for m in mutations)
        # one file: no order is fully refunded, and an operation that found nothing has no url
        assert [e.method for e in shopify if e.system == "shopify-bulk-result"] == ["GET"]
        paged = ReadOnlyClients.of(rt)
        paged.client("shopify").audit_bulk_from = None  # the same audit, page by page
        rows = lambda res: sorted((m.check_id, m.order, m.refund, m.what) for m in res.mismatches)  # noqa: E731
        assert rows(result) == rows(audit_refunds_to_netsuite(paged, rt.config, window, "shopify")) != []
    finally:
        rt.close()
