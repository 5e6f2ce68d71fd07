"""Redactor.scrub_parsed: the parsed body with its secret keys redacted, as Redactor._scrub gives it, without
a copy when no key of the body can be secret."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors import Redactor
from syncproof.model import json_loads

_SECRET = sorted(Redactor().keys)
_keys = st.one_of(st.sampled_from(_SECRET), st.sampled_from([k.upper() for k in _SECRET]), st.text(max_size=12))
_leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8))
_documents = st.recursive(_leaves, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                          st.dictionaries(_keys, inner, max_size=3)),
                          max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(_documents, st.booleans())
def test_a_body_comes_out_as_the_copying_walk_gives_it(document, ascii_only):
    source = json.dumps(document, ensure_ascii=ascii_only).encode("utf-8")
    redactor = Redactor()
    value = json_loads(source.decode("utf-8"))
    assert redactor.scrub_parsed(value, source) == redactor._scrub(json_loads(source.decode("utf-8")))


def test_a_body_naming_no_secret_key_is_the_parsed_value_itself():
    source = b'{"order": {"id": 7, "lines": [{"sku": "A-1", "token_count": null}]}}'
    value = json_loads(source.decode())
    assert Redactor().scrub_parsed(value, source) is value


@pytest.mark.parametrize("source", [
    b'{"Access_Token": "abc"}',                         # another case
    b'{"\\u0061ccess_token": "abc"}',                    # an escaped letter: not written in the text as it is
    '{"refresh_to\u212aen": "abc"}'.encode(),           # KELVIN SIGN lower-cases to an ASCII k
    b'{"items": [{"password": null}]}',                 # null, nested in a list
])
def test_a_body_whose_key_may_be_secret_is_redacted(source):
    value = json_loads(source.decode())
    scrubbed = Redactor().scrub_parsed(value, source)
    assert scrubbed == Redactor()._scrub(value)
    assert "[redacted]" in json.dumps(scrubbed)
