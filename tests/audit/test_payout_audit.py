"""The payout audit against seeded emulators over loopback HTTP: eBay payouts that balance and whose refunds
NetSuite holds pass; a refund eBay paid out that NetSuite never received, and a payout whose transactions do not
sum to its amount, are rows of the table; money not yet paid out is noted, not failed."""

from __future__ import annotations

from syncproof.audit import ReadOnlyClients, audit_payouts, audit_refunds_to_netsuite
from syncproof.audit.payouts import payout_balance, unknown_payout_rows
from syncproof.channels._audit_support import MoneyMoved, Movement, PayoutRun
from syncproof.model import Money


def _audit(runtime, window):
    return audit_payouts(ReadOnlyClients.of(runtime), runtime.config, window, "ebay")


def test_balanced_payouts_whose_refunds_are_in_netsuite_pass(runtime, window, bench):
    seeder = bench.Seeder(runtime.sandbox)
    bench.seed_ebay(seeder, 6)
    result = _audit(runtime, window)
    assert result.passed, result.check_result().message
    assert result.audited == {"ebay payouts": 1, "ebay refunds paid out": 3, "ebay transactions not yet paid out": 0,
                              "ebay payouts outside the window": 0}
    assert result.notes == []
    assert audit_refunds_to_netsuite(ReadOnlyClients.of(runtime), runtime.config, window, "ebay").passed


def test_a_refund_paid_out_but_never_in_netsuite_is_its_row(runtime, window, bench):
    seeder = bench.Seeder(runtime.sandbox)
    bench.seed_ebay(seeder, 4, payout=False)
    order, bill = seeder.ebay_order(99)
    refund_id = seeder.ebay_refund(order, bill, "unposted")
    payout = seeder.ebay_payout()
    result = _audit(runtime, window)
    [row] = result.mismatches
    assert (row.check_id, row.channel, row.order, row.refund) == ("RS-MN-1", "ebay", order["orderId"], refund_id)
    [transaction] = [t for t in seeder.ebay.transactions
                     if t["transactionType"] == "REFUND" and t["orderId"] == order["orderId"]]
    assert row.what == (f"NetSuite refund record (10.53 USD refunded in transaction {transaction['transactionId']}, "
                        f"paid out in payout {payout['payoutId']} of {payout['payoutDate']})")
    assert row.expected == "one, created from the order's sales order"
    assert row.actual.startswith("none (sales order ") and row.actual.endswith(" has no refund for it)")
    check = result.check_result("RS-MN-1")
    assert not check.passed and check.evidence[0]["mismatches"][0]["refund"] == refund_id


def test_a_payout_whose_transactions_do_not_sum_to_it_is_reported(runtime, window, bench):
    seeder = bench.Seeder(runtime.sandbox)
    bench.seed_ebay(seeder, 2, payout=False)
    payout = seeder.ebay_payout(adjust="0.01")
    [row] = _audit(runtime, window).mismatches
    assert row.what == f"payout {payout['payoutId']} ({payout['payoutDate']}): transactions sum"
    paid = Money(payout["amount"]["value"], "USD")
    assert (row.expected, row.actual) == (str(paid), str(paid - Money("0.01", "USD")))


def test_money_not_yet_paid_out_is_noted_not_failed(runtime, window, bench):
    seeder = bench.Seeder(runtime.sandbox)
    order, bill = seeder.ebay_order(1)
    refund_id = seeder.ebay_refund(order, bill, "unposted")  # no payout yet: eBay has not paid it out
    result = _audit(runtime, window)
    assert result.passed
    assert result.audited["ebay transactions not yet paid out"] == 2
    assert "ebay: 2 transaction(s) not yet paid out (FUNDS_PROCESSING: 1 REFUND, 1 SALE; net " in result.notes[0]
    assert any(f"ebay refund {refund_id} of 10.53 USD on order {order['orderId']} is not yet paid out" in n
               for n in result.notes), result.notes


def test_a_payout_of_sales_in_another_currency_balances_in_the_payout_currency(runtime, window, bench):
    """A EUR sale paid out to a USD seller: the payout balances in USD (the transactions' ``value``), and the
    refund it paid out is read in EUR (``convertedFromValue``), the currency NetSuite holds it in."""
    from syncproof import channels

    seeder = bench.Seeder(runtime.sandbox)
    order, bill = seeder.ebay_order(5, currency="EUR")
    seeder.ebay_refund(order, bill)
    seeder.ebay_payout()
    result = _audit(runtime, window)
    assert result.passed, result.check_result().message
    assert result.audited["ebay refunds paid out"] == 1
    moved = channels.get("ebay").extra["payouts"](ReadOnlyClients.of(runtime).client("ebay"), window, None)
    [payout] = moved.payouts
    assert payout.amount.currency == "USD" and {m.paid.currency for m in payout.movements} == {"USD"}
    assert {m.amount.currency for m in payout.movements} == {"EUR"}
    [refund] = moved.refunds.values()
    assert refund.total == Money("10.53", "EUR")


def test_payout_balance_names_a_transaction_in_another_currency():
    usd, eur = Money("10.00", "USD"), Money("10.00", "EUR")
    movement = Movement("t1", "SALE", "12-34567-89012", "2026-11-02T00:00:00.000Z", "PAYOUT", eur, eur, "p1")

    [row] = payout_balance(PayoutRun("p1", "SUCCEEDED", "2026-11-03", usd, 1, (movement,)), "ebay")
    assert (row.what, row.expected, row.actual) == ("payout p1 (2026-11-03): transaction currencies", "USD",
                                                    "USD, EUR")
    assert payout_balance(PayoutRun("p1", "SUCCEEDED", "2026-11-03", eur, 1, (movement,)), "ebay") == []


def test_a_refund_in_a_payout_not_yet_sent_is_noted_not_failed(runtime, window, bench):
    seeder = bench.Seeder(runtime.sandbox)
    order, bill = seeder.ebay_order(3)
    refund_id = seeder.ebay_refund(order, bill, "unposted")
    payout = seeder.ebay_payout(status="INITIATED")
    result = _audit(runtime, window)
    assert result.passed and result.audited["ebay refunds paid out"] == 0
    assert f"ebay: payout {payout['payoutId']} of {payout['amount']['value']} USD is INITIATED, not yet in the bank " \
           "account" in result.notes
    assert any(f"ebay refund {refund_id} of 10.53 USD" in n and "not yet paid out" in n for n in result.notes)


def test_a_refund_paid_out_is_not_answered_by_the_record_of_a_later_refund_of_the_same_amount(runtime, window, bench):
    """Two equal refunds of one order: the first, paid out, never reached NetSuite; the second, not yet paid out,
    did. The second's record names the second refund, so it does not answer the first by their equal totals."""
    seeder = bench.Seeder(runtime.sandbox)
    order, bill = seeder.ebay_order(7)
    unposted = seeder.ebay_refund(order, bill, "unposted")
    payout = seeder.ebay_payout()
    posted = seeder.ebay_refund(order, bill)
    result = _audit(runtime, window)
    [row] = result.mismatches
    assert (row.check_id, row.order, row.refund) == ("RS-MN-1", order["orderId"], unposted)
    assert f"paid out in payout {payout['payoutId']}" in row.what
    assert not any(posted in note and "no NetSuite refund record" in note for note in result.notes), result.notes


#: how far past the end of the test window (an hour after now) the eBay emulator's clock is moved before it pays out
AFTER_THE_WINDOW = 90 * 60


def _pay_out_after_the_window(seeder, window, **kwargs) -> dict:
    seeder.ebay.clock.advance(AFTER_THE_WINDOW)
    payout = seeder.ebay_payout(**kwargs)
    assert payout["payoutDate"] > window.until.isoformat().replace("+00:00", "Z")
    return payout


def test_a_refund_of_the_window_paid_out_after_it_but_never_in_netsuite_is_its_row(runtime, window, bench):
    """getPayouts lists the payouts dated in the window; a refund made in it and paid out by a payout dated after it
    names that payout by ``payoutId``, which is read by id (getPayout) and reconciled too."""
    seeder = bench.Seeder(runtime.sandbox)
    bench.seed_ebay(seeder, 4)  # paid out in the window
    order, bill = seeder.ebay_order(98)
    refund_id = seeder.ebay_refund(order, bill, "unposted")
    later = _pay_out_after_the_window(seeder, window)
    result = _audit(runtime, window)
    [row] = result.mismatches
    assert (row.check_id, row.order, row.refund) == ("RS-MN-1", order["orderId"], refund_id)
    [transaction] = [t for t in seeder.ebay.transactions
                     if t["transactionType"] == "REFUND" and t["orderId"] == order["orderId"]]
    assert row.what == (f"NetSuite refund record (10.53 USD refunded in transaction {transaction['transactionId']}, "
                        f"paid out after the window in payout {later['payoutId']} of {later['payoutDate']})")
    assert result.audited == {"ebay payouts": 1, "ebay refunds paid out": 3, "ebay transactions not yet paid out": 0,
                              "ebay payouts outside the window": 1}
    assert (f"ebay: payout {later['payoutId']} ({later['payoutDate']}, after the window) of "
            f"{later['amount']['value']} USD pays out 2 transaction(s) of the window: read by its id and reconciled "
            "with the payouts of the window") in result.notes


def test_refunds_paid_out_after_the_window_and_in_netsuite_pass_and_are_counted(runtime, window, bench):
    seeder = bench.Seeder(runtime.sandbox)
    bench.seed_ebay(seeder, 4, payout=False)
    _pay_out_after_the_window(seeder, window)
    result = _audit(runtime, window)
    assert result.passed, result.check_result().message
    assert result.audited == {"ebay payouts": 0, "ebay refunds paid out": 2, "ebay transactions not yet paid out": 0,
                              "ebay payouts outside the window": 1}


def test_a_payout_after_the_window_that_does_not_balance_is_reported(runtime, window, bench):
    seeder = bench.Seeder(runtime.sandbox)
    bench.seed_ebay(seeder, 2, payout=False)
    later = _pay_out_after_the_window(seeder, window, adjust="0.01")
    [row] = _audit(runtime, window).mismatches
    assert row.what == f"payout {later['payoutId']} ({later['payoutDate']}, after the window): transactions sum"


def test_a_payout_id_no_payout_answers_is_a_row():
    movements = [Movement(f"t{n}", kind, "12-34567-89012", "2026-11-02T00:00:00.000Z", "FUNDS_PROCESSING",
                          Money("10.00", "USD"), Money("10.00", "USD"), "5000000001")
                 for n, kind in enumerate(("SALE", "REFUND", "SALE"))]
    [row] = unknown_payout_rows("ebay", MoneyMoved(unknown_payouts={"5000000001": movements}))
    assert (row.check_id, row.channel, row.what, row.expected, row.actual) == (
        "RS-MN-1", "ebay", "payout 5000000001, named by 3 transaction(s) of the window (1 REFUND, 2 SALE)",
        "the payout, read by its id", "none (getPayout knows no payout by this id)")
