"""Steps for refund sync in both directions and for the refund settings."""

from __future__ import annotations

from decimal import Decimal

from faker import Faker
from pytest_bdd import given, parsers, then, when

from syncproof import checks
from syncproof.channels import FeeKeepingActions, channel_for
from syncproof.config import refund_setting_rows
from syncproof.connector_driver import SyncDidNotHappen
from syncproof.engine.orders import SHIPPING_ITEM
from syncproof.engine.refunds import netsuite_refund_as_domain
from syncproof.errors import ConfigError, SyncproofError
from syncproof.footprints import expected_refund_records, model_for_posting
from syncproof.model import Channel, Money, OrderLine, Shipping, TransactionType
from syncproof.refund_settings import change_refund_setting
from syncproof.scenario import ScenarioContext
from syncproof.scenario_sync import RefundsMade, results_for

from ._support import decimal_cell, need, table_rows, verify

BILLING = {"cash sale": "cash_sale", "invoice": "invoice"}


def _settings(ctx: ScenarioContext):
    return ctx.config.channel(ctx.channel).refunds


def _made(runtime, ctx: ScenarioContext) -> RefundsMade:
    """What the scenario made so far, for the refund sync to pick up."""
    actions = channel_for(runtime, ctx.channel)
    order = getattr(ctx, "order", None)
    return RefundsMade(ctx.channel, _settings(ctx).direction, order=order, order_record=ctx.order_record,
                       channel_refund=getattr(ctx, "refund", None), netsuite_refund=ctx.netsuite_refund,
                       unlinked_refund=getattr(ctx, "transformed_refund", None),
                       channel_refunds=(lambda: actions.refunds(order)) if order is not None else list,
                       cart=runtime.client(ctx.channel))


# --- Given ---------------------------------------------------------------------------------------

@given(parsers.re(r"(?P<channel>\w+) refunds sync (?P<direction>to|from) NetSuite"))
def refunds_sync(runtime, ctx: ScenarioContext, channel, direction):
    ctx.channel = channel
    ctx.config = change_refund_setting(ctx.config, channel, "direction", f"{direction}_netsuite")


@given(parsers.re(r"an? (?P<channel>\w+) order(?: in (?P<currency>[A-Z]{3}))? billed as an? "
                  r"(?P<billing>cash sale|invoice) with:"))
def order_with_lines(runtime, ctx: ScenarioContext, channel, billing, datatable, currency=None):
    ctx.channel = channel
    currency = currency or channel_for(runtime, channel).currency
    ctx.currency = currency
    ctx.config = ctx.config.with_billing(channel, BILLING[billing])
    ctx.lines = [OrderLine(line_id=str(number), sku=row["sku"], quantity=int(row["quantity"]),
                           unit_price=Money(decimal_cell(row["price"]), currency),
                           tax=Money(decimal_cell(row["tax"]), currency),
                           discount=Money(decimal_cell(row.get("discount", "0")), currency), title=row["sku"])
                 for number, row in enumerate(table_rows(datatable), start=1)]
    ctx.shipping = None


@given(parsers.parse("the order ships for {amount} with {tax} tax"))
def order_ships(ctx: ScenarioContext, amount, tax):
    currency = ctx.currency
    ctx.shipping = Shipping(Money(Decimal(amount), currency), Money(Decimal(tax), currency), "Standard shipping")


def _place_order(runtime, ctx: ScenarioContext, *, order_import: bool = True):
    runtime.sync(ctx.config).use_settings(order_import=order_import)
    fake = Faker()
    fake.seed_instance(ctx.seed)
    actions = channel_for(runtime, ctx.channel)
    ctx.order = actions.place_order(ctx.lines, shipping=ctx.shipping, note=f"syncproof {ctx.run_id}",
                                    customer=(fake.name(), fake.email(domain="example.com")))
    ctx.refunds_made = []
    return ctx.order


@given("the order is synced to NetSuite")
def order_synced(runtime, ctx: ScenarioContext):
    order = _place_order(runtime, ctx)
    try:
        ctx.order_record = runtime.sync(ctx.config).order(order)
    except SyncDidNotHappen as exc:  # the channel's integration did not run: it is not covered
        verify(checks.order_never_synced(ctx.channel, order.channel_order_id, str(exc)))


@given("the order is not synced to NetSuite")
def order_not_synced(runtime, ctx: ScenarioContext):
    _place_order(runtime, ctx, order_import=False)


# --- When: actions in the channel and in NetSuite ----------------------------------------------------

def _refund_in_channel(runtime, ctx: ScenarioContext, quantities, shipping, kept_fee: Money | None = None):
    actions = channel_for(runtime, ctx.channel)
    note = f"syncproof {ctx.run_id}"
    if kept_fee is None:
        refund = actions.refund(ctx.order, quantities, shipping=shipping, note=note)
    elif isinstance(actions, FeeKeepingActions):
        refund = actions.refund_keeping_fee(ctx.order, quantities, kept_fee, shipping=shipping, note=note)
    else:
        raise ConfigError(f"{ctx.channel} refunds cannot keep a fee in syncproof",
                          "run the kept-fee scenarios on a channel whose refunds can (shopify, woocommerce)")
    ctx.refunds_made.append(refund)
    ctx.refund = refund


@when(parsers.re(r"the whole order is refunded in (?P<channel>\w+), shipping included"))
def whole_order_refunded(runtime, ctx: ScenarioContext, channel):
    _refund_in_channel(runtime, ctx, {line.sku: line.quantity for line in ctx.order.lines},
                       shipping=ctx.order.shipping is not None)


@given(parsers.re(r"(?P<quantity>\d+) of (?P<sku>\S+) is refunded in (?P<channel>\w+)"))
@when(parsers.re(r"(?P<quantity>\d+) of (?P<sku>\S+) is refunded in (?P<channel>\w+)"))
def quantity_refunded(runtime, ctx: ScenarioContext, quantity, sku, channel):
    _refund_in_channel(runtime, ctx, {sku: int(quantity)}, shipping=False)


@when(parsers.re(r"(?P<quantity>\d+) of (?P<sku>\S+) is refunded in (?P<channel>\w+) keeping a (?P<fee>\d+(?:\.\d+)?) "
                 r"restocking fee"))
def quantity_refunded_keeping_fee(runtime, ctx: ScenarioContext, quantity, sku, channel, fee):
    """The channel pays back ``fee`` less than the refunded line comes to: the merchant keeps it."""
    _refund_in_channel(runtime, ctx, {sku: int(quantity)}, shipping=False,
                       kept_fee=Money(Decimal(fee), ctx.order.currency))


@when(parsers.re(r"only the shipping is refunded in (?P<channel>\w+)"))
def shipping_refunded(runtime, ctx: ScenarioContext, channel):
    _refund_in_channel(runtime, ctx, {}, shipping=True)


@when(parsers.re(r"the order is refunded in NetSuite as an? (?P<refund>cash refund|credit memo) for:"))
def refunded_in_netsuite(runtime, ctx: ScenarioContext, refund, datatable):
    record = ctx.order_in_netsuite
    billing = TransactionType(record.billing_type)
    quantities = {("Shipping" if row["sku"] == "shipping" else row["sku"]): int(row["quantity"])
                  for row in table_rows(datatable)}
    kind = TransactionType.from_label(refund)
    books = runtime.engine(ctx.config).books
    ctx.netsuite_refund = (kind, books.refund_in_netsuite(billing, record.billing_id, kind,
                                                          f"{ctx.run_id}-{kind.value}", quantities,
                                                          currency=record.currency or ctx.order.currency))


@given("the refund is synced")
@when("the refund is synced")
def refund_synced(runtime, ctx: ScenarioContext):
    ctx.results = runtime.sync(ctx.config).refunds(_made(runtime, ctx))


@when("the refund is synced again")
def refund_synced_again(runtime, ctx: ScenarioContext):
    first = runtime.store.refund(ctx.channel, ctx.refund.refund_id)
    ctx.second_results = runtime.sync(ctx.config).refunds_again(_made(runtime, ctx), first)


@when("the connector syncs again")
def connector_syncs_again(runtime, ctx: ScenarioContext):
    runtime.sync(ctx.config).again(_made(runtime, ctx))


# --- Then -------------------------------------------------------------------------------------------

@then("the connector's record of the order shows the refund synced")
def connector_record(runtime, ctx: ScenarioContext):
    channel, order_id = ctx.channel, ctx.order.channel_order_id
    store = runtime.sync(ctx.config).connector_record()
    if _settings(ctx).direction == "from_netsuite":
        refunds = store.refunds(channel, order_id)
        refund_record = refunds[-1] if refunds else None
        refund_id = refund_record.channel_refund_id if refund_record else "(none)"
        check_id = "RS-NM-2"
    else:
        refund_id = ctx.refund.refund_id
        refund_record = store.refund(channel, refund_id)
        check_id = "RS-MN-1"
    verify(checks.connector_record_updated(store.order(channel, order_id), refund_record, channel=channel,
                                           channel_order_id=order_id, refund_id=refund_id, check_id=check_id))


def _records_for(runtime, ctx: ScenarioContext, refund_id):
    """NetSuite's records for a channel refund, as the driver finds them."""
    return runtime.sync(ctx.config).refund_records(ctx.channel, refund_id, ctx.order_record)


def _where(ctx: ScenarioContext) -> str:
    return f"{ctx.channel} refund {ctx.refund.refund_id}"


@then("NetSuite has the records the refund settings call for")
def records_per_settings(runtime, ctx: ScenarioContext):
    settings = _settings(ctx)
    footprint = expected_refund_records(model_for_posting(ctx.config.settlement.posting),
                                        ctx.config.channel(ctx.channel).billing, settings)
    found = [str(row["type"]) for row in _records_for(runtime, ctx, ctx.refund.refund_id)]
    verify(checks.transaction_types_match(list(footprint.types), found, settings=settings.__dict__,
                                          where=f"{_where(ctx)} on order {ctx.order.channel_order_id}"))


def _netsuite_record(ctx: ScenarioContext) -> tuple[TransactionType, str] | None:
    """The NetSuite refund the scenario checks: the one made in NetSuite, else the one the sync made of the
    channel refund (None when it made none)."""
    if ctx.netsuite_refund is not None:
        return ctx.netsuite_refund
    result = results_for(ctx.results, ctx.refund.refund_id)
    if result is None or result.record is None or not result.record.netsuite_id:
        return None
    return TransactionType(result.record.netsuite_type), result.record.netsuite_id


def _netsuite_refund(runtime, ctx: ScenarioContext):
    order = ctx.order
    made = _netsuite_record(ctx)
    if made is None:
        result = results_for(ctx.results, ctx.refund.refund_id)
        raise AssertionError(f"refund {ctx.refund.refund_id} on order {order.channel_order_id} did not sync: "
                             f"{result.reason if result else 'no sync result'}")
    kind, ns_id = made
    return netsuite_refund_as_domain(runtime.engine(ctx.config).books, kind, ns_id, Channel(ctx.channel),
                                     order.channel_order_id, order.currency, _settings(ctx))


def _channel_refund(runtime, ctx: ScenarioContext, channel):
    """The scenario's refund as the channel holds it now."""
    return next(r for r in channel_for(runtime, channel).refunds(ctx.order) if r.refund_id == ctx.refund.refund_id)


@then(parsers.re(r"the NetSuite refund matches the (?P<channel>\w+) refund to the cent"))
def netsuite_matches_channel(runtime, ctx: ScenarioContext, channel):
    channel_refund = _channel_refund(runtime, ctx, channel)
    netsuite_refund = _netsuite_refund(runtime, ctx)
    verify(checks.refund_amounts_match(checks.refunded_in_netsuite(channel_refund, _settings(ctx)), netsuite_refund,
                                       check_id="RS-MN-3",
                                       expected_side=channel, actual_side="NetSuite"))
    posted = runtime.engine(ctx.config).books.posted_lines(netsuite_refund)
    verify(checks.charges_on_adjustment_items(channel_refund, posted, _settings(ctx), shipping_item=SHIPPING_ITEM,
                                              check_id="RS-MN-3"))


@then(parsers.re(r"the NetSuite refund keeps the (?P<fee>\d+(?:\.\d+)?) fee on the refund settings' negative "
                 r"adjustment item"))
def fee_kept_on_negative_item(runtime, ctx: ScenarioContext, fee):
    channel_refund = _channel_refund(runtime, ctx, ctx.channel)
    posted = runtime.engine(ctx.config).books.posted_lines(_netsuite_refund(runtime, ctx))
    verify(checks.fee_kept_on_negative_item(channel_refund, posted, _settings(ctx),
                                            Money(Decimal(fee), ctx.order.currency)))


@then(parsers.re(r"the (?P<channel>\w+) refund matches the NetSuite refund to the cent"))
def channel_matches_netsuite(runtime, ctx: ScenarioContext, channel):
    ns_refund = _netsuite_refund(runtime, ctx)
    refunds = channel_for(runtime, channel).refunds(ctx.order)
    if not refunds:
        raise AssertionError(f"no refund reached {channel} order {ctx.order.channel_order_id}: the sync did not happen")
    verify(checks.refund_amounts_match(ns_refund, refunds[-1], check_id="RS-NM-3", expected_side="NetSuite",
                                       actual_side=channel))


@then("the NetSuite refund leads back to the order")
def netsuite_refund_linked(runtime, ctx: ScenarioContext):
    check_id = "RS-NM-1" if ctx.netsuite_refund is not None else "KC-1"
    made = _netsuite_record(ctx)
    chain = runtime.engine(ctx.config).books.created_from_chain(made[1]) if made else []
    verify(checks.refund_linked_to_order(chain, ctx.order.channel_order_id, check_id=check_id))


@then("the refund is reported as an exception naming the order")
def refund_exception(runtime, ctx: ScenarioContext):
    errors = runtime.store.errors(ctx.channel, ctx.refund.refund_id)
    verify(checks.refund_reported_as_exception(ctx.refund.refund_id, ctx.order.channel_order_id, errors))


@then("NetSuite has no refund for it")
def no_netsuite_refund(runtime, ctx: ScenarioContext):
    verify(checks.no_refund_records(_records_for(runtime, ctx, ctx.refund.refund_id), where=_where(ctx)))


@then("the second sync reports the refund unchanged")
def second_sync_unchanged(ctx: ScenarioContext):
    result = results_for(ctx.second_results, ctx.refund.refund_id)
    verify(checks.rerun_unchanged(result.status if result else None, what="sync",
                                  where=f"refund {ctx.refund.refund_id}"))


@then("NetSuite has exactly one refund for it")
def exactly_one(runtime, ctx: ScenarioContext):
    rows = _records_for(runtime, ctx, ctx.refund.refund_id)
    verify(checks.no_duplicates(rows, key="externalid", check_id="RS-MN-1", where=_where(ctx)))
    verify(checks.one_refund_record(rows, where=_where(ctx)))


@then("the connector records no refund for the order")
def no_connector_refund(runtime, ctx: ScenarioContext):
    refunds = runtime.sync(ctx.config).connector_record().refunds(ctx.channel, ctx.order.channel_order_id)
    verify(checks.no_connector_refunds([r.to_json() for r in refunds],
                                       where=f"{ctx.channel} order {ctx.order.channel_order_id}"))


# --- settings ---------------------------------------------------------------------------------------

@when("the refund settings are shown")
def settings_shown(ctx: ScenarioContext):
    ctx.shown = refund_setting_rows(ctx.config)


@then(parsers.parse("they show for {channel}:"))
def settings_show(ctx: ScenarioContext, channel, datatable):
    shown = {key: value for ch, key, value, _ in ctx.shown if ch == channel}
    expected = {row["key"]: row["value"] for row in table_rows(datatable)}
    verify(checks.settings_shown(expected, shown, where=f"{channel} refund settings"))


@when(parsers.parse('the {channel} refund setting "{key}" is changed to "{value}"'))
def setting_changed(runtime, ctx: ScenarioContext, channel, key, value):
    ctx.before = ctx.config.channel(channel).refunds
    if ctx.refunds_made:
        ctx.first_refund = ctx.refunds_made[-1]
    try:
        ctx.config = change_refund_setting(ctx.config, channel, key, value, runtime.engine(ctx.config).books)
        ctx.refused = None
        runtime.sync(ctx.config).use_settings(change=True)
    except SyncproofError as exc:
        ctx.refused = exc


@then(parsers.parse('the change is refused with "{message}"'))
def change_refused(ctx: ScenarioContext, message):
    verify(checks.setting_refused(ctx.refused, message))


@then(parsers.parse("the {channel} refund settings are unchanged"))
def settings_unchanged(ctx: ScenarioContext, channel):
    verify(checks.settings_unchanged(ctx.before.__dict__, ctx.config.channel(channel).refunds.__dict__,
                                     where=f"{channel} refund settings"))


def _types_for(runtime, ctx: ScenarioContext, refund):
    return [TransactionType(str(r["type"])).label for r in _records_for(runtime, ctx, refund.refund_id)]


@then("the first refund is still a credit memo alone")
def first_refund_unchanged(runtime, ctx: ScenarioContext):
    verify(checks.refund_records_before_change(["credit memo"], _types_for(runtime, ctx, ctx.first_refund),
                                               where=f"refund {ctx.first_refund.refund_id}"))


def _record_labels(records: str) -> list[str]:
    """"a return authorization, then a credit memo" -> ["return authorization", "credit memo"]."""
    return [part.strip().removeprefix("a ").removeprefix("an ") for part in records.split(", then ")]


@then(parsers.parse("the NetSuite records are {records}"))
def netsuite_records_are(runtime, ctx: ScenarioContext, records):
    """The record types the scenario's own Examples table states for its billing record and settings."""
    verify(checks.refund_records_as_stated(_record_labels(records), _types_for(runtime, ctx, ctx.refund),
                                           where=f"{_where(ctx)} on order {ctx.order.channel_order_id}"))


@given(parsers.parse('the {channel} refund setting "{key}" is "{value}"'))
def setting_is(runtime, ctx: ScenarioContext, channel, key, value):
    ctx.config = change_refund_setting(ctx.config, channel, key, value, runtime.engine(ctx.config).books)


@then(parsers.parse("the second refund is {records}"))
def second_refund_records(runtime, ctx: ScenarioContext, records):
    verify(checks.refund_records_after_change(_record_labels(records), _types_for(runtime, ctx, ctx.refund),
                                              where=f"refund {ctx.refund.refund_id}"))


@then("the NetSuite refund is reported as not created from a synced order")
def unlinked_refund_reported(ctx: ScenarioContext):
    verify(checks.unlinked_refund_reported(ctx.transformed_refund[1], ctx.results))


@then(parsers.re(r"(?P<channel>\w+) has only the refund made in (?P=channel)"))
def only_channel_refund(runtime, ctx: ScenarioContext, channel):
    """No echo: the NetSuite records made from the cart's refund never come back to the cart as refunds."""
    refunds = channel_for(runtime, channel).refunds(ctx.order)
    verify(checks.only_channel_refund(channel, ctx.refund.refund_id, [r.refund_id for r in refunds],
                                      where=f"{channel} order {ctx.order.channel_order_id}"))


@then("NetSuite has only the refund made in NetSuite")
def only_netsuite_refund(runtime, ctx: ScenarioContext):
    """No echo: the cart refund pushed from NetSuite is never posted back to NetSuite."""
    rows = runtime.engine(ctx.config).books.refunds_from_billing([ctx.order_in_netsuite.billing_id])
    verify(checks.only_netsuite_refund(need(ctx.netsuite_refund, "refunded the order in NetSuite")[1], rows,
                                       where=f"{ctx.channel} order {ctx.order.channel_order_id}"))
