"""Does a settlement balance? Its rows' sum against the summary's total-amount (AS-3)."""

from __future__ import annotations

from connectors._settlement_model import Balance, CurrencyBalance
from connectors._settlement_reader import SettlementFile
from syncproof.model import Money

__all__ = ["balance"]


def balance(settlement: SettlementFile) -> Balance:
    """Sum every row of ``settlement`` and compare with its total-amount, to the cent.

    Reads the rows not yet read (none, some or all may have been iterated
    already). A settlement file carries one currency, given on its summary row,
    so the result holds one :class:`CurrencyBalance`.

    Raises :class:`SettlementFileError` when a row cannot be read.
    """
    count, rows_sum = settlement.totals()
    summary = settlement.summary
    line = CurrencyBalance(summary.currency, summary.total, Money(rows_sum, summary.currency), count)
    return Balance(summary.settlement_id, (line,))
