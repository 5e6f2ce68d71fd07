"""Customer refunds paying out credit memos: apply sublist, unapplied amounts, over-apply."""

from __future__ import annotations

from decimal import Decimal

import pytest

from syncproof.model import json_loads as loads

pytestmark = pytest.mark.integration


def _paid_invoice(api, catalog, order_body):
    invoice = api.transform("salesOrder", api.create("salesOrder", order_body()), "invoice")
    api.create("customerPayment", {"customer": {"id": catalog["customer"]}, "account": {"id": "1"},
                                   "apply": {"items": [{"doc": {"id": invoice}, "apply": True}]}})
    return invoice


@pytest.fixture
def credit_memo(api, catalog, order_body):
    """A 27.00 credit memo (25.00 + 2.00 tax) from an invoice the customer has paid in full."""
    invoice = _paid_invoice(api, catalog, order_body)
    return api.transform("invoice", invoice, "creditMemo",
                         {"item": {"items": [{"orderLine": 1, "quantity": 2}]}}, replace="item")


def test_a_credit_memo_from_an_open_invoice_applies_to_it(api, catalog, order_body, backend):
    """A credit memo made from an open invoice applies to it: the invoice's amount remaining
    falls, and nothing is left for a customer refund.

    Source: Oracle help, "Applying a Customer Credit Memo" ("When you apply a credit memo against
    an open invoice ... the amount of the credit is deducted from the total amount due"; the
    amount applied cannot exceed the credit's unapplied balance) and "Transforming Records"
    (an invoice transformed to a credit memo carries an ``apply`` sublist of ``doc``, ``apply``,
    ``amount`` lines).
    """
    invoice = api.transform("salesOrder", api.create("salesOrder", order_body()), "invoice")  # 64.37

    memo_id = api.transform("invoice", invoice, "creditMemo",
                            {"item": {"items": [{"orderLine": 1, "quantity": 2}]}}, replace="item")

    memo, bill = api.get("creditMemo", memo_id), api.get("invoice", invoice)
    (line,) = memo["apply"]["items"]
    assert line["doc"]["id"] == invoice and line["apply"] is True and line["amount"] == Decimal("27.00")
    assert (memo["applied"], memo["unapplied"], memo["status"]["refName"]) == \
        (Decimal("27.00"), Decimal("0.00"), "Fully Applied")
    assert (bill["amountRemaining"], bill["status"]["refName"]) == (Decimal("37.37"), "Open")
    refused = api.send("POST", "/record/v1/customerRefund", _refund(catalog, memo_id, "27.00"))
    assert refused.status_code == 400 and "0.00 open" in loads(refused.text)["o:errorDetails"][0]["detail"]
    assert backend.records("customerRefund") == []


def test_a_credit_memo_covering_what_is_left_pays_the_invoice_in_full(api, catalog, order_body):
    """The invoice turns Paid In Full when payments and credits cover its total.

    Source: Oracle help, "Applying a Customer Credit Memo" (the credit is deducted from the amount due).
    """
    invoice = api.transform("salesOrder", api.create("salesOrder", order_body()), "invoice")
    api.create("customerPayment", {"customer": {"id": catalog["customer"]}, "account": {"id": "1"},
                                   "apply": {"items": [{"doc": {"id": invoice}, "apply": True,
                                                        "amount": "37.37"}]}})

    memo_id = api.transform("invoice", invoice, "creditMemo",
                            {"item": {"items": [{"orderLine": 1, "quantity": 2}]}}, replace="item")

    bill = api.get("invoice", invoice)
    assert (bill["amountRemaining"], bill["status"]["refName"]) == (Decimal("0.00"), "Paid In Full")
    assert api.get("creditMemo", memo_id)["unapplied"] == Decimal("0.00")


def test_a_credit_memo_from_a_paid_invoice_stays_unapplied(api, catalog, credit_memo):
    """Nothing is open on a paid invoice, so the credit memo is left for a customer refund."""
    memo = api.get("creditMemo", credit_memo)

    assert memo["apply"]["items"] == []
    assert (memo["applied"], memo["unapplied"], memo["status"]["refName"]) == \
        (Decimal("0"), Decimal("27.00"), "Open")


def _refund(catalog, memo, amount, customer=None):
    return {"entity": {"id": customer or catalog["customer"]}, "account": {"id": "1"},
            "apply": {"items": [{"doc": {"id": memo}, "apply": True, "amount": amount}]}}


def test_refund_applies_to_the_credit_memo(api, catalog, credit_memo):
    refund = api.create("customerRefund", _refund(catalog, credit_memo, "20.00"))

    record = api.get("customerRefund", refund)
    memo = api.get("creditMemo", credit_memo)
    assert record["total"] == Decimal("20.00")
    line = record["apply"]["items"][0]
    assert line["doc"]["id"] == credit_memo and line["apply"] is True and line["amount"] == Decimal("20.00")
    assert (memo["total"], memo["applied"], memo["unapplied"]) == \
        (Decimal("27.00"), Decimal("20.00"), Decimal("7.00"))
    assert memo["status"]["refName"] == "Open"


def test_refund_of_the_rest_fully_applies_the_memo(api, catalog, credit_memo):
    api.create("customerRefund", _refund(catalog, credit_memo, "20.00"))
    api.create("customerRefund", _refund(catalog, credit_memo, "7.00"))

    memo = api.get("creditMemo", credit_memo)
    assert memo["unapplied"] == Decimal("0.00")
    assert memo["status"]["refName"] == "Fully Applied"


def test_applying_more_than_unapplied_is_refused(api, catalog, credit_memo, backend):
    api.create("customerRefund", _refund(catalog, credit_memo, "20.00"))

    response = api.send("POST", "/record/v1/customerRefund", _refund(catalog, credit_memo, "7.01"))

    assert response.status_code == 400
    detail = loads(response.text)["o:errorDetails"][0]
    assert detail["o:errorCode"] == "USER_ERROR"
    assert "7.01 requested, 7.00 open" in detail["detail"]
    assert len(backend.records("customerRefund")) == 1


def test_refund_for_another_customers_memo_is_refused(api, catalog, credit_memo):
    response = api.send("POST", "/record/v1/customerRefund",
                        _refund(catalog, credit_memo, "1.00", customer=catalog["other_customer"]))

    assert response.status_code == 400
    assert loads(response.text)["o:errorDetails"][0]["o:errorCode"] == "USER_ERROR"


def test_deleting_a_refund_frees_the_memo(api, catalog, credit_memo):
    refund = api.create("customerRefund", _refund(catalog, credit_memo, "27.00"))

    assert api.send("DELETE", f"/record/v1/customerRefund/{refund}").status_code == 204
    assert api.get("creditMemo", credit_memo)["unapplied"] == Decimal("27.00")


def test_deposit_and_journal_totals_are_computed(api, catalog):
    deposit = api.create("deposit", {"account": {"id": "2"}, "tranDate": "2024-03-20", "other": {"items": [
        {"account": {"id": "4"}, "amount": "1000.00", "memo": "settlement 123"},
        {"account": {"id": "11"}, "amount": "-120.35", "memo": "selling fees"},
    ]}})
    unbalanced = api.send("POST", "/record/v1/journalEntry", {"line": {"items": [
        {"account": {"id": "10"}, "debit": "10.00"}, {"account": {"id": "4"}, "credit": "9.99"}]}})

    assert api.get("deposit", deposit)["total"] == Decimal("879.65")
    assert unbalanced.status_code == 400
    assert loads(unbalanced.text)["o:errorDetails"][0]["o:errorCode"] == "USER_ERROR"
