"""One scenario's cassette: vcrpy wired to syncproof's scrubbing, matching and errors.

    >>> with scenario_cassette(request, runtime, mode="replay", cassette_dir=Path("cassettes")):
    ...     run the scenario's steps   # every HTTP request is answered from the cassette

``httpx.HTTPTransport.handle_request`` is patched for the duration of the block, so the
run's session-scoped clients are recorded or replayed too. In ``record`` mode (vcrpy
``all``) every request goes to the emulators or live accounts and vcrpy writes it,
scrubbed, when the scenario ends. In ``replay`` mode nothing reaches the network: a
request is answered from the cassette by :class:`~._replay.CassetteReplay`, matched on
method, normalised URL and body (never on ``Authorization``, whose OAuth nonce, timestamp
and signature change on every run; personal values masked), each recorded interaction
plays once and in order, replayed responses carry ``extensions["syncproof_replayed"] = True``
(the report shows them as replayed), and a request the cassette does not hold fails the
scenario with :class:`UnrecordedRequest` naming it and the command that re-records the scenario.
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
from vcr.filters import decode_response
from vcr.persisters.filesystem import CassetteNotFoundError
from vcr.record_mode import RecordMode
from vcr.request import Request as VcrRequest

from ._errors import CassetteError, UnrecordedRequest
from ._format import CassetteFile, Interaction, RecordedRequest, RecordedResponse, load_cassette, write_cassette
from ._replay import CassetteReplay
from ._scenario import ScenarioId
from ._scrub import DROPPED_REQUEST_HEADERS, DROPPED_RESPONSE_HEADERS, Pseudonymiser, Scrubber

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
    def scrubbed(request: VcrRequest) -> VcrRequest:
        headers = scrubber.headers(request.headers.items(), DROPPED_REQUEST_HEADERS)
        body = scrubber.body(request.body or b"", _content_type(request.headers))
        return VcrRequest(request.method, scrubber.url(request.uri), body,
                          {k: ", ".join(v) for k, v in headers.items()})

    def before_record_request(request: VcrRequest) -> VcrRequest:
        # twice: the first pass learns the personal values of the request's fields, so that the
        # second also replaces them where free text names them before the field does
        scrubbed(request)
        return scrubbed(request)
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


class _RecordingCassette(Cassette):
    """vcrpy's cassette in ``all`` mode, which never plays a response: without asking, for each
    request, whether one of those recorded so far matches it (a scan of the whole cassette)."""

    def can_play_response_for(self, request: VcrRequest) -> bool:
        return False


class _Persister:
    """vcrpy persister writing the YAML format; a recording starts empty and replaces the file."""

    def __init__(self, metadata: dict[str, Any]) -> None:
        self.metadata = metadata
        self.saved = False

    def load_cassette(self, cassette_path: str, serializer: Any) -> tuple[list, list, dict]:
        raise CassetteNotFoundError()

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
        if self.mode == "record":
            context = self._recording(runtime, ctx)
        else:
            context = self._replaying(runtime)
        try:
            with context:
                yield self
        finally:
            runtime.end_scenario()

    @contextlib.contextmanager
    def _recording(self, runtime: Any, ctx: Any) -> Iterator[None]:
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
        persister = _Persister(self.metadata)
        target = self.staging
        target.unlink(missing_ok=True)
        with _RecordingCassette.use(path=str(target), persister=persister, record_mode=RecordMode.ALL,
                                    before_record_request=_request_hook(scrubber),
                                    before_record_response=_response_hook(scrubber)) as cassette:
            yield
            if not cassette.dirty and not persister.saved:
                persister.save_cassette(str(target), {"requests": [], "responses": []}, None)

    @contextlib.contextmanager
    def _replaying(self, runtime: Any) -> Iterator[None]:
        if not self.path.is_file():
            raise CassetteError(self.display_path, "not found: this scenario has not been recorded",
                                f"record it with `{self.command}`")
        from ._runtime import recorded_clock

        loaded = load_cassette(self.path)
        self.metadata = loaded.metadata
        runtime.run_tag = RECORDED_RUN_TAG if self.metadata.get("recorded_from") == "live" else ""
        runtime.begin_scenario(Scrubber(personal=Pseudonymiser(self.seed)), recorded_clock(self.metadata))
        with mock.patch.object(httpx.HTTPTransport, "handle_request", self._replayer(CassetteReplay(loaded))):
            yield

    def _replayer(self, replay: CassetteReplay):
        """``HTTPTransport.handle_request`` answering from the cassette; nothing reaches the network."""
        normalise = Scrubber()

        def handle_request(transport: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
            __tracebackhide__ = True
            response = replay.answer(request)
            if response is None:
                miss = UnrecordedRequest(request.method, normalise.url(str(request.url)), self.display_path,
                                         self.command)
                self.misses.append(miss)
                raise miss
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
