"""Errors of recorded runs, each one line naming the cassette or request and the fix.

    SyncproofError (syncproof.errors)
    ├── CassetteError        a cassette file is missing, unreadable or malformed
    └── UnrecordedRequest    a replayed scenario sent a request its cassette does not hold
"""

from __future__ import annotations

from syncproof.errors import SyncproofError

__all__ = ["CassetteError", "UnrecordedRequest"]


class CassetteError(SyncproofError):
    """A cassette cannot be used: ``str()`` names the file, what is wrong in it, and the fix.

        >>> from syncproof.recording import load_cassette
        >>> try:
        ...     load_cassette("cassettes/refund_settings/no-such-scenario.yaml")
        ... except CassetteError as exc:
        ...     print(exc)  # doctest: +NORMALIZE_WHITESPACE
        cassette cassettes/refund_settings/no-such-scenario.yaml: not found; record it with
        `syncproof run --target record`
    """

    category = "configuration"

    def __init__(
        self, path: object, problem: str, hint: str = "re-record it with `syncproof run --target record`"
    ) -> None:
        super().__init__(f"cassette {path}: {problem}", hint)
        self.path = str(path)
        self.problem = problem


class UnrecordedRequest(SyncproofError):
    """A replayed scenario sent a request that its cassette does not hold (the network is blocked).

        >>> exc = UnrecordedRequest("GET", "http://netsuite.sandbox.syncproof/record/v1/item/7", "cassettes/x/y.yaml",
        ...                         "syncproof run --target record -k y")
        >>> print(exc)  # doctest: +NORMALIZE_WHITESPACE
        replay: the cassette cassettes/x/y.yaml holds no GET http://netsuite.sandbox.syncproof/record/v1/item/7
        (the scenario now sends a request it did not send when it was recorded); re-record this scenario with
        `syncproof run --target record -k y`
    """

    category = "configuration"

    def __init__(self, method: str, url: str, cassette: str, command: str) -> None:
        super().__init__(
            f"replay: the cassette {cassette} holds no {method} {url} (the scenario now sends a request "
            "it did not send when it was recorded)",
            f"re-record this scenario with `{command}`")
        self.method = method
        self.url = url
        self.cassette = cassette
        self.command = command
