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

from connectors import REDACTED, ApiClient, ConnectionFailed, RetryPolicy
from sandbox._server import serve
from syncproof.recording import Pseudonymiser, Scrubber
from syncproof.recording._format import CompactJSONBody
from syncproof.recording._record import CassetteRecorder
from syncproof.recording._runtime import ScrubbingRedactor

pytestmark = pytest.mark.integration

ANSWER = {"id": "5001", "customer": {"email": "zebulon.quackenbush@apollo-guidance.test"}}
#: an order as a channel answers it: its note names the buyer before the address that gives the name
ORDER = {"id": "7001", "note": "Gift wrap for Philomena Brackenridge-Ostrowski",
         "shipping_address": {"name": "Philomena Brackenridge-Ostrowski", "city": "Tallahassee"}}


async def _customer(request: Request) -> Response:
    return Response(gzip.compress(json.dumps(ANSWER).encode()), media_type="application/json",
                    headers={"content-encoding": "gzip"})


#: a settlement report document as Amazon serves it: gzipped bytes, not a compressed answer
DOCUMENT = gzip.compress(b"settlement-id\tsettlement-start-date\n11111111111\t2026-11-01\n")


async def _document(request: Request) -> Response:
    return Response(DOCUMENT, media_type="application/octet-stream",
                    headers={"set-cookie": "session=s3ss10n-v4lu3; Path=/", "x-amzn-requestid": "r-1"})


async def _order(request: Request) -> Response:
    return Response(json.dumps(ORDER), media_type="application/json")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    routes = [Route("/customer", _customer, methods=["POST"]), Route("/order", _order, methods=["GET"]),
              Route("/document", _document, methods=["GET"])]
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


def _recorder(url: str) -> CassetteRecorder:
    return CassetteRecorder(Scrubber({url: "http://amazon.sandbox.syncproof"}, {}, Pseudonymiser(seed=7)))


def test_secret_headers_are_redacted_and_per_run_ones_dropped_on_both_sides(server):
    recorder = _recorder(server)
    with mock.patch.object(httpx.HTTPTransport, "handle_request", recorder.handler()), httpx.Client() as client:
        client.get(server + "/document", headers={"x-amz-access-token": "Atza|t0k3n", "cookie": "session=abc",
                                                  "authorization": "Bearer s3cr3t", "x-amz-date": "20261203T120000Z"})
    [recorded] = recorder.interactions
    request, response = recorded.request.headers, recorded.response.headers
    assert request["x-amz-access-token"] == request["cookie"] == request["authorization"] == [REDACTED]
    assert request["x-amz-date"] == ["20261203T120000Z"]
    assert not {"host", "user-agent", "accept-encoding", "connection", "content-length"} & set(request)
    assert response["set-cookie"] == [REDACTED] and response["x-amzn-requestid"] == ["r-1"]
    assert not {"date", "server", "content-length"} & set(response)


def test_a_binary_answer_is_kept_byte_for_byte_and_a_streamed_one_still_reaches_the_client(server):
    recorder = _recorder(server)
    with mock.patch.object(httpx.HTTPTransport, "handle_request", recorder.handler()), httpx.Client() as client:
        with client.stream("GET", server + "/document") as answer:
            streamed = b"".join(answer.iter_bytes())
    assert streamed == DOCUMENT
    [recorded] = recorder.interactions
    assert recorded.response.body == DOCUMENT


def test_a_request_that_never_got_an_answer_is_not_recorded_and_its_error_reaches_the_client(server):
    recorder = _recorder(server)
    with mock.patch.object(httpx.HTTPTransport, "handle_request", recorder.handler()), httpx.Client() as client:
        with pytest.raises(httpx.ConnectError):
            client.get("http://127.0.0.1:9/nothing-listens-here")  # the discard port: refused on loopback
        client.get(server + "/order")
    assert [i.request.uri for i in recorder.interactions] == ["http://amazon.sandbox.syncproof/order"]


def test_the_evidence_of_a_request_that_never_got_an_answer_is_scrubbed_of_a_name_its_note_gives_first():
    """The cassette never sees such a request, so the report's evidence is its only scrubbing: a note naming the buyer
    before the address that gives the name loses the name there too."""
    scrubber = Scrubber({}, {}, Pseudonymiser(seed=7))
    recorder, evidence = CassetteRecorder(scrubber), []
    client = ApiClient("http://127.0.0.1:9", redactor=ScrubbingRedactor(scrubber=scrubber), on_exchange=evidence.append,
                       retry=RetryPolicy(max_attempts=1), sleep=lambda seconds: None)
    with mock.patch.object(httpx.HTTPTransport, "handle_request", recorder.handler()), client:
        with pytest.raises(ConnectionFailed):
            client.request("POST", "/orders", json={"customer_note": "Gift wrap for Philomena Brackenridge",
                                                    "shipping_address": {"name": "Philomena Brackenridge"}})
    [exchange] = evidence
    assert exchange.status is None and recorder.interactions == []
    assert "Brackenridge" not in exchange.request_body and "Gift wrap for " in exchange.request_body
