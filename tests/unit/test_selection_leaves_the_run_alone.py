"""Collecting a live run's selection for its pre-flight (:mod:`syncproof.selection`) leaves the process and the
run's files as it found them: the interrupt handler a workbench-started run's stopping plugin changes once a
pytest run finishes, and the report files the run's own arguments ask for."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from syncproof.selection import selected_channels
from syncproof.stopping import ENV

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = [str(ROOT / "steps" / "test_scenarios.py"), "-p", "no:randomly", "-m", "settings and amazon"]


def test_the_interrupt_handler_is_put_back_after_a_workbench_run_collects(monkeypatch, tmp_path):
    """With ``$SYNCPROOF_STOP_FILE`` set, the collection pass ignores SIGINT once it ends; the pre-flight's probes
    that follow must still be interruptible (Ctrl-C, or the workbench's stop)."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv(ENV, str(tmp_path / "stop"))
    before = signal.getsignal(signal.SIGINT)
    try:
        assert selected_channels(SETTINGS) == frozenset({"amazon"})
        assert signal.getsignal(signal.SIGINT) is before
    finally:
        signal.signal(signal.SIGINT, before)  # on the old code, the test process would stay deaf to Ctrl-C


@pytest.mark.parametrize("spelling", ["--junitxml={}", "--junitxml {}", "--junit-xml={}", "--log-file {}"])
def test_the_collection_pass_writes_none_of_the_run_s_files(monkeypatch, tmp_path, spelling):
    """A ``-- --junitxml=FILE`` is the run's: the collection pass before it leaves the file unwritten."""
    monkeypatch.chdir(ROOT)
    target = tmp_path / "run.xml"
    option = spelling.format(target).split(" ")
    assert selected_channels([*SETTINGS, *option]) == frozenset({"amazon"})
    assert not target.exists()
