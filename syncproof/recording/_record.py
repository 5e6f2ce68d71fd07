"""Recording a cassette: every request goes on to the emulators or live accounts and is kept, scrubbed.

    recorder = CassetteRecorder(scrubber)
    with mock.patch.object(httpx.HTTPTransport, "handle_request", recorder.handler()):
        run the scenario's steps
    recorder.interactions          # [Interaction(RecordedRequest(...), RecordedResponse(...)), ...]

Each exchange is scrubbed as it happens, request then response, so the pseudonyms of a
cassette are drawn in the order its exchanges were made. The interactions are what vcrpy's
``all`` record mode kept through its ``before_record_request``/``before_record_response``
hooks (request headers by lower-case name, repeated ones joined; response headers as lists;
bodies decoded when the response was compressed), without vcrpy's copies of every request and
response or its patching of every HTTP library for each scenario. A JSON body is kept as the
scrubber lays it out (:class:`~._format.CompactJSONBody`), which the cassette holds as it is.
"""

from __future__ import annotations

from typing import Callable, TypeVar

import httpx

from ._format import Interaction, RecordedRequest, RecordedResponse
from ._scrub import DROPPED_REQUEST_HEADERS, DROPPED_RESPONSE_HEADERS, Scrubber

__all__ = ["CassetteRecorder"]

T = TypeVar("T")
Handler = Callable[[httpx.HTTPTransport, httpx.Request], httpx.Response]


def _joined(headers: httpx.Headers) -> dict[str, str]:
    """``dict(headers)`` in one pass over them: lower-case names, a repeated header's values joined with ``", "``
    (``dict`` looks each name up again, going over every header for each)."""
    values: dict[str, list[str]] = {}
    for name, value in headers.multi_items():
        values.setdefault(name, []).append(value)
    return {name: ", ".join(repeated) for name, repeated in values.items()}


class CassetteRecorder:
    """The scrubbed interactions of one scenario, in the order its requests were made."""

    def __init__(self, scrubber: Scrubber) -> None:
        self.scrubber = scrubber
        self.interactions: list[Interaction] = []

    def handler(self, send: Handler | None = None) -> Handler:
        """``HTTPTransport.handle_request`` sending each request with ``send`` (the real one by default) and
        keeping it with its response; the response's body is read, so the connection goes back to its pool."""
        send = send or httpx.HTTPTransport.handle_request

        def handle_request(transport: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
            body = request.read()
            response = send(transport, request)
            stream = response.stream
            assert isinstance(stream, httpx.SyncByteStream)  # what a sync transport answers with
            try:
                content = b"".join(stream)
            finally:
                stream.close()
            response.stream = httpx.ByteStream(content)
            self.interactions.append(Interaction(self.request(request, body), self.response(response, content)))
            return response

        return handle_request

    def request(self, request: httpx.Request, body: bytes) -> RecordedRequest:
        """``request`` scrubbed (see :meth:`_scrubbed`)."""
        headers = _joined(request.headers)
        content_type = headers.get("content-type", "")
        scrubber = self.scrubber

        def scrubbed() -> RecordedRequest:
            kept = scrubber.headers(headers.items(), DROPPED_REQUEST_HEADERS)
            kept_body = scrubber.body(body, content_type)
            return RecordedRequest(request.method, scrubber.url(str(request.url)),
                                   {name: [", ".join(values)] for name, values in kept.items()}, kept_body)

        return self._scrubbed(scrubbed)

    def response(self, response: httpx.Response, content: bytes) -> RecordedResponse:
        """``response`` scrubbed (see :meth:`_scrubbed`), its body decoded when it came compressed (its
        ``Content-Encoding`` is not kept)."""
        headers: dict[str, list[str]] = {}
        for name, value in response.headers.multi_items():
            headers.setdefault(name, []).append(value)
        if "content-encoding" in headers:  # multi_items names them in lower case
            content = httpx.Response(response.status_code, headers=response.headers,
                                     stream=httpx.ByteStream(content)).read()
        content_type = headers["content-type"][0] if headers.get("content-type") else ""
        items = [(name, value) for name, values in headers.items() for value in values]
        scrubber = self.scrubber

        def scrubbed() -> RecordedResponse:
            return RecordedResponse(response.status_code, response.reason_phrase or "",
                                    scrubber.headers(items, DROPPED_RESPONSE_HEADERS),
                                    scrubber.body(content, content_type))

        return self._scrubbed(scrubbed)

    def _scrubbed(self, scrubbed: Callable[[], T]) -> T:
        """``scrubbed()``, twice when the first pass learned a personal value from a request's or an answer's
        fields, so that the second also replaces it where free text names it before the field does (an
        order's note naming the buyer before its address)."""
        learned = self.scrubber.learned()
        kept = scrubbed()
        return kept if self.scrubber.learned() == learned else scrubbed()
