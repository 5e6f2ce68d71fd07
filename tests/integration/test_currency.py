"""Money keeps its currency from the marketplace through NetSuite and back into the checks
(real loopback HTTP to the emulators; no patched functions)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from connectors.netsuite import CurrencyUnresolved
from syncproof import checks
from syncproof.channels.amazon import AmazonActions
from syncproof.engine import SyncEngine
from syncproof.engine.refunds import netsuite_refund_as_domain
from syncproof.engine.store import EngineStore
from syncproof.model import Channel, Money, OrderLine, TransactionType

pytestmark = pytest.mark.integration


def yen(value: str) -> Money:
    return Money(value, "JPY")


@pytest.fixture
def world(runtime):
    runtime.sandbox.netsuite.reset()
    engine = SyncEngine.build(runtime.netsuite, EngineStore(), runtime.config)
    for sku in ("FX-MUG", "FX-CAP", "Refund Adjustment", "Refund Fee"):
        engine.books.ensure_item(sku, sku)
    return runtime, engine, AmazonActions(runtime)


def _jpy_order(amazon):
    return amazon.place_order([OrderLine("1", "FX-MUG", 2, yen("1450"), yen("232"), yen("0"), "mug"),
                               OrderLine("2", "FX-CAP", 1, yen("1800"), yen("144"), yen("0"), "cap")],
                              shipping=None, customer=("Aiko Tanaka", "aiko@example.com"), note="fx")


def _jpy_order_refunded(world):
    runtime, engine, amazon = world
    order = _jpy_order(amazon)
    assert engine.orders.sync(order).synced
    refund = amazon.refund(order, {"FX-MUG": 1}, shipping=False, note="fx")
    return order, refund


def _as_domain(engine, kind, record_id, order):
    return netsuite_refund_as_domain(engine.books, kind, record_id, Channel("amazon"), order.channel_order_id,
                                     order.currency, engine.config.channel("amazon").refunds)


def test_a_jpy_order_and_refund_are_posted_in_jpy_and_pass_rs_mn_3(world):
    runtime, engine, _ = world
    order, refund = _jpy_order_refunded(world)

    result = engine.refunds.to_netsuite(refund)

    assert result.status == "created"
    netsuite = runtime.sandbox.netsuite
    (customer,) = netsuite.records("customer")
    (sales_order,) = netsuite.records("salesOrder")
    cash_refund = netsuite.get("cashRefund", result.record.netsuite_id)
    yen = next(c["id"] for c in netsuite.records("currency") if c["symbol"] == "JPY")
    assert customer["currency"]["id"] == sales_order["currency"]["id"] == cash_refund["currency"]["id"] == yen
    assert cash_refund["exchangeRate"] == Decimal("0.0067")
    assert cash_refund["item"]["items"][0]["amount"] == Decimal("1450")  # no minor unit
    verdict = checks.refund_amounts_match(refund, _as_domain(engine, TransactionType.CASH_REFUND,
                                                             result.record.netsuite_id, order),
                                          check_id="RS-MN-3", expected_side="amazon", actual_side="NetSuite")
    assert verdict.passed, verdict.message


def test_the_same_refund_posted_in_usd_fails_rs_mn_3_naming_both_currencies(world):
    runtime, engine, _ = world
    order, refund = _jpy_order_refunded(world)
    record = engine.store.order("amazon", order.channel_order_id)
    usd = engine.books.currency_id("USD")
    # a connector that posts the refund in the account's base currency, amounts unchanged
    posted = engine.books.client.transform("cashSale", record.billing_id, "cashRefund", {
        "externalId": "fx-usd-refund", "currency": {"id": usd}, "item": {"items": [{"orderLine": 1, "quantity": 1}]},
    }, replace=("item",))

    verdict = checks.refund_amounts_match(refund, _as_domain(engine, TransactionType.CASH_REFUND, posted, order),
                                          check_id="RS-MN-3", expected_side="amazon", actual_side="NetSuite")

    assert not verdict.passed
    assert "in USD" in verdict.message and "in JPY" in verdict.message


def test_an_order_in_a_currency_netsuite_does_not_have_is_refused_before_anything_is_written(world):
    runtime, engine, amazon = world
    order = _jpy_order(amazon)
    for currency in runtime.sandbox.netsuite.records("currency"):  # an account without the currency
        if currency["symbol"] == "JPY":
            runtime.sandbox.netsuite.delete("currency", currency["id"])

    result = engine.orders.sync(order)

    assert not result.synced
    assert "NetSuite has no currency JPY" in result.error and "Lists > Accounting > Currencies" in result.error
    # Oracle, Currency Management: "You cannot disable the feature after you create transactions and records that
    # rely upon it" (see tests/unit/test_currency_hints.py)
    assert "NetSuite does not let Multiple Currencies be turned off once" in result.error
    assert runtime.sandbox.netsuite.records("salesOrder") == [] and runtime.sandbox.netsuite.records("customer") == []


@pytest.mark.parametrize("currency,marketplace", [("EUR", "EBAY_DE"), ("GBP", "EBAY_GB")])
def test_an_ebay_refund_on_a_european_marketplace_is_posted_in_its_currency_to_the_cent(runtime, currency,
                                                                                        marketplace):
    """An eBay order in EUR (GBP) is sold on EBAY_DE (EBAY_GB), read, synced and refunded in that currency; the
    refund eBay pays out to a USD seller is converted in Finances, but NetSuite gets the sale's own amount."""
    from syncproof.channels.ebay import EbayActions

    runtime.sandbox.netsuite.reset()
    engine = SyncEngine.build(runtime.netsuite, EngineStore(), runtime.config)
    for sku in ("FX-MUG", "FX-CAP", "Shipping", "Refund Adjustment", "Refund Fee"):
        engine.books.ensure_item(sku, sku)
    ebay = EbayActions(runtime)
    money = lambda v: Money(v, currency)  # noqa: E731
    order = ebay.place_order([OrderLine("1", "FX-MUG", 2, money("14.50"), money("5.51"), money("0"), "mug"),
                              OrderLine("2", "FX-CAP", 1, money("18.00"), money("3.42"), money("0"), "cap")],
                             shipping=None, customer=("Greta Weber", "greta@example.com"), note="fx")
    backend = runtime.sandbox.emulator("ebay").backend
    assert backend.orders[order.channel_order_id].marketplace_id == marketplace
    assert order.currency == currency and order.total == money("55.93")
    assert engine.orders.sync(order).synced
    refund = ebay.refund(order, {"FX-MUG": 1}, shipping=False, note="fx")
    assert refund.total == money("17.26") and refund.lines[0].amount == money("14.50")

    result = engine.refunds.to_netsuite(refund)

    assert result.status == "created"
    cash_refund = runtime.sandbox.netsuite.get("cashRefund", result.record.netsuite_id)
    assert runtime.sandbox.netsuite.get("currency", cash_refund["currency"]["id"])["symbol"] == currency
    assert sum(line["amount"] + line["tax1Amt"] for line in cash_refund["item"]["items"]) == Decimal("17.26")
    posted = netsuite_refund_as_domain(engine.books, TransactionType.CASH_REFUND, result.record.netsuite_id,
                                       Channel("ebay"), order.channel_order_id, currency,
                                       engine.config.channel("ebay").refunds)
    verdict = checks.refund_amounts_match(refund, posted, check_id="RS-MN-3", expected_side="ebay",
                                          actual_side="NetSuite")
    assert verdict.passed, verdict.message
    [paid] = [t for t in runtime.client("ebay").transactions(order.created_at, types=("REFUND",))]
    assert paid.amount == money("-17.26") and paid.paid is not None and paid.paid.currency == "USD"


def _posted_in(engine, order, currency_id, external_id):
    """A connector that posts the refund of one mug in another currency, amounts unchanged."""
    record = engine.store.order("amazon", order.channel_order_id)
    return engine.books.client.transform("cashSale", record.billing_id, "cashRefund", {
        "externalId": external_id, "currency": {"id": currency_id},
        "item": {"items": [{"orderLine": 1, "quantity": 1}]}}, replace=("item",))


def test_a_netsuite_refund_whose_currency_cannot_be_resolved_fails_instead_of_passing_in_the_channels(world):
    """The refund is posted in EUR with the JPY amounts; the role then cannot see EUR among the account's currencies.
    Read in the channel's currency (JPY) it would match the Amazon refund to the yen; it must fail, naming it."""
    runtime, engine, _ = world
    order, refund = _jpy_order_refunded(world)
    posted = _posted_in(engine, order, engine.books.currency_id("EUR"), "fx-eur-refund")
    for currency in runtime.sandbox.netsuite.records("currency"):
        if currency["symbol"] == "EUR":
            runtime.sandbox.netsuite.delete("currency", currency["id"])
    books = SyncEngine.build(runtime.netsuite, EngineStore(), runtime.config).books  # reads the currencies anew

    with pytest.raises(CurrencyUnresolved) as raised:
        netsuite_refund_as_domain(books, TransactionType.CASH_REFUND, posted, Channel("amazon"),
                                  order.channel_order_id, order.currency, engine.config.channel("amazon").refunds)

    line = str(raised.value)
    assert "\n" not in line
    assert f"NetSuite cash refund {posted} is in currency id" in line and "cannot be checked" in line
    assert "Lists > Currency permission" in line
    assert refund.currency == "JPY"


def test_a_currency_added_after_the_currencies_were_read_is_read_again_not_guessed(world):
    """The account's currencies are read once; a refund in a currency added since (CHF) is looked up anew and
    read in CHF, so RS-MN-3 fails naming it instead of comparing the amounts as yen."""
    runtime, engine, _ = world
    order, refund = _jpy_order_refunded(world)
    assert engine.books.currency_id("JPY")  # the currencies are read and remembered
    franc = runtime.sandbox.netsuite.create("currency", {"symbol": "CHF", "name": "Swiss Franc",
                                                         "exchangeRate": "1.1"})
    posted = _posted_in(engine, order, franc, "fx-chf-refund")

    view = _as_domain(engine, TransactionType.CASH_REFUND, posted, order)
    verdict = checks.refund_amounts_match(refund, view, check_id="RS-MN-3", expected_side="amazon",
                                          actual_side="NetSuite")

    assert view.currency == "CHF"
    assert not verdict.passed and "in CHF" in verdict.message
