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


#: a settlement line as Amazon's documents give it, naming a buyer's e-mail address and the account's seller id
SETTLEMENT_LINE = ("11111111111\tOrder\tCaf\u00e9 cr\u00e8me \u2013 ship to zebulon.quackenbush@apollo-guidance.test"
                   "\tA1SELLER9\n")


async def _gzipped_document(request: Request) -> Response:
    # an S3 report document: gzipped bytes served without Content-Encoding, which the client gunzips itself
    return Response(gzip.compress(SETTLEMENT_LINE.encode("utf-8")), media_type="application/octet-stream")


async def _cp1252_document(request: Request) -> Response:
    return Response(SETTLEMENT_LINE.encode("cp1252"), media_type="text/plain")


@pytest.mark.parametrize(("path", "read"), [
    ("/gzipped-document", lambda body: gzip.decompress(body).decode("utf-8")),
    ("/cp1252-document", lambda body: body.decode("cp1252")),
])
def test_a_gzipped_or_cp1252_document_is_scrubbed_and_kept_in_its_own_encoding(path, read):
    routes = [Route("/gzipped-document", _gzipped_document), Route("/cp1252-document", _cp1252_document)]
    with serve(Starlette(routes=routes), name="documents") as running:
        recorder = CassetteRecorder(Scrubber({running.url: "http://amazon.sandbox.syncproof"},
                                             {"A1SELLER9": "[seller-id]"}, Pseudonymiser(seed=7)))
        with mock.patch.object(httpx.HTTPTransport, "handle_request", recorder.handler()), httpx.Client() as client:
            answer = client.get(running.url + path)
    assert read(answer.content) == SETTLEMENT_LINE  # the client still reads what was sent
    [recorded] = recorder.interactions
    kept = read(recorded.response.body)  # the cassette's bytes read back the way the connector reads them
    assert "quackenbush" not in kept and "apollo-guidance" not in kept and "A1SELLER9" not in kept
    assert kept.startswith("11111111111\tOrder\tCaf\u00e9 cr\u00e8me \u2013 ship to ") and "\t[seller-id]\n" in kept
    assert "@" in kept  # a fake address stands in for the real one


def test_a_gzipped_document_is_re_compressed_the_same_way_every_time():
    scrubber = Scrubber({}, {"A1SELLER9": "[seller-id]"}, Pseudonymiser(seed=7))
    first = scrubber.body(gzip.compress(SETTLEMENT_LINE.encode(), mtime=1))
    again = scrubber.body(gzip.compress(SETTLEMENT_LINE.encode(), mtime=2))
    assert first == again and first[4:8] == b"\0\0\0\0"  # no time in the gzip header


def test_gzip_bytes_that_do_not_decompress_are_not_kept():
    broken = gzip.compress(SETTLEMENT_LINE.encode())[:30]
    kept = Scrubber({}, {}, Pseudonymiser(seed=7)).body(broken)
    assert kept.startswith(b"[") and b"not kept" in kept and broken not in kept
