"""The eBay connector against the emulator over loopback: OAuth, orders, refunds, Finances, errors."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from connectors import AuthenticationFailed, Exchange
from connectors.ebay import EbayCredentials, EbayError
from syncproof.audit import AuditWindow
from syncproof.channels.ebay import SPEC
from syncproof.model import Money

from ._helpers import LINES, usd


def test_an_order_reads_into_the_domain_model_to_the_cent(order):
    assert order.channel.value == "ebay" and order.currency == "USD"
    mug, tee = order.line_for_sku("SP-MUG-01"), order.line_for_sku("SP-TEE-02")
    assert (mug.quantity, mug.unit_price, mug.tax) == (2, usd("14.50"), usd("2.32"))
    assert (tee.quantity, tee.unit_price, tee.tax) == (3, usd("22.00"), usd("5.28"))
    # shipping's tax is what pricingSummary.tax holds beyond the lines' taxes
    assert order.shipping is not None and (order.shipping.amount, order.shipping.tax) == (usd("5.99"), usd("0.48"))
    assert order.total == usd("109.07") and order.customer_email == "ada@example.com"


def test_the_token_is_minted_once_and_cached(client, order):
    client.get_order(order.channel_order_id)
    client.get_order(order.channel_order_id)
    assert client.oauth.token_requests == 1


def test_a_refused_token_is_renewed_once_and_the_call_repeated(client, order, backend):
    client.get_order(order.channel_order_id)
    backend.expire_tokens()
    assert client.get_order(order.channel_order_id).channel_order_id == order.channel_order_id
    assert client.oauth.token_requests == 2


def test_a_wrong_refresh_token_is_one_line_naming_the_fix(make_client, backend):
    bad = make_client(EbayCredentials(backend.keyset.client_id, backend.keyset.client_secret, "v^1.1#wrong"))
    with pytest.raises(AuthenticationFailed) as raised:
        bad.oauth.access_token()
    assert "invalid_grant" in str(raised.value) and "refresh token" in str(raised.value)
    assert "\n" not in str(raised.value)


def test_secrets_never_reach_the_evidence(make_client, order):
    seen: list[Exchange] = []
    client = make_client(on_exchange=seen.append)
    client.get_order(order.channel_order_id)
    text = " ".join(f"{e.request_headers} {e.request_body} {e.response_body}" for e in seen)
    assert "Bearer" not in text and "Basic" not in text and "syncproof-demo-refresh-token" not in text
    assert "[redacted]" in text


def test_an_ebay_error_names_the_error_id_and_message(client, order):
    with pytest.raises(EbayError) as raised:
        client.issue_refund(order.channel_order_id, reason="OTHER_ADJUSTMENT", order_amount=usd("500.00"))
    error = raised.value
    assert error.status == 400 and error.code == "34915"
    assert "The refund amount exceeds order amount." in str(error) and order.channel_order_id in str(error)


def test_orders_are_read_across_pages(client, seeding, order):
    for n in range(4):
        seeding.order(LINES[:1], shipping=None, buyer=(f"B {n}", f"b{n}@example.com"), currency="USD",
                      marketplace_id="EBAY_US")
    found = list(client.get_orders(created_from=order.created_at, limit=2))
    assert len(found) == 5 and len({o.channel_order_id for o in found}) == 5
    assert client.stats.requests >= 3  # three pages of at most two


def test_a_line_refund_worth_whole_units_is_that_quantity(client, seeding, order):
    tee = order.line_for_sku("SP-TEE-02")
    seeding.return_request(order.channel_order_id, {tee.line_id: 2})
    answer = client.issue_refund(order.channel_order_id, reason="BUYER_RETURN", items={tee.line_id: usd("47.52")})
    [refund] = client.refunds_of(order.channel_order_id)
    assert refund.refund_id == answer["refundId"]
    [line] = refund.lines
    assert (line.sku, line.quantity, line.amount, line.tax) == ("SP-TEE-02", 2, usd("44.00"), usd("3.52"))
    assert refund.total == usd("47.52") and refund.adjustment is None


def test_a_line_refund_of_part_of_a_unit_is_an_adjustment(client, seeding, order):
    tee = order.line_for_sku("SP-TEE-02")
    seeding.return_request(order.channel_order_id, {tee.line_id: 1})
    client.issue_refund(order.channel_order_id, reason="BUYER_RETURN", items={tee.line_id: usd("5.00")})
    [refund] = client.refunds_of(order.channel_order_id)
    assert refund.lines == () and refund.adjustment == usd("5.00")


def test_an_order_level_refund_of_the_total_is_every_line_and_the_shipping(client, seeding, order):
    seeding.return_request(order.channel_order_id)
    client.issue_refund(order.channel_order_id, reason="BUYER_RETURN", order_amount=order.total)
    [refund] = client.refunds_of(order.channel_order_id)
    assert refund.quantity_by_sku() == {"SP-MUG-01": 2, "SP-TEE-02": 3}
    assert (refund.shipping, refund.shipping_tax) == (usd("5.99"), usd("0.48"))
    assert refund.total == order.total


def test_a_refund_without_the_buyers_request_is_not_retrieved_but_finances_lists_it(client, order):
    mug = order.line_for_sku("SP-MUG-01")
    client.issue_refund(order.channel_order_id, reason="OTHER_ADJUSTMENT", items={mug.line_id: usd("16.41")})
    assert client.refunds_of(order.channel_order_id) == []  # what the connector can retrieve
    [external] = client.external_refunds_of(order.channel_order_id)
    assert external["amount"] == {"value": "16.41", "currency": "USD"}
    [refund] = client.finance_refunds(order.created_at)
    assert refund.extra["external"] and refund.total == usd("16.41")
    assert refund.refund_id == external["refundReferenceId"] and refund.channel_order_id == order.channel_order_id


def test_the_audit_reader_lists_requested_and_external_refunds_by_order(client, seeding, order):
    tee, mug = order.line_for_sku("SP-TEE-02"), order.line_for_sku("SP-MUG-01")
    seeding.return_request(order.channel_order_id, {tee.line_id: 1})
    requested = client.issue_refund(order.channel_order_id, reason="BUYER_RETURN", items={tee.line_id: usd("23.76")})
    client.issue_refund(order.channel_order_id, reason="OTHER_ADJUSTMENT", items={mug.line_id: usd("16.41")})
    now = datetime.now(timezone.utc)
    by_order = SPEC.audit_refunds(client, AuditWindow(now - timedelta(hours=1), now + timedelta(hours=1)), None)
    refunds = by_order[order.channel_order_id]
    assert sorted(r.total.amount for r in refunds) == [usd("16.41").amount, usd("23.76").amount]
    listed = next(r for r in refunds if not r.extra.get("external"))
    assert listed.refund_id == requested["refundId"] and listed.quantity_by_sku() == {"SP-TEE-02": 1}


def test_transactions_of_every_type_and_payouts(client, seeding, order):
    seeding.return_request(order.channel_order_id)
    client.issue_refund(order.channel_order_id, reason="BUYER_RETURN", order_amount=usd("10.00"))
    seeding.payout()
    kinds = sorted(t.transaction_type for t in client.transactions(order.created_at))
    assert kinds == ["REFUND", "SALE"]
    refund = next(client.transactions(order.created_at, types=("REFUND",)))
    assert refund.amount == usd("-10.00") and refund.booking_entry == "DEBIT"
    [payout] = client.payouts(order.created_at)
    sale = next(client.transactions(order.created_at, types=("SALE",)))
    assert payout.amount == sale.amount + refund.amount and payout.transaction_count == 2
    with pytest.raises(ValueError, match="unknown transaction type 'PAYMENT'"):
        next(client.transactions(order.created_at, types=("PAYMENT",)))


def test_jpy_has_no_minor_unit_in_the_refund_amount(seeding, client):
    from syncproof.model import OrderLine

    jpy = lambda v: Money(v, "JPY")  # noqa: E731
    seeded = seeding.order([OrderLine("1", "SP-MUG-01", 3, jpy("1450"), jpy("348"), jpy("0"))], shipping=None,
                           buyer=("Ada", "ada@example.com"), currency="JPY", marketplace_id="EBAY_US")
    order = client.get_order(seeded["orderId"])
    seeding.return_request(order.channel_order_id)
    line = order.lines[0]
    client.issue_refund(order.channel_order_id, reason="BUYER_RETURN",
                        items={line.line_id: Money(line.total.amount / 3, "JPY")})
    [refund] = client.refunds_of(order.channel_order_id)
    assert refund.lines[0].quantity == 1 and refund.total == jpy("1566")


def test_the_doctor_names_a_consent_without_the_finances_scope(seeding):
    from sandbox._server import serve
    from sandbox.ebay import SCOPES, EbayBackend, EbayKeyset, create_app

    keyset = EbayKeyset("app-id", "cert-id", "v^1.1#fulfillment-only", scopes=(SCOPES["fulfillment"],))
    with serve(create_app(EbayBackend(keyset)), name="ebay") as server:
        from connectors.ebay import EbayClient

        client = EbayClient(EbayCredentials("app-id", "cert-id", "v^1.1#fulfillment-only"), base_url=server.url)
        try:
            lines = list(SPEC.doctor(client))
        finally:
            client.close()
    assert [(line.check, line.ok) for line in lines] == [("User access token", False)]
    assert "invalid_scope" in lines[0].detail and "sell.finances" in lines[0].fix


def test_a_payouts_transactions_are_read_with_what_was_paid_and_in_which_currency(client, seeding):
    """A GBP sale paid out in USD: each transaction's ``amount`` is the sale's GBP (convertedFromValue), ``paid`` the
    USD eBay paid out (value), and the payout's transactions add up to it to the cent."""
    from syncproof.model import OrderLine

    gbp = lambda v: Money(v, "GBP")  # noqa: E731
    seeded = seeding.order([OrderLine("1", "SP-MUG-01", 2, gbp("12.50"), gbp("5.00"), gbp("0"))], shipping=None,
                           buyer=("Ada", "ada@example.com"), currency="GBP", marketplace_id="EBAY_GB")
    order = client.get_order(seeded["orderId"])
    assert order.currency == "GBP" and order.total == gbp("30.00")
    seeding.return_request(order.channel_order_id)
    line = order.lines[0]
    client.issue_refund(order.channel_order_id, reason="BUYER_RETURN", items={line.line_id: gbp("15.00")})
    unpaid = list(client.transactions(order.created_at))
    assert all(t.payout_id is None and not t.paid_out for t in unpaid)
    payout = seeding.payout()
    transactions = client.payout_transactions(payout["payoutId"])
    by_type = {t.transaction_type: t for t in transactions}
    assert by_type["REFUND"].amount == gbp("-15.00") and by_type["REFUND"].paid == Money("-18.98", "USD")
    assert by_type["SALE"].amount == gbp("26.02") and by_type["SALE"].paid == Money("32.92", "USD")
    assert all(t.paid_out and t.payout_id == payout["payoutId"] for t in transactions)
    [read] = client.payouts(order.created_at)
    assert read.amount == Money.total((t.paid for t in transactions if t.paid), "USD") == Money("13.94", "USD")
    [refund] = client.refunds_of_transactions(transactions)
    assert refund.currency == "GBP" and refund.total == gbp("15.00") and refund.extra["source"] == "fulfillment"


def test_one_payout_is_read_by_the_id_its_transactions_name(client, seeding, order):
    """getPayout by a transaction's ``payoutId``: the payout as getPayouts lists it; an id eBay knows no payout by
    is None, not an error."""
    payout = seeding.payout(status="INITIATED")
    [sale] = list(client.transactions(order.created_at))
    read = client.payout(sale.payout_id)
    assert read is not None and read.payout_id == payout["payoutId"] == sale.payout_id
    assert (read.status, read.transaction_count) == ("INITIATED", 1)
    assert read.amount == Money(payout["amount"]["value"], "USD") and read.date == payout["payoutDate"]
    assert client.payout("0000000000") is None
