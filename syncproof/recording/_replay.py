"""Replaying a cassette: each request is answered by the first unplayed recorded interaction it matches.

    replay = CassetteReplay(load_cassette(path))
    replay.answer(request)        # an httpx.Response, or None when the cassette holds no such request

The cassettes are laid out after vcrpy's (written by :mod:`._record`; see :mod:`._format`). Replaying through vcrpy
(``record_mode="none"``) compares each request with every recorded interaction, several
times per request, so a scenario's replay grows with the square of its cassette.
:class:`CassetteReplay` gives the same answers with one lookup per request: the recorded
interactions are indexed once by what a request is matched on (its method, normalised URL
and normalised body, personal values masked: :func:`match_url`, :func:`match_key`); the
interactions sharing a key play in recording order, each once, as vcrpy plays them with
``allow_playback_repeats=False``. A response is built as vcrpy's httpx stub builds it.
"""

from __future__ import annotations

from collections import deque
from typing import Hashable

import httpx

from ._format import CassetteFile, RecordedResponse
from ._scrub import Scrubber, hashable_match_key, match_url

__all__ = ["CassetteReplay", "request_key"]


def request_key(method: str, url: str, body: bytes, content_type: str = "",
                normalise: Scrubber | None = None) -> Hashable:
    """What a request is matched on, after the normalisation a recorded request went through
    (hosts, secrets: a :class:`Scrubber` without a pseudonymiser)."""
    normalise = normalise or Scrubber()
    return (method, match_url(normalise.url(url)), hashable_match_key(body or b"", content_type, normalise))


def _content_type(headers: dict[str, list[str]]) -> str:
    for name, values in headers.items():
        if name.lower() == "content-type" and values:
            return values[0]
    return ""


class CassetteReplay:
    """The recorded interactions of one cassette, indexed for replay."""

    def __init__(self, cassette: CassetteFile, normalise: Scrubber | None = None) -> None:
        self.normalise = normalise or Scrubber()
        self._unplayed: dict[Hashable, deque[RecordedResponse]] = {}
        for interaction in cassette.interactions:
            req = interaction.request
            key = request_key(req.method, req.uri, req.body, _content_type(req.headers), self.normalise)
            self._unplayed.setdefault(key, deque()).append(interaction.response)

    def answer(self, request: httpx.Request) -> httpx.Response | None:
        """The recorded response to ``request`` (marked played), or None when none is left for it."""
        key = request_key(request.method, str(request.url), request.read(), request.headers.get("content-type", ""),
                          self.normalise)
        waiting = self._unplayed.get(key)
        if not waiting:
            return None
        recorded = waiting.popleft()
        extensions = {"reason_phrase": recorded.message.encode("ascii")} if recorded.message else None
        return httpx.Response(recorded.status,
                              headers=[(name, value) for name, values in recorded.headers.items() for value in values],
                              stream=httpx.ByteStream(recorded.body), extensions=extensions)
