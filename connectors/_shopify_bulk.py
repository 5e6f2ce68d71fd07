"""Bulk query operations: read a large window in one asynchronous query instead of many pages.

``bulkOperationRunQuery`` starts the query on Shopify's side; the operation is polled through
``node(id:)`` (its own id, as several may run at once from API version 2026-01) until it ends;
a COMPLETED operation's ``url`` is a signed link to a JSONL file, fetched without the access
token. Each line is one connection node; a nested connection's nodes are lines of their own
with ``__parentId``, listed after their parent but not necessarily next to it, so the file is
read whole before the objects are put back together. The result is not paged through the
cost throttle: the mutation and each poll cost a few points.

    for line in bulk_query(client, "{ orders { edges { node { id } } } }"):
        ...

An operation that ends FAILED (``errorCode`` ACCESS_DENIED, INTERNAL_SERVER_ERROR, TIMEOUT),
CANCELED or EXPIRED, or that Shopify refuses to start (``userErrors``), raises
:class:`BulkQueryFailed` with one line saying so; callers fall back to paged reads.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

import httpx

from ._exceptions import BulkQueryFailed
from ._http import ApiClient

__all__ = ["BulkQueryFailed", "BulkDownloads", "bulk_query", "BULK_RUN", "BULK_POLL", "POLL_FIRST", "POLL_MAX",
           "BULK_TIMEOUT"]

BULK_RUN = """
mutation BulkRun($query: String!) {
  bulkOperationRunQuery(query: $query) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}
"""

BULK_POLL = """
query BulkPoll($id: ID!) {
  node(id: $id) {
    ... on BulkOperation { id status errorCode objectCount rootObjectCount url partialDataUrl }
  }
}
"""

#: seconds before the first status read, doubled after each read up to POLL_MAX
POLL_FIRST = 0.2
POLL_MAX = 5.0
#: give up on an operation still running after this many seconds (it goes on on Shopify's side)
BULK_TIMEOUT = 1800.0
ENDED = {"COMPLETED", "FAILED", "CANCELED", "EXPIRED"}


class BulkDownloads(ApiClient):
    """Plain HTTP for the signed result links: no Shopify headers, no access token."""

    system = "shopify-bulk-result"
    secret_keys = frozenset({"x-goog-signature", "x-goog-credential"})

    def raise_for_error(self, response: httpx.Response) -> None:
        if response.is_error:
            raise BulkQueryFailed(
                f"shopify's bulk result link answered HTTP {response.status_code}",
                status=response.status_code, code="RESULT_UNAVAILABLE", detail=response.text[:200],
                hint="result links expire seven days after the operation ends: run the audit again")


def _start(client: Any, query: str) -> str:
    payload = client.graphql(BULK_RUN, {"query": query}, "BulkRun")["bulkOperationRunQuery"]
    errors = payload.get("userErrors") or []
    if errors or not payload.get("bulkOperation"):
        first = errors[0] if errors else {"message": "no operation was created", "code": ""}
        raise BulkQueryFailed(f"shopify refused the bulk query ({first.get('code') or 'no code'}): "
                              f"{first.get('message')}", status=200, code=str(first.get("code") or ""),
                              detail=str(first.get("message")))
    return str(payload["bulkOperation"]["id"])


def _wait(client: Any, operation: str, timeout: float) -> dict:
    clock, sleep = client.costs.clock, client.sleep
    started, pause = clock(), POLL_FIRST
    while True:
        sleep(pause)
        client.bulk_waited = getattr(client, "bulk_waited", 0.0) + pause  # told apart from throttle waits
        node = client.graphql(BULK_POLL, {"id": operation}, "BulkPoll").get("node")
        if not node:
            raise BulkQueryFailed(f"shopify no longer knows bulk operation {operation}", status=200,
                                  code="NOT_FOUND", detail="node(id:) answered null")
        status = node.get("status")
        if status in ENDED:
            return node
        if clock() - started > timeout:
            raise BulkQueryFailed(f"shopify bulk operation {operation} still {status} after {timeout:.0f} s",
                                  status=200, code="STILL_RUNNING", detail=str(status))
        pause = min(POLL_MAX, pause * 2)


def _ended_badly(operation: str, node: dict) -> BulkQueryFailed:
    status, code = node.get("status"), node.get("errorCode")
    why = f"{status} ({code})" if code else str(status)
    return BulkQueryFailed(f"shopify bulk operation {operation} ended {why}", status=200,
                           code=str(code or status), detail=why)


def bulk_query(client: Any, query: str, *, timeout: float = BULK_TIMEOUT) -> Iterator[dict]:
    """Every JSONL object of ``query`` run as a bulk operation, in file order."""
    operation = _start(client, query)
    node = _wait(client, operation, timeout)
    if node.get("status") != "COMPLETED":
        raise _ended_badly(operation, node)
    url = node.get("url")
    if not url:  # a COMPLETED operation that found nothing has no file
        return
    for line in client.bulk_result(url).splitlines():
        if line.strip():
            yield json.loads(line)
