"""Evidence bodies written by orjson are the text the standard library's indented JSON gives."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors import indented_json
from syncproof.model import json_dumps, json_loads

_leaves = st.one_of(st.none(), st.booleans(), st.text(), st.integers(min_value=-(2**70), max_value=2**70),
                    st.decimals(min_value=Decimal("-1e20"), max_value=Decimal("1e20"), allow_nan=False,
                                allow_infinity=False))
_documents = st.recursive(_leaves, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(st.text(), inner, max_size=4)),
                          max_leaves=20)


def _same(text: str) -> None:
    assert indented_json(json_loads(text), text) == json_dumps(json_loads(text), indent=2, ensure_ascii=False)
    assert indented_json(json_loads(text), text.encode()) == json_dumps(json_loads(text), indent=2,
                                                                      ensure_ascii=False)


@settings(max_examples=300, deadline=None)
@given(_documents)
def test_any_document_is_written_as_json_dumps_writes_it(document):
    _same(json_dumps(document, ensure_ascii=False))


@pytest.mark.parametrize("number", ["12.50", "-0.00", "0.0", "1E+3", "1.5e-7", "12345678901234567.89", "-3", "1e400"])
def test_decimals_keep_the_text_json_dumps_gives_them(number):
    _same('{"amount": %s, "list": [%s, {"x": %s}]}' % (number, number, number))


@pytest.mark.parametrize("text", [
    '{"big": 18446744073709551616}',              # beyond 64 bits: orjson refuses it
    '{"control": "\\u0000dec:12"}',               # json_dumps reads this string as a number
    '{"\\u0000dec:": 1, "s": "\\u0000dec:x"}',        # a key or string starting as a marked Decimal does
    '{"s": "\\ud800"}',                            # a lone surrogate
    '{"s": "tab\\t nl\\n del\\u007f \\u2028 é 日本 😀", "": {}, "e": []}',
])
def test_bodies_orjson_would_write_otherwise_are_json_dumps_own(text):
    _same(text)


def test_a_body_naming_nan_is_refused_as_json_dumps_refuses_it():
    value = json_loads('{"x": NaN}')
    with pytest.raises(ValueError):
        json_dumps(value, indent=2, ensure_ascii=False)
    with pytest.raises(ValueError):
        indented_json(value, '{"x": NaN}')


@pytest.mark.parametrize("value", [{"\x00dec:": 1}, {"s": "\x00dec:x"}, ["\x00dec:", "\x00dec:-"]])
def test_a_string_starting_as_a_marked_decimal_is_written_as_a_json_string(value):
    # json_dumps once wrote its NUL raw, which is no JSON: strict parsers refuse a control character in a string
    text = json_dumps(value, ensure_ascii=False)
    assert "\x00" not in text
    assert json_loads(text) == value
