"""Inputs a user can get wrong give one line naming the problem and the fix, a documented
exit code (2), and never a traceback, a hang or a half-written file. Each case runs the
real ``syncproof`` command in a subprocess."""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
from pathlib import Path

import pytest

from ._helpers import copy_of, run

USER_ERROR = 2


def one_line_error(result, *fragments: str) -> None:
    assert result.returncode == USER_ERROR, (result.returncode, result.stdout[-2000:], result.stderr[-2000:])
    assert "Traceback" not in result.stderr + result.stdout, result.stderr[-3000:]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture(scope="module")
def results(tmp_path_factory, netsuite_run) -> Path:
    return copy_of(netsuite_run[1], tmp_path_factory.mktemp("report")) / "results.json"


def test_a_100k_deep_toml_is_refused_in_one_line(tmp_path):
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n")
    one_line_error(run("settings", "show", "--config", str(deep), timeout=60), "nests", "too deeply")


def test_table_names_in_messages_are_shown_not_eaten_as_markup(tmp_path):
    config = tmp_path / "x.toml"
    config.write_text("[netsuite]\nnmae = 1\n")
    one_line_error(run("settings", "show", "--config", str(config)), "[netsuite] has an unknown key 'nmae'")


def test_brackets_in_a_config_path_are_shown(tmp_path):
    one_line_error(run("settings", "show", "--config", str(tmp_path / "cfg[/]x.toml")), "cfg[/]x.toml does not exist")


def test_dev_zero_as_the_config_is_refused_not_read(tmp_path):
    one_line_error(run("settings", "show", "--config", "/dev/zero", timeout=30), "not a regular file")


def test_a_fifo_as_the_config_does_not_hang(tmp_path):
    fifo = tmp_path / "syncproof.toml"
    os.mkfifo(fifo)
    one_line_error(run("settings", "show", "--config", str(fifo), timeout=30), "not a regular file")


@pytest.mark.parametrize("command", [["report"], ["report", "verify"],
                                     ["signoff", "--name", "D", "--role", "R", "--decision", "rejected"]])
def test_a_cucumber_file_given_as_results_is_refused(results, command):
    cucumber = results.with_name("cucumber.json")
    args = [*command[:2], str(cucumber)] if command[0] == "report" else [command[0], str(cucumber), *command[1:]]
    one_line_error(run(*args), "is not a syncproof results file", "pass the results.json")


def test_truncated_results_are_refused(results, tmp_path):
    truncated = tmp_path / "results.json"
    truncated.write_text(results.read_text()[:5000])
    one_line_error(run("report", str(truncated)), "is not valid JSON")


def test_bom_prefixed_results_are_read(results, tmp_path):
    bom = tmp_path / "results.json"
    bom.write_bytes(b"\xef\xbb\xbf" + results.read_bytes())
    done = run("report", str(bom))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "report.html").exists()


def test_a_full_disk_leaves_the_previous_report_whole(results, tmp_path):
    folder = tmp_path / "copy"
    folder.mkdir()
    copy = folder / "results.json"
    copy.write_bytes(results.read_bytes())
    assert run("report", str(copy)).returncode == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def small_disk() -> None:  # writes past 4 KiB fail with EFBIG, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    import subprocess

    from ._helpers import SYNCPROOF

    done = subprocess.run([*SYNCPROOF, "report", str(copy)], capture_output=True, text=True, timeout=120,
                          preexec_fn=small_disk, env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"})
    one_line_error(done, "cannot read or write")
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert after == before  # nothing truncated, no temporary file left behind


def test_a_corrupt_engine_store_is_one_line(tmp_path):
    store = tmp_path / ".syncproof" / "engine-live.sqlite3"
    store.parent.mkdir()
    store.write_bytes(b"this is not an sqlite database" * 100)
    one_line_error(run("status", "1001", "--target", "live", cwd=tmp_path), "engine store", "cannot be read")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(store).execute("SELECT 1 FROM orders")


def test_a_results_json_that_is_a_list_is_refused(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps([1, 2, 3]))
    one_line_error(run("report", "verify", str(path)), "is not a syncproof results file")
