"""Finances ``listTransactions`` windows: the emulator answers as the model says, the client asks as Amazon answers.

Source: finances_2024-06-19.json, operation ``listTransactions``:

- ``postedAfter``: "The date-time must be more than two minutes before the time of the request."
- ``postedBefore``: "The date-time must be later than ``PostedAfter`` and more than two minutes before
  the request was submitted. If ``PostedAfter`` and ``PostedBefore`` are more than 180 days apart, the
  response is empty. **Default:** Two minutes before the time of the request."
- the operation: "Returns transactions for the given parameters. Financial events might not include
  orders from the last 48 hours."

The model does not say what Amazon answers for a date within the last two minutes; the emulator
answers 400 ``InvalidInput`` (the model's error shape for bad parameters) so a client that sends one
fails loudly instead of reading a partial answer.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx
import pytest

from connectors._amazon_windows import MAX_SPAN, finance_windows, latest_before
from sandbox.amazon import DEMO_CREDENTIALS

pytestmark = pytest.mark.integration

TX = "/finances/2024-06-19/transactions"


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _token(client: httpx.Client) -> str:
    return client.post("/auth/o2/token", data={
        "grant_type": "refresh_token", "refresh_token": DEMO_CREDENTIALS.refresh_token,
        "client_id": DEMO_CREDENTIALS.client_id, "client_secret": DEMO_CREDENTIALS.client_secret,
    }).json()["access_token"]


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.url) as client:
        client.headers["x-amz-access-token"] = _token(client)
        yield client


def _order(backend, **options):
    return backend.create_order([{"sku": "MUG-1", "quantity": 2, "item_price": "20.00", "item_tax": "1.60"}],
                                **options)


# the emulator ------------------------------------------------------------------------------
def test_dates_within_two_minutes_of_the_request_are_refused(backend, http):
    """postedAfter / postedBefore "must be more than two minutes before the time of the request"."""
    now = backend.clock.now_dt()
    recent = http.get(TX, params={"postedAfter": _iso(now - timedelta(seconds=60))})
    assert recent.status_code == 400 and recent.json()["errors"][0]["code"] == "InvalidInput"
    assert "two minutes" in recent.json()["errors"][0]["message"]
    late_end = http.get(TX, params={"postedAfter": _iso(now - timedelta(days=1)),
                                    "postedBefore": _iso(now - timedelta(seconds=30))})
    assert late_end.status_code == 400 and "postedBefore" in late_end.json()["errors"][0]["message"]
    fine = http.get(TX, params={"postedAfter": _iso(now - timedelta(days=1)),
                                "postedBefore": _iso(now - timedelta(minutes=3))})
    assert fine.status_code == 200


def test_a_window_of_more_than_180_days_is_an_empty_answer(backend, http):
    """"If PostedAfter and PostedBefore are more than 180 days apart, the response is empty."""
    order = _order(backend, purchase_date=backend.clock.now_dt() - timedelta(days=10))
    end = backend.clock.now_dt() - timedelta(minutes=5)
    inside = http.get(TX, params={"postedAfter": _iso(end - timedelta(days=180)), "postedBefore": _iso(end)})
    assert [t["transactionType"] for t in inside.json()["payload"]["transactions"]] == ["Shipment"]
    too_wide = http.get(TX, params={"postedAfter": _iso(end - timedelta(days=181)), "postedBefore": _iso(end)})
    assert too_wide.status_code == 200 and too_wide.json()["payload"]["transactions"] == []
    assert order["AmazonOrderId"]


def test_a_refund_is_listed_only_once_its_lag_has_passed(backend, http):
    """"Financial events might not include orders from the last 48 hours": a seeded refund can take up
    to 48 hours to be listed; the emulator's clock (never a real one) lets that time pass."""
    order = _order(backend)
    backend.create_refund(order["AmazonOrderId"], [{"sku": "MUG-1", "quantity": 1}], lag_seconds=6 * 3600)
    since = _iso(backend.clock.now_dt() - timedelta(days=1))

    def kinds():
        http.headers["x-amz-access-token"] = _token(http)  # hours pass: each look signs in afresh
        return [t["transactionType"] for t in http.get(TX, params={"postedAfter": since}).json()["payload"]
                ["transactions"]]

    assert kinds() == ["Shipment"]
    backend.clock.advance(6 * 3600 - 60)
    assert kinds() == ["Shipment"]
    backend.clock.advance(120)
    assert kinds() == ["Shipment", "Refund"]
    with pytest.raises(ValueError, match="48 hours"):
        backend.create_refund(order["AmazonOrderId"], [{"sku": "MUG-1", "quantity": 1}], lag_seconds=49 * 3600)


# the client -------------------------------------------------------------------------------
def test_windows_are_cut_into_pieces_of_at_most_180_days_ending_two_minutes_before_now():
    now = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
    pieces = finance_windows(now - timedelta(days=400), None, now=now)
    assert [end for _, end in pieces][-1] is None  # up to now: Amazon's own default end
    starts = [start for start, _ in pieces]
    assert starts[0] == now - timedelta(days=400)
    explicit = [(s, e) for s, e in pieces if e is not None]
    assert all(e - s <= MAX_SPAN for s, e in explicit)
    assert all(b[0] == a[1] for a, b in zip(explicit, pieces[1:], strict=False))  # no gap, no overlap
    assert latest_before(now) - pieces[-1][0] <= MAX_SPAN
    # an end later than Amazon answers for is moved to two minutes (and a margin) before now
    future = finance_windows(now - timedelta(days=3), now + timedelta(days=1), now=now)
    assert future == [(now - timedelta(days=3), None)]
    past = finance_windows(now - timedelta(days=3), now - timedelta(days=1), now=now)
    assert past == [(now - timedelta(days=3), now - timedelta(days=1))]
    assert finance_windows(now - timedelta(seconds=30), None, now=now) == []  # too recent to ask for


def test_the_client_reads_a_400_day_window_in_pieces_and_finds_what_posted_long_ago(backend, client):
    now = backend.clock.now_dt()
    old = _order(backend, purchase_date=now - timedelta(days=300))
    backend.create_refund(old["AmazonOrderId"], [{"sku": "MUG-1", "quantity": 1}],
                          posted_date=now - timedelta(days=299))
    recent = _order(backend, purchase_date=now - timedelta(days=5))
    refunds = list(client.refunds_between(now - timedelta(days=400), now + timedelta(hours=1)))
    assert [r.channel_order_id for r in refunds] == [old["AmazonOrderId"]]
    queries = [q for op, q in backend.requests if op == "listTransactions"]
    assert len(queries) == 3  # 400 days: 180 + 180 + 40
    for query in queries[:-1]:
        span = (datetime.fromisoformat(query["postedBefore"][0].replace("Z", "+00:00"))
                - datetime.fromisoformat(query["postedAfter"][0].replace("Z", "+00:00")))
        assert span <= MAX_SPAN
    assert "postedBefore" not in queries[-1]  # the last piece ends where Amazon's default does
    shipments = [t for t in client.list_transactions(now - timedelta(days=400)) if t.transaction_type == "Shipment"]
    assert {t.order_id for t in shipments} == {old["AmazonOrderId"], recent["AmazonOrderId"]}


def test_a_listing_is_filtered_once_and_pages_read_it_until_the_state_changes(backend, http):
    """Paging costs O(transactions), not O(transactions) a page: the pages of one listing, and the same
    listing asked again, read the transactions it matched; a refund whose lag passes, or a transaction
    added or released, makes the next listing afresh."""
    backend.transactions_page_size = 2
    orders = [_order(backend) for _ in range(5)]
    backend.create_refund(orders[0]["AmazonOrderId"], [{"sku": "MUG-1", "quantity": 1}], lag_seconds=3 * 3600)
    start = backend.clock.now_dt()
    params = {"postedAfter": _iso(start - timedelta(days=1)), "postedBefore": _iso(start + timedelta(hours=2))}

    def listing():
        http.headers["x-amz-access-token"] = _token(http)  # hours pass: each look signs in afresh
        kinds, query = [], dict(params)
        while True:
            payload = http.get(TX, params=query).json()["payload"]
            kinds += [t["transactionType"] for t in payload["transactions"]]
            if "nextToken" not in payload:
                return kinds
            query = {"nextToken": payload["nextToken"]}

    def kept():
        [(revision, _at, _until, matching)] = backend._listings.values()
        return matching

    backend.clock.advance(2 * 3600 + 180)  # the window's end is now more than two minutes back
    assert listing() == ["Shipment"] * 5  # three pages; the refund is not listed yet
    first = kept()
    assert listing() == ["Shipment"] * 5 and kept() is first  # asked again: filtered once
    backend.clock.advance(3600)  # the refund's lag has passed
    assert listing() == ["Shipment"] * 5 + ["Refund"] and kept() is not first
    seen = kept()
    _order(backend, purchase_date=start - timedelta(hours=1))  # a transaction added in the window
    assert listing() == ["Shipment"] * 6 + ["Refund"] and kept() is not seen
