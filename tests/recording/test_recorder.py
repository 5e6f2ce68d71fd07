"""What the recorder keeps of an exchange, over real HTTP to a server on loopback: the request scrubbed even
where its free text names a buyer before the field that does, a compressed answer decoded, and the client
still given the answer the server sent."""

from __future__ import annotations

import gzip
import json
from typing import Iterator
from unittest import mock

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox._server import serve
from syncproof.recording import Pseudonymiser, Scrubber
from syncproof.recording._format import CompactJSONBody
from syncproof.recording._record import CassetteRecorder

pytestmark = pytest.mark.integration

ANSWER = {"id": "5001", "customer": {"email": "zebulon.quackenbush@apollo-guidance.test"}}
#: an order as a channel answers it: its note names the buyer before the address that gives the name
ORDER = {"id": "7001", "note": "Gift wrap for Philomena Brackenridge-Ostrowski",
         "shipping_address": {"name": "Philomena Brackenridge-Ostrowski", "city": "Tallahassee"}}


async def _customer(request: Request) -> Response:
    return Response(gzip.compress(json.dumps(ANSWER).encode()), media_type="application/json",
                    headers={"content-encoding": "gzip"})


async def _order(request: Request) -> Response:
    return Response(json.dumps(ORDER), media_type="application/json")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    routes = [Route("/customer", _customer, methods=["POST"]), Route("/order", _order, methods=["GET"])]
    with serve(Starlette(routes=routes), name="recorded") as running:
        yield running.url


def _record(url: str, body: dict) -> tuple[CassetteRecorder, httpx.Response]:
    recorder = CassetteRecorder(Scrubber({url: "http://netsuite.sandbox.syncproof"}, {}, Pseudonymiser(seed=7)))
    with mock.patch.object(httpx.HTTPTransport, "handle_request", recorder.handler()), httpx.Client() as client:
        answer = client.post(url + "/customer", json=body)
    return recorder, answer


def test_a_name_in_free_text_before_its_field_is_scrubbed_too(server):
    recorder, _ = _record(server, {"memo": "Refund for Zebulon Quackenbush",
                                   "customer": {"name": "Zebulon Quackenbush", "email": "zq@apollo-guidance.test"}})
    [recorded] = recorder.interactions
    request = json.loads(recorded.request.body)
    assert "Quackenbush" not in recorded.request.body.decode() and "apollo" not in recorded.request.body.decode()
    assert request["memo"] == f"Refund for {request['customer']['name']}"  # the same fake in both places
    assert recorded.request.uri == "http://netsuite.sandbox.syncproof/customer"


def test_a_compressed_answer_is_kept_decoded_and_the_client_reads_it_as_sent(server):
    recorder, answer = _record(server, {"memo": "nothing personal"})
    assert answer.json() == ANSWER
    [recorded] = recorder.interactions
    assert isinstance(recorded.response.body, CompactJSONBody)
    kept = json.loads(recorded.response.body)
    assert kept["id"] == "5001" and "quackenbush" not in recorded.response.body.decode()
    assert "content-encoding" not in recorded.response.headers
    assert recorded.response.status == 200 and recorded.response.message == "OK"


def test_a_name_in_an_answer_s_free_text_before_its_field_is_scrubbed_too(server):
    recorder = CassetteRecorder(Scrubber({server: "http://shopify.sandbox.syncproof"}, {}, Pseudonymiser(seed=7)))
    with mock.patch.object(httpx.HTTPTransport, "handle_request", recorder.handler()), httpx.Client() as client:
        answer = client.get(server + "/order")
    assert answer.json() == ORDER
    [recorded] = recorder.interactions
    text = recorded.response.body.decode()
    assert "Brackenridge" not in text and "Philomena" not in text and "Tallahassee" not in text
    kept = json.loads(text)
    assert kept["note"] == f"Gift wrap for {kept['shipping_address']['name']}"  # the same fake in both places
