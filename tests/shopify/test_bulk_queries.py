"""Bulk query operations: the emulator's rules, each with its source, and the audit's bulk reader.

Sources (shopify.dev, GraphQL Admin API):

- mutations/bulkOperationRunQuery (2026-07, 2026-10): "Creates and runs a bulk operation to fetch data
  asynchronously ... returns results in a JSONL file when complete"; "The query must include at least
  one connection field and supports up to five connections with a maximum nesting depth of two
  levels"; arguments ``query: String!`` and ``groupObjects: Boolean!`` (default false from 2026-01);
- apps/build/apis/graphql-admin/bulk-operations/queries: "In API versions 2026-01 and higher, each app
  can run up to five bulk query operations per shop simultaneously. In API versions prior to 2026-01,
  each app can run only one bulk operation of each type"; "supports querying a single top-level field";
- enums/BulkOperationUserErrorCode: INVALID, LIMIT_REACHED ("Bulk operations limit reached. Please try
  again later."), OPERATION_IN_PROGRESS ("A bulk operation is already in progress.");
- enums/BulkOperationStatus: CANCELED, CANCELING, COMPLETED, CREATED, EXPIRED ("The bulk operation URL
  has expired"), FAILED ("use BulkOperation.errorCode"), RUNNING;
- enums/BulkOperationErrorCode: ACCESS_DENIED ("missing access scopes"), INTERNAL_SERVER_ERROR, TIMEOUT;
- objects/BulkOperation: ``objectCount`` "A running count of all the objects processed",
  ``rootObjectCount`` "only ... the objects at the root of the query"; "url and partialDataUrl values
  expire after seven days"; queries/currentBulkOperation: "the current app's most recent BulkOperation";
- the JSONL layout, nested connection nodes on their own lines with ``__parentId``, children after
  their parent but not directly after: Shopify/shopify-api-ruby issue 729 (quoting the bulk guide);
  the changelog "Bulk operations group objects default changed to false" (2026-01).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import httpx
import pytest
from graphql import build_schema

from connectors import BulkQueryFailed, WriteGuard, WriteRefused
from connectors._shopify_audit import audit_orders, orders_with_refunds, orders_with_refunds_bulk
from connectors._shopify_bulk import BULK_POLL, BULK_RUN, _wait, bulk_query
from connectors.shopify import ShopifyClient
from sandbox._server import serve
from sandbox.shopify import DEMO_TOKEN, ShopifyBackend, create_app
from sandbox.shopify._bulk import check_bulk_query
from syncproof.model import Money

from ._helpers import sample_lines, sample_shipping
from .test_presentment_currency import euro_order

pytestmark = pytest.mark.integration

SINCE = datetime(2000, 1, 1, tzinfo=timezone.utc)
ORDERS_WITH_LINES = """{ orders { edges { node { id lineItems { edges { node { sku quantity } } } } } } }"""


@pytest.fixture
def current(server, sleeper, clock):
    """A client on the current API version (several bulk queries at a time)."""
    with ShopifyClient(server.url, DEMO_TOKEN, "2026-10", sleep=sleeper, clock=clock.now) as c:
        yield c


def _bulk(server, **settings) -> None:
    httpx.post(server.url + "/__sandbox__/bulk", json=settings).raise_for_status()


def _start(client, query: str) -> dict:
    return client.graphql(BULK_RUN, {"query": query}, "BulkRun")["bulkOperationRunQuery"]


def _poll(client, operation: str) -> dict:
    return client.graphql(BULK_POLL, {"id": operation}, "BulkPoll")["node"]


def _refunded(client, count: int = 3) -> list:
    orders = []
    for _ in range(count):
        order = client.create_order(sample_lines(), shipping=sample_shipping())
        client.create_refund(order.channel_ref, {order.lines[0].line_id: 1}, shipping=True)
        orders.append(order)
    return orders


def _by_order(pairs) -> dict:
    """Order id -> what an audit compares of each refund (the full read adds transactions and line ids)."""
    return {order["order_id"]: [(r.refund_id, r.currency, [(x.sku, x.quantity, x.amount, x.tax) for x in r.lines],
                                 r.shipping, r.shipping_tax, r.adjustment, r.total,
                                 r.note, r.created_at) for r in refunds] for order, refunds in pairs}


def test_a_bulk_query_gives_each_node_a_line_and_nested_nodes_their_parent_id(current):
    orders = [current.create_order(sample_lines()) for _ in range(2)]

    lines = list(bulk_query(current, ORDERS_WITH_LINES))

    roots = [line for line in lines if "__parentId" not in line]
    children = [line for line in lines if "__parentId" in line]
    assert [r["id"] for r in roots] == [o.channel_ref for o in orders]
    assert all("lineItems" not in r for r in roots)  # a nested connection is never inline
    assert sorted((c["__parentId"], c["sku"], c["quantity"]) for c in children) == sorted(
        (o.channel_ref, sku, qty) for o in orders for sku, qty in (("MUG-1", 2), ("TEE-1", 1)))
    for child in children:  # after its parent, and (groupObjects false) not right after it
        assert lines.index(child) > [r["id"] for r in roots].index(child["__parentId"])
    assert lines.index(children[0]) == len(roots)


def test_the_operation_runs_then_completes_and_counts_its_objects(server, current, sleeper):
    current.create_order(sample_lines())
    _bulk(server, runningPolls=2)

    started = _start(current, ORDERS_WITH_LINES)
    operation = started["bulkOperation"]["id"]
    polls = [_poll(current, operation) for _ in range(3)]

    assert started["userErrors"] == [] and started["bulkOperation"]["status"] == "CREATED"
    assert [p["status"] for p in polls] == ["RUNNING", "RUNNING", "COMPLETED"]
    assert polls[-1]["objectCount"] == "3" and polls[-1]["rootObjectCount"] == "1"  # 1 order + 2 lines
    assert polls[0]["url"] is None and polls[-1]["url"].endswith(".jsonl")
    current_op = current.graphql("{ currentBulkOperation { id status } }")["currentBulkOperation"]
    assert current_op == {"id": operation, "status": "COMPLETED"}
    assert sleeper.calls == []  # nobody waited: the polls above were sent at once


def test_the_client_polls_by_an_injected_clock_and_fetches_the_file_without_the_token(server, current, sleeper):
    current.create_order(sample_lines())
    _bulk(server, runningPolls=3)
    seen = []
    current._downloads.on_exchange = seen.append

    lines = list(bulk_query(current, ORDERS_WITH_LINES))

    assert len(lines) == 3
    assert sleeper.calls == [0.2, 0.4, 0.8, 1.6]  # three RUNNING reads, then COMPLETED; virtual time only
    assert current.bulk_waited == pytest.approx(3.0)
    assert [e.method for e in seen] == ["GET"]
    assert "x-shopify-access-token" not in {k.lower() for k in seen[0].request_headers}


@pytest.mark.parametrize("query, problem", [
    ("{ shop { name } }", "at least one connection"),
    ("{ orders { edges { node { id } } } shop { name } }", "single top-level field"),
    ("""{ orders { edges { node { a: lineItems { nodes { sku } } b: lineItems { nodes { sku } }
        c: lineItems { nodes { sku } } refunds { refundLineItems { nodes { quantity } }
        refundShippingLines { nodes { id } } } } } } }""", "more than 5 connections"),
    ("{ orders { edges { node { nope } } } }", "Invalid bulk query"),
])
def test_a_query_outside_the_bulk_rules_is_refused_with_an_invalid_user_error(current, query, problem):
    started = _start(current, query)

    assert started["bulkOperation"] is None
    [error] = started["userErrors"]
    assert error["code"] == "INVALID" and error["field"] == ["query"] and problem in error["message"]
    with pytest.raises(BulkQueryFailed, match="refused the bulk query \\(INVALID\\)"):
        list(bulk_query(current, query))


def test_connections_nest_at_most_two_levels_deep():
    schema = build_schema("""
        type PageInfo { hasNextPage: Boolean! }
        type C { id: ID! inner: BConnection! }  type CConnection { nodes: [C!]! pageInfo: PageInfo! }
        type B { id: ID! inner: AConnection! }  type BConnection { nodes: [B!]! pageInfo: PageInfo! }
        type A { id: ID! }                      type AConnection { nodes: [A!]! pageInfo: PageInfo! }
        type Query { top: CConnection! }""")

    two, fine = check_bulk_query(schema, "{ top { nodes { id inner { nodes { id } } } } }")
    three, deep = check_bulk_query(schema, "{ top { nodes { inner { nodes { inner { nodes { id } } } } } } }")

    assert two is not None and fine is None
    assert three is None and "more than 2 levels" in deep


def test_before_2026_01_an_app_runs_one_bulk_query_at_a_time(server, client):
    _bulk(server, runningPolls=5)
    first = _start(client, ORDERS_WITH_LINES)

    second = _start(client, ORDERS_WITH_LINES)

    assert first["bulkOperation"]["status"] == "CREATED"
    assert second["bulkOperation"] is None and second["userErrors"][0]["code"] == "OPERATION_IN_PROGRESS"


def test_from_2026_01_an_app_runs_five_bulk_queries_at_a_time(server, current):
    _bulk(server, runningPolls=5)
    started = [_start(current, ORDERS_WITH_LINES) for _ in range(6)]

    assert [s["userErrors"] for s in started[:5]] == [[]] * 5
    assert started[5]["bulkOperation"] is None
    assert started[5]["userErrors"][0]["code"] == "LIMIT_REACHED"
    assert "limit reached" in started[5]["userErrors"][0]["message"]


@pytest.mark.parametrize("plan, ending", [("TIMEOUT", "ended FAILED \\(TIMEOUT\\)"),
                                          ("INTERNAL_SERVER_ERROR", "ended FAILED \\(INTERNAL_SERVER_ERROR\\)"),
                                          ("CANCELED", "ended CANCELED")])
def test_an_operation_that_does_not_complete_raises_one_line(server, current, plan, ending):
    current.create_order(sample_lines())
    _bulk(server, plan=plan)

    with pytest.raises(BulkQueryFailed, match=f"shopify bulk operation gid://shopify/BulkOperation/1 {ending}"):
        list(bulk_query(current, ORDERS_WITH_LINES))


def test_without_read_orders_the_operation_fails_access_denied(backend, current):
    current.create_order(sample_lines())
    backend.access_scopes = ("write_orders",)

    with pytest.raises(BulkQueryFailed, match="FAILED \\(ACCESS_DENIED\\)"):
        list(bulk_query(current, ORDERS_WITH_LINES))


def test_the_result_link_expires_seven_days_after_the_operation_ends(sleeper, clock):
    now = [datetime(2026, 3, 1, tzinfo=timezone.utc)]
    backend = ShopifyBackend(clock=lambda: now[0])
    with serve(create_app(backend), name="shopify") as server, \
            ShopifyClient(server.url, DEMO_TOKEN, "2026-10", sleep=sleeper, clock=clock.now) as c:
        c.create_order(sample_lines())
        _bulk(server, runningPolls=0)
        operation = _start(c, ORDERS_WITH_LINES)["bulkOperation"]["id"]
        done = _poll(c, operation)
        fetched = httpx.get(done["url"]).status_code
        now[0] += timedelta(days=7, seconds=1)
        later = _poll(c, operation)

        assert done["status"] == "COMPLETED" and fetched == 200
        assert later["status"] == "EXPIRED" and later["url"] is None
        assert httpx.get(done["url"]).status_code == 404


def test_the_bulk_read_gives_what_the_paged_read_gives_in_the_order_currency(current):
    _refunded(current, 3)
    euro = euro_order(current)
    current.create_refund(euro.channel_ref, {euro.lines[0].line_id: 1}, shipping=True)
    current.create_refund(euro.channel_ref, {euro.lines[1].line_id: 1})

    paged = _by_order(orders_with_refunds(current, SINCE))  # the two-refund order is read again in full
    bulk = _by_order(orders_with_refunds_bulk(current, SINCE))

    assert bulk == paged and len(bulk) == 4
    first, second = bulk[euro.channel_order_id]
    assert (first[1], second[1]) == ("EUR", "EUR")
    assert first[6] == Money(Decimal("22.13"), "EUR")  # 14.50 + 1.16 tax + 5.99 shipping + 0.48 its tax
    assert first[3] == Money(Decimal("5.99"), "EUR") and second[3] is None


def test_the_audit_reads_in_bulk_from_its_threshold_and_in_pages_below_it(current):
    _refunded(current, 3)
    seen = []
    current.on_exchange = seen.append

    below = _by_order(audit_orders(current, SINCE, bulk_from=4))
    asked_below = [e.request_body for e in seen]
    seen.clear()
    above = _by_order(audit_orders(current, SINCE, bulk_from=3))

    assert not any("bulkOperationRunQuery" in body for body in asked_below)
    assert sum("bulkOperationRunQuery" in e.request_body for e in seen) == 2  # one per financial status
    assert above == below and len(above) == 3


def test_a_failed_bulk_read_falls_back_to_pages_and_says_so_in_one_line(server, current):
    _refunded(current, 2)
    _bulk(server, plan="TIMEOUT")
    notes: list[str] = []

    read = _by_order(audit_orders(current, SINCE, bulk_from=0, on_note=notes.append))

    assert read == _by_order(orders_with_refunds(current, SINCE)) and len(read) == 2
    assert notes == ["shopify bulk operation gid://shopify/BulkOperation/1 ended FAILED (TIMEOUT); "
                     "reading the orders page by page instead"]


def test_starting_a_bulk_query_is_a_read_and_every_other_mutation_a_write(server):
    refuse = WriteGuard("read-only")
    with ShopifyClient(server.url, DEMO_TOKEN, "2026-10", write_guard=refuse) as ro:
        started = ro.graphql(BULK_RUN, {"query": ORDERS_WITH_LINES}, "BulkRun")["bulkOperationRunQuery"]
        assert started["userErrors"] == [] and started["bulkOperation"]["status"] == "CREATED"
        for mutation in (
            'mutation { bulkOperationRunMutation(mutation: "x", stagedUploadPath: "y") { userErrors { message } } }',
            'mutation { bulkOperationRunQuery(query: "{ orders { nodes { id } } }") { userErrors { message } } '
            'refundCreate(input: {orderId: "gid://shopify/Order/1"}) { userErrors { message } } }',
            'mutation { bulkOperationCancel(id: "gid://shopify/BulkOperation/1") { userErrors { message } } }',
        ):
            with pytest.raises(WriteRefused):
                ro.graphql(mutation)


def test_an_operation_shopify_no_longer_knows_ends_the_wait_in_one_line(server, current, sleeper):
    current.create_order(sample_lines())
    _bulk(server, runningPolls=5)
    operation = _start(current, ORDERS_WITH_LINES)["bulkOperation"]["id"]
    httpx.post(server.url + "/__sandbox__/reset").raise_for_status()  # the store forgets everything

    with pytest.raises(BulkQueryFailed, match=f"no longer knows bulk operation {operation}"):
        _wait(current, operation, timeout=60)
    assert sleeper.calls == [0.2]  # one status read, then no more waiting


#: a result link as Shopify hands it out: a Cloud Storage signed URL (GoogleAccessId, Expires, Signature), as
#: public recordings of bulk operations show it; whoever holds it reads the file for seven days
SIGNED_LINK = ("https://storage.googleapis.com/shopify-tiers-assets-prod-us-east1/bulk-operation-outputs/x1-final"
               "?GoogleAccessId=assets-us-prod%40shopify-tiers.iam.gserviceaccount.com&Expires=1777926898"
               "&Signature=c2lnbmVkLWJ5LXNob3BpZnk%2Babc%3D")


def test_a_result_links_signature_reaches_no_evidence_and_no_cassette():
    import json

    from syncproof.recording import Scrubber

    poll = json.dumps({"data": {"node": {"id": "gid://shopify/BulkOperation/1", "status": "COMPLETED",
                                         "url": SIGNED_LINK, "partialDataUrl": None}}}).encode()
    evidence = ShopifyClient.default_redactor().body(poll, "application/json")
    cassette = Scrubber().body(poll, "application/json").decode()
    for text in (evidence, cassette, Scrubber().url(SIGNED_LINK), ShopifyClient.default_redactor().url(SIGNED_LINK)):
        assert "c2lnbmVk" not in text, text
        assert "Signature=[redacted]" in text and "bulk-operation-outputs/x1-final" in text
