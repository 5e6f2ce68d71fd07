"""Concurrency governance: 429 CONCURRENCY_LIMIT_EXCEEDED in NetSuite's body."""

from __future__ import annotations

import httpx
import pytest

from sandbox.netsuite.throttle import Throttle
from syncproof.model import json_dumps as dumps
from syncproof.model import json_loads as loads

pytestmark = pytest.mark.integration


def _assert_concurrency_error(response: httpx.Response) -> None:
    assert response.status_code == 429
    assert response.headers["content-type"] == "application/vnd.oracle.resource+json; type=error"
    body = loads(response.text)
    assert body["status"] == 429 and body["title"] == "Too Many Requests"
    assert body["o:errorDetails"][0]["o:errorCode"] == "CONCURRENCY_LIMIT_EXCEEDED"


def test_forced_429s_then_success(api, netsuite, backend):
    assert httpx.post(netsuite.url + "/__sandbox__/throttle", content=dumps({"next": 2})).status_code == 204

    first = api.send("GET", "/record/v1/account/1")
    second = api.send("GET", "/record/v1/account/1")
    third = api.send("GET", "/record/v1/account/1")

    _assert_concurrency_error(first)
    _assert_concurrency_error(second)
    assert third.status_code == 200


def test_requests_over_the_concurrency_limit_are_refused(api, backend):
    backend.throttle.limit = 2
    assert backend.throttle.enter() and backend.throttle.enter()  # two requests in flight
    try:
        _assert_concurrency_error(api.send("GET", "/record/v1/account/1"))
    finally:
        backend.throttle.leave()
    assert api.send("GET", "/record/v1/account/1").status_code == 200
    backend.throttle.leave()
    assert backend.throttle.in_flight >= 0  # never more releases than requests taken
    # the server releases its slot just after the response is sent: wait for that, woken by the release
    # itself rather than polling a real clock (the timeout is a ceiling for a hung server, not a timing goal)
    assert backend.throttle.wait_idle(timeout=60)
    assert backend.throttle.in_flight == 0


def test_a_release_with_no_request_in_flight_is_refused_and_the_limit_still_holds():
    """A release too many (a caller's bug) is refused and leaves the count at zero: at a limit of one, the first
    request after it takes the slot and the second is refused, as NetSuite refuses a request over the account's
    concurrency limit (Oracle help, "Concurrency Governance": CONCURRENCY_LIMIT_EXCEEDED, HTTP 429)."""
    throttle = Throttle(limit=1)
    with pytest.raises(ValueError, match="no request in flight"):
        throttle.leave()
    assert throttle.in_flight == 0
    assert throttle.wait_idle(timeout=0)  # idle: the predicate is read once, no clock waited on
    assert throttle.enter()
    assert not throttle.enter()
    assert throttle.in_flight == 1 and throttle.refused == 1


def test_control_endpoints_are_never_throttled(netsuite, backend):
    backend.force_throttle(5)

    assert httpx.get(netsuite.url + "/__sandbox__/health").json()["accountId"] == "1234567_SB1"
