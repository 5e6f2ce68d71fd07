"""Records have the fields of their REST schema: a field a record does not have is refused, and
a record is returned with only the fields it has.

Oracle help, "Error Handling in REST Web Services": an error response carries ``o:errorDetails``
with "detail - human-readable error description", "o:errorCode - the error category" and
"o:errorPath (optional) - a machine-readable JSON path that points to the request body where the
error occurred"; the page's example of a bad body is ``INVALID_CONTENT`` with its path. (The exact
wording NetSuite uses for an unknown field was not found; the emulator names the field.)
Oracle help, "Cash Refund" and "Customer Refund": "The REST API Browser includes information about
the field names and field types" of each record. Fields checked here:

- an item has no ``basePrice`` (its prices are the pricing sublist);
- a journal entry has no header total: its amounts are the lines' ``debit``/``credit``;
- a cash refund chooses its payment in ``paymentOption`` on current releases (Oracle help,
  "Using the Handling Mode Field": with Payment Instruments "The Handling Mode field is displayed
  only for relevant Payment Options"), not ``paymentMethod``.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def _refused_field(response, field: str) -> None:
    assert response.status_code == 400, response.text
    detail = response.json()["o:errorDetails"][0]
    assert detail["o:errorCode"] == "INVALID_CONTENT"
    assert field in detail["detail"] and detail["o:errorPath"].endswith(field)


def test_an_item_has_no_base_price(api, backend):
    _refused_field(api.send("POST", "/record/v1/nonInventorySaleItem",
                            {"itemId": "MUG-RED", "basePrice": "14.50"}), "basePrice")
    assert backend.records("nonInventorySaleItem") == []


def test_a_journal_entry_has_no_header_total(api, backend):
    lines = {"items": [{"account": {"id": "1"}, "debit": "10.00"}, {"account": {"id": "7"}, "credit": "10.00"}]}
    _refused_field(api.send("POST", "/record/v1/journalEntry", {"total": "10.00", "line": lines}), "total")
    created = api.send("POST", "/record/v1/journalEntry", {"memo": "je", "line": lines})
    assert created.status_code == 204, created.text
    record = api.send("GET", created.headers["location"].split("/services/rest")[1],
                      params={"expandSubResources": "true"}).json()
    assert "total" not in record
    assert [line.get("debit") for line in record["line"]["items"]] == [10, None]


def test_a_cash_refund_takes_payment_option_not_payment_method(api, catalog, order_body):
    order = api.create("salesOrder", order_body())
    sale = api.transform("salesOrder", order, "cashSale")
    _refused_field(api.send("POST", f"/record/v1/cashSale/{sale}/!transform/cashRefund",
                            {"paymentMethod": {"refName": "Cash"}}), "paymentMethod")
    refund = api.transform("cashSale", sale, "cashRefund", {"paymentOption": {"refName": "Cash"}})
    assert api.send("GET", f"/record/v1/cashRefund/{refund}").json()["paymentOption"]["refName"] == "Cash"


def test_an_unknown_line_field_is_refused_with_its_path(api, catalog):
    response = api.send("POST", "/record/v1/salesOrder", {
        "entity": {"id": catalog["customer"]},
        "item": {"items": [{"item": {"id": catalog["mug"]}, "quantity": 1, "rate": "1", "unitPrice": "1"}]}})
    _refused_field(response, "unitPrice")
    assert response.json()["o:errorDetails"][0]["o:errorPath"] == "item.items[0].unitPrice"


def test_custom_fields_are_accepted_on_transactions(api, catalog):
    order = api.create("salesOrder", {"entity": {"id": catalog["customer"]}, "custbody_channel_order": "#9",
                                      "item": {"items": [{"item": {"id": catalog["mug"]}, "rate": "1"}]}})
    assert api.send("GET", f"/record/v1/salesOrder/{order}").json()["custbody_channel_order"] == "#9"
