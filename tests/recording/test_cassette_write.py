"""A cassette is written next to itself under a name of its own and renamed over the old one: a reader finds
the old cassette or the new one, another recording writing the same cassette keeps its own file, and a write
that fails leaves the old cassette and nothing else."""

from __future__ import annotations

import os

import pytest

from syncproof.recording import load_cassette
from syncproof.recording._format import CassetteFile, Interaction, RecordedRequest, RecordedResponse, write_cassette

URL = "http://netsuite.sandbox.syncproof/services/rest/record/v1/customer/7"


def _cassette(path, body: bytes) -> CassetteFile:
    return CassetteFile(str(path), [Interaction(RecordedRequest("GET", URL, {}, b""),
                                                RecordedResponse(200, "OK", {"Content-Type": ["text/plain"]}, body))],
                        {"recorded_from": "sandbox"})


def test_a_recording_of_the_same_cassette_being_written_meanwhile_keeps_its_file(tmp_path):
    path = tmp_path / "feature" / "scenario.yaml"
    path.parent.mkdir()
    # what another process recording the same scenario has written so far, under the name the old code used
    other = path.with_name(path.name + ".tmp")
    other.write_text("version: 1\ninteractions:\n")
    write_cassette(path, _cassette(path, b"one"))
    assert other.read_text() == "version: 1\ninteractions:\n"
    assert load_cassette(path).interactions[0].response.body == b"one"


def test_a_write_that_fails_leaves_the_old_cassette_and_nothing_next_to_it(tmp_path, monkeypatch):
    path = tmp_path / "feature" / "scenario.yaml"
    write_cassette(path, _cassette(path, b"old"))
    before = sorted(p.name for p in path.parent.iterdir())

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_cassette(path, _cassette(path, b"new"))
    monkeypatch.undo()
    assert sorted(p.name for p in path.parent.iterdir()) == before == ["scenario.yaml"]
    assert load_cassette(path).interactions[0].response.body == b"old"


def test_a_cassette_written_over_keeps_its_file_mode(tmp_path):
    path = tmp_path / "scenario.yaml"
    write_cassette(path, _cassette(path, b"old"))
    path.chmod(0o664)
    write_cassette(path, _cassette(path, b"new"))
    assert path.stat().st_mode & 0o777 == 0o664
