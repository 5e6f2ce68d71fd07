"""A refund Finances lists only hours after it posts: the scenario's refund step waits for it on the
emulator's clock, and what syncs after (engine or the sandbox connector) sees it then.

Source: finances_2024-06-19.json, ``listTransactions``: "Financial events might not include orders
from the last 48 hours." No real clock is waited on: the wait lets time pass on the emulator's
clock, an hour between looks.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from syncproof.model import Money, OrderLine
from virtual_time import VirtualClock

pytestmark = pytest.mark.integration


@pytest.fixture
def runtime():
    from syncproof.config import parse_config
    from syncproof.runtime import open_runtime

    # the clients' pacing between the hourly looks waits on a virtual clock (no real clock, as the docstring says)
    rt = open_runtime(parse_config({}), sleep=VirtualClock().sleep)
    yield rt
    rt.close()


def _lines():
    usd = lambda amount: Money(amount, "USD")  # noqa: E731
    return [OrderLine("1", "LAGGY-1", 2, usd("15.00"), usd("2.40"), usd("0.00"), "Laggy mug")]


def test_the_refund_step_waits_for_a_refund_listed_hours_later(runtime):
    from syncproof.channels.amazon import AmazonActions

    backend = runtime.sandbox.amazon
    actions = AmazonActions(runtime)
    order = actions.place_order(_lines(), shipping=None, customer=("Lag Buyer", "lag@example.invalid"), note="")
    backend.finances_lag = 5 * 3600 + 60  # Amazon lists this refund five hours and a minute after it posts
    before = backend.clock.now_dt()

    refund = actions.refund(order, {"LAGGY-1": 1}, shipping=False, note="")

    assert refund.channel_order_id == order.channel_order_id and refund.lines[0].quantity == 1
    waited = backend.clock.now_dt() - before
    assert timedelta(hours=5) < waited < timedelta(hours=7)  # looked every hour until it was listed
    # the refund is listed now for every reader, the sandbox connector's Finances poll included
    assert [r.refund_id for r in actions.refunds(order)] == [refund.refund_id]


def test_a_refund_never_listed_is_one_clear_line_after_48_hours(runtime):
    from syncproof.channels.amazon import AmazonActions
    from syncproof.connector_driver import SyncDidNotHappen

    backend = runtime.sandbox.amazon
    actions = AmazonActions(runtime)
    order = actions.place_order(_lines(), shipping=None, customer=("Lag Buyer", "lag@example.invalid"), note="")
    backend.finances_lag = 48 * 3600  # the longest Amazon takes
    seeded_at = backend.clock.now_dt()
    refund = actions.refund(order, {"LAGGY-1": 1}, shipping=False, note="")  # found at the 48th hour
    assert backend.clock.now_dt() - seeded_at >= timedelta(hours=48)
    assert refund.lines[0].sku == "LAGGY-1"

    # a refund Finances never lists: the wait gives up once 48 hours (and one look) have passed
    with pytest.raises(SyncDidNotHappen) as gave_up:
        actions._listed(order, {"postedDate": seeded_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                "relatedIdentifiers": [], "transactionId": "never-posted"})
    assert "listed at most 48 hours after it posts" in str(gave_up.value) and "\n" not in str(gave_up.value)
