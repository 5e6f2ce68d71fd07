"""Currency and exchange rate on customers and transactions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from syncproof.model import json_loads as loads

pytestmark = pytest.mark.integration


def _currency_id(backend, symbol):
    return next(c["id"] for c in backend.records("currency") if c["symbol"] == symbol)


def test_a_transaction_takes_the_customers_currency_and_its_exchange_rate(api, backend, order_body, catalog):
    """With no currency on the transaction, the customer's primary currency is used; the
    exchange rate defaults to the currency's (base currency units per foreign unit); a
    transform keeps the source's currency.

    Source: Oracle help, "Currency on Customer Transactions" ("the customer's primary currency
    is selected by default"; "when you convert a sales transaction ... the currency from the
    original transaction is maintained"); the Records Browser, currency ``exchangerate``
    ("the base currency amount divided by the foreign currency amount").
    """
    yen = _currency_id(backend, "JPY")
    customer = api.create("customer", {"companyName": "Aiko Tanaka", "currency": {"id": yen}})

    order = api.create("salesOrder", order_body(entity={"id": customer}))
    sale = api.get("cashSale", api.transform("salesOrder", order, "cashSale"))

    assert api.get("customer", customer)["currency"]["id"] == yen
    assert api.get("salesOrder", order)["currency"]["id"] == sale["currency"]["id"] == yen
    assert sale["exchangeRate"] == Decimal("0.0067")


def test_a_transaction_in_another_currency_keeps_it_and_its_own_rate(api, backend, order_body):
    """A currency and exchange rate sent on the transaction are kept (Oracle help, "Currency on
    Customer Transactions": a different transaction currency can be selected before saving)."""
    euro = _currency_id(backend, "EUR")

    order = api.get("salesOrder", api.create("salesOrder", order_body(currency={"id": euro}, exchangeRate="1.1")))

    assert (order["currency"]["id"], order["exchangeRate"]) == (euro, Decimal("1.1"))


def test_amounts_round_to_the_currencys_minor_unit(api, backend, order_body, catalog):
    """Amounts are rounded per currency: no decimals for JPY, three for KWD (ISO 4217 minor units)."""
    yen, dinar = _currency_id(backend, "JPY"), _currency_id(backend, "KWD")
    lines = {"items": [{"item": {"id": catalog["mug"]}, "quantity": 3, "rate": "10.3333"}]}

    in_yen = api.get("salesOrder", api.create("salesOrder", order_body(currency={"id": yen}, item=lines)))
    in_dinar = api.get("salesOrder", api.create("salesOrder", order_body(currency={"id": dinar}, item=lines)))

    assert in_yen["item"]["items"][0]["amount"] == Decimal("31")
    assert in_dinar["item"]["items"][0]["amount"] == Decimal("31.000")


def test_suiteql_reads_a_transactions_currency_iso_code_by_joining_currency_symbol(api, backend, order_body):
    """``transaction.currency`` is the currency record's internal id; joined to ``currency`` its ``symbol`` is the
    three-letter ISO code, while ``BUILTIN.DF`` of the field shows the currency's name, as records show it.

    Source: Oracle help, "Creating Currency Records" (the default currencies' "Symbol/ Currency Code" column:
    CAD, EUR, GBP, USD; "The ISO Code field displays the three-letter International Standards Organization
    (ISO) currency code"; "The currency name you enter here becomes an option for the currency on customer,
    vendor, and other records"); Oracle help, "BUILTIN.DF" ("Returns the display value of a field from a
    target record type without having to join the target record type explicitly"); the REST currency record
    refuses a currency without its ISO Code (``symbol``).
    """
    euro = _currency_id(backend, "EUR")
    order = api.create("salesOrder", order_body(currency={"id": euro}))
    refund = api.transform("cashSale", api.transform("salesOrder", order, "cashSale"), "cashRefund",
                           {"currency": {"id": _currency_id(backend, "USD")}})

    rows = loads(api.suiteql(
        "SELECT t.id, t.currency, c.symbol, BUILTIN.DF(t.currency) AS shown FROM transaction t "
        f"LEFT JOIN currency c ON c.id = t.currency WHERE t.id IN ({order}, {refund}) ORDER BY t.id").text)["items"]

    assert [(r["id"], r["currency"], r["symbol"], r["shown"]) for r in rows] == [
        (order, euro, "EUR", "Euro"), (refund, _currency_id(backend, "USD"), "USD", "US Dollar")]


def test_a_currency_reference_shows_the_currency_records_name_not_its_iso_code(api, backend, order_body):
    """A reference's ``refName`` is the referenced record's display text, and a currency shows its name.

    Sources: Oracle help, "Format of Selects and References" (section_1545142037: "References to records in REST
    web services contain an internal ID (id), a reference name (refName) (that is, the value obtained by invoking
    the getFieldText() method on the reference field)"; its example is a currency reference whose refName is
    "USD", an account whose currency record is named so); Oracle help, "Viewing and Editing Currency Records"
    (section_1543618833: "Name ... The currency name you enter here is shown as an option for the currency on
    customer, vendor, and other records", next to a separate "ISO Code" field). An account names its currencies
    as it likes ("USA" for the dollar in the Records Browser's currencyRate help), so the emulator's are named
    unlike their codes, and only ``symbol`` is the ISO code.
    """
    named = backend.create("currency", {"symbol": "CHF", "name": "Swiss franc (Zurich)", "exchangeRate": "1.13"})
    unnamed = backend.create("currency", {"symbol": "SEK"})
    order = api.get("salesOrder", api.create("salesOrder", order_body(currency={"id": named})))
    other = api.get("salesOrder", api.create("salesOrder", order_body(currency={"id": unnamed})))
    dollars = api.get("salesOrder", api.create("salesOrder", order_body()))

    assert (order["currency"]["id"], order["currency"]["refName"]) == (named, "Swiss franc (Zurich)")
    assert other["currency"]["refName"] == "SEK"  # a currency without a name shows its ISO code
    assert dollars["currency"]["refName"] == "US Dollar"
    assert api.get("currency", named)["symbol"] == "CHF"
