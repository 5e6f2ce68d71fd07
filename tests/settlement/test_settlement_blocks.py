"""Large V2 files are read a block of lines at a time; the rows, sums and errors are those of each line.

The reference here is the file's own text, line by line, read with the public field
parsers: whichever way the reader takes through a block (column checks, or line by
line for blank lines, short lines and bad fields), each row, the balance and the
first error must be what the lines say.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from connectors._settlement_values import parse_date, parse_quantity
from connectors.settlement_file import (
    SettlementFileError,
    balance,
    open_settlement,
    parse_amount,
    parse_datetime,
)
from sandbox.settlement_generator import GeneratorOptions, settlement_bytes
from tests.settlement._build import FILE_SHAPES

ROWS = 3000  # several blocks of text


def _expected(data: bytes) -> list[tuple]:
    """(line, order id, amount, posted date, posted moment, quantity, promotion id) of each data line."""
    text = data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
    out = []
    for number, line in enumerate(text.split("\n")[2:], start=3):
        f = line.split("\t")
        if not any(x.strip() for x in f):
            continue
        f += [""] * (24 - len(f))
        out.append((number, f[7], parse_amount(f[14]), parse_date(f[16]) if f[16].strip() else None,
                    parse_datetime(f[17]) if f[17].strip() else None,
                    parse_quantity(f[22]) if f[22].strip() else None, f[23]))
    return out


def _rows(data: bytes) -> list[tuple]:
    with open_settlement(data) as settlement:
        return [(r.line_number, r.order_id, r.amount.amount, r.posted_date, r.posted_at, r.quantity, r.promotion_id)
                for r in settlement.rows()]


@pytest.mark.parametrize("options", [GeneratorOptions(rows=ROWS, seed=11 + i, **shape)
                                     for i, (_, shape) in enumerate(FILE_SHAPES)],
                         ids=[name for name, _ in FILE_SHAPES])
def test_rows_and_balance_are_the_lines(options):
    data = settlement_bytes(options)
    expected = _expected(data)
    assert _rows(data) == expected
    summed = sum((amount for _, _, amount, *_ in expected), Decimal(0))
    alone = balance(open_settlement(data))  # without building the rows
    with open_settlement(data) as settlement:
        for _ in settlement.rows():
            pass
        after = balance(settlement)
    for result in (alone, after):
        assert result.row_count == len(expected)
        assert result.rows_sum.amount == summed and str(result.rows_sum.amount) == str(summed)
        assert result.balanced


def _with_line(data: bytes, index: int, column: int, value: str) -> tuple[bytes, int]:
    lines = data.split(b"\n")
    fields = lines[index].split(b"\t")
    fields[column] = value.encode()
    lines[index] = b"\t".join(fields)
    return b"\n".join(lines), index + 1


@pytest.mark.parametrize("column, value, named", [
    (14, "12.3x", "amount"),
    (14, "1.2.3,4", "amount"),
    (16, "2024-13-01", "posted-date"),
    (17, "2024-02-30 10:00:00 UTC", "posted-date-time"),
    (17, "2024-10-09 24:00:00 UTC", "posted-date-time"),
    (17, "2024-10-09 10:00:60 UTC", "posted-date-time"),
    (17, "2024-10-09 10:60:00 UTC", "posted-date-time"),
    (22, "one", "quantity-purchased"),
    (0, "99999999999", "settlement-id"),
    (4, "10.00", "total-amount"),
])
def test_a_bad_field_deep_in_the_file_is_named_at_its_line(column, value, named):
    data, line = _with_line(settlement_bytes(GeneratorOptions(rows=ROWS, seed=21)), 2000, column, value)
    with pytest.raises(SettlementFileError) as alone:
        balance(open_settlement(data))
    read = []
    with pytest.raises(SettlementFileError) as iterating:
        with open_settlement(data) as settlement:
            for row in settlement.rows():
                read.append(row.line_number)
    for error in (alone.value, iterating.value):
        assert (error.line, error.column) == (line, named)
        assert str(error) == str(alone.value)
    assert read == list(range(3, line))  # every row before the bad line, none after


def test_a_line_too_long_after_many_blocks_is_named():
    data = settlement_bytes(GeneratorOptions(rows=ROWS, seed=22))
    lines = data.split(b"\n")
    lines.insert(1500, b"x" * (1 << 20))
    with pytest.raises(SettlementFileError) as caught:
        balance(open_settlement(b"\n".join(lines)))
    assert caught.value.line == 1501 and "longer than" in str(caught.value)


def test_rows_after_balance_are_already_read():
    data = settlement_bytes(GeneratorOptions(rows=ROWS, seed=23))
    with open_settlement(data) as settlement:
        assert balance(settlement).row_count > 0
        assert list(settlement.rows()) == []
