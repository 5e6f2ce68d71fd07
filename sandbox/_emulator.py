"""What an emulator package hands the launcher: its state, its ASGI app and how to connect.

Each emulator package has a ``launch`` module with ``emulator(backend=None, *,
live_rate_limits=False) -> Emulator``; :func:`sandbox.start_sandbox` imports
``sandbox.<name>.launch`` for every emulator it is asked to start, so a new emulator
package needs no edit to the launcher. A package that also offers sandbox-only seed
routes (test data the real API cannot create) has ``seeding(send)`` in the same module.
"""

from __future__ import annotations

import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from syncproof.model import json_dumps, json_loads

__all__ = ["Emulator", "JsonSeeding", "Send", "emulator_names"]


def emulator_names() -> tuple[str, ...]:
    """The emulator packages (those with a ``launch`` module), NetSuite first."""
    here = Path(__file__).parent
    names = [m.name for m in pkgutil.iter_modules([str(here)]) if m.ispkg and (here / m.name / "launch.py").exists()]
    return tuple(sorted(names, key=lambda n: (n != "netsuite", n)))

#: ``send(method, path, *, content, content_type, params) -> response bytes``: how a seeding
#: client reaches its emulator (the caller's HTTP client, so recordings and reports see it).
Send = Callable[..., bytes]


class JsonSeeding:
    """A seeding client posting JSON to its emulator's sandbox-only routes."""

    def __init__(self, send: Send) -> None:
        self.send = send

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        return json_loads(self.send("POST", path, content=json_dumps(body).encode(), content_type="application/json"))


@dataclass
class Emulator:
    """One emulator ready to serve: ``connection`` holds its demo credentials and identifiers."""

    name: str
    backend: Any
    app: Any
    connection: dict[str, str] = field(default_factory=dict)
    reset: Callable[[], None] | None = None

    def forget(self) -> None:
        """Forget every record (ids start again from their first value)."""
        (self.reset or self.backend.reset)()

    def saved_state(self) -> Any:
        """The state as it stands, for :meth:`restore`; None when the backend cannot keep one (``saved_state``)."""
        save = getattr(self.backend, "saved_state", None)
        return save() if save is not None else None

    def restore(self, state: Any) -> None:
        """The state :meth:`saved_state` kept; with None, every record forgotten (:meth:`forget`)."""
        if state is None:
            self.forget()
        else:
            self.backend.restore_state(state)
