"""Stopping a run the workbench started: a request the run keeps, not only an interrupt it may never see.

``syncproof ui`` stops its run in two moves: it writes the stop request to the file
``$SYNCPROOF_STOP_FILE`` names (:func:`request_stop`), then sends the run an interrupt
(Ctrl-C) so the scenario in hand ends at once. The interrupt alone is not enough: Python
drops a ``KeyboardInterrupt`` raised while a weakref callback or a ``__del__`` method
runs (it prints "Exception ignored in ..." and carries on), which happens often while the
emulators and their schemas are built; and a run started with SIGINT ignored (a job started
in the background of a shell) never sees it. With the variable set, this plugin:

- gives the run Python's own SIGINT handler when it starts, whatever it inherited, except that
  an interrupt arriving while a module is being imported is raised once that import has ended:
  raised inside it, it would leave the package's submodules in ``sys.modules`` without the
  package, and whatever imports it next may fail (PyYAML's C extension then finds no
  ``yaml.error``, and the report, whose scrubber imports PyYAML, was never written);
- before each scenario, ends the run if the request is there, as Ctrl-C would: the
  scenarios not run yet stay ``not-run`` and the session ends as interrupted;
- once the session finishes, ignores further interrupts, so the teardown runs and the
  report of what ran is written whole.

Without the variable (a run in a terminal) it does nothing: Ctrl-C works as pytest's.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

__all__ = ["ENV", "REASON", "request_stop", "stop_requested"]

ENV = "SYNCPROOF_STOP_FILE"
REASON = "stopped from the workbench"


def request_stop(path: Path | str) -> None:
    """Keep the request to stop the run whose ``$SYNCPROOF_STOP_FILE`` is ``path``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.touch()


def stop_requested() -> bool:
    """Whether this run was asked to stop (always False outside the workbench)."""
    path = os.environ.get(ENV)
    return path is not None and path != "" and os.path.exists(path)


#: the modules of Python's import machinery: a frame of theirs on the stack is a module being imported
_IMPORTING = frozenset({"importlib._bootstrap", "importlib._bootstrap_external"})


def _outermost_import(frame: FrameType | None) -> FrameType | None:
    """The outermost frame of the import machinery on ``frame``'s stack (None when nothing is imported)."""
    found = None
    while frame is not None:
        if frame.f_globals.get("__name__") in _IMPORTING:
            found = frame
        frame = frame.f_back
    return found


#: the profile function raising a stop that waits for an import to end, while it waits
_waiting: Callable[[FrameType, str, Any], None] | None = None


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """Python's own Ctrl-C, raised where the run is, unless that is inside an import: then the interrupt is
    raised as the outermost import returns, the module whole in ``sys.modules`` (a profile function sees
    the return; one a profiler set already is left alone, and the interrupt raised at once). A second interrupt
    while one waits is the same stop: it waits with it."""
    global _waiting
    if _waiting is not None and sys.getprofile() is _waiting:
        return  # a stop waits for the import to end already: this one (the Stop button pressed again) is the same
    importing = _outermost_import(frame)
    if importing is None or sys.getprofile() is not None:
        raise KeyboardInterrupt

    def on_return(returning: FrameType, event: str, arg: Any) -> None:
        if returning is importing and event == "return":
            sys.setprofile(None)
            raise KeyboardInterrupt  # raised by the import statement, after the import

    _waiting = on_return
    sys.setprofile(on_return)


def _set_interrupt(handler: Callable[[int, FrameType | None], Any] | signal.Handlers) -> None:
    if os.environ.get(ENV) and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, handler)


def pytest_configure(config: pytest.Config) -> None:
    _set_interrupt(_interrupt)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> bool | None:
    if not stop_requested():
        return None
    item.session.shouldstop = REASON  # the run loop ends the session as interrupted
    return True  # this scenario is not started


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    _set_interrupt(signal.SIG_IGN)
