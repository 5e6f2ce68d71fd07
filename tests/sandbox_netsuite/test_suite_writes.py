"""The suite writes what NetSuite's records have, over real HTTP to the emulator: items without a
base price, cash refunds with ``paymentOption``, customers under the configured subsidiary,
settlement postings in the settlement's currency read back in the record's own, and a journal
entry's amount from its lines (it has no header total)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Iterator

import pytest

from connectors import NetSuiteError
from connectors.netsuite import (
    NetSuiteClient,
    NetSuiteCredentials,
    NetSuiteRecords,
    PostingLine,
    SubsidiaryRefused,
)
from sandbox.netsuite import DEMO_CREDENTIALS, NetSuiteBackend, serve
from syncproof.model import CatalogueItem, Money, TransactionType
from syncproof.settlement_tieout import SettlementFacts, tie_out

pytestmark = pytest.mark.integration


def _client(url: str) -> NetSuiteClient:
    c = DEMO_CREDENTIALS
    return NetSuiteClient.for_account(NetSuiteCredentials(c.account_id, c.consumer_key, c.consumer_secret,
                                                          c.token_id, c.token_secret), base_url=url)


@pytest.fixture
def books(netsuite, backend) -> Iterator[NetSuiteRecords]:
    with _client(netsuite.url) as client:
        yield NetSuiteRecords(client)


def test_an_item_is_made_with_its_price_in_rate(books, backend):
    item = books.ensure_item("MUG-RED", "Red mug", Decimal("14.50"))
    record = backend.get("nonInventorySaleItem", item)
    assert record["itemId"] == "MUG-RED" and record["rate"] == Decimal("14.50")


def test_a_tables_items_are_looked_up_in_one_query_and_only_the_missing_ones_made(netsuite, backend, catalog):
    """The items step asks NetSuite for all of its SKUs at once (SuiteQL ``itemid IN (...)``), then upserts
    the ones not found: one request for a table NetSuite already has, not one per row."""
    with _client(netsuite.url) as client:
        ids = NetSuiteRecords(client).ensure_items([CatalogueItem("MUG-BLUE", "Blue mug", Decimal("12.50")),
                                                    CatalogueItem("CAP-GREEN", "Green cap", Decimal("9.00")),
                                                    CatalogueItem("TEE-M", None, Decimal("9.99"))])
        assert client.stats.requests == 2 and client.stats.writes == 1  # one query, one upsert
    assert list(ids) == ["MUG-BLUE", "CAP-GREEN", "TEE-M"]
    assert ids["MUG-BLUE"] == catalog["mug"] and ids["TEE-M"] == catalog["tee"]
    made = backend.get("nonInventorySaleItem", ids["CAP-GREEN"])
    assert made["itemId"] == "CAP-GREEN" and made["displayName"] == "Green cap" and made["rate"] == Decimal("9.00")
    with _client(netsuite.url) as client:
        assert NetSuiteRecords(client).ensure_items([CatalogueItem("CAP-GREEN"), CatalogueItem("MUG-BLUE")]) == {
            "CAP-GREEN": ids["CAP-GREEN"], "MUG-BLUE": catalog["mug"]}
        assert client.stats.requests == 1 and client.stats.writes == 0


def test_every_record_write_refuses_a_field_the_record_does_not_have(books, backend):
    """NetSuite drops such a field by default (X-NetSuite-PropertyNameValidation: Warning); the
    client asks for Error, so a misnamed field is a refusal naming it, never a silent loss."""
    with pytest.raises(NetSuiteError) as refused:
        books.client.create("nonInventorySaleItem", {"itemId": "MUG-RED", "basePrice": Decimal("14.50")})
    assert refused.value.status == 400 and "basePrice" in str(refused.value)
    assert backend.records("nonInventorySaleItem") == []


def test_a_cash_refund_carries_its_payment_in_payment_option(books, backend, catalog):
    order = books.upsert_item_order("so-1", customer_id=catalog["customer"], order_ref="#1",
                                    items=[(catalog["mug"], 2, Decimal("12.50"))])
    sale = books.transform_once(TransactionType.SALES_ORDER, order, TransactionType.CASH_SALE, "cs-1")
    refund = books.transform_once(TransactionType.CASH_SALE, sale, TransactionType.CASH_REFUND, "cr-1",
                                  payment_method="Cash")
    record = backend.get("cashRefund", refund)
    assert record["paymentOption"] == {"refName": "Cash"} and "paymentMethod" not in record


@pytest.mark.parametrize("posting, currency", [("deposit", "EUR"), ("journal_entry", "JPY")])
def test_a_settlement_posting_is_in_the_settlement_currency(books, backend, posting, currency):
    amount = Decimal("1234") if currency == "JPY" else Decimal("98.76")
    kind, record_id, posted = books.post_settlement(
        f"amazon-settlement-{posting}", posting=posting, bank_account_id="2", total=amount, tran_date="2026-10-05",
        memo="settlement", lines=[PostingLine("7", amount, "Amazon sales")], currency=currency)
    assert posted == Money(amount, currency)  # a journal entry's amount comes from its debit lines
    assert backend.get("currency", backend.get(kind.record_type, record_id)["currency"]["id"])["symbol"] == currency
    [found] = books.settlement_postings(posting)  # what the audit and the tie-out read
    assert found["id"] == record_id and found["currency"] == currency


def test_a_posting_in_another_currency_fails_naming_both():
    facts = SettlementFacts("24680", "EUR", Decimal("98.76"), "2026-10-05", "2026-10")
    tie = tie_out(facts, SimpleNamespace(posting="deposit"), billed={},
                  settlement_records=[{"type": "Deposit", "id": "1044", "total": Decimal("98.76"), "currency": "USD"}])
    [mismatch] = [m for m in tie.mismatches if "currency" in m.what]
    assert "EUR" in mismatch.sentence() and "USD" in mismatch.sentence()
    same = tie_out(facts, SimpleNamespace(posting="deposit"), billed={},
                   settlement_records=[{"type": "Deposit", "id": "1044", "total": Decimal("98.76"),
                                        "currency": "EUR"}])
    assert not same.mismatches


@pytest.fixture
def one_world() -> Iterator[str]:
    with serve(NetSuiteBackend(one_world=True)) as running:
        yield running.url


def test_customers_are_filed_under_the_configured_subsidiary(one_world):
    with _client(one_world) as client:
        books = NetSuiteRecords(client, subsidiary="3")
        customer = books.ensure_customer("cust-1", email=None, name="Ada Lovelace")
        assert client.get("customer", customer)["subsidiary"]["id"] == "3"


def test_a_one_world_account_without_a_subsidiary_is_one_line_naming_the_setting(one_world):
    with _client(one_world) as client:
        with pytest.raises(SubsidiaryRefused) as refused:
            NetSuiteRecords(client).ensure_customer("cust-1", email=None, name="Ada Lovelace")
        assert list(client.suiteql("SELECT id FROM customer ORDER BY id")) == []
    line = str(refused.value)
    assert "OneWorld" in line and "[netsuite] subsidiary" in line and "\n" not in line


def test_a_records_currency_is_read_by_its_internal_id_never_by_the_name_its_reference_shows(books, backend,
                                                                                              catalog):
    """A currency reference's refName is the currency record's name (Oracle help, "Format of Selects and
    References": the getFieldText() value), which the account chooses: here the dollar is named "USA", as in the
    Records Browser's currencyRate help. The ISO code comes from the account's currencies by internal id (SuiteQL
    ``currency.symbol``); a reference without an id names no currency the suite can tell."""
    backend.update("currency", "1", {"name": "USA"})
    order = books.upsert_item_order("so-usa", customer_id=catalog["customer"], order_ref="#usa",
                                    items=[(catalog["mug"], 1, Decimal("12.50"))])
    sale = books.transform_once(TransactionType.SALES_ORDER, order, TransactionType.CASH_SALE, "cs-usa")

    found = books.find(TransactionType.CASH_SALE, "cs-usa")

    assert backend.get("cashSale", sale)["currency"] == {"id": "1", "refName": "USA"}
    assert found is not None and found.currency == "USD"
    assert books.currency_code({"id": "1", "refName": "USA"}) == "USD"
    assert books.currency_code({"refName": "USD"}) is None
