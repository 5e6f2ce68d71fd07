"""Which channels the scenarios a run selects talk to, so the live pre-flight probes only those.

The run's own pytest arguments (``-m``, ``-k``, the audit's, anything after ``--``) are collected once,
in this process and without running or reporting anything; each selected scenario names its channel by an
outline's ``channel`` column or a channel's tag (``@amazon``, on the scenario or its Examples).

    selected_channels(["steps/test_scenarios.py", "-m", "amazon"])    # frozenset({'amazon'})

A selected scenario that names no channel (the NetSuite-only scenarios) could talk to
any of them, and so could a selection that does not collect: then the answer is None, every channel.
"""

from __future__ import annotations

import contextlib
import io
from typing import Sequence

import pytest

from .report.checks_catalog import channel_of

__all__ = ["selected_channels"]


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
        for item in session.items:
            callspec = getattr(item, "callspec", None)
            example = dict(callspec.params.get("_pytest_bdd_example", {})) if callspec else {}
            channel = channel_of((mark.name for mark in item.iter_markers()), example)
            if channel is None:
                self.channels = None
                return
            if self.channels is not None:
                self.channels.add(channel)


def selected_channels(run_arguments: Sequence[str]) -> frozenset[str] | None:
    """The channels the scenarios ``run_arguments`` select talk to; None when that cannot be told (every one)."""
    found = _Channels()
    arguments = [*run_arguments, "--collect-only", "-q", "-n", "0"]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = pytest.main(arguments, plugins=[found])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED) or found.channels is None:
        return None  # a file that does not parse is the run's own one line
    return frozenset(found.channels)
