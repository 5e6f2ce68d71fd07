"""Settlements posted in the NetSuite Connector's model: the helpers the tests share (the fixtures are in
conftest.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from connectors.netsuite.settlements import billed_records, refunds_of, settlement_footprint
from connectors.settlement_file import open_settlement
from syncproof.channels.amazon import AmazonActions
from syncproof.config import parse_config
from syncproof.model import Money, OrderLine
from syncproof.settlement_tieout import facts_of, tie_out

START = dt.datetime(2026, 10, 6, 8, tzinfo=dt.timezone.utc)


@dataclass
class Posted:
    config: object
    engine: object
    amazon: AmazonActions
    settlement_id: str
    outcome: object
    orders: list
    content: bytes


def settlement_customer(runtime) -> str:
    return runtime.netsuite.upsert("customer", "amazon-settlement-customer",
                                   {"entityId": "Amazon Settlements", "companyName": "Amazon Settlements",
                                    "isPerson": False})


def post_settlement(runtime, *, seed: int, orders: int = 2, unsynced: int = 0, refund_first: bool = False,
                    sync_refund: bool = False, non_order=(), start=START, days: int = 14, billing: str = "cash_sale",
                    create_items: bool = True, **settings) -> Posted:
    customer = settlement_customer(runtime)
    config = parse_config({"project": {"go_live": "2026-09-01"}, "amazon": {"billing": billing},
                           "settlement": {"customer_internal_id": customer, **settings}})
    engine = runtime.engine(config)
    for sku in ("SM-MUG", "Shipping", "Refund Adjustment", "Refund Fee"):
        engine.books.ensure_item(sku, sku)
    if create_items:
        engine.settlements.create_settlement_items()
    amazon = AmazonActions(runtime)
    line = OrderLine("1", "SM-MUG", 2, Money("14.50", "USD"), Money("2.32", "USD"), Money("0", "USD"), "mug")
    placed = [amazon.place_order([line], shipping=None, customer=("A B", "a@example.com"), note="")
              for _ in range(orders + unsynced)]
    for order in placed[:orders]:
        assert engine.orders.sync(order).synced
    refunds = {}
    if refund_first:
        refund = amazon.refund(placed[0], {"SM-MUG": 1}, shipping=False, note="")
        refunds[placed[0].channel_order_id] = [refund]
        if sync_refund:
            assert engine.refunds.to_netsuite(refund).status == "created"
    sid = amazon.settle(placed, refunds, start=start, seed=seed, days=days, non_order=non_order)
    outcomes = engine.settlements.run(runtime.amazon, created_since=start - dt.timedelta(days=1))
    outcome = next(o for o in outcomes if o.settlement_id == sid)
    content = next(runtime.amazon.download_report(r.document_id).content
                   for r in runtime.amazon.settlement_reports(created_since=start - dt.timedelta(days=1))
                   if r.document_id and sid in runtime.amazon.download_report(r.document_id).content.decode()[:400])
    return Posted(config, engine, amazon, sid, outcome, placed, content)


def tie(runtime, posted: Posted, **override):
    config = posted.config
    settings = replace(config.settlement, **override) if override else config.settlement
    with open_settlement(posted.content) as settlement:
        facts = facts_of(settlement)
    billed = billed_records(runtime.netsuite, config.netsuite.order_id_field, facts.order_ids)
    footprint = settlement_footprint(runtime.netsuite, facts.settlement_id)
    return tie_out(facts, settings, billed=billed, footprint=footprint,
                   refunds=refunds_of(runtime.netsuite, [b.id for b in billed.values()]))

