"""The indented JSON writer gives json.dumps' text exactly, and json_dumps its Decimals as before."""

import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from syncproof.model import Money, _mark_decimals, indented_json, json_dumps

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text())
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner),
    st.dictionaries(st.one_of(st.text(max_size=5), st.integers(), st.booleans()), inner, max_size=4)), max_leaves=30)


@given(values, st.sampled_from([0, 1, 2, 4]), st.booleans())
def test_the_text_is_json_dumps_text(value, indent, ensure_ascii):
    assert indented_json(value, indent, ensure_ascii=ensure_ascii) == json.dumps(value, indent=indent,
                                                                                 ensure_ascii=ensure_ascii)


def test_deep_nesting_and_cycles_end_as_json_dumps_ends():
    deep: list = []
    for _ in range(3000):
        deep = [deep]
    cycle: list = []
    cycle.append(cycle)
    for value in (deep, cycle):
        try:
            expected = ("text", json.dumps(value, indent=2))
        except (ValueError, RecursionError) as exc:
            expected = ("error", type(exc))
        try:
            actual = ("text", indented_json(value, 2))
        except (ValueError, RecursionError) as exc:
            actual = ("error", type(exc))
        assert actual == expected


amounts = st.decimals(allow_nan=False, allow_infinity=False, places=3)
documents = st.recursive(st.one_of(st.none(), st.integers(), st.text(), amounts),
                         lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                 st.dictionaries(st.text(max_size=5), inner, max_size=4)),
                         max_leaves=30)


@given(documents, st.booleans())
def test_json_dumps_writes_amounts_as_it_did(value, ensure_ascii):
    def before(v):  # json_dumps as it was written: mark the amounts, then the standard library's encoder
        text = json.dumps(_mark_decimals(v), indent=2, ensure_ascii=ensure_ascii)
        from syncproof.model import _DECIMAL_MARK, _DECIMAL_TOKEN
        return _DECIMAL_TOKEN.sub(r"\1", text.replace("\\u0000dec:", _DECIMAL_MARK))

    assert json_dumps(value, indent=2, ensure_ascii=ensure_ascii) == before(value)


def test_money_and_floats_keep_their_rules():
    assert json_dumps({"a": Money(Decimal("1.005"), "USD")}, indent=2) == '{\n  "a": 1.01\n}'
    try:
        json_dumps({"a": 1.5}, indent=2)
    except Exception as exc:  # MoneyError: floats never reach JSON
        assert "float" in str(exc)
    else:
        raise AssertionError("a float was written")
