"""Fuzzing the settlement file reader: any input parses or raises SettlementFileError.

The number of examples per test comes from ``SYNCPROOF_FUZZ_EXAMPLES`` (200 by
default; the dedicated fuzz run uses 10000). Each test records the count it
asked for and the count it ran as junit properties and prints them.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.settlement_file import SettlementFileError, balance, open_settlement
from sandbox.settlement_generator import GeneratorOptions, settlement_bytes

EXAMPLES = int(os.environ.get("SYNCPROOF_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: Real-shaped seeds: both formats, with and without the quirks.
SEEDS = [
    settlement_bytes(GeneratorOptions(rows=12, seed=1)),
    settlement_bytes(GeneratorOptions(rows=12, seed=2, decimal_comma=True, thousands_separator=True, eu_dates=True,
                                      bom=True, crlf=True, non_utf8_description=True, reserve_rows=True,
                                      missing_trailing_column=True, trailing_blank_line=True)),
    settlement_bytes(GeneratorOptions(rows=12, seed=3, format="legacy", other_transaction_types=True)),
    settlement_bytes(GeneratorOptions(rows=12, seed=4, format="legacy", legacy_promotion_columns=False,
                                      non_order_ids=True, iso_dates=True)),
]


def read_everything(data: bytes) -> None:
    """Parse fully; only SettlementFileError (with a message) may escape."""
    try:
        settlement = open_settlement(data)
        for row in settlement.rows():
            assert row.amount.currency == settlement.summary.currency
        balance(settlement)
    except SettlementFileError as exc:
        assert str(exc).strip(), "a SettlementFileError must say what is wrong"


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "field", "line", "dup"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8) | st.sampled_from(
                [b"\t", b"\n", b"\r", b"\r\n", b",", b".", b"-", b"\x00", b"\xef\xbb\xbf", b"\xe9", b" UTC"]))
        elif kind == "delete":
            del data[pos:pos + draw(st.integers(1, 40))]
        elif kind == "truncate":
            del data[pos:]
        elif kind in ("field", "line", "dup"):
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            if kind == "field":
                fields = lines[i].split(b"\t")
                j = draw(st.integers(0, len(fields) - 1))
                fields[j] = draw(st.text(max_size=12)).encode("utf-8", "surrogatepass")
                lines[i] = b"\t".join(fields)
            elif kind == "line":
                j = draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines.insert(i, lines[i])
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def _record(record_property, name: str, ran: int) -> None:
    record_property(f"{name}_examples_requested", EXAMPLES)
    record_property(f"{name}_examples_run", ran)
    print(f"{name}: {ran} examples run ({EXAMPLES} requested, SYNCPROOF_FUZZ_EXAMPLES)")


def test_arbitrary_bytes(record_property):
    ran = 0

    @FUZZ
    @given(st.binary(max_size=4096))
    def check(data: bytes) -> None:
        nonlocal ran
        ran += 1
        read_everything(data)

    check()
    _record(record_property, "arbitrary_bytes", ran)
    assert ran > 0


def test_text_shaped_lines(record_property):
    ran = 0
    cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=10)
    line = st.lists(cell, max_size=40).map("\t".join)

    @FUZZ
    @given(st.lists(line, max_size=6), st.sampled_from(SEEDS))
    def check(lines: list[str], seed: bytes) -> None:
        nonlocal ran
        ran += 1
        head = seed.split(b"\n", 2)
        read_everything(b"\n".join(head[:2] + ["\n".join(lines).encode("utf-8")]))

    check()
    _record(record_property, "text_shaped", ran)
    assert ran > 0


def test_mutated_real_files(record_property):
    ran = 0

    @FUZZ
    @given(mutated())
    def check(data: bytes) -> None:
        nonlocal ran
        ran += 1
        read_everything(data)

    check()
    _record(record_property, "mutated", ran)
    assert ran > 0


def test_seeds_are_valid():
    for seed in SEEDS:
        assert balance(open_settlement(seed)).balanced
