"""One scenario's cassette: recording or replaying it, with syncproof's scrubbing, matching and errors.

    with scenario_cassette(request, runtime, mode="replay", cassette_dir=Path("cassettes")):
        run the scenario's steps   # every HTTP request is answered from the cassette

``httpx.HTTPTransport.handle_request`` is patched for the duration of the block, so the run's
session-scoped clients are recorded or replayed too. In ``record`` mode every request goes to the
emulators or live accounts and :class:`~._record.CassetteRecorder` keeps it, scrubbed; the cassette
is written once the scenario passed (:meth:`ScenarioCassette.keep`). In ``replay`` mode nothing
reaches the network: a request is answered from the cassette by :class:`~._replay.CassetteReplay`,
matched on method, normalised URL and body (never on ``Authorization``, whose OAuth nonce, timestamp
and signature change on every run; personal values masked), each recorded interaction plays once and
in order, replayed responses carry ``extensions["syncproof_replayed"] = True`` (the report shows
them as replayed), and a request the cassette does not hold fails the scenario with
:class:`UnrecordedRequest` naming it and the command that re-records the scenario.
"""

from __future__ import annotations

import contextlib
import hashlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator
from unittest import mock

import httpx

from ._errors import CassetteError, UnrecordedRequest
from ._format import CassetteFile, load_cassette, write_cassette
from ._record import CassetteRecorder
from ._replay import CassetteReplay
from ._scenario import ScenarioId
from ._scrub import Pseudonymiser, Scrubber

__all__ = ["ScenarioCassette", "scenario_cassette", "cassette_seed"]


#: the run tag a recording from live carries in its cassettes (and replays with)
RECORDED_RUN_TAG = "sp00000000000000-0000"


def cassette_seed(relpath: str) -> int:
    """The Faker seed of a cassette's pseudonyms (stable for a scenario)."""
    return int(hashlib.sha256(relpath.encode()).hexdigest()[:8], 16)


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
        #: the recording, held until its scenario passed (None: nothing recorded, or already written)
        self.recorded: CassetteFile | None = None

    def keep(self, passed: bool) -> bool:
        """After a recording: replace the committed cassette only if the scenario ``passed``.

        A failed scenario (bad credentials, an API error) leaves the committed cassette
        as it was; the recording is discarded. Returns whether the cassette was replaced:
        it is written next to the committed one and renamed over it, so a reader finds the
        old cassette or the new one, never half of one.
        """
        recorded, self.recorded = self.recorded, None
        if self.mode != "record" or recorded is None or not passed:
            return False
        write_cassette(self.path, recorded)
        return True

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
        self.recorded = None
        recorder = CassetteRecorder(scrubber)
        with mock.patch.object(httpx.HTTPTransport, "handle_request", recorder.handler()):
            yield
        self.recorded = CassetteFile(str(self.path), recorder.interactions, self.metadata)

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
