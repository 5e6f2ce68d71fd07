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


def test_two_writes_of_one_cassette_at_once_each_rename_a_whole_file_of_their_own(tmp_path, monkeypatch):
    path = tmp_path / "feature" / "scenario.yaml"
    path.parent.mkdir()
    replace, renamed = os.replace, []

    def interleaved(src, dst):
        renamed.append(str(src))
        if len(renamed) == 1:  # another recording of the scenario writes its cassette to the end meanwhile
            write_cassette(path, _cassette(path, b"two"))
        replace(src, dst)

    monkeypatch.setattr(os, "replace", interleaved)
    write_cassette(path, _cassette(path, b"one"))
    monkeypatch.undo()
    assert len(set(renamed)) == 2  # each write renamed its own file
    assert load_cassette(path).interactions[0].response.body == b"one"  # the last rename wins, whole
    assert [p.name for p in path.parent.iterdir()] == ["scenario.yaml"]


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
