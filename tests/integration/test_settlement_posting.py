"""Settlement posting options: deposit or journal entry, and the settlement customer on each line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from connectors.settlement_file import open_settlement
from sandbox.settlement_generator import GeneratorOptions, settlement_bytes
from syncproof.config import parse_config
from syncproof.engine import SyncEngine
from syncproof.engine.store import EngineStore
from syncproof.errors import SettingsRefused

START = dt.datetime(2026, 10, 6, 8, tzinfo=dt.timezone.utc)


def _engine(runtime, **settlement):
    settlement = {"posting": "deposit", "bank_account": "Amazon Settlement Bank", **settlement}
    config = parse_config({"project": {"go_live": "2026-09-01"}, "settlement": settlement})
    return SyncEngine.build(runtime.netsuite, EngineStore(), config)


def _file(seed: int):
    return open_settlement(settlement_bytes(GeneratorOptions(rows=30, seed=seed, start=START, reserve_rows=True)))


def test_deposit_lines_name_the_settlement_customer(runtime):
    runtime.netsuite.upsert("customer", "amazon-settlement-customer",
                            {"entityId": "Amazon.com", "companyName": "Amazon.com", "isPerson": False})
    outcome = _engine(runtime, customer="Amazon.com").settlements.process(_file(11))
    assert outcome.status in ("posted", "posted_with_exceptions")
    deposit = runtime.netsuite.get("deposit", outcome.netsuite_id)
    lines = deposit["other"]["items"]
    assert lines and all(line["entity"]["refName"] or line["entity"]["id"] for line in lines)
    assert Decimal(str(deposit["total"])) == outcome.total.amount


def test_journal_entry_posting_balances(runtime):
    outcome = _engine(runtime, posting="journal_entry").settlements.process(_file(12))
    journal = runtime.netsuite.get("journalEntry", outcome.netsuite_id)
    debits = sum(Decimal(str(line.get("debit", 0))) for line in journal["line"]["items"])
    credits = sum(Decimal(str(line.get("credit", 0))) for line in journal["line"]["items"])
    assert debits == credits
    assert outcome.netsuite_type == "journalEntry"


def test_an_unknown_settlement_customer_is_refused_by_name(runtime):
    with pytest.raises(SettingsRefused, match="'No Such Customer' names no customer"):
        _engine(runtime, customer="No Such Customer").settlements.process(_file(13))
