"""Steps for Amazon settlement sync (features/amazon_settlement.feature)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from faker import Faker
from pytest_bdd import given, parsers, then, when

from syncproof import checks
from syncproof.channels import channel_for
from syncproof.engine.settlements import first_qualifying_date
from syncproof.model import Money, OrderLine
from syncproof.report.recorder import record_settlement
from syncproof.verdict import CheckResult

from ._support import verify

SKUS = {"SP-MUG-01": "14.50", "SP-TEE-02": "22.00"}


def _config(runtime, ctx):
    return ctx.get("config") or runtime.config


@given(parsers.parse("go-live was on {go_live} and settlement testing waits {weeks:d} weeks"))
def go_live(runtime, ctx, go_live, weeks):
    config = _config(runtime, ctx)
    ctx["config"] = replace(config, project=replace(config.project, go_live=dt.date.fromisoformat(go_live),
                                                    settlement_wait_weeks=weeks))
    ctx["synced"], ctx["unsynced"], ctx["refunds_by_order"] = [], [], {}


def _amazon_orders(runtime, ctx, count: int):
    fake = Faker()
    fake.seed_instance(ctx.seed + len(ctx["synced"]) + len(ctx["unsynced"]))
    amazon = channel_for(runtime, "amazon")
    orders = []
    for _ in range(count):
        lines = []
        for number, sku in enumerate(fake.random_sample(sorted(SKUS), fake.random_int(1, 2)), start=1):
            quantity = fake.random_int(1, 3)
            price = Money(SKUS[sku], "USD")
            tax = (price * quantity * Money("0.08", "USD").amount).rounded()
            lines.append(OrderLine(str(number), sku, quantity, price, tax, Money("0", "USD"), sku))
        orders.append(amazon.place_order(lines, shipping=None, customer=(fake.name(), fake.email()), note="settlement"))
    return orders


@given(parsers.re(r"(?P<count>\d+) Amazon orders? the connector synced"))
def synced_orders(runtime, ctx, count):
    engine = runtime.engine(_config(runtime, ctx))
    for order in _amazon_orders(runtime, ctx, int(count)):
        result = engine.orders.sync(order)
        if not result.synced:
            raise AssertionError(f"Amazon order {order.channel_order_id} did not sync: {result.error}")
        ctx["synced"].append(order)


@given(parsers.re(r"(?P<count>\d+) Amazon orders? the connector never synced"))
def unsynced_orders(runtime, ctx, count):
    ctx["unsynced"].extend(_amazon_orders(runtime, ctx, int(count)))


@given("the first of them was refunded on Amazon and the refund synced")
def first_refunded(runtime, ctx):
    order = ctx["synced"][0]
    line = order.lines[0]
    refund = channel_for(runtime, "amazon").refund(order, {line.sku: 1}, shipping=False, note="settlement")
    result = runtime.engine(_config(runtime, ctx)).refunds.to_netsuite(refund)
    if result.status != "created":
        raise AssertionError(f"Amazon refund {refund.refund_id} did not sync: {result.reason}")
    ctx["refunds_by_order"][order.channel_order_id] = [refund]


@when(parsers.re(r"Amazon issues an? (?P<style>EU-style )?settlement for them starting (?P<start>[0-9-]+)"))
def settlement_issued(runtime, ctx, style, start):
    begin = dt.datetime.fromisoformat(start).replace(hour=8, tzinfo=dt.timezone.utc)
    ctx["settlement_id"] = channel_for(runtime, "amazon").settle(
        ctx["synced"] + ctx["unsynced"], ctx["refunds_by_order"], start=begin, seed=ctx.seed, eu_style=bool(style))


def _run_sync(runtime, ctx):
    config = _config(runtime, ctx)
    engine = runtime.engine(config)
    since = dt.datetime.combine(config.project.go_live, dt.time(), dt.timezone.utc)
    outcomes = engine.settlements.run(runtime.amazon, created_since=since)
    outcome = next((o for o in outcomes if o.settlement_id == ctx["settlement_id"]), None)
    if outcome is None:
        raise AssertionError(f"settlement {ctx['settlement_id']} was not found by the Reports API: the sync did "
                             "not happen")
    return outcome


@when("the settlement sync runs")
def sync_runs(runtime, ctx):
    ctx["outcome"] = _run_sync(runtime, ctx)
    record_settlement(ctx["outcome"].to_report())


@when("the settlement sync runs again")
def sync_runs_again(runtime, ctx):
    ctx["second_outcome"] = _run_sync(runtime, ctx)


@then("the settlement qualifies for settlement testing")
def qualifies(runtime, ctx):
    config = _config(runtime, ctx)
    outcome = ctx["outcome"]
    verify(checks.settlement_qualifies(outcome.settlement_id, outcome.period_start.date(),
                                       first_qualifying_date(config.project.go_live,
                                                             config.project.settlement_wait_weeks)))


@then("the settlement balances to the cent")
def balances(ctx):
    verify(checks.settlement_balances(ctx["outcome"]))


@then("every settlement row is posted or listed as an exception")
def rows_accounted(ctx):
    verify(checks.settlement_exceptions_are(ctx["outcome"], [o.channel_order_id for o in ctx["unsynced"]]))


@then("the deposit in NetSuite equals the settlement's total-amount")
def deposit_equals_total(ctx):
    verify(checks.settlement_accounted(ctx["outcome"]))


@then("the settlement has no exceptions")
def no_exceptions(ctx):
    verify(checks.settlement_exceptions_are(ctx["outcome"], []))


@then("the orders never synced are listed as exceptions with their reason")
def unsynced_are_exceptions(ctx):
    outcome = ctx["outcome"]
    verify(checks.settlement_exceptions_are(outcome, [o.channel_order_id for o in ctx["unsynced"]]))
    reasons = [e.reason for e in outcome.exceptions]
    verify(CheckResult("AS-1", "exceptions give their reason", all("never synced" in r for r in reasons) and
                       bool(reasons), "a reason naming each order never synced", reasons,
                       f"settlement {outcome.settlement_id}: " + "; ".join(reasons)))


@then(parsers.parse("the settlement is flagged as too early, naming {first_date} as the first date that qualifies"))
def too_early(ctx, first_date):
    outcome = ctx["outcome"]
    flagged = outcome.status == "too_early" and first_date in (outcome.reason or "")
    verify(CheckResult("AS-2", "settlement too soon after go-live is flagged", flagged,
                       f"too early, first qualifying date {first_date}", f"{outcome.status}: {outcome.reason}",
                       outcome.reason or f"settlement {outcome.settlement_id} was not flagged as too early"))


@then("nothing is posted to NetSuite for it")
def nothing_posted(runtime, ctx):
    rows = list(runtime.netsuite.suiteql(
        f"SELECT id, type FROM transaction WHERE externalid = 'amazon-settlement-{ctx['settlement_id']}' ORDER BY id"))
    verify(CheckResult.compare("AS-2", "NetSuite records for the settlement", expected=[], actual=rows,
                               where=f"settlement {ctx['settlement_id']}"))


@then("the second run reports the settlement unchanged")
def second_unchanged(ctx):
    verify(CheckResult.compare("KC-2", "second import outcome", expected="unchanged",
                               actual=ctx["second_outcome"].status, where=f"settlement {ctx['settlement_id']}"))


@then("NetSuite has exactly one deposit for the settlement")
def one_deposit(runtime, ctx):
    rows = list(runtime.netsuite.suiteql(
        f"SELECT id, type, externalid FROM transaction WHERE externalid = 'amazon-settlement-{ctx['settlement_id']}' "
        "ORDER BY id"))
    verify(checks.no_duplicates(rows, key="externalid", where=f"settlement {ctx['settlement_id']}", check_id="AS-4"))
    verify(CheckResult.compare("AS-4", "deposits for the settlement", expected=1, actual=len(rows),
                               where=f"settlement {ctx['settlement_id']}", evidence=[{"records": rows}]))
