"""Steps for Amazon settlement sync (features/amazon_settlement.feature).

Expected values come from the scenario's tables, the settlement file Amazon issued and
the footprint table (through :mod:`syncproof.settlement_tieout`); NetSuite is read as
it is, never through what the sync remembers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from faker import Faker
from pytest_bdd import given, parsers, then, when

from syncproof import checks
from syncproof.channels import channel_for
from syncproof.connector_driver import ConnectorWatch
from syncproof.model import Money, OrderLine
from syncproof.report.recorder import record_settlement
from syncproof.settlement_tieout import exceptions_checked, settlement_balanced
from syncproof.settlement_verification import verify_settlement
from syncproof.verdict import CheckResult

from ._support import table_rows, verify

SKUS = {"SP-MUG-01": "14.50", "SP-TEE-02": "22.00"}
_BOOLEAN = {"true": True, "false": False}


def _config(runtime, ctx):
    return ctx.get("config") or runtime.config


def _watch(runtime, ctx) -> ConnectorWatch | None:
    """The connector driver's watch (the NetSuite Connector syncs), or None (syncproof's engine does)."""
    config = _config(runtime, ctx)
    if config.project.driver != "connector":
        return None
    return ConnectorWatch(runtime.engine(config).books, runtime.store, config,
                          status=getattr(runtime, "connector_status", None))


def _push(watch, runtime, ctx, *, order_import: bool = True) -> None:
    if watch is not None and watch.status is not None:  # the sandbox connector takes the scenario's settings
        watch.status.push_settings(_config(runtime, ctx), order_import=order_import)


def _set_settlement(ctx, runtime, **values):
    config = _config(runtime, ctx)
    ctx["config"] = replace(config, settlement=replace(config.settlement, **values))


@given(parsers.parse("go-live was on {go_live} and settlement testing waits {weeks:d} weeks"))
def go_live(runtime, ctx, go_live, weeks):
    config = _config(runtime, ctx)
    ctx["config"] = replace(config, project=replace(config.project, go_live=dt.date.fromisoformat(go_live),
                                                    settlement_wait_weeks=weeks))
    ctx["synced"], ctx["unsynced"], ctx["refunds_by_order"], ctx["non_order"] = [], [], {}, []


@given("the settlement customer and the settlement items exist in NetSuite")
def settlement_setup(runtime, ctx):
    customer = runtime.engine(_config(runtime, ctx)).books.ensure_company("amazon-settlement-customer",
                                                                          "Amazon Settlements")
    _set_settlement(ctx, runtime, customer_internal_id=str(customer))
    runtime.engine(_config(runtime, ctx)).settlements.create_settlement_items()


@given("the settlement settings:")
def settlement_settings(runtime, ctx, datatable):
    values = {}
    for row in table_rows(datatable):
        text = row["value"]
        values[row["setting"]] = _BOOLEAN.get(text.lower(), text)
    _set_settlement(ctx, runtime, **values)


@given(parsers.parse("Amazon orders are billed as {billing}"))
def amazon_billing(runtime, ctx, billing):
    ctx["config"] = _config(runtime, ctx).with_billing("amazon", billing.replace(" ", "_"))


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
    watch = _watch(runtime, ctx)
    _push(watch, runtime, ctx)
    engine = runtime.engine(_config(runtime, ctx))
    records = ctx.get("order_records") or {}
    ctx["order_records"] = records
    for order in _amazon_orders(runtime, ctx, int(count)):
        if watch is not None:
            records[order.channel_order_id] = watch.order_synced(order)
        else:
            result = engine.orders.sync(order)
            if not result.synced:
                raise AssertionError(f"Amazon order {order.channel_order_id} did not sync: {result.error}")
            records[order.channel_order_id] = result.record
        ctx["synced"].append(order)


@given(parsers.re(r"(?P<count>\d+) Amazon orders? the connector never synced"))
def unsynced_orders(runtime, ctx, count):
    watch = _watch(runtime, ctx)
    _push(watch, runtime, ctx, order_import=False)  # the sandbox connector leaves these orders out
    ctx["unsynced"].extend(_amazon_orders(runtime, ctx, int(count)))
    if watch is not None:
        watch.settle()


def _refund_first(runtime, ctx):
    order = ctx["synced"][0]
    line = order.lines[0]
    refund = channel_for(runtime, "amazon").refund(order, {line.sku: 1}, shipping=False, note="settlement")
    ctx["refunds_by_order"][order.channel_order_id] = [refund]
    return refund


@given("the first of them was refunded on Amazon and the refund synced")
def first_refunded(runtime, ctx):
    refund = _refund_first(runtime, ctx)
    watch = _watch(runtime, ctx)
    if watch is not None:
        outcome = watch.refund_synced(refund, ctx["order_records"].get(refund.channel_order_id))
        if outcome.status not in ("created", "unchanged"):
            raise AssertionError(f"Amazon refund {refund.refund_id} did not sync: {outcome.reason}")
        return
    result = runtime.engine(_config(runtime, ctx)).refunds.to_netsuite(refund)
    if result.status != "created":
        raise AssertionError(f"Amazon refund {refund.refund_id} did not sync: {result.reason}")


@given("the first of them was refunded on Amazon")
def first_refunded_only(runtime, ctx):
    _refund_first(runtime, ctx)


@given(parsers.parse("the period holds non-order amounts:"))
def non_order_amounts(ctx, datatable):
    for row in table_rows(datatable):
        ctx["non_order"].append((row["transaction-type"], row["amount-type"], row["amount-description"],
                                 Decimal(row["amount"]), int(row.get("day", "1"))))


@when(parsers.re(r"Amazon issues an? (?P<style>EU-style )?settlement for them starting (?P<start>[0-9-]+)"))
def settlement_issued(runtime, ctx, style, start):
    begin = dt.datetime.fromisoformat(start).replace(hour=8, tzinfo=dt.timezone.utc)
    ctx["settlement_id"] = channel_for(runtime, "amazon").settle(
        ctx["synced"] + ctx["unsynced"], ctx["refunds_by_order"], start=begin, seed=ctx.seed, eu_style=bool(style),
        non_order=ctx["non_order"])
    ctx["settlement_start"] = begin


def _settlement_content(runtime, ctx) -> bytes:
    since = ctx["settlement_start"] - dt.timedelta(days=1)
    for report in runtime.client("amazon").settlement_reports(created_since=since):
        if report.document_id:
            content = runtime.client("amazon").download_report(report.document_id).content
            if ctx["settlement_id"] in content[:2000].decode("utf-8", "replace"):
                return content
    raise AssertionError(f"settlement {ctx['settlement_id']} was not found by the Reports API")


@dataclass
class _Imported:
    """The connector's record of one settlement import (its status API)."""

    settlement_id: str
    status: str
    reason: str | None
    total: Money


def _connector_import(watch, runtime, ctx, *, again: bool) -> _Imported:
    _push(watch, runtime, ctx)
    sid = ctx["settlement_id"]
    seen = ctx.get("imports", 0)

    def probe() -> _Imported | None:
        outcome = (watch.status.read().get("settlement_outcomes") or {}).get(sid)
        if outcome is None:
            return None
        return _Imported(sid, outcome["status"], outcome.get("reason"),
                         Money(Decimal(outcome["total_amount"]), outcome["currency"]))

    if again:
        watch.settle(1)
    imported = watch.poller.until(probe, what=f"the connector's import of settlement {sid}",
                                  last_state=lambda: f"settlement {sid} not in the connector's status (its last "
                                  f"error: {watch.status.read().get('last_error') or 'none'})")
    ctx["imports"] = seen + 1
    if imported.status == "failed":
        raise AssertionError(imported.reason)
    return imported


def _run_sync(runtime, ctx, *, again: bool = False):
    watch = _watch(runtime, ctx)
    if watch is not None and watch.status is not None:
        return _connector_import(watch, runtime, ctx, again=again)
    config = _config(runtime, ctx)
    engine = runtime.engine(config)
    since = dt.datetime.combine(config.project.go_live, dt.time(), dt.timezone.utc)
    outcomes = engine.settlements.run(runtime.client("amazon"), created_since=since)
    outcome = next((o for o in outcomes if o.settlement_id == ctx["settlement_id"]), None)
    if outcome is None:
        raise AssertionError(f"settlement {ctx['settlement_id']} was not found by the Reports API: the sync did "
                             "not happen")
    if outcome.status == "failed":
        raise AssertionError(outcome.reason)
    return outcome


def _verified(runtime, ctx):
    verified = verify_settlement(runtime.netsuite, _config(runtime, ctx), _settlement_content(runtime, ctx))
    ctx["verified"] = verified
    return verified


@when("the settlement sync runs")
def sync_runs(runtime, ctx):
    ctx["outcome"] = _run_sync(runtime, ctx)
    outcome = ctx["outcome"]
    report = outcome.to_report() if hasattr(outcome, "to_report") else {
        "id": outcome.settlement_id, "status": outcome.status, "reason": outcome.reason}
    if ctx["outcome"].status != "too_early":
        verified = _verified(runtime, ctx)
        report["statement"] = verified.statement.to_json()
        report["tie_out"] = {"model": verified.tie.model, "found": verified.tie.found,
                             "mismatches": [m.to_json() for m in verified.tie.mismatches]}
    record_settlement(report)


@when("the settlement sync runs again")
def sync_runs_again(runtime, ctx):
    ctx["second_outcome"] = _run_sync(runtime, ctx, again=True)


@then("the settlement qualifies for settlement testing")
def qualifies(runtime, ctx):
    config = _config(runtime, ctx)
    start = ctx["settlement_start"].date()
    verify(checks.settlement_qualifies(ctx["settlement_id"], start,
                                       checks.first_qualifying_start(config.project.go_live,
                                                             config.project.settlement_wait_weeks)))


@then("the settlement balances to the cent")
def balances(runtime, ctx):
    verify(settlement_balanced(ctx.get("verified") or _verified(runtime, ctx), recorded_total=ctx["outcome"].total))


@then("every settlement row is in NetSuite where the posting model puts it, to the cent")
def tied_out(runtime, ctx):
    for result in _verified(runtime, ctx).results:
        verify(result)


@then("the settlement has no exceptions")
def no_exceptions(runtime, ctx):
    verify(exceptions_checked(_verified(runtime, ctx), []))


@then("the orders never synced are listed as exceptions with their reason")
def unsynced_are_exceptions(runtime, ctx):
    verify(exceptions_checked(_verified(runtime, ctx), [o.channel_order_id for o in ctx["unsynced"]]))


@then("each synced order's fees are lines on its billed record")
def fees_on_billed_records(runtime, ctx):
    verified = _verified(runtime, ctx)
    on_orders = {f["order"] for f in verified.tie.found if f.get("order") and f["what"].startswith("order_fee.")}
    expected = sorted(o.channel_order_id for o in ctx["synced"])
    verify(CheckResult.compare("AS-4", "orders with settlement fee lines on their billed record",
                               expected=expected, actual=sorted(on_orders),
                               where=f"settlement {ctx['settlement_id']}"))


@then("NetSuite holds the settlement's summary transactions:")
def summary_transactions(runtime, ctx, datatable):
    verified = _verified(runtime, ctx)
    expected = sorted((row["record"], row["for"]) for row in table_rows(datatable))
    labels = {"CashSale": "cash sale", "CashRfnd": "cash refund", "CustCred": "credit memo"}
    actual = sorted((labels.get(f["netsuite"].split()[0], f["netsuite"].split()[0]), f["what"].split(" for the ")[-1])
                    for f in verified.tie.found if f["what"].startswith("summary "))
    verify(CheckResult.compare("AS-4", "summary transactions of the settlement", expected=expected, actual=actual,
                               where=f"settlement {ctx['settlement_id']}",
                               evidence=[{"found": verified.tie.found}]))


@then(parsers.parse("the settlement is flagged as too early, naming {first_date} as the first date that qualifies"))
def too_early(ctx, first_date):
    outcome = ctx["outcome"]
    flagged = outcome.status == "too_early" and first_date in (outcome.reason or "")
    verify(CheckResult("AS-2", "settlement too soon after go-live is flagged", flagged,
                       f"too early, first qualifying date {first_date}", f"{outcome.status}: {outcome.reason}",
                       outcome.reason or f"settlement {outcome.settlement_id} was not flagged as too early"))


@then("nothing is posted to NetSuite for it")
def nothing_posted(runtime, ctx):
    verified = _verified(runtime, ctx)
    found = [f for f in verified.tie.found if f["what"] != "sale"] + [m.to_json() for m in verified.tie.mismatches
                                                                      if "not called for" in m.what]
    verify(CheckResult.compare("AS-2", "NetSuite records for the settlement", expected=[], actual=found,
                               where=f"settlement {ctx['settlement_id']}"))


@then("the second run reports the settlement unchanged")
def second_unchanged(ctx):
    verify(CheckResult.compare("KC-2", "second import outcome", expected="unchanged",
                               actual=ctx["second_outcome"].status, where=f"settlement {ctx['settlement_id']}"))

