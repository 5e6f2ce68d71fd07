"""What each fault looks like on the wire, with plain httpx and a tiny app that counts what it applied."""

from __future__ import annotations

from typing import Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from sandbox._faults import FaultInjector, FaultPlan, ScheduledFault
from sandbox._server import serve


class Ledger:
    """A one-route app: every POST /things appends its body; GET /things counts them."""

    def __init__(self) -> None:
        self.applied: list[bytes] = []

    async def things(self, request: Request) -> JSONResponse:
        if request.method == "POST":
            self.applied.append(await request.body())
            return JSONResponse({"count": len(self.applied)}, status_code=201)
        return JSONResponse({"count": len(self.applied)})

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/things", self.things, methods=["GET", "POST"]),
                                 Route("/__sandbox__/things", self.things, methods=["GET", "POST"])])


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return Ledger()


@pytest.fixture(scope="module")
def faulty(ledger) -> FaultInjector:
    return FaultInjector(ledger.app(), vendor="netsuite")


@pytest.fixture(scope="module")
def server(faulty):
    with serve(faulty, name="ledger") as running:
        yield running


@pytest.fixture
def http(server, faulty, ledger) -> Iterator[httpx.Client]:
    ledger.applied.clear()
    with httpx.Client(base_url=server.url, timeout=60.0) as client:
        yield client
    faulty.configure(FaultPlan())


def next_post_gets(faulty: FaultInjector, kind: str, **options) -> None:
    faulty.configure(FaultPlan(schedule=(ScheduledFault(kind, 1, "POST", "^/things$"),), **options))


def test_reset_closes_the_connection_without_an_answer_and_applies_nothing(http, faulty, ledger):
    next_post_gets(faulty, "reset")
    with pytest.raises(httpx.ReadError, match="reset"):
        http.post("/things", content=b"one")
    assert ledger.applied == []
    assert http.post("/things", content=b"two").status_code == 201  # the next request is served normally
    assert ledger.applied == [b"two"]


def test_lost_response_applies_the_request_then_drops_the_answer(http, faulty, ledger):
    next_post_gets(faulty, "lost_response")
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        http.post("/things", content=b"one")
    assert ledger.applied == [b"one"]  # the write committed
    assert http.get("/things").json() == {"count": 1}


def test_timeout_holds_past_the_read_timeout_and_applies_nothing(http, faulty, ledger):
    next_post_gets(faulty, "timeout", hold=600.0)  # held until the client hangs up
    with pytest.raises(httpx.ReadTimeout):
        http.post("/things", content=b"one", timeout=httpx.Timeout(60.0, read=0.3))
    assert faulty.stats.faults["timeout"] == 1
    assert ledger.applied == []
    assert http.post("/things", content=b"two").status_code == 201


def test_a_client_that_waits_out_the_hold_sees_the_connection_closed(http, faulty, ledger):
    next_post_gets(faulty, "timeout", hold=0.05)
    with pytest.raises(httpx.RemoteProtocolError):
        http.post("/things", content=b"one", timeout=60.0)
    assert ledger.applied == []


def test_slow_applies_and_answers_late(http, faulty, ledger):
    next_post_gets(faulty, "slow", delay=0.05)
    response = http.post("/things", content=b"one")
    assert response.status_code == 201 and response.json() == {"count": 1}
    assert faulty.stats.faults["slow"] == 1
    assert ledger.applied == [b"one"]


@pytest.mark.parametrize("kind, status", [("429", 429), ("500", 500), ("502", 502), ("503", 503)])
def test_status_faults_answer_without_applying(http, faulty, ledger, kind, status):
    next_post_gets(faulty, kind)
    response = http.post("/things", content=b"one")
    assert response.status_code == status
    assert int(response.headers["content-length"]) == len(response.content) > 0
    assert ledger.applied == []


def test_control_routes_are_never_faulted(http, faulty, ledger):
    faulty.configure(FaultPlan(rates={"reset": 1.0}))
    assert http.post("/__sandbox__/things", content=b"seed").status_code == 201
    with pytest.raises(httpx.ReadError):
        http.post("/things", content=b"one")
    assert ledger.applied == [b"seed"]
    assert (faulty.stats.requests, faulty.stats.eligible, faulty.stats.faults["reset"]) == (2, 1, 1)


def test_without_the_servers_transport_the_drop_is_an_unfinished_answer(ledger):
    """Behind a wrapper that hides uvicorn's send, the injector announces a body it never sends."""
    faulty = FaultInjector(ledger.app(), FaultPlan(schedule=(ScheduledFault("lost_response", 1, "POST"),)),
                           vendor="shopify")

    async def hiding(scope, receive, send):
        async def plain_send(message):
            await send(message)
        await faulty(scope, receive, plain_send)

    ledger.applied.clear()
    with serve(hiding, name="hidden") as server, httpx.Client(base_url=server.url, timeout=60.0) as http:
        with pytest.raises(httpx.RemoteProtocolError, match="incomplete|complete message body"):
            http.post("/things", content=b"one")
        assert ledger.applied == [b"one"]
        assert http.post("/things", content=b"two").status_code == 201
