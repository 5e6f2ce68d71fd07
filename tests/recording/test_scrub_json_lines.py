"""A JSON Lines document (a Shopify bulk operation's result file) is scrubbed by key, line by line.

shopify.dev, GraphQL Admin ``BulkOperation`` object: "When completed, the url field contains a link to download
results in JSONL format"; a nested connection's nodes are lines of their own with ``__parentId``
(connectors/_shopify_bulk.py). The whole file does not parse as one JSON value, so
before it was scrubbed as text only: e-mail addresses and names learned elsewhere, not a shipping address.
"""

from __future__ import annotations

import json

from syncproof.recording import Pseudonymiser, Scrubber
from syncproof.report import sanitize

ADDRESS = {"name": "Wilhelmina Oyelaran", "address1": "4183 Tamarack Turn St NE", "city": "Grand Rapids",
           "zip": "49525-1967", "phone": "+1 616-337-2879"}
LINES = [{"id": "gid://shopify/Order/5001", "legacyResourceId": "5001", "shippingAddress": ADDRESS},
         {"id": "gid://shopify/Refund/77", "note": "damaged", "totalRefundedSet": {"presentmentMoney": {
             "amount": "43.50"}}, "__parentId": "gid://shopify/Order/5001"}]


def jsonl(line_end: str = "\n") -> str:
    return line_end.join(json.dumps(line) for line in LINES) + line_end


def test_each_line_loses_its_personal_fields_and_a_line_without_any_stays_byte_for_byte():
    for line_end in ("\n", "\r\n"):
        served = jsonl(line_end)
        text = Scrubber(personal=Pseudonymiser(seed=7)).body(served.encode(), "application/jsonl").decode()
        assert [value for value in ADDRESS.values() if value in text] == [], text
        lines = text.split(line_end)
        assert len(lines) == 3 and lines[2] == "" and lines[1] == served.split(line_end)[1]
        order = json.loads(lines[0])
        assert order["id"] == LINES[0]["id"] and set(order["shippingAddress"]) == set(ADDRESS)


def test_the_reports_evidence_of_a_json_lines_body_is_pseudonymised(pseudonymised_evidence):
    with pseudonymised_evidence(3):
        seen = sanitize.scrub({"response_body": jsonl()})["response_body"]
    assert [value for value in ADDRESS.values() if value in seen] == [], seen
    assert '"__parentId": "gid://shopify/Order/5001"' in seen


def test_text_that_only_starts_like_json_lines_is_left_to_the_text_rules():
    text = '{"id": 1}\nnot json, from wilhelmina.oyelaran@post.example\n'
    scrubbed = Scrubber(personal=Pseudonymiser(seed=7)).body(text.encode(), "text/plain").decode()
    assert scrubbed.startswith('{"id": 1}\nnot json, from ') and "wilhelmina.oyelaran" not in scrubbed
