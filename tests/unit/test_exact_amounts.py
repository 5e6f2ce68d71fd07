"""Amounts stay exact: prorated refund shares sum to the billed line, per currency, and
evidence keeps JSON numbers as their exact text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from connectors._http import Redactor
from connectors.netsuite import BilledLine, NetSuiteRecords
from sandbox import fault_plan
from syncproof.config import parse_config
from syncproof.errors import ConfigError
from syncproof.runtime import check_fault_plan


def _books() -> NetSuiteRecords:
    books = NetSuiteRecords(client=None)  # type: ignore[arg-type]  # the item is known: nothing is asked
    books._remember_item("MUG", "11")
    return books


def _billed(amount: str, tax: str, quantity: int = 3) -> list[BilledLine]:
    return [BilledLine(line=1, item_id="11", quantity=Decimal(quantity), rate=Decimal(amount) / quantity,
                       amount=Decimal(amount), tax=Decimal(tax))]


def test_three_for_ten_refunded_one_at_a_time_sums_to_ten():
    books = _books()
    shares = [books.prorated_lines(_billed("10.00", "0.80"), {"MUG": 1}, refunded={"MUG": done})[0]
              for done in range(3)]
    assert [s.amount for s in shares] == [Decimal("3.33"), Decimal("3.34"), Decimal("3.33")]
    assert sum(s.amount for s in shares) == Decimal("10.00")
    assert sum(s.tax for s in shares) == Decimal("0.80")


def test_shares_are_rounded_to_the_currency_minor_unit():
    books = _books()
    shares = [books.prorated_lines(_billed("1000", "100"), {"MUG": 1}, currency="JPY", refunded={"MUG": done})[0]
              for done in range(3)]
    assert [s.amount for s in shares] == [Decimal("333"), Decimal("334"), Decimal("333")]
    kwd = books.prorated_lines(_billed("10.000", "0"), {"MUG": 1}, currency="KWD")[0]
    assert kwd.amount == Decimal("3.333")


def test_evidence_keeps_json_numbers_exact():
    body = Redactor().body(b'{"total": 12345678901234567.89, "rate": 0.1000}', "application/json")
    assert "12345678901234567.89" in body and "0.1000" in body and "e+16" not in body


def test_a_sandbox_faults_table_is_accepted_as_documented():
    config = parse_config({"sandbox": {"faults": {"seed": 42, "rate": 0.1, "vendors": ["netsuite"]}}})
    plan = fault_plan(config.sandbox_faults)
    assert plan.seed == 42 and plan.vendors == frozenset({"netsuite"}) and sum(plan.rates.values()) > 0
    with pytest.raises(ConfigError, match="fault plan"):
        check_fault_plan(parse_config({"sandbox": {"faults": {"seed": "x"}}}))
