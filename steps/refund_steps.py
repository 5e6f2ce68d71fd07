"""Steps for refund sync in both directions and for the refund settings."""

from __future__ import annotations

from decimal import Decimal

from faker import Faker
from pytest_bdd import given, parsers, then, when

from syncproof import checks
from syncproof.channels import channel_for
from syncproof.config import refund_setting_rows
from syncproof.connector_driver import ConnectorWatch, RefundOutcome, SyncDidNotHappen
from syncproof.engine import SyncEngine
from syncproof.engine.refunds import RefundSyncResult, netsuite_refund_as_domain
from syncproof.errors import SyncproofError
from syncproof.footprints import expected_refund_records, model_for_posting
from syncproof.model import Channel, Money, OrderLine, Shipping, TransactionType
from syncproof.refund_settings import change_refund_setting
from syncproof.verdict import CheckResult, FailureCategory

from ._support import decimal_cell, table_rows, verify

BILLING = {"cash sale": "cash_sale", "invoice": "invoice"}


def _engine(runtime, ctx) -> SyncEngine:
    config = ctx.get("config") or runtime.config
    return runtime.engine(config)


def _settings(runtime, ctx):
    return (ctx.get("config") or runtime.config).channel(ctx["channel"]).refunds


# --- Given ---------------------------------------------------------------------------------------

@given(parsers.re(r"(?P<channel>\w+) refunds sync (?P<direction>to|from) NetSuite"))
def refunds_sync(runtime, ctx, channel, direction):
    ctx["channel"] = channel
    ctx["config"] = change_refund_setting(ctx.get("config") or runtime.config, channel, "direction",
                                          f"{direction}_netsuite")


@given(parsers.re(r"an? (?P<channel>\w+) order(?: in (?P<currency>[A-Z]{3}))? billed as an? "
                  r"(?P<billing>cash sale|invoice) with:"))
def order_with_lines(runtime, ctx, channel, billing, datatable, currency=None):
    ctx["channel"] = channel
    currency = currency or channel_for(runtime, channel).currency
    ctx["currency"] = currency
    ctx["config"] = (ctx.get("config") or runtime.config).with_billing(channel, BILLING[billing])
    ctx["billing"] = TransactionType.from_label(billing)
    lines = []
    for number, row in enumerate(table_rows(datatable), start=1):
        lines.append(OrderLine(line_id=str(number), sku=row["sku"], quantity=int(row["quantity"]),
                               unit_price=Money(decimal_cell(row["price"]), currency),
                               tax=Money(decimal_cell(row["tax"]), currency),
                               discount=Money(decimal_cell(row.get("discount", "0")), currency), title=row["sku"]))
    ctx["lines"] = lines
    ctx["shipping"] = None


@given(parsers.parse("the order ships for {amount} with {tax} tax"))
def order_ships(ctx, amount, tax):
    currency = ctx["currency"]
    ctx["shipping"] = Shipping(Money(Decimal(amount), currency), Money(Decimal(tax), currency), "Standard shipping")


def _place_order(runtime, ctx, *, order_import: bool = True):
    watch = _watch(runtime, ctx)
    if watch is not None and watch.status is not None:  # the sandbox connector takes the scenario's settings
        watch.status.push_settings(ctx.get("config") or runtime.config, order_import=order_import)
    fake = Faker()
    fake.seed_instance(ctx.seed)
    actions = channel_for(runtime, ctx["channel"])
    ctx["order"] = actions.place_order(ctx["lines"], shipping=ctx["shipping"], note=f"syncproof {ctx.run_id}",
                                       customer=(fake.name(), fake.email(domain="example.com")))
    ctx["refunds_made"] = []
    return ctx["order"]


def _watch(runtime, ctx) -> ConnectorWatch | None:
    """The connector driver's watch, or None when syncproof's engine performs the syncs."""
    config = ctx.get("config") or runtime.config
    if config.project.driver != "connector":
        return None
    return ConnectorWatch(_engine(runtime, ctx).books, runtime.store, config,
                          status=getattr(runtime, "connector_status", None))


def _connector_store(runtime, ctx):
    """The connector's own record of orders and refunds: the engine store, or the sandbox connector's status."""
    watch = _watch(runtime, ctx)
    return watch.connector_view() if watch is not None else runtime.store


@given("the order is synced to NetSuite")
def order_synced(runtime, ctx):
    order = _place_order(runtime, ctx)
    watch = _watch(runtime, ctx)
    if watch is not None:
        try:
            ctx["order_record"] = watch.order_synced(order)
        except SyncDidNotHappen as exc:  # the channel's integration did not run: it is not covered
            verify(CheckResult("KC-3", "the connector syncs this channel's orders", False,
                               f"{ctx['channel']} order {order.channel_order_id} in NetSuite", "not synced", str(exc),
                               category=FailureCategory.SYNC_DID_NOT_HAPPEN))
        return
    result = _engine(runtime, ctx).orders.sync(order)
    if not result.synced:
        raise AssertionError(f"order {order.channel_order_id} did not sync: {result.error}")
    ctx["order_record"] = result.record


@given("the order is not synced to NetSuite")
def order_not_synced(runtime, ctx):
    _place_order(runtime, ctx, order_import=False)


# --- When: actions in the channel and in NetSuite ----------------------------------------------------

def _refund_in_channel(runtime, ctx, quantities, shipping):
    actions = channel_for(runtime, ctx["channel"])
    refund = actions.refund(ctx["order"], quantities, shipping=shipping, note=f"syncproof {ctx.run_id}")
    ctx["refunds_made"].append(refund)
    ctx["refund"] = refund


@when(parsers.re(r"the whole order is refunded in (?P<channel>\w+), shipping included"))
def whole_order_refunded(runtime, ctx, channel):
    _refund_in_channel(runtime, ctx, {line.sku: line.quantity for line in ctx["order"].lines},
                       shipping=ctx["order"].shipping is not None)


@given(parsers.re(r"(?P<quantity>\d+) of (?P<sku>\S+) is refunded in (?P<channel>\w+)"))
@when(parsers.re(r"(?P<quantity>\d+) of (?P<sku>\S+) is refunded in (?P<channel>\w+)"))
def quantity_refunded(runtime, ctx, quantity, sku, channel):
    _refund_in_channel(runtime, ctx, {sku: int(quantity)}, shipping=False)


@when(parsers.re(r"only the shipping is refunded in (?P<channel>\w+)"))
def shipping_refunded(runtime, ctx, channel):
    _refund_in_channel(runtime, ctx, {}, shipping=True)


@when(parsers.re(r"the order is refunded in NetSuite as an? (?P<refund>cash refund|credit memo) for:"))
def refunded_in_netsuite(runtime, ctx, refund, datatable):
    engine = _engine(runtime, ctx)
    record = ctx["order_record"]
    billing = TransactionType(record.billing_type)
    quantities = {("Shipping" if row["sku"] == "shipping" else row["sku"]): int(row["quantity"])
                  for row in table_rows(datatable)}
    kind = TransactionType.from_label(refund)
    ctx["netsuite_refund"] = (kind, engine.books.refund_in_netsuite(billing, record.billing_id, kind,
                                                                    f"{ctx.run_id}-{kind.value}", quantities,
                                                                    currency=record.currency or "USD"))


@given("the refund is synced")
@when("the refund is synced")
def refund_synced(runtime, ctx):
    ctx["results"] = _sync(runtime, ctx)


@when("the refund is synced again")
def refund_synced_again(runtime, ctx):
    watch = _watch(runtime, ctx)
    if watch is None:
        ctx["second_results"] = _sync(runtime, ctx)
        return
    refund = ctx["refund"]
    first = runtime.store.refund(ctx["channel"], refund.refund_id)
    outcome = watch.refund_rerun(refund, first, ctx.get("order_record"))
    ctx["second_results"] = [RefundSyncResult(ctx["channel"], refund.refund_id, refund.channel_order_id,
                                              outcome.status, outcome.record, outcome.reason)]


@when("the connector syncs again")
def connector_syncs_again(runtime, ctx):
    watch = _watch(runtime, ctx)
    if watch is None:
        ctx["second_results"] = _sync(runtime, ctx)
    else:
        watch.settle()


def _sync(runtime, ctx):
    watch = _watch(runtime, ctx)
    if watch is not None:
        return _watch_sync(runtime, ctx, watch)
    engine = _engine(runtime, ctx)
    settings = _settings(runtime, ctx)
    if settings.direction == "from_netsuite":
        return engine.refunds.from_netsuite(ctx["channel"], runtime.client(ctx["channel"]))
    actions = channel_for(runtime, ctx["channel"])
    return [engine.refunds.to_netsuite(refund) for refund in actions.refunds(ctx["order"])]


def _watch_sync(runtime, ctx, watch):
    """Connector driver: wait for the connector to make what the engine would have made."""
    channel, order = ctx["channel"], ctx.get("order_record")
    if _settings(runtime, ctx).direction == "from_netsuite":
        if "netsuite_refund" in ctx.values:
            kind, ns_id = ctx["netsuite_refund"]
            actions = channel_for(runtime, channel)
            outcome = watch.cart_refund_synced(channel, lambda: actions.refunds(ctx["order"]), order, kind.value,
                                               ns_id)
            refund_id = outcome.record.channel_refund_id if outcome.record else ns_id
            return [RefundSyncResult(channel, refund_id, order.channel_order_id, outcome.status, outcome.record,
                                     outcome.reason)]
        made = ctx.get("refund")
        if isinstance(made, tuple):  # a NetSuite refund made outside every synced order
            outcome = watch.netsuite_refund_reported(channel, made[1]) or RefundOutcome("absent")
            return [RefundSyncResult(channel, made[1], "", outcome.status, outcome.record, outcome.reason)]
        watch.settle()  # a refund made in the cart: nothing may come of it
        return []
    refund = ctx["refund"]
    outcome = watch.refund_synced(refund, order)
    return [RefundSyncResult(channel, refund.refund_id, refund.channel_order_id, outcome.status, outcome.record,
                             outcome.reason)]


def _result_for(ctx, results_key="results"):
    refund = ctx["refund"]
    return next((r for r in ctx[results_key] if r.refund_id == refund.refund_id), None)


# --- Then -------------------------------------------------------------------------------------------

@then("the connector's record of the order shows the refund synced")
def connector_record(runtime, ctx):
    channel, order_id = ctx["channel"], ctx["order"].channel_order_id
    settings = _settings(runtime, ctx)
    store = _connector_store(runtime, ctx)
    if settings.direction == "from_netsuite":
        refunds = store.refunds(channel, order_id)
        refund_record = refunds[-1] if refunds else None
        refund_id = refund_record.channel_refund_id if refund_record else "(none)"
        check_id = "RS-NM-2"
    else:
        refund_id = ctx["refund"].refund_id
        refund_record = store.refund(channel, refund_id)
        check_id = "RS-MN-1"
    verify(checks.connector_record_updated(store.order(channel, order_id), refund_record, channel=channel,
                                           channel_order_id=order_id, refund_id=refund_id, check_id=check_id))


def _records_for(runtime, ctx, refund_id):
    """NetSuite's records for a channel refund: by syncproof's external ids, or (connector driver) by the ids seen."""
    watch = _watch(runtime, ctx)
    if watch is None:
        return _engine(runtime, ctx).books.refund_transactions(ctx["channel"], refund_id)
    return watch.transactions(watch.refund_records(ctx["channel"], refund_id, ctx.get("order_record")))


@then("NetSuite has the records the refund settings call for")
def records_per_settings(runtime, ctx):
    settings = _settings(runtime, ctx)
    config = ctx.get("config") or runtime.config
    footprint = expected_refund_records(model_for_posting(config.settlement.posting),
                                        config.channel(ctx["channel"]).billing, settings)
    found = [str(row["type"]) for row in _records_for(runtime, ctx, ctx["refund"].refund_id)]
    verify(checks.transaction_types_match(
        list(footprint.types), found, settings=settings.__dict__,
        where=f"{ctx['channel']} refund {ctx['refund'].refund_id} on order {ctx['order'].channel_order_id}"))


def _netsuite_refund(runtime, ctx):
    engine = _engine(runtime, ctx)
    order = ctx["order"]
    if "netsuite_refund" in ctx.values:
        kind, ns_id = ctx["netsuite_refund"]
    else:
        result = _result_for(ctx)
        if result is None or result.record is None:
            raise AssertionError(f"refund {ctx['refund'].refund_id} on order {order.channel_order_id} did not sync: "
                                 f"{result.reason if result else 'no sync result'}")
        kind, ns_id = TransactionType(result.record.netsuite_type), result.record.netsuite_id
    return netsuite_refund_as_domain(engine.books, kind, ns_id, Channel(ctx["channel"]), order.channel_order_id,
                                     order.currency, _settings(runtime, ctx))


@then(parsers.re(r"the NetSuite refund matches the (?P<channel>\w+) refund to the cent"))
def netsuite_matches_channel(runtime, ctx, channel):
    channel_refund = next(r for r in channel_for(runtime, channel).refunds(ctx["order"])
                          if r.refund_id == ctx["refund"].refund_id)
    verify(checks.refund_amounts_match(channel_refund, _netsuite_refund(runtime, ctx), check_id="RS-MN-3",
                                       expected_side=channel, actual_side="NetSuite"))


@then(parsers.re(r"the (?P<channel>\w+) refund matches the NetSuite refund to the cent"))
def channel_matches_netsuite(runtime, ctx, channel):
    ns_refund = _netsuite_refund(runtime, ctx)
    refunds = channel_for(runtime, channel).refunds(ctx["order"])
    if not refunds:
        raise AssertionError(
            f"no refund reached {channel} order {ctx['order'].channel_order_id}: the sync did not happen"
        )
    verify(checks.refund_amounts_match(ns_refund, refunds[-1], check_id="RS-NM-3", expected_side="NetSuite",
                                       actual_side=channel))


@then("the NetSuite refund leads back to the order")
def netsuite_refund_linked(runtime, ctx):
    engine = _engine(runtime, ctx)
    if "netsuite_refund" in ctx.values:
        ns_id, check_id = ctx["netsuite_refund"][1], "RS-NM-1"
    else:
        result = _result_for(ctx)
        ns_id, check_id = (result.record.netsuite_id if result and result.record else None), "KC-1"
    chain = engine.books.created_from_chain(ns_id) if ns_id else []
    verify(checks.refund_linked_to_order(chain, ctx["order"].channel_order_id, check_id=check_id))


@then("the refund is reported as an exception naming the order")
def refund_exception(runtime, ctx):
    errors = runtime.store.errors(ctx["channel"], ctx["refund"].refund_id)
    order_id = ctx["order"].channel_order_id
    reasons = [e.reason for e in errors]
    passed = any(order_id in reason for reason in reasons)
    verify(CheckResult("RS-MN-1", "unsyncable refund reported as an exception", passed,
                       f"an exception naming order {order_id}", reasons or "no exception recorded",
                       reasons[0] if passed else f"refund {ctx['refund'].refund_id} on order {order_id} was not "
                       "reported as an exception", [{"sync errors": [e.to_json() for e in errors]}],
                       None if passed else FailureCategory.DATA_MISMATCH))


@then("NetSuite has no refund for it")
def no_netsuite_refund(runtime, ctx):
    rows = _records_for(runtime, ctx, ctx["refund"].refund_id)
    verify(CheckResult.compare("KC-1", "NetSuite refund records", expected=[], actual=[str(r["type"]) for r in rows],
                               where=f"{ctx['channel']} refund {ctx['refund'].refund_id}",
                               evidence=[{"records": rows}]))


@then("the second sync reports the refund unchanged")
def second_sync_unchanged(ctx):
    result = _result_for(ctx, "second_results")
    verify(CheckResult.compare("KC-2", "second sync outcome", expected="unchanged",
                               actual=result.status if result else "absent",
                               where=f"refund {ctx['refund'].refund_id}"))


@then("NetSuite has exactly one refund for it")
def exactly_one(runtime, ctx):
    rows = [r for r in _records_for(runtime, ctx, ctx["refund"].refund_id)]
    verify(checks.no_duplicates(rows, key="externalid", check_id="RS-MN-1",
                                where=f"{ctx['channel']} refund {ctx['refund'].refund_id}"))
    verify(
        CheckResult.compare(
            "RS-MN-1",
            "NetSuite refund records",
            expected=1,
            actual=len(rows),
            where=f"{ctx['channel']} refund {ctx['refund'].refund_id}",
            evidence=[{"records": rows}],
        )
    )


@then("the connector records no refund for the order")
def no_connector_refund(runtime, ctx):
    refunds = _connector_store(runtime, ctx).refunds(ctx["channel"], ctx["order"].channel_order_id)
    verify(CheckResult.compare("RS-NM-2", "refunds recorded for the order", expected=[],
                               actual=[r.to_json() for r in refunds],
                               where=f"{ctx['channel']} order {ctx['order'].channel_order_id}"))


# --- settings ---------------------------------------------------------------------------------------

@when("the refund settings are shown")
def settings_shown(runtime, ctx):
    ctx["shown"] = refund_setting_rows(ctx.get("config") or runtime.config)


@then(parsers.parse("they show for {channel}:"))
def settings_show(ctx, channel, datatable):
    shown = {key: value for ch, key, value, _ in ctx["shown"] if ch == channel}
    expected = {row["key"]: row["value"] for row in table_rows(datatable)}
    verify(CheckResult.compare("RS-SET-1", "refund settings shown", expected=expected,
                               actual={k: shown.get(k) for k in expected}, where=f"{channel} refund settings"))


@when(parsers.parse('the {channel} refund setting "{key}" is changed to "{value}"'))
def setting_changed(runtime, ctx, channel, key, value):
    config = ctx.get("config") or runtime.config
    ctx["before"] = config.channel(channel).refunds
    if ctx.get("refunds_made"):
        ctx["first_refund"] = ctx["refunds_made"][-1]
    try:
        ctx["config"] = change_refund_setting(config, channel, key, value, _engine(runtime, ctx).books)
        ctx["refused"] = None
        watch = _watch(runtime, ctx)
        if watch is not None and watch.status is not None:
            watch.status.push_settings(ctx["config"], change=True)
    except SyncproofError as exc:
        ctx["refused"] = exc


@then(parsers.parse('the change is refused with "{message}"'))
def change_refused(ctx, message):
    refusal = ctx["refused"]
    actual = str(refusal) if refusal else "the change was accepted"
    verify(CheckResult("RS-SET-1", "invalid setting refused", refusal is not None and message in actual,
                       f"refused with: {message}", actual,
                       f"the change was refused: {actual}" if refusal and message in actual
                       else f"expected a refusal with '{message}', got: {actual}",
                       category=None if refusal and message in actual else FailureCategory.CONFIGURATION))


@then(parsers.parse("the {channel} refund settings are unchanged"))
def settings_unchanged(runtime, ctx, channel):
    now = (ctx.get("config") or runtime.config).channel(channel).refunds
    verify(CheckResult.compare("RS-SET-1", "refund settings after a refused change", expected=ctx["before"].__dict__,
                               actual=now.__dict__, where=f"{channel} refund settings"))


def _types_for(runtime, ctx, refund):
    return [TransactionType(str(r["type"])).label for r in _records_for(runtime, ctx, refund.refund_id)]


@then("the first refund is still a credit memo alone")
def first_refund_unchanged(runtime, ctx):
    verify(CheckResult.compare("RS-SET-1", "records of the refund synced before the change",
                               expected=["credit memo"], actual=_types_for(runtime, ctx, ctx["first_refund"]),
                               where=f"refund {ctx['first_refund'].refund_id}"))


def _record_labels(records: str) -> list[str]:
    """"a return authorization, then a credit memo" -> ["return authorization", "credit memo"]."""
    return [part.strip().removeprefix("a ").removeprefix("an ") for part in records.split(", then ")]


@then(parsers.parse("the NetSuite records are {records}"))
def netsuite_records_are(runtime, ctx, records):
    """The record types the scenario's own Examples table states for its billing record and settings."""
    verify(CheckResult.compare("RS-MN-2", "NetSuite records of the refund", expected=sorted(_record_labels(records)),
                               actual=sorted(_types_for(runtime, ctx, ctx["refund"])),
                               where=f"{ctx['channel']} refund {ctx['refund'].refund_id} on order "
                               f"{ctx['order'].channel_order_id}"))


@given(parsers.parse('the {channel} refund setting "{key}" is "{value}"'))
def setting_is(runtime, ctx, channel, key, value):
    ctx["config"] = change_refund_setting(ctx.get("config") or runtime.config, channel, key, value,
                                          _engine(runtime, ctx).books)


@then(parsers.parse("the second refund is {records}"))
def second_refund_records(runtime, ctx, records):
    expected = _record_labels(records)
    verify(CheckResult.compare("RS-MN-2", "records of the refund synced after the change",
                               expected=sorted(expected), actual=sorted(_types_for(runtime, ctx, ctx["refund"])),
                               where=f"refund {ctx['refund'].refund_id}"))


@then("the NetSuite refund is reported as not created from a synced order")
def unlinked_refund_reported(ctx):
    _, ns_id = ctx["refund"]
    result = next((r for r in ctx["results"] if r.refund_id == ns_id), None)
    reason = result.reason if result is not None else None
    reported = result is not None and result.status == "exception" and "not pushed" in (reason or "")
    verify(CheckResult("RS-NM-2", "NetSuite refund outside the synced orders is reported", reported,
                       "reported as an exception, not pushed", reason if result else "not reported",
                       (reason or "") if reported else f"NetSuite refund {ns_id} was neither pushed nor reported",
                       [{"sync results": [r.__dict__ for r in ctx["results"]]}],
                       None if reported else FailureCategory.DATA_MISMATCH))


@then(parsers.re(r"(?P<channel>\w+) has only the refund made in (?P=channel)"))
def only_channel_refund(runtime, ctx, channel):
    """No echo: the NetSuite records made from the cart's refund never come back to the cart as refunds."""
    refunds = channel_for(runtime, channel).refunds(ctx["order"])
    verify(CheckResult.compare("RS-NM-2", f"{channel} refunds on the order", expected=[ctx["refund"].refund_id],
                               actual=[r.refund_id for r in refunds],
                               where=f"{channel} order {ctx['order'].channel_order_id}",
                               evidence=[{"refunds": [r.refund_id for r in refunds]}]))


@then("NetSuite has only the refund made in NetSuite")
def only_netsuite_refund(runtime, ctx):
    """No echo: the cart refund pushed from NetSuite is never posted back to NetSuite."""
    record = ctx["order_record"]
    rows = _engine(runtime, ctx).books.refunds_from_billing([record.billing_id])
    verify(CheckResult.compare("RS-MN-1", "NetSuite refunds of the order", expected=[ctx["netsuite_refund"][1]],
                               actual=[str(r["id"]) for r in rows],
                               where=f"{ctx['channel']} order {ctx['order'].channel_order_id}",
                               evidence=[{"records": rows}]))
