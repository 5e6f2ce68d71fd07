"""Summary posting keeps the settlement's currency: the deposit or journal entry is made in it and
what NetSuite posted is read back in the record's own currency; a currency the account does not
have stops the posting in one line, before anything is written (real loopback HTTP)."""

from __future__ import annotations

import datetime as dt

import pytest

from connectors.settlement_file import open_settlement
from sandbox.settlement_generator import GeneratorOptions, settlement_bytes
from syncproof.config import parse_config
from syncproof.engine import SyncEngine
from syncproof.engine.store import EngineStore
from syncproof.errors import SettingsRefused

pytestmark = pytest.mark.integration

START = dt.datetime(2026, 10, 6, 8, tzinfo=dt.timezone.utc)


def _engine(runtime, posting: str):
    config = parse_config({"project": {"go_live": "2026-09-01"},
                           "settlement": {"posting": posting, "bank_account": "Amazon Settlement Bank"}})
    return SyncEngine.build(runtime.netsuite, EngineStore(), config)


def _file(seed: int, currency: str):
    return open_settlement(settlement_bytes(GeneratorOptions(rows=30, seed=seed, start=START, currency=currency,
                                                             marketplace="Amazon.de")))


@pytest.mark.parametrize("posting, record_type", [("deposit", "deposit"), ("journal_entry", "journalEntry")])
def test_a_eur_settlement_is_posted_and_read_back_in_eur(runtime, posting, record_type):
    outcome = _engine(runtime, posting).settlements.process(_file(31, "EUR"))
    assert outcome.status in ("posted", "posted_with_exceptions"), outcome.reason
    record = runtime.netsuite.get(record_type, outcome.netsuite_id)
    euro = next(c["id"] for c in runtime.sandbox.netsuite.records("currency") if c["symbol"] == "EUR")
    assert record["currency"]["id"] == euro
    assert outcome.deposit_total is not None and outcome.deposit_total.currency == "EUR"
    assert outcome.deposit_total.amount == abs(outcome.total.amount)  # a journal entry: from its debit lines


def test_a_settlement_in_a_currency_netsuite_lacks_is_refused_before_any_write(runtime):
    before = {t: len(runtime.sandbox.netsuite.records(t)) for t in ("deposit", "journalEntry")}
    with pytest.raises(SettingsRefused) as refused:
        _engine(runtime, "deposit").settlements.process(_file(32, "CHF"))
    line = str(refused.value)
    assert "CHF" in line and "Lists > Accounting > Currencies" in line and "\n" not in line
    assert "NetSuite does not let Multiple Currencies be turned off once" in line  # Oracle, Currency Management
    assert {t: len(runtime.sandbox.netsuite.records(t)) for t in before} == before
