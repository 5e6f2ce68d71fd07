"""A scenario's recording is written over its cassette only once the scenario passed, and every scenario's
fresh clients send through one pool of connections; over real HTTP to a server on loopback."""

from __future__ import annotations

from typing import Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from connectors import ApiClient, SharedPool
from sandbox._server import serve
from syncproof.config import parse_config
from syncproof.recording import ScenarioCassette, ScenarioId, load_cassette, open_recorded_runtime
from syncproof.recording._scrub import Scrubber

pytestmark = pytest.mark.integration


async def _peer(request: Request) -> JSONResponse:
    """Which connection the request came on: the client's port."""
    assert request.client is not None
    return JSONResponse({"port": request.client.port})


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serve(Starlette(routes=[Route("/peer", _peer)]), name="peer") as running:
        yield running.url


class _Runtime:
    """What a recording asks of its runtime, and nothing more."""

    literals: dict[str, str] = {}
    hosts: dict[str, str] = {}
    source = "sandbox"
    run_tag = ""

    def begin_scenario(self, scrubber: Scrubber, clock=None) -> None:
        self.scrubber = scrubber

    def end_scenario(self) -> None:
        pass


def _recorded(server: str, path, passed: bool) -> tuple[ScenarioCassette, list[str], bool]:
    cassette = ScenarioCassette(ScenarioId("feature", "scenario"), path, "record")
    with cassette.recording(_Runtime()):
        httpx.get(server + "/peer")
    files_before_keep = sorted(str(p.relative_to(path.parent.parent)) for p in path.parent.parent.rglob("*"))
    return cassette, files_before_keep, cassette.keep(passed=passed)


def test_a_recording_is_written_over_its_cassette_only_once_its_scenario_passed(server, tmp_path):
    path = tmp_path / "feature" / "scenario.yaml"
    path.parent.mkdir()
    path.write_text("the committed cassette\n")
    _, files, replaced = _recorded(server, path, passed=False)
    assert files == ["feature", "feature/scenario.yaml"]  # nothing written next to it while the scenario ran
    assert not replaced and path.read_text() == "the committed cassette\n"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["feature", "scenario.yaml"]

    cassette, files, replaced = _recorded(server, path, passed=True)
    assert files == ["feature", "feature/scenario.yaml"]
    assert replaced
    assert [i.request.uri for i in load_cassette(path).interactions] == [server + "/peer"]
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["feature", "scenario.yaml"]
    assert not cassette.keep(passed=True)  # kept once: a second call writes nothing again


def test_clients_built_one_after_another_on_a_shared_pool_use_the_same_connection(server):
    pool = SharedPool()
    try:
        ports = []
        for _ in range(3):
            with ApiClient(server, transport=pool) as client:  # closing a client leaves the pool open
                ports.append(client.request("GET", "/peer").json()["port"])
        assert len(set(ports)) == 1, ports
    finally:
        pool.shut()
    with ApiClient(server, transport=pool) as client:  # shut: the next request opens a new connection
        assert client.request("GET", "/peer").json()["port"] not in ports


def test_every_scenario_s_fresh_clients_send_through_the_recorded_run_s_one_pool():
    runtime = open_recorded_runtime(parse_config({}, None).with_overrides(target="replay"))
    try:
        seen = []
        for _ in range(2):
            runtime.begin_scenario(Scrubber())
            clients = runtime.clients
            assert clients and all(client._http._transport is runtime.pool for client in clients)
            seen.append({id(client) for client in clients})
            runtime.end_scenario()
        assert not seen[0] & seen[1]  # the clients themselves are new for each scenario
    finally:
        runtime.close()
