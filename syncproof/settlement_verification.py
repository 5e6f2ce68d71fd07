"""Read what AS-1..AS-4 need about a settlement from NetSuite, then tie it out.

Shared by the settlement scenarios (either driver) and the audit: the settlement file
comes from Amazon (the channel's own record), NetSuite's footprint from
:mod:`connectors.netsuite.settlements`, and the comparison is the check module
:mod:`syncproof.settlement_tieout`. Nothing here reads what the sync remembers.

    verified = verify_settlement(netsuite, config, content)
    verified.tie.mismatches, verified.bank
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connectors.netsuite import NetSuiteRecords
from connectors.netsuite.settlements import billed_records, deposits_into, refunds_of, settlement_footprint
from connectors.settlement_file import open_settlement
from syncproof.config import Config
from syncproof.footprints import model_for_posting
from syncproof.settlement_statement import Statement, StatementBuilder
from syncproof.settlement_tieout import SettlementFacts, TieOut, bank_deposit_leg, facts_of, tie_out
from syncproof.verdict import CheckResult

__all__ = ["VerifiedSettlement", "verify_settlement", "read_settlement", "settlement_records"]


@dataclass
class VerifiedSettlement:
    facts: SettlementFacts
    statement: Statement
    tie: TieOut
    bank: CheckResult | None  # the bank-deposit leg, when [settlement] bank_account is set

    @property
    def results(self) -> list[CheckResult]:
        from syncproof.settlement_tieout import settlement_tied_out

        return [settlement_tied_out(self.tie), *([self.bank] if self.bank is not None else [])]


class _Both:
    """Feeds one pass over the rows to the facts and the statement."""

    def __init__(self, settlement: Any) -> None:
        self.summary = settlement.summary
        self._settlement = settlement
        self.builder = StatementBuilder(self.summary.currency)

    def rows(self):
        for row in self._settlement.rows():
            self.builder.add(row)
            yield row


def read_settlement(content: bytes) -> tuple[SettlementFacts, Statement]:
    """The facts the tie-out needs and the statement view, in one pass over the file."""
    with open_settlement(content) as settlement:
        both = _Both(settlement)
        facts = facts_of(both)
        statement = both.builder.build(facts.settlement_id, settlement.summary.total)
    return facts, statement


def settlement_records(netsuite: Any, settlement_id: str) -> list[dict[str, Any]]:
    """Summary posting: the deposits and journal entries carrying ``amazon-settlement-<id>``."""
    if not settlement_id.isdigit():
        return []
    return NetSuiteRecords(netsuite).settlement_postings(settlement_id)


def verify_settlement(netsuite: Any, config: Config, content: bytes, *,
                      billed: dict[str, Any] | None = None) -> VerifiedSettlement:
    """Tie one settlement file out against NetSuite under the configured model and settings."""
    facts, statement = read_settlement(content)
    settings = config.settlement
    if billed is None:
        billed = billed_records(netsuite, config.netsuite.order_id_field, facts.order_ids)
    if model_for_posting(settings.posting) == "summary_posting":
        tie = tie_out(facts, settings, billed=billed, settlement_records=settlement_records(netsuite,
                                                                                             facts.settlement_id))
    else:
        tie = tie_out(facts, settings, billed=billed, footprint=settlement_footprint(netsuite, facts.settlement_id),
                      refunds=refunds_of(netsuite, [b.id for b in billed.values()]))
    bank = None
    if settings.bank_account:
        bank = bank_deposit_leg(facts, settings.bank_account,
                                deposits_into(netsuite, settings.bank_account, facts.deposit_day))
    return VerifiedSettlement(facts, statement, tie, bank)
