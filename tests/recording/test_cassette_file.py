"""load_cassette: valid files round-trip; malformed ones raise CassetteError naming the file and the problem."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from syncproof.errors import SyncproofError
from syncproof.recording import CassetteError, CassetteFile, Interaction, dump_cassette, load_cassette
from syncproof.recording._format import RecordedRequest, RecordedResponse, compact_json, parse_json

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"

VALID = """\
version: 1
metadata: {scenario: x}
interactions:
- request:
    method: GET
    uri: http://netsuite.sandbox.syncproof/services/rest/record/v1/customer/1
    headers: {accept: '*/*'}
    body: ''
  response:
    status: {code: 200, message: OK}
    headers: {content-type: application/json}
    body: '{"id": "1"}'
"""


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "c.yaml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_a_valid_cassette_loads(tmp_path):
    cassette = load_cassette(_write(tmp_path, VALID))
    assert cassette.metadata == {"scenario": "x"}
    [it] = cassette.interactions
    assert (it.request.method, it.response.status, it.response.body) == ("GET", 200, b'{"id": "1"}')
    assert it.request.headers == {"accept": ["*/*"]}


def test_dump_then_load_round_trips_text_json_and_binary_bodies(tmp_path):
    gz = b"\x1f\x8b\x08\x00binary\xff"
    cassette = CassetteFile("c", [
        Interaction(RecordedRequest("POST", "http://a.test/x?y=1", {"content-type": ["application/json"]},
                                    b'{"amount": 14.50, "n": 1}'),
                    RecordedResponse(200, "OK", {"set-cookie": ["a", "b"]}, gz)),
        Interaction(RecordedRequest("GET", "http://a.test/t"), RecordedResponse(204, "No Content")),
    ], {"seed": 1})
    loaded = load_cassette(_write(tmp_path, dump_cassette(cassette)))
    first, second = loaded.interactions
    assert parse_json(first.request.body) == {"amount": Decimal("14.50"), "n": 1}
    assert b"14.50" in first.request.body  # the exact text of amounts is kept
    assert first.response.body == gz and first.response.headers == {"set-cookie": ["a", "b"]}
    assert second.response.body == b"" and loaded.metadata == {"seed": 1}


def test_compact_json_keeps_short_objects_on_one_line():
    text = compact_json({"a": [1, 2], "b": {"c": Decimal("1.10")}, "long": ["x" * 60, "y" * 60]})
    assert '"b": {"c": 1.10}' in text and text.count("\n") > 2


@pytest.mark.parametrize("text, problem", [
    ("version: 1\ninteractions: [", "not valid YAML"),
    ("- 1\n- 2\n", "must be a mapping"),
    ("interactions: []\n", "version None"),
    ("version: 2\ninteractions: []\n", "version 2"),
    ("version: true\ninteractions: []\n", "version True"),
    ("version: 1\n", "interactions must be a list"),
    ("version: 1\nmetadata: [1]\ninteractions: []\n", "metadata must be a mapping"),
    ("version: 1\ninteractions: [3]\n", "interaction 1 must be a mapping"),
    ("version: 1\ninteractions: [{request: {method: GET, uri: 'http://a.test/'}}]\n", "interaction 1 has no response"),
    ("version: 1\ninteractions: [{response: {}}]\n", "interaction 1 has no request"),
    ("version: 1\ninteractions: [{request: {method: 'get x', uri: 'http://a.test/'}, "
     "response: {status: {code: 200}}}]\n",
     "request method"),
    ("version: 1\ninteractions: [{request: {method: GET, uri: '/relative'}, response: {status: {code: 200}}}]\n",
     "absolute http(s) URL"),
    ("version: 1\ninteractions: [{request: {method: GET, uri: 'http://a.test/'}, "
     "response: {status: {code: 99}}}]\n",
     "status code"),
    ("version: 1\ninteractions: [{request: {method: GET, uri: 'http://a.test/'}, "
     "response: {status: {code: '200'}}}]\n",
     "status code"),
    ("version: 1\ninteractions: [{request: {method: GET, uri: 'http://a.test/', headers: [1]}, "
     "response: {status: {code: 200}}}]\n", "headers must be a mapping"),
    ("version: 1\ninteractions: [{request: {method: GET, uri: 'http://a.test/', headers: {'a b': x}}, "
     "response: {status: {code: 200}}}]\n", "invalid header name"),
    ("version: 1\ninteractions: [{request: {method: GET, uri: 'http://a.test/', headers: {a: [1]}}, "
     "response: {status: {code: 200}}}]\n", "header a must be text"),
    ("version: 1\ninteractions: [{request: {method: GET, uri: 'http://a.test/'}, "
     "response: {status: {code: 200}, body: {base64: '!!'}}}]\n", "not valid base64"),
    ("version: 1\ninteractions: [{request: {method: GET, uri: 'http://a.test/'}, "
     "response: {status: {code: 200}, body: 12}}]\n", "body must be text"),
])
def test_malformed_cassettes_raise_cassette_error(tmp_path, text, problem):
    path = _write(tmp_path, text)
    with pytest.raises(CassetteError) as raised:
        load_cassette(path)
    message = str(raised.value)
    assert problem in message and str(path) in message and "\n" not in message
    assert isinstance(raised.value, SyncproofError)


def test_missing_and_non_utf8_files_raise_cassette_error(tmp_path):
    with pytest.raises(CassetteError, match="not found"):
        load_cassette(tmp_path / "nope.yaml")
    with pytest.raises(CassetteError, match="not UTF-8"):
        load_cassette(_write(tmp_path, b"version: 1\n\xff\xfe"))
    with pytest.raises(CassetteError, match="not valid YAML"):
        load_cassette(_write(tmp_path, "version: 1\n\x00"))


def test_every_committed_cassette_loads():
    files = sorted(CASSETTES.rglob("*.yaml"))
    assert files, "cassettes/ is empty: run `syncproof run --target record`"
    for path in files:
        cassette = load_cassette(path)
        assert cassette.metadata.get("recorded_at") and cassette.metadata.get("rerecord")


@pytest.mark.parametrize("text", [
    "", "a: 1", "- &x {a: 1}\n- *x", "a: &s text\nb: *s", "<<: {a: 1}\nb: 2", "? [1]\n: 2",
    "a: 1.5\nb: 2026-01-01\nc: null\nd: true\ne: !!binary aGk=", "a: 0x1f\nb: 1_000\nc: 1:30\nd: '1'",
    "a: 1\na: 2", "{1: a, null: b, true: c}", "---\na\n---\nb", "a: [1, {b: c}", "&a [*a]",
])
def test_yaml_is_read_as_pyyaml_reads_it(text):
    """Cassettes are built from libyaml's nodes directly; anything unusual is left to PyYAML, same value or error."""
    import yaml

    from syncproof.recording._format import _load_yaml, _Loader

    def outcome(load):
        try:
            return "value", repr(load())
        except yaml.YAMLError as exc:
            return "error", type(exc).__name__, str(exc)

    assert outcome(lambda: _load_yaml(text)) == outcome(lambda: yaml.load(text, Loader=_Loader))
