"""A store presenting an order in another currency than its own: shop and presentment money kept apart.

Sources (shopify.dev, GraphQL Admin API):
- object ``MoneyBag``: "presentmentMoney: Amount in presentment currency." / "shopMoney: Amount in
  shop currency."; "when an amount in the shop's currency is converted to the customer's currency
  of choice (the presentment currency)";
- input object ``MoneyBagInput``: ``shopMoney`` required, "Amount in shop currency";
  ``presentmentMoney`` "Amount in presentment currency. If this isn't given then we assume that the
  presentment currency is the same as the shop's currency.";
- input object ``RefundInput``, field ``currency``: "The currency that is used to refund the order.
  This must be the presentment currency, which is the currency used by the customer. This is a
  required field for orders where the currency and presentment currency differ."
The emulator's refusal wording is its own (no published Shopify error text was found), and
``OrderCreateOrderInput.presentmentCurrency`` is modelled without a shopify.dev page confirming it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from connectors import _shopify_queries as Q
from connectors._shopify_parse import parse_refund
from sandbox.shopify import UserInputError, gid
from syncproof import checks
from syncproof.channels.shopify import demo_order_rate
from syncproof.errors import ConfigError
from syncproof.model import Money, OrderLine, Shipping

pytestmark = pytest.mark.integration

RATE = Decimal("1.08")  # US dollars per euro


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def euro_lines() -> list[OrderLine]:
    return [OrderLine("", "MUG-1", 2, eur("14.50"), eur("2.32"), eur("0"), "Mug"),
            OrderLine("", "CAP-1", 1, eur("18.00"), eur("1.44"), eur("0"), "Cap")]


def euro_order(client):
    return client.create_order(euro_lines(), shipping=Shipping(eur("5.99"), eur("0.48"), "Standard"),
                               shop_currency="USD", exchange_rate=RATE)


BAGS = """
query Bags($id: ID!) { order(id: $id) {
  currencyCode presentmentCurrencyCode
  totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
  refunds(first: 5) { totalRefundedSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } }
} }
"""


def test_the_order_keeps_shop_and_presentment_money_apart(client):
    order = euro_order(client)

    data = client.graphql(BAGS, {"id": order.channel_ref}, "Bags")["order"]

    assert (data["currencyCode"], data["presentmentCurrencyCode"]) == ("USD", "EUR")
    total = data["totalPriceSet"]
    assert total["presentmentMoney"] == {"amount": "57.23", "currencyCode": "EUR"}
    assert total["shopMoney"] == {"amount": "61.81", "currencyCode": "USD"}  # 57.23 x 1.08, to the cent
    assert order.currency == "EUR" and order.total == eur("57.23")  # the suite reads the customer's money


def test_an_order_presented_in_another_currency_needs_its_presentment_money(backend):
    with pytest.raises(UserInputError) as refused:
        backend.create_order({"currency": "USD", "presentmentCurrency": "EUR", "lineItems": [
            {"sku": "A", "quantity": 1, "priceSet": {"shopMoney": {"amount": "10.80", "currencyCode": "USD"}}}]})
    assert refused.value.errors[0][0] == ["order", "lineItems", "0", "priceSet", "presentmentMoney"]


def test_refund_create_needs_the_presentment_currency_when_it_differs(backend, client):
    order = euro_order(client)
    record = backend.order(int(order.channel_order_id))
    sale = record.transactions[0]
    body = {"orderId": order.channel_ref,
            "refundLineItems": [{"lineItemId": order.lines[1].line_id, "quantity": 1, "restockType": "CANCEL"}],
            "transactions": [{"orderId": order.channel_ref, "kind": "REFUND", "gateway": "manual",
                              "amount": "19.44", "parentId": gid("OrderTransaction", sale.id)}]}

    with pytest.raises(UserInputError) as missing:
        backend.create_refund(body)
    assert missing.value.errors[0][0] == ["currency"] and "presented in EUR" in missing.value.errors[0][1]
    with pytest.raises(UserInputError, match="USD is not the presentment currency EUR"):
        backend.create_refund({**body, "currency": "USD"})
    assert record.refunds == []  # nothing was refunded by the refused attempts

    backend.create_refund({**body, "currency": "EUR"})
    bag = client.graphql(BAGS, {"id": order.channel_ref}, "Bags")["order"]["refunds"][0]["totalRefundedSet"]
    assert bag == {"presentmentMoney": {"amount": "19.44", "currencyCode": "EUR"},
                   "shopMoney": {"amount": "21.0", "currencyCode": "USD"}}  # Shopify's Decimal form


def test_the_connector_refunds_in_the_presentment_currency_and_reads_it_back(backend, client):
    order = euro_order(client)

    refund = client.create_refund(order.channel_ref, {order.lines[0].line_id: 1}, shipping=True)

    assert refund.currency == "EUR"
    assert [(line.sku, line.amount, line.tax) for line in refund.lines] == [("MUG-1", eur("14.50"), eur("1.16"))]
    assert refund.shipping == eur("5.99") and refund.total == eur("22.13")
    assert client.get_refunds(order.channel_ref)[0].total == eur("22.13")
    record = backend.order(int(order.channel_order_id))
    assert record.currencies.shop_amount(Decimal("22.13")) == Decimal("23.90")  # Shopify's books: USD


def test_a_single_currency_store_is_unchanged(client, backend):
    usd = Money(Decimal("10.00"), "USD")
    order = client.create_order([OrderLine("", "A", 1, usd, Money.zero("USD"), Money.zero("USD"), "A")])
    refund = client.create_refund(order.channel_ref, {order.lines[0].line_id: 1})
    assert refund.currency == "USD" and refund.total == usd
    assert backend.order(int(order.channel_order_id)).currencies.shop == "USD"


def test_demo_orders_are_placed_at_a_known_rate_or_refused_in_one_line():
    assert demo_order_rate("EUR", "USD") == RATE
    with pytest.raises(ConfigError) as refused:
        demo_order_rate("XOF", "USD")
    assert "XOF" in str(refused.value) and "\n" not in str(refused.value)


def test_a_refund_posted_from_the_shop_money_fails_naming_both_currencies(client):
    """The suite compares the customer's (presentment) money: a NetSuite refund made from Shopify's
    shop-currency books of the same refund is in the wrong currency, and RS-MN-3 says so."""
    order = euro_order(client)
    made = client.create_refund(order.channel_ref, {order.lines[0].line_id: 1})
    books = client.graphql(Q.REFUND.replace("presentmentMoney", "shopMoney"), {"id": made.extra["gid"]}, "Refund")
    in_shop_money = parse_refund(books["refund"])

    assert in_shop_money.currency == "USD" and in_shop_money.total.amount == Decimal("16.91")  # 15.66 EUR x 1.08
    result = checks.refund_amounts_match(made, in_shop_money, check_id="RS-MN-3", expected_side="shopify",
                                         actual_side="NetSuite")
    assert not result.passed and "USD" in result.message and "EUR" in result.message
    assert checks.refund_amounts_match(made, client.get_refund(made.extra["gid"]), check_id="RS-MN-3",
                                       expected_side="shopify", actual_side="NetSuite").passed
