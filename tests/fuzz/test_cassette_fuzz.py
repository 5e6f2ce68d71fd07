"""Fuzzing the cassette loader: any file loads as a cassette or raises CassetteError.

Seeds are the committed cassettes (the smallest few) and one written by
:func:`dump_cassette`; the fuzzer mutates their bytes, their lines, and their YAML
structure (a node swapped for another value). :func:`load_cassette` must return a
cassette or raise :class:`CassetteError` with a non-empty, one-line message.

The number of examples per test comes from ``SYNCPROOF_FUZZ_EXAMPLES`` (200 by
default; the dedicated fuzz run uses 10000), as in ``test_settlement_fuzz.py``.
"""

from __future__ import annotations

import copy
import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syncproof.recording import CassetteError, CassetteFile, load_cassette
from syncproof.recording._format import Interaction, RecordedRequest, RecordedResponse, dump_cassette

EXAMPLES = int(os.environ.get("SYNCPROOF_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ROOT = Path(__file__).resolve().parents[2]

_written = dump_cassette(CassetteFile(path="seed.yaml", metadata={"scenario": "seed", "seed": 1}, interactions=[
    Interaction(RecordedRequest("POST", "http://netsuite.sandbox.syncproof/services/rest/query/v1/suiteql",
                                {"content-type": ["application/json"]}, b'{"q": "SELECT id FROM item"}'),
                RecordedResponse(200, "OK", {"content-type": ["application/json"]},
                                 b'{"items": [{"id": "1", "amount": 12.50}], "hasMore": false}')),
    Interaction(RecordedRequest("GET", "https://shop.example/admin/x?a=1", {}, b""),
                RecordedResponse(404, "Not Found", {"x-a": ["1", "2"]}, b"\xff\xfe not utf-8")),
])).encode()
SEEDS = [_written] + [p.read_bytes() for p in sorted((ROOT / "cassettes").rglob("*.yaml"),
                                                       key=lambda p: p.stat().st_size)[:3]]
#: libyaml when PyYAML has it: the mutants are built from trees parsed once, not once per example
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
SEED_TREES = [yaml.load(seed.decode(), Loader=_LOADER) for seed in SEEDS]


def accept(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenario.yaml"
        path.write_bytes(data)
        try:
            cassette = load_cassette(path)
        except CassetteError as exc:
            message = str(exc)
            assert message.strip(), "a CassetteError must say what is wrong"
            assert "\n" not in message and "\r" not in message, f"a CassetteError must be one line: {message!r}"
        else:
            assert isinstance(cassette, CassetteFile)


def _record(record_property, name: str, ran: int) -> None:
    record_property(f"{name}_examples_requested", EXAMPLES)
    record_property(f"{name}_examples_run", ran)
    print(f"{name}: {ran} examples run ({EXAMPLES} requested, SYNCPROOF_FUZZ_EXAMPLES)")


@st.composite
def byte_mutants(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "line"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8) | st.sampled_from(
                [b"\n", b": ", b"- ", b"{", b"[", b"&a ", b"*a", b"!!python/object:os.system ", b"\t", b"'", b'"',
                 b"\x00", b"---\n", b"? "]))
        elif kind == "delete":
            del data[pos:pos + draw(st.integers(1, 60))]
        elif kind == "truncate":
            del data[pos:]
        elif kind == "line":
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            lines.insert(j, lines.pop(i) if draw(st.booleans()) else lines[i])
            data = bytearray(b"\n".join(lines))
    return bytes(data)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats() | st.text(max_size=20)
    | st.sampled_from(["GET", "get", "http://x", "ftp://x", "http://", 99, 600, "200", {"code": 200}, {"base64": "!!"},
                       {"base64": "aGVsbG8="}, {"json": 1}]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8) | st.sampled_from(
        ["request", "response", "status", "code", "message", "method", "uri", "headers", "body", "version",
         "metadata", "interactions"]), inner, max_size=3), max_leaves=8)


@st.composite
def tree_mutants(draw: st.DrawFn) -> bytes:
    """A seed's YAML with one node, anywhere in the tree, replaced by another value."""
    data = copy.deepcopy(draw(st.sampled_from(SEED_TREES)))
    path, node = [], data
    while isinstance(node, (dict, list)) and node and draw(st.integers(0, 3)):
        key = draw(st.sampled_from(sorted(node, key=str) if isinstance(node, dict) else range(len(node))))
        path.append(key)
        node = node[key]
    replacement = draw(yaml_values)
    if not path:
        data = replacement
    else:
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = replacement
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=draw(st.booleans())).encode("utf-8", errors="surrogatepass")


def test_any_mutated_cassette_file_loads_or_is_refused_clearly(record_property):
    ran = 0

    @FUZZ
    @given(data=byte_mutants())
    def check(data):
        nonlocal ran
        ran += 1
        accept(data)

    check()
    _record(record_property, "cassette_bytes_mutated", ran)
    assert ran > 0


def test_any_restructured_cassette_loads_or_is_refused_clearly(record_property):
    ran = 0

    @FUZZ
    @given(data=tree_mutants())
    def check(data):
        nonlocal ran
        ran += 1
        accept(data)

    check()
    _record(record_property, "cassette_tree_mutated", ran)
    assert ran > 0


def test_arbitrary_bytes_load_or_are_refused_clearly(record_property):
    ran = 0

    @FUZZ
    @given(data=st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))
    def check(data):
        nonlocal ran
        ran += 1
        accept(data)

    check()
    _record(record_property, "cassette_arbitrary", ran)
    assert ran > 0
