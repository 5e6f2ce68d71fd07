"""Steps for Amazon settlement sync (features/amazon_settlement.feature).

Expected values come from the scenario's tables, the settlement file Amazon issued and
the footprint table (through :mod:`syncproof.settlement_tieout`); NetSuite is read as
it is, never through what the sync remembers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from faker import Faker
from pytest_bdd import given, parsers, then, when

from syncproof import checks
from syncproof.channels import channel_for
from syncproof.model import Money, OrderLine
from syncproof.report.recorder import record_settlement
from syncproof.scenario import ScenarioContext, SettlementScenario
from syncproof.settlement_tieout import exceptions_checked, settlement_balanced
from syncproof.settlement_verification import verify_settlement

from ._support import table_rows, verify

SKUS = {"SP-MUG-01": "14.50", "SP-TEE-02": "22.00"}
TAX_RATE = Decimal("0.08")
_BOOLEAN = {"true": True, "false": False}


def _set_settlement(ctx: ScenarioContext, **values):
    ctx.config = replace(ctx.config, settlement=replace(ctx.config.settlement, **values))


@given(parsers.parse("go-live was on {go_live} and settlement testing waits {weeks:d} weeks"))
def go_live(ctx: ScenarioContext, go_live, weeks):
    ctx.config = replace(ctx.config, project=replace(ctx.config.project, go_live=dt.date.fromisoformat(go_live),
                                                     settlement_wait_weeks=weeks))
    ctx.settlement = SettlementScenario()


@given("the settlement customer and the settlement items exist in NetSuite")
def settlement_setup(runtime, ctx: ScenarioContext):
    customer = runtime.engine(ctx.config).settlements.set_up()
    _set_settlement(ctx, customer_internal_id=str(customer))


@given("the settlement settings:")
def settlement_settings(ctx: ScenarioContext, datatable):
    values = {}
    for row in table_rows(datatable):
        text = row["value"]
        values[row["setting"]] = _BOOLEAN.get(text.lower(), text)
    _set_settlement(ctx, **values)


@given(parsers.parse("Amazon orders are billed as {billing}"))
def amazon_billing(ctx: ScenarioContext, billing):
    ctx.config = ctx.config.with_billing("amazon", billing.replace(" ", "_"))


def _amazon_orders(runtime, ctx: ScenarioContext, count: int):
    settlement = ctx.settlement
    fake = Faker()
    fake.seed_instance(ctx.seed + len(settlement.synced) + len(settlement.unsynced))
    amazon = channel_for(runtime, "amazon")
    currency = amazon.currency
    orders = []
    for _ in range(count):
        lines = []
        for number, sku in enumerate(fake.random_sample(sorted(SKUS), fake.random_int(1, 2)), start=1):
            quantity = fake.random_int(1, 3)
            price = Money(SKUS[sku], currency)
            tax = (price * quantity * TAX_RATE).rounded()
            lines.append(OrderLine(str(number), sku, quantity, price, tax, Money("0", currency), sku))
        orders.append(amazon.place_order(lines, shipping=None, customer=(fake.name(), fake.email()), note="settlement"))
    return orders


@given(parsers.re(r"(?P<count>\d+) Amazon orders? the connector synced"))
def synced_orders(runtime, ctx: ScenarioContext, count):
    sync = runtime.sync(ctx.config)
    sync.use_settings()
    for order in _amazon_orders(runtime, ctx, int(count)):
        ctx.settlement.order_records[order.channel_order_id] = sync.order(order)
        ctx.settlement.synced.append(order)


@given(parsers.re(r"(?P<count>\d+) Amazon orders? the connector never synced"))
def unsynced_orders(runtime, ctx: ScenarioContext, count):
    sync = runtime.sync(ctx.config)
    sync.use_settings(order_import=False)  # the sandbox connector leaves these orders out
    ctx.settlement.unsynced.extend(_amazon_orders(runtime, ctx, int(count)))
    sync.settle()


def _refund_first(runtime, ctx: ScenarioContext):
    order = ctx.settlement.synced[0]
    line = order.lines[0]
    refund = channel_for(runtime, "amazon").refund(order, {line.sku: 1}, shipping=False, note="settlement")
    ctx.settlement.refunds_by_order[order.channel_order_id] = [refund]
    return refund


@given("the first of them was refunded on Amazon and the refund synced")
def first_refunded(runtime, ctx: ScenarioContext):
    refund = _refund_first(runtime, ctx)
    result = runtime.sync(ctx.config).refund_to_netsuite(
        refund, ctx.settlement.order_records.get(refund.channel_order_id))
    if result.status not in ("created", "unchanged"):
        raise AssertionError(f"Amazon refund {refund.refund_id} did not sync: {result.reason}")


@given("the first of them was refunded on Amazon")
def first_refunded_only(runtime, ctx: ScenarioContext):
    _refund_first(runtime, ctx)


@given(parsers.parse("the period holds non-order amounts:"))
def non_order_amounts(ctx: ScenarioContext, datatable):
    for row in table_rows(datatable):
        ctx.settlement.non_order.append((row["transaction-type"], row["amount-type"], row["amount-description"],
                                         Decimal(row["amount"]), int(row.get("day", "1"))))


@when(parsers.re(r"Amazon issues an? (?P<style>EU-style )?settlement for them starting (?P<start>[0-9-]+)"))
def settlement_issued(runtime, ctx: ScenarioContext, style, start):
    settlement = ctx.settlement
    begin = dt.datetime.fromisoformat(start).replace(hour=8, tzinfo=dt.timezone.utc)
    settlement.settlement_id = channel_for(runtime, "amazon").settle(
        settlement.synced + settlement.unsynced, settlement.refunds_by_order, start=begin, seed=ctx.seed,
        eu_style=bool(style), non_order=settlement.non_order)
    settlement.start = begin


def _settlement_content(runtime, ctx: ScenarioContext) -> bytes:
    settlement = ctx.settlement
    since = settlement.start - dt.timedelta(days=1)
    for report in runtime.client("amazon").settlement_reports(created_since=since):
        if report.document_id:
            content = runtime.client("amazon").download_report(report.document_id).content
            if settlement.settlement_id in content[:2000].decode("utf-8", "replace"):
                return content
    raise AssertionError(f"settlement {settlement.settlement_id} was not found by the Reports API")


def _run_sync(runtime, ctx: ScenarioContext, *, again: bool = False):
    return runtime.sync(ctx.config).settlement(runtime.client("amazon"), ctx.settlement.settlement_id, again=again)


def _verified(runtime, ctx: ScenarioContext):
    verified = verify_settlement(runtime.netsuite, ctx.config, _settlement_content(runtime, ctx))
    ctx.settlement.verified = verified
    return verified


@when("the settlement sync runs")
def sync_runs(runtime, ctx: ScenarioContext):
    outcome = ctx.settlement.outcome = _run_sync(runtime, ctx)
    report = outcome.to_report() if hasattr(outcome, "to_report") else {
        "id": outcome.settlement_id, "status": outcome.status, "reason": outcome.reason}
    if outcome.status != "too_early":
        verified = _verified(runtime, ctx)
        report["statement"] = verified.statement.to_json()
        report["tie_out"] = {"model": verified.tie.model, "found": verified.tie.found,
                             "mismatches": [m.to_json() for m in verified.tie.mismatches]}
    record_settlement(report)


@when("the settlement sync runs again")
def sync_runs_again(runtime, ctx: ScenarioContext):
    ctx.settlement.second_outcome = _run_sync(runtime, ctx, again=True)


@then("the settlement qualifies for settlement testing")
def qualifies(ctx: ScenarioContext):
    project = ctx.config.project
    verify(checks.settlement_qualifies(ctx.settlement.settlement_id, ctx.settlement.start.date(),
                                       checks.first_qualifying_start(project.go_live, project.settlement_wait_weeks)))


@then("the settlement balances to the cent")
def balances(runtime, ctx: ScenarioContext):
    verify(settlement_balanced(ctx.settlement.verified or _verified(runtime, ctx),
                               recorded_total=ctx.settlement.outcome.total))


@then("every settlement row is in NetSuite where the posting model puts it, to the cent")
def tied_out(runtime, ctx: ScenarioContext):
    for result in _verified(runtime, ctx).results:
        verify(result)


@then("the settlement has no exceptions")
def no_exceptions(runtime, ctx: ScenarioContext):
    verify(exceptions_checked(_verified(runtime, ctx), []))


@then("the orders never synced are listed as exceptions with their reason")
def unsynced_are_exceptions(runtime, ctx: ScenarioContext):
    verify(exceptions_checked(_verified(runtime, ctx), [o.channel_order_id for o in ctx.settlement.unsynced]))


@then("each synced order's fees are lines on its billed record")
def fees_on_billed_records(runtime, ctx: ScenarioContext):
    verify(checks.fees_on_billed_records(_verified(runtime, ctx).tie.found,
                                         [o.channel_order_id for o in ctx.settlement.synced],
                                         settlement_id=ctx.settlement.settlement_id))


@then("NetSuite holds the settlement's summary transactions:")
def summary_transactions(runtime, ctx: ScenarioContext, datatable):
    expected = [(row["record"], row["for"]) for row in table_rows(datatable)]
    verify(checks.summary_transactions(expected, _verified(runtime, ctx).tie.found,
                                       settlement_id=ctx.settlement.settlement_id))


@then(parsers.parse("the settlement is flagged as too early, naming {first_date} as the first date that qualifies"))
def too_early(ctx: ScenarioContext, first_date):
    outcome = ctx.settlement.outcome
    verify(checks.settlement_too_early(outcome.settlement_id, outcome.status, outcome.reason, first_date))


@then("nothing is posted to NetSuite for it")
def nothing_posted(runtime, ctx: ScenarioContext):
    tie = _verified(runtime, ctx).tie
    verify(checks.nothing_posted(tie.found, tie.mismatches, settlement_id=ctx.settlement.settlement_id))


@then("the second run reports the settlement unchanged")
def second_unchanged(ctx: ScenarioContext):
    verify(checks.rerun_unchanged(ctx.settlement.second_outcome.status, what="import",
                                  where=f"settlement {ctx.settlement.settlement_id}"))
