"""One scenario's cassette: vcrpy wired to syncproof's scrubbing, matching and errors.

    >>> with scenario_cassette(request, runtime, mode="replay", cassette_dir=Path("cassettes")):
    ...     run the scenario's steps   # every HTTP request is answered from the cassette

vcrpy patches ``httpx.HTTPTransport.handle_request`` for the duration of the block, so
the run's session-scoped clients are recorded or replayed too. In ``record`` mode
(vcrpy ``all``) every request goes to the emulators or live accounts and is written,
scrubbed, when the scenario ends. In ``replay`` mode (vcrpy ``none``) nothing reaches
the network: a request is matched on method, normalised URL and body (never on
``Authorization``, whose OAuth nonce, timestamp and signature change on every run;
personal values masked), each recorded interaction plays once and in order, replayed
responses carry ``extensions["syncproof_replayed"] = True`` (the report shows them as
replayed), and a request the cassette does not hold fails the scenario with
:class:`UnrecordedRequest` naming it and the command that re-records the scenario.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator
from unittest import mock

import httpx
from vcr.cassette import Cassette
from vcr.errors import CannotOverwriteExistingCassetteException
from vcr.filters import decode_response
from vcr.persisters.filesystem import CassetteNotFoundError
from vcr.record_mode import RecordMode
from vcr.request import Request as VcrRequest

from ._errors import CassetteError, UnrecordedRequest
from ._format import CassetteFile, Interaction, RecordedRequest, RecordedResponse, load_cassette, write_cassette
from ._scenario import ScenarioId
from ._scrub import DROPPED_REQUEST_HEADERS, DROPPED_RESPONSE_HEADERS, Pseudonymiser, Scrubber, match_key, match_url

__all__ = ["ScenarioCassette", "scenario_cassette", "cassette_seed"]


#: the run tag a recording from live carries in its cassettes (and replays with)
RECORDED_RUN_TAG = "sp00000000000000-0000"
#: the folder, next to each cassette, holding a recording until its scenario passed
STAGING_DIR = ".recording"


def cassette_seed(relpath: str) -> int:
    """The Faker seed of a cassette's pseudonyms (stable for a scenario)."""
    return int(hashlib.sha256(relpath.encode()).hexdigest()[:8], 16)


def _content_type(headers: Any) -> str:
    for key, value in headers.items():
        if key.lower() == "content-type":
            return value[0] if isinstance(value, list) else str(value)
    return ""


# --- vcrpy hooks --------------------------------------------------------------------------------

def _request_hook(scrubber: Scrubber):
    def before_record_request(request: VcrRequest) -> VcrRequest:
        headers = scrubber.headers(request.headers.items(), DROPPED_REQUEST_HEADERS)
        body = scrubber.body(request.body or b"", _content_type(request.headers))
        return VcrRequest(request.method, scrubber.url(request.uri), body,
                          {k: ", ".join(v) for k, v in headers.items()})
    return before_record_request


def _response_hook(scrubber: Scrubber):
    def before_record_response(response: dict[str, Any]) -> dict[str, Any]:
        response = decode_response(response)  # gzip/deflate bodies stored decoded
        headers = response.get("headers") or {}
        items = [(k, v) for k, values in headers.items() for v in (values if isinstance(values, list) else [values])]
        body = response.get("body", {}).get("string", b"")
        if isinstance(body, str):
            body = body.encode("utf-8")
        return {"status": response["status"],
                "headers": scrubber.headers(items, DROPPED_RESPONSE_HEADERS),
                "body": {"string": scrubber.body(body, _content_type(headers))}}
    return before_record_response


def _method(r1: VcrRequest, r2: VcrRequest) -> None:
    assert r1.method == r2.method, f"{r1.method} != {r2.method}"


def _keys(request: VcrRequest) -> tuple[Any, Any]:
    """The request's normalised URL and body, worked out once per request: vcrpy compares each
    request with every recorded one, so per pair this would be quadratic in the cassette's size."""
    keys = request.__dict__.get("_syncproof_match_keys")
    if keys is None:
        keys = (match_url(request.uri), match_key(request.body or b"", _content_type(request.headers)))
        request.__dict__["_syncproof_match_keys"] = keys
    return keys


def _url(r1: VcrRequest, r2: VcrRequest) -> None:
    assert _keys(r1)[0] == _keys(r2)[0], f"{r1.uri} != {r2.uri}"


def _body(r1: VcrRequest, r2: VcrRequest) -> None:
    assert _keys(r1)[1] == _keys(r2)[1], "the bodies differ"


MATCH_ON = (_method, _url, _body)


class _Persister:
    """vcrpy persister over :func:`load_cassette` / the YAML format (and nothing loaded when recording).

    ``loaded`` is the cassette already read for its metadata, so a replay parses the file once.
    """

    def __init__(self, mode: str, metadata: dict[str, Any], loaded: CassetteFile | None = None) -> None:
        self.mode = mode
        self.metadata = metadata
        self.loaded = loaded
        self.saved = False

    def load_cassette(self, cassette_path: str, serializer: Any) -> tuple[list, list, dict]:
        if self.mode == "record":
            raise CassetteNotFoundError()  # a recording starts empty and replaces the file
        loaded = self.loaded if self.loaded is not None else load_cassette(cassette_path)
        requests = [VcrRequest(i.request.method, i.request.uri, i.request.body,
                               {k: ", ".join(v) for k, v in i.request.headers.items()}) for i in loaded.interactions]
        responses = [{"status": {"code": i.response.status, "message": i.response.message},
                      "headers": {k: list(v) for k, v in i.response.headers.items()},
                      "body": {"string": i.response.body}} for i in loaded.interactions]
        return requests, responses, loaded.metadata

    def save_cassette(self, cassette_path: str, cassette_dict: dict[str, Any], serializer: Any) -> None:
        interactions = []
        for request, response in zip(cassette_dict["requests"], cassette_dict["responses"], strict=True):
            interactions.append(Interaction(
                RecordedRequest(request.method, request.uri, {k: [v] for k, v in request.headers.items()},
                                request.body or b""),
                RecordedResponse(response["status"]["code"], response["status"].get("message") or "",
                                 {k: list(v) for k, v in response["headers"].items()},
                                 response["body"]["string"] or b"")))
        write_cassette(cassette_path, CassetteFile(str(cassette_path), interactions, self.metadata))
        self.saved = True


class ScenarioCassette:
    """The cassette of one scenario while it runs (what the plugin's fixture opens)."""

    def __init__(self, scenario: ScenarioId, path: Path, mode: str, *, display_path: str | None = None,
                 record_extra: str = "") -> None:
        self.scenario = scenario
        self.path = path
        self.mode = mode
        self.display_path = display_path or str(path)
        self.command = scenario.record_command(record_extra)
        self.seed = cassette_seed(scenario.relpath)
        self.misses: list[UnrecordedRequest] = []
        self.metadata: dict[str, Any] = {}
        #: where a recording is written until the scenario passed (same folder tree, so the rename is atomic)
        self.staging = path.parent / STAGING_DIR / path.name

    def keep(self, passed: bool) -> bool:
        """After a recording: replace the committed cassette only if the scenario ``passed``.

        A failed scenario (bad credentials, an API error) leaves the committed cassette
        as it was; the recording is discarded. Returns whether the cassette was replaced.
        """
        if self.mode != "record" or not self.staging.exists():
            return False
        try:
            if passed:
                os.replace(self.staging, self.path)
                return True
            self.staging.unlink()
            return False
        finally:
            try:
                self.staging.parent.rmdir()  # only when empty
            except OSError:
                pass

    @contextlib.contextmanager
    def recording(self, runtime: Any, ctx: Any = None) -> Iterator["ScenarioCassette"]:
        loaded: CassetteFile | None = None
        if self.mode == "record":
            literals = dict(runtime.literals)
            if getattr(runtime, "run_tag", ""):  # recording from live: memos carry the run tag, cassettes a fixed one
                literals[runtime.run_tag] = RECORDED_RUN_TAG
            scrubber = Scrubber(runtime.hosts, literals, Pseudonymiser(self.seed))
            self.metadata = {
                "feature": self.scenario.feature_stem, "scenario": self.scenario.name,
                **({"example": self.scenario.example} if self.scenario.example else {}),
                "recorded_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
                "recorded_from": runtime.source,
                "seed": getattr(ctx, "seed", None), "run_id": getattr(ctx, "run_id", None),
                "rerecord": self.command,
            }
            runtime.begin_scenario(scrubber)
            request_hook, response_hook = _request_hook(scrubber), _response_hook(scrubber)
            record_mode = RecordMode.ALL
        else:
            if not self.path.is_file():
                raise CassetteError(self.display_path, "not found: this scenario has not been recorded",
                                    f"record it with `{self.command}`")
            from ._runtime import recorded_clock

            loaded = load_cassette(self.path)
            self.metadata = loaded.metadata
            runtime.run_tag = RECORDED_RUN_TAG if self.metadata.get("recorded_from") == "live" else ""
            runtime.begin_scenario(Scrubber(personal=Pseudonymiser(self.seed)), recorded_clock(self.metadata))
            request_hook, response_hook = _request_hook(Scrubber()), None
            record_mode = RecordMode.NONE
        persister = _Persister(self.mode, self.metadata, loaded)
        try:
            target = self.path
            if self.mode == "record":
                target = self.staging
                target.unlink(missing_ok=True)
            with Cassette.use(path=str(target), persister=persister, record_mode=record_mode, match_on=MATCH_ON,
                              before_record_request=request_hook, before_record_response=response_hook,
                              allow_playback_repeats=False) as cassette:
                with mock.patch.object(httpx.HTTPTransport, "handle_request",
                                       self._wrap(httpx.HTTPTransport.handle_request)):
                    yield self
                if self.mode == "record" and not cassette.dirty and not persister.saved:
                    persister.save_cassette(str(target), {"requests": [], "responses": []}, None)
        finally:
            runtime.end_scenario()

    def _wrap(self, vcr_handle_request):
        replaying = self.mode == "replay"
        normalise = Scrubber()

        def handle_request(transport: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
            __tracebackhide__ = True
            try:
                response = vcr_handle_request(transport, request)
            except CannotOverwriteExistingCassetteException:
                miss = UnrecordedRequest(request.method, normalise.url(str(request.url)), self.display_path,
                                         self.command)
                self.misses.append(miss)
                raise miss from None
            if replaying:
                response.extensions["syncproof_replayed"] = True
            return response

        return handle_request


def scenario_cassette(scenario: ScenarioId, cassette_dir: Path, mode: str, *, record_extra: str = "",
                      root: Path | None = None) -> ScenarioCassette:
    path = cassette_dir / scenario.relpath
    display = str(path)
    if root is not None:
        try:
            display = str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            pass
    return ScenarioCassette(scenario, path, mode, display_path=display, record_extra=record_extra)
