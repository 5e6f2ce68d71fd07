"""Records have the fields of their REST schema: a field a record does not have is dropped (NetSuite's
default) or refused (``X-NetSuite-PropertyNameValidation: Error``), and a record is returned with only
the fields it has.

REST API Browser (Record REST v1, 2026.1), every insert and update operation: parameter
"`X-NetSuite-PropertyNameValidation`; in header; string; default `Warning`; enum `Error`, `Warning`,
`Ignore`". (What NetSuite does with the field under ``Warning`` is not described; the emulator drops it.
The exact wording of the ``Error`` refusal was not found; the emulator names the field.)
Oracle help, "Error Handling in REST Web Services": an error carries "detail - human-readable error
description", "o:errorCode - the error category" and "o:errorPath (optional) - a machine-readable JSON
path that points to the request body where the error occurred"; its bad-body example is ``INVALID_CONTENT``.
Record schemas (REST API Browser definitions, Record REST v1 2026.1):

- ``nonInventorySaleItem``: ``rate`` ("Price") and the ``price`` sublist; no ``basePrice``;
- ``journalEntry``: no header ``total`` (nor ``status``); lines have ``debit`` and ``credit``;
- ``cashRefund``: ``paymentOption``, no ``paymentMethod``;
- ``deposit``: ``total`` (label "Amount"), no ``status``.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration

STRICT = {"X-NetSuite-PropertyNameValidation": "Error"}


def _refused_field(response, field: str) -> None:
    assert response.status_code == 400, response.text
    detail = response.json()["o:errorDetails"][0]
    assert detail["o:errorCode"] == "INVALID_CONTENT"
    assert field in detail["detail"] and detail["o:errorPath"].endswith(field)


def _get(api, response, **params):
    assert response.status_code == 204, response.text
    return api.send("GET", response.headers["location"].split("/services/rest")[1], params=params).json()


def test_an_item_has_a_rate_and_no_base_price(api, backend):
    body = {"itemId": "MUG-RED", "rate": "14.50", "basePrice": "14.50"}
    _refused_field(api.send("POST", "/record/v1/nonInventorySaleItem", body, headers=STRICT), "basePrice")
    assert backend.records("nonInventorySaleItem") == []
    item = _get(api, api.send("POST", "/record/v1/nonInventorySaleItem", body))  # the default: dropped
    assert item["rate"] == 14.5 and "basePrice" not in item


def test_a_journal_entry_has_no_header_total(api, backend):
    lines = {"items": [{"account": {"id": "1"}, "debit": "10.00"}, {"account": {"id": "7"}, "credit": "10.00"}]}
    _refused_field(api.send("POST", "/record/v1/journalEntry", {"total": "10.00", "line": lines}, headers=STRICT),
                   "total")
    record = _get(api, api.send("POST", "/record/v1/journalEntry", {"total": "10.00", "line": lines}),
                  expandSubResources="true")
    assert "total" not in record and "status" not in record
    assert [line.get("debit") for line in record["line"]["items"]] == [10, None]


def test_a_cash_refund_takes_payment_option_not_payment_method(api, catalog, order_body):
    order = api.create("salesOrder", order_body())
    sale = api.transform("salesOrder", order, "cashSale")
    _refused_field(api.send("POST", f"/record/v1/cashSale/{sale}/!transform/cashRefund",
                            {"paymentMethod": {"refName": "Cash"}}, headers=STRICT), "paymentMethod")
    lost = api.transform("cashSale", sale, "cashRefund", {"paymentMethod": {"refName": "Cash"},
                                                          "item": {"items": [{"orderLine": 1, "quantity": 1}]}},
                         replace="item")
    assert "paymentMethod" not in api.send("GET", f"/record/v1/cashRefund/{lost}").json()
    kept = api.transform("cashSale", sale, "cashRefund", {"paymentOption": {"refName": "Cash"},
                                                          "item": {"items": [{"orderLine": 1, "quantity": 1}]}},
                         replace="item")
    assert api.send("GET", f"/record/v1/cashRefund/{kept}").json()["paymentOption"]["refName"] == "Cash"


def test_an_unknown_line_field_is_refused_with_its_path(api, catalog):
    response = api.send("POST", "/record/v1/salesOrder", {
        "entity": {"id": catalog["customer"]},
        "item": {"items": [{"item": {"id": catalog["mug"]}, "quantity": 1, "rate": "1", "unitPrice": "1"}]}},
        headers=STRICT)
    _refused_field(response, "unitPrice")
    assert response.json()["o:errorDetails"][0]["o:errorPath"] == "item.items[0].unitPrice"


def test_a_deposit_has_a_total_and_no_status(api, backend):
    deposit = _get(api, api.send("POST", "/record/v1/deposit", {
        "account": {"id": "2"}, "other": {"items": [{"account": {"id": "7"}, "amount": "5.00"}]}}, headers=STRICT))
    assert deposit["total"] == 5 and "status" not in deposit


def test_the_connectors_custom_fields_are_accepted_on_transactions_and_read_by_suiteql(api, catalog):
    # the account has the NetSuite Connector's storefront field and storefront order field (sources:
    # syncproof/footprints.toml, [sales_order]), so a strict request may set them
    order = _get(api, api.send("POST", "/record/v1/salesOrder", {
        "entity": {"id": catalog["customer"]}, "custbody_fa_channel": "WooCommerce",
        "custbody_fa_channel_order": "7004",
        "item": {"items": [{"item": {"id": catalog["mug"]}, "rate": "1"}]}}, headers=STRICT))["id"]
    record = api.send("GET", f"/record/v1/salesOrder/{order}").json()
    assert (record["custbody_fa_channel"], record["custbody_fa_channel_order"]) == ("WooCommerce", "7004")
    rows = api.send("POST", "/query/v1/suiteql", {"q": "SELECT t.custbody_fa_channel AS channel, "
                                                       "t.custbody_fa_channel_order AS ref FROM transaction t "
                                                       f"WHERE t.id = {order}"},
                    headers={"Prefer": "transient"}).json()["items"]
    assert [(r["channel"], r["ref"]) for r in rows] == [("WooCommerce", "7004")]


def test_a_custom_field_the_account_does_not_define_is_refused_when_names_are_validated(api, catalog):
    body = {"entity": {"id": catalog["customer"]}, "custbody_not_defined": "#9",
            "item": {"items": [{"item": {"id": catalog["mug"]}, "rate": "1"}]}}
    _refused_field(api.send("POST", "/record/v1/salesOrder", body, headers=STRICT), "custbody_not_defined")


def test_an_unknown_validation_mode_is_refused(api):
    response = api.send("POST", "/record/v1/customer", {"companyName": "X"},
                        headers={"X-NetSuite-PropertyNameValidation": "Strict"})
    assert response.status_code == 400 and response.json()["o:errorDetails"][0]["o:errorCode"] == "INVALID_HEADER"
