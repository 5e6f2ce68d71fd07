"""Order paging in the emulator: one search per state of the store, pages by cursor seek."""

from __future__ import annotations

import pytest

from connectors import ConnectorError
from sandbox.shopify._orders_query import search_orders

from ._helpers import sample_lines

pytestmark = pytest.mark.integration

ORDERS = """
query Orders($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage hasPreviousPage endCursor }
    nodes { id }
  }
}
"""


def _pages(client, first, query=None):
    after, pages = None, []
    while True:
        data = client.graphql(ORDERS, {"first": first, "after": after, "query": query}, "Orders")["orders"]
        pages.append(data)
        if not data["pageInfo"]["hasNextPage"]:
            return pages
        after = data["pageInfo"]["endCursor"]


def test_pages_follow_their_cursors_to_the_end_without_gaps_or_repeats(backend, client):
    made = [client.create_order(sample_lines()).channel_ref for _ in range(7)]

    pages = _pages(client, 3)

    assert [len(p["nodes"]) for p in pages] == [3, 3, 1]
    assert [n["id"] for p in pages for n in p["nodes"]] == made  # oldest update first
    assert [p["pageInfo"]["hasPreviousPage"] for p in pages] == [False, True, True]


def test_a_search_is_worked_out_once_per_state_of_the_store(backend, client):
    client.create_order(sample_lines())
    first = search_orders(backend, "financial_status:paid", "UPDATED_AT")

    assert search_orders(backend, "financial_status:paid", "UPDATED_AT") is first  # the next page reuses it

    client.create_order(sample_lines())  # a write: the next page sees the new state
    again = search_orders(backend, "financial_status:paid", "UPDATED_AT")
    assert again is not first and len(again.records) == 2


def test_an_order_created_between_pages_is_on_a_later_page(backend, client):
    for _ in range(3):
        client.create_order(sample_lines())
    page = client.graphql(ORDERS, {"first": 2}, "Orders")["orders"]
    late = client.create_order(sample_lines()).channel_ref

    rest = client.graphql(ORDERS, {"first": 5, "after": page["pageInfo"]["endCursor"]}, "Orders")["orders"]

    assert [n["id"] for n in rest["nodes"]][-1] == late and len(rest["nodes"]) == 2


def test_a_cursor_of_another_search_is_refused(backend, client):
    client.create_order(sample_lines())
    paid = client.graphql(ORDERS, {"first": 1, "query": "financial_status:paid"}, "Orders")["orders"]

    with pytest.raises(ConnectorError, match="Invalid cursor"):
        client.graphql(ORDERS, {"first": 1, "after": paid["pageInfo"]["endCursor"],
                                "query": "financial_status:refunded"}, "Orders")
    with pytest.raises(ConnectorError, match="Invalid cursor"):
        client.graphql(ORDERS, {"first": 1, "after": "bm90IGEgZ2lk"}, "Orders")  # "not a gid"
