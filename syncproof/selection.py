"""Which channels the scenarios a run selects talk to, so the live pre-flight probes only those and a live run
asks credentials only of those.

The run's own pytest arguments (``-m``, ``-k``, the audit's, anything after ``--``) are collected once,
in this process and without running or reporting anything; each selected scenario names its channel by an
outline's ``channel`` column or a channel's tag (``@amazon``, on the scenario or its Examples).

    selected_channels(["steps/test_scenarios.py", "-m", "amazon"])    # frozenset({'amazon'})

A selected scenario that names no channel (the NetSuite-only scenarios) could talk to
any of them, and so could a selection that does not collect: then the answer is None, every channel.
The run itself reads the same answer off the scenarios it collected (:func:`scenario_channels`), so the
clients it builds need the credentials of those channels only.

The collection pass leaves the process as it found it: the SIGINT handler (a workbench-started run's
stopping plugin ignores interrupts once a pytest run finishes, and the pre-flight that follows must stay
interruptible), and the files the run's own arguments ask for (``--junitxml``, ``--log-file``,
``--pastebin``: those are left out of it, so only the run writes them).
"""

from __future__ import annotations

import contextlib
import io
import signal
from typing import Iterable, Sequence

import pytest

from .report.checks_catalog import channel_of

__all__ = ["scenario_channels", "selected_channels"]

_WRITING_OPTIONS = frozenset({"--junitxml", "--junit-xml", "--log-file", "--pastebin"})


class _Channels:
    """Notes the channel of every scenario left after deselection (None once one names none)."""

    def __init__(self) -> None:
        self.channels: set[str] | None = set()

    @pytest.hookimpl(trylast=True)
    def pytest_configure(self, config: pytest.Config) -> None:
        from .report.collector import PLUGIN_NAME

        config.pluginmanager.unregister(name=PLUGIN_NAME)  # collecting writes no report and no history

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        found = scenario_channels(session.items)
        self.channels = None if found is None else set(found)


def scenario_channels(items: Iterable[pytest.Item]) -> frozenset[str] | None:
    """The channels the collected scenarios ``items`` talk to; None once one names none (it could use any)."""
    channels: set[str] = set()
    for item in items:
        callspec = getattr(item, "callspec", None)
        example = dict(callspec.params.get("_pytest_bdd_example", {})) if callspec else {}
        channel = channel_of((mark.name for mark in item.iter_markers()), example)
        if channel is None:
            return None
        channels.add(channel)
    return frozenset(channels)


def selected_channels(run_arguments: Sequence[str]) -> frozenset[str] | None:
    """The channels the scenarios ``run_arguments`` select talk to; None when that cannot be told (every one)."""
    found = _Channels()
    arguments = [*_without_writing_options(run_arguments), "--collect-only", "-q", "-n", "0"]
    interrupt = signal.getsignal(signal.SIGINT)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = pytest.main(arguments, plugins=[found])
    finally:
        # None: a handler not installed from Python, which cannot be put back; unchanged outside the main thread
        if interrupt is not None and signal.getsignal(signal.SIGINT) is not interrupt:
            signal.signal(signal.SIGINT, interrupt)
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED) or found.channels is None:
        return None  # a file that does not parse is the run's own one line
    return frozenset(found.channels)


def _without_writing_options(run_arguments: Sequence[str]) -> list[str]:
    """``run_arguments`` less the options that write a file or send the output (``--junitxml=FILE``, ``--junitxml
    FILE``): collecting leaves them to the run."""
    kept: list[str] = []
    value_follows = False
    for argument in run_arguments:
        if value_follows:
            value_follows = False
            continue
        name, equals, _ = argument.partition("=")
        if name in _WRITING_OPTIONS:
            value_follows = not equals
            continue
        kept.append(argument)
    return kept
