"""The settlement audit against real settlement reports and postings in the emulators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sandbox.settlement_generator import GeneratorOptions, SettlementOrder, settlement_bytes
from syncproof.audit import Progress, ReadOnlyClients
from syncproof.audit.settlements import audit_settlements
from syncproof.channels.amazon import AmazonActions
from syncproof.config import parse_config
from syncproof.model import Money, OrderLine

SUMMARY_POSTING = {"posting": "deposit", "bank_account": "Amazon Settlement Bank"}


def _settled(runtime, *, unsynced: int = 0, settlement: dict | None = None, settlement_id: str = "4411223344"):
    """Two synced Amazon orders (plus ``unsynced`` never synced) settled in a report inside the window."""
    settings = dict(SUMMARY_POSTING if settlement is None else settlement)
    if settings.get("posting", "netsuite_connector") == "netsuite_connector":
        settings["customer_internal_id"] = runtime.netsuite.upsert(
            "customer", "amazon-settlement-customer",
            {"entityId": "Amazon Settlements", "companyName": "Amazon Settlements", "isPerson": False})
    config = parse_config({"project": {"go_live": "2020-01-01"}, "settlement": settings})
    engine = runtime.engine(config)
    for sku in ("AU-MUG", "Shipping", "Refund Adjustment", "Refund Fee"):
        engine.books.ensure_item(sku, sku)
    engine.settlements.create_settlement_items()
    amazon = AmazonActions(runtime)
    line = OrderLine("1", "AU-MUG", 2, Money("14.50", "USD"), Money("2.32", "USD"), Money("0", "USD"), "mug")
    synced = [amazon.place_order([line], shipping=None, customer=("A B", "a@example.com"), note="") for _ in range(2)]
    for order in synced:
        assert engine.orders.sync(order).synced
    never = [
        amazon.place_order([line], shipping=None, customer=("C D", "c@example.com"), note="") for _ in range(unsynced)
    ]
    now = dt.datetime.now(dt.timezone.utc)
    start, end = now - dt.timedelta(hours=20), now - dt.timedelta(hours=3)
    content = settlement_bytes(
        GeneratorOptions(rows=0, seed=99, start=start, reserve_rows=True, settlement_id=settlement_id),
        [SettlementOrder.from_order(o) for o in synced + never],
    )
    amazon.issue_settlement(content, start=start, end=end)
    outcomes = engine.settlements.run(runtime.amazon, created_since=now - dt.timedelta(days=2))
    return config, [o for o in outcomes if o.settlement_id == settlement_id][0], never


def _audit(runtime, config, window):
    return audit_settlements(ReadOnlyClients.of(runtime), config, window, progress=Progress(enabled=False))


def test_a_posted_settlement_passes_the_audit(runtime, window):
    config, outcome, _ = _settled(runtime)
    assert outcome.status == "posted"
    result = _audit(runtime, config, window)
    assert result.passed, [m.to_json() for m in result.mismatches]
    report = next(s for s in result.settlements if s["id"] == "4411223344")
    assert report["balance"]["balanced"] and report["matched_orders"] == 2 and report["exceptions"] == []


def test_orders_never_synced_are_listed_and_a_wrong_deposit_is_a_mismatch(runtime, window):
    config, outcome, never = _settled(runtime, unsynced=1)
    runtime.sandbox.netsuite.corrupt("deposit", outcome.netsuite_id, "total", Decimal("1.00"))
    result = _audit(runtime, config, window)
    report = next(s for s in result.settlements if s["id"] == "4411223344")
    assert [e["order_id"] for e in report["exceptions"]] == [never[0].channel_order_id]
    rows = [m.to_json() for m in result.mismatches]
    assert any(
        m["check"] == "AS-4" and "4411223344" in m["what"] and m["actual"].startswith("1.00 USD") for m in rows
    ), repr(rows)
    bank = [m for m in rows if "payout deposited" in m["what"]]
    assert len(bank) == 1 and outcome.total.rounded().amount.to_eng_string() in bank[0]["expected"], bank
    assert "1.00 USD" in bank[0]["actual"]  # a different deposit names both amounts
    assert not result.passed


def test_the_audit_ties_out_settlements_posted_in_the_connector_model(runtime, window):
    config, outcome, _ = _settled(runtime, settlement={}, settlement_id="5511223344")
    assert outcome.status == "posted", outcome.reason
    result = _audit(runtime, config, window)
    mine = [m.to_json() for m in result.mismatches if "5511223344" in m.what]
    assert mine == []
    report = next(s for s in result.settlements if s["id"] == "5511223344")
    assert report["model"] == "netsuite_connector" and report["statement"]["balanced"]


def test_a_fee_line_deleted_in_netsuite_is_one_mismatch_naming_the_order_and_amount(runtime, window):
    from connectors.netsuite.settlements import settlement_footprint

    config, outcome, _ = _settled(runtime, settlement={}, settlement_id="6611223344")
    victim = settlement_footprint(runtime.netsuite, "6611223344").lines[0]
    backend = runtime.sandbox.netsuite
    record = backend.get("cashSale", victim.transaction_id)
    kept = [line for line in record["item"]["items"] if line.get("description") != victim.memo]
    backend.update("cashSale", victim.transaction_id, {"item": {"items": kept}}, replace=("item",))
    order = str(record.get("otherRefNum"))
    result = _audit(runtime, config, window)
    mine = [m.to_json() for m in result.mismatches if "6611223344" in m.what]
    assert len(mine) == 1, mine
    assert mine[0]["check"] == "AS-4" and mine[0]["order"] == order
    assert mine[0]["expected"] == f"{victim.amount:.2f} USD" and mine[0]["actual"] == "no such line"
