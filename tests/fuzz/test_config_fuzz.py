"""Fuzzing the config loader: any syncproof.toml either loads or raises ConfigError.

Two ways in: arbitrary TOML-ish text through :func:`load_config` (a file on disk, as a
user would write it), and arbitrary nested dicts of TOML values through
:func:`parse_config` (what any TOML parser could hand it). The only error allowed
out is :class:`syncproof.errors.ConfigError` with a non-empty, one-line message.

The number of examples per test comes from ``SYNCPROOF_FUZZ_EXAMPLES`` (200 by
default; the dedicated fuzz run uses 10000), as in ``test_settlement_fuzz.py``.
"""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syncproof.config import SCHEMA, Config, load_config, parse_config
from syncproof.errors import ConfigError

EXAMPLES = int(os.environ.get("SYNCPROOF_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TABLES = sorted(SCHEMA)
KEYS = sorted({spec.name for specs in SCHEMA.values() for spec in specs})
CHOICES = sorted({c for specs in SCHEMA.values() for spec in specs for c in spec.choices}
                 | {"to_netsuite", "from_netsuite", "live", "replay", "record"})


def accept(load) -> None:
    """Run ``load``: a Config, or a ConfigError with a one-line message; anything else fails the test."""
    try:
        config = load()
    except ConfigError as exc:
        message = str(exc)
        assert message.strip(), "a ConfigError must say what is wrong"
        assert "\n" not in message and "\r" not in message, f"a ConfigError must be one line: {message!r}"
    else:
        assert isinstance(config, Config)


def _record(record_property, name: str, ran: int) -> None:
    record_property(f"{name}_examples_requested", EXAMPLES)
    record_property(f"{name}_examples_run", ran)
    print(f"{name}: {ran} examples run ({EXAMPLES} requested, SYNCPROOF_FUZZ_EXAMPLES)")


# --- values and documents ----------------------------------------------------------------------
names = st.sampled_from(KEYS) | st.sampled_from(TABLES) | st.text(min_size=1, max_size=12)
scalars = (st.text(max_size=20) | st.sampled_from(CHOICES) | st.integers(-2**63, 2**63 - 1) | st.booleans()
           | st.floats(allow_nan=True) | st.dates() | st.datetimes() | st.times()
           | st.sampled_from(["true", "no", "2026-02-30", "2026-01-05", " 12", "-3", "7", "--5", "²", "1_000"]))
toml_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(names, inner, max_size=4), max_leaves=12)


def tables_of(values) -> st.SearchStrategy[dict]:
    """A document: known and unknown tables, known and unknown keys, nested sub-tables."""
    table = st.dictionaries(names, values, max_size=6)
    channel = st.fixed_dictionaries({}, optional={"refunds": table, "enabled": values, "billing": values}) | table
    known = st.fixed_dictionaries({}, optional={
        "project": table, "netsuite": table, "shopify": channel, "amazon": channel,
        "settlement": st.fixed_dictionaries({}, optional={"accounts": table}) | table})
    return st.one_of(known, st.dictionaries(names, values | table, max_size=5),
                     st.builds(lambda a, b: {**a, **b}, known, st.dictionaries(names, values, max_size=2)))


def test_parse_config_accepts_or_refuses_any_nested_dict(record_property):
    ran = 0

    @FUZZ
    @given(raw=tables_of(toml_values))
    def check(raw):
        nonlocal ran
        ran += 1
        accept(lambda: parse_config(raw))

    check()
    _record(record_property, "config_nested_dict", ran)
    assert ran > 0


def test_parse_config_accepts_or_refuses_any_flat_document(record_property):
    ran = 0

    @FUZZ
    @given(raw=tables_of(scalars))
    def check(raw):
        nonlocal ran
        ran += 1
        accept(lambda: parse_config(raw))

    check()
    _record(record_property, "config_flat_document", ran)
    assert ran > 0


# --- text ---------------------------------------------------------------------------------------
def toml_literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


fragments = st.one_of(
    st.sampled_from(TABLES).map(lambda t: f"[{t}]"),
    st.text(max_size=12).map(lambda t: f"[{t}]"),
    st.builds(lambda k, v: f"{k} = {v}", names, scalars.map(toml_literal) | st.text(max_size=15)),
    st.builds(lambda k, vs: f"{k} = [{', '.join(vs)}]", names, st.lists(scalars.map(toml_literal), max_size=3)),
    st.builds(lambda k, k2, v: f"{k} = {{ {k2} = {v} }}", names, names, scalars.map(toml_literal)),
    st.sampled_from(["", "# comment", "[[shopify]]", "a.b.c = 1", 'x = """', "=", "[project", "go_live = 2026-13-01",
                     "\ufeff[project]", "name = '\x00'", "[shopify.refunds]\ndirection = 'from_netsuite'",
                     "[amazon.refunds]\ndirection = 'from_netsuite'", "[settlement.accounts]\nfee = 3"]),
    st.text(max_size=30),
)


def test_load_config_accepts_or_refuses_any_toml_ish_text(record_property, tmp_path):
    ran = 0
    path = tmp_path / "syncproof.toml"

    @FUZZ
    @given(lines=st.lists(fragments, max_size=12), encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]),
           junk=st.binary(max_size=4))
    def check(lines, encoding, junk):
        nonlocal ran
        ran += 1
        data = "\n".join(lines).encode(encoding, errors="replace")
        path.write_bytes(data + junk if encoding != "utf-8" else data)
        accept(lambda: load_config(path))

    check()
    _record(record_property, "config_text", ran)
    assert ran > 0
