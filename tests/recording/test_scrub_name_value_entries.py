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

import dataclasses
import json

import pytest

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


def test_a_second_channel_naming_entries_of_the_same_list_adds_its_names(registered_channel):
    """Two channels may name entries of a ``meta_data`` list (a WooCommerce plugin's and another cart's): both
    channels' names are personal, neither replaces the other's."""
    from syncproof.channels import ChannelSpec, PersonalEntries, PersonalFields, get

    other = dataclasses.replace(get("woocommerce"), name="acme_meta", personal=PersonalFields(
        entries=(PersonalEntries("Meta_Data", {"loyalty_card": "tax_id"}),)))
    body = json.dumps({"meta_data": [{"id": 1, "key": "_billing_cpf", "value": CPF},
                                     {"id": 2, "key": "loyalty_card", "value": "LC-99182"}]}).encode()
    with registered_channel(other):
        assert isinstance(other, ChannelSpec)
        text = Scrubber(personal=Pseudonymiser(7)).body(body, "application/json").decode()
    assert CPF not in text and "LC-99182" not in text, text


def test_a_channel_reading_the_same_list_by_other_members_is_refused(registered_channel):
    """The scrubber reads each list's entries by one name member and one value member: a channel naming
    ``meta_data`` entries by ``name``/``content`` where WooCommerce's are ``key``/``value`` is refused, in one line."""
    from syncproof.channels import PersonalEntries, PersonalFields, get, names
    from syncproof.errors import SyncproofError

    other = dataclasses.replace(get("woocommerce"), name="acme_meta", personal=PersonalFields(
        entries=(PersonalEntries("meta_data", {"loyalty_card": "tax_id"}, name="name", value="content"),)))
    with pytest.raises(SyncproofError) as refused:
        with registered_channel(other):
            pass
    assert "'acme_meta'" in str(refused.value) and "'woocommerce'" in str(refused.value)
    assert "\n" not in str(refused.value) and "acme_meta" not in names()


def test_an_entrys_members_are_read_in_any_case_and_a_numeric_value_is_faked(pseudonymised_evidence):
    """Keys are compared in any case everywhere (``Key``/``Value`` is ``key``/``value``), and a meta value may be
    stored as a number (the REST docs' ``value`` is "Meta value.", of any type): it is faked as text is, in the
    cassette, in the report and masked alike when requests are matched."""
    served_order = {"meta_data": [{"ID": 1, "Key": "_BILLING_CPF", "Value": CPF},
                                  {"id": 2, "key": "_billing_cellphone", "value": 11987654321}]}
    text = Scrubber(personal=Pseudonymiser(7)).body(json.dumps(served_order).encode(), "application/json").decode()
    assert CPF not in text and "11987654321" not in text, text
    with pseudonymised_evidence(3):
        seen = repr(sanitize.scrub(served_order))
    assert CPF not in seen and "11987654321" not in seen, seen

    def body(phone: object) -> bytes:
        return json.dumps({"meta_data": [{"key": "_billing_cellphone", "value": phone}]}).encode()

    assert match_key(body(11987654321), "application/json") == match_key(body("(11) 555-0100"), "application/json")
    normalise = Scrubber()
    assert (hashable_match_key(body(11987654321), "application/json", normalise)
            == hashable_match_key(body("(11) 555-0100"), "application/json", normalise))
