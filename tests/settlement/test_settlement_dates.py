from datetime import date, datetime, timedelta, timezone

import pytest

from connectors.settlement_file import open_settlement, parse_datetime

from ._build import order_row, v2_bytes

UTC = timezone.utc


@pytest.mark.parametrize("text, expected", [
    ("2024-10-09 14:28:38 UTC", datetime(2024, 10, 9, 14, 28, 38, tzinfo=UTC)),
    ("15.11.2024 08:59:45 UTC", datetime(2024, 11, 15, 8, 59, 45, tzinfo=UTC)),
    ("2003-10-03T16:00:00-07:00", datetime(2003, 10, 3, 23, 0, 0, tzinfo=UTC)),
    ("2024-10-09T14:28:38Z", datetime(2024, 10, 9, 14, 28, 38, tzinfo=UTC)),
    ("2024-10-09", datetime(2024, 10, 9, tzinfo=UTC)),
    ("09.10.2024", datetime(2024, 10, 9, tzinfo=UTC)),
])
def test_date_formats(text, expected):
    value = parse_datetime(text)
    assert value == expected and value.tzinfo is not None


def test_offset_is_kept():
    assert parse_datetime("2003-10-03T16:00:00-07:00").utcoffset() == timedelta(hours=-7)


@pytest.mark.parametrize("text", ["2024-13-01 00:00:00 UTC", "32.01.2024", "yesterday", "2024/10/09", ""])
def test_bad_dates(text):
    with pytest.raises(ValueError):
        parse_datetime(text)


@pytest.mark.parametrize("posted", ["2024-10-09", "09.10.2024"])
def test_date_only_posted_date(posted):
    row = next(open_settlement(v2_bytes([order_row("1.00", posted_date=posted, posted_date_time="")],
                                        "1.00")).rows())
    assert row.posted_date == date(2024, 10, 9)
    assert row.posted_at is None


def test_eu_dates_with_dot_decimals_are_independent():
    data = v2_bytes([order_row("1.50", posted_date="09.10.2024", posted_date_time="09.10.2024 14:28:38 UTC")],
                    "1.50", summary={"settlement-start-date": "01.10.2024 07:49:55 UTC"})
    settlement = open_settlement(data)
    row = next(settlement.rows())
    assert settlement.summary.start == datetime(2024, 10, 1, 7, 49, 55, tzinfo=UTC)
    assert row.posted_at == datetime(2024, 10, 9, 14, 28, 38, tzinfo=UTC)
    assert str(row.amount) == "1.50 USD"
