"""A personal value kept in a list of name/value entries (a WooCommerce order's ``meta_data``) is pseudonymised.

- WooCommerce REST API docs (woocommerce/woocommerce-rest-api-docs, source/includes/wp-api-v3/_orders.md), "Order -
  Meta data properties": ``id`` "Meta ID." (read-only), ``key`` "Meta key.", ``value`` "Meta value."; its order
  examples list entries such as ``{"id": 13106, "key": "_download_permissions_granted", "value": "yes"}``: a meta
  key with a leading ``_`` is listed as any other.
- Brazilian Market on WooCommerce (claudiosanches/woocommerce-extra-checkout-fields-for-brazil,
  includes/class-extra-checkout-fields-for-brazil-api.php) reads a buyer's documents from the order's meta,
  ``$order->get_meta( '_billing_cpf' )``, ``'_billing_rg'``, ``'_billing_cnpj'``, ``'_billing_ie'``,
  ``'_billing_cellphone'``, and adds them to the REST response's ``billing`` as ``cpf``, ``rg``, ``cnpj``, ``ie``,
  ``cellphone``.
"""

from __future__ import annotations

import json

from syncproof.recording import Pseudonymiser, Scrubber
from syncproof.recording._scrub import hashable_match_key, match_key
from syncproof.report import sanitize

CPF, CNPJ, CELLPHONE = "853.513.468-93", "12.345.678/0001-95", "(11) 98765-4321"


def order() -> dict:
    return {"id": 727, "number": "727", "currency": "BRL",
            "billing": {"first_name": "Joana", "last_name": "Silva", "cpf": "85351346893", "cnpj": "12345678000195",
                        "cellphone": CELLPHONE, "persontype": "F", "country": "BR"},
            "meta_data": [{"id": 13106, "key": "_download_permissions_granted", "value": "yes"},
                          {"id": 13107, "key": "_billing_persontype", "value": "1"},
                          {"id": 13108, "key": "_billing_cpf", "value": CPF},
                          {"id": 13109, "key": "_billing_cnpj", "value": CNPJ},
                          {"id": 13110, "key": "_billing_cellphone", "value": CELLPHONE}],
            "line_items": [{"id": 315, "sku": "SP-MUG-01",
                            "meta_data": [{"id": 1, "key": "pa_colour", "value": "red"}]}]}


def served() -> tuple[str, ...]:
    return (CPF, CNPJ, CELLPHONE, "85351346893", "12345678000195")


def test_an_entrys_personal_value_and_the_billing_documents_get_pseudonyms_and_the_rest_stays():
    body = json.dumps(order()).encode()
    result = json.loads(Scrubber(personal=Pseudonymiser(7)).body(body, "application/json"))
    text = json.dumps(result)
    assert [value for value in served() if value in text] == [], text
    meta = {entry["key"]: entry["value"] for entry in result["meta_data"]}
    assert meta["_download_permissions_granted"] == "yes" and meta["_billing_persontype"] == "1"
    assert [entry["id"] for entry in result["meta_data"]] == [13106, 13107, 13108, 13109, 13110]
    assert len(meta["_billing_cpf"]) == len(CPF) and meta["_billing_cpf"][3] == "."  # in the CPF's shape
    assert result["line_items"][0]["meta_data"] == [{"id": 1, "key": "pa_colour", "value": "red"}]
    assert (result["billing"]["persontype"], result["billing"]["country"]) == ("F", "BR")


def test_the_same_cellphone_gets_the_same_pseudonym_in_an_entry_and_in_billing():
    result = Scrubber(personal=Pseudonymiser(7)).value(order())
    assert result["billing"]["cellphone"] == result["meta_data"][4]["value"] != CELLPHONE


def test_requests_differing_only_in_an_entrys_personal_value_match():
    def body(cpf: str) -> bytes:
        return json.dumps({"meta_data": [{"key": "_billing_cpf", "value": cpf}]}).encode()

    normalise = Scrubber()
    assert match_key(body(CPF), "application/json") == match_key(body("111.444.777-35"), "application/json")
    assert (hashable_match_key(body(CPF), "application/json", normalise)
            == hashable_match_key(body("111.444.777-35"), "application/json", normalise))
    other = json.dumps({"meta_data": [{"key": "_billing_persontype", "value": "2"}]}).encode()
    assert match_key(other, "application/json") != match_key(body("2"), "application/json")


def test_report_evidence_holding_an_order_is_pseudonymised(pseudonymised_evidence):
    with pseudonymised_evidence(3):
        seen = repr(sanitize.scrub({"order": order(), "response_body": json.dumps(order())}))
    assert [value for value in served() if value in seen] == [], seen
    assert "_download_permissions_granted" in seen and "'yes'" in seen
