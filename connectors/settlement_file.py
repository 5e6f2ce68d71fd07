"""Amazon settlement flat files, read as a stream into one row model.

Two report types are read:

* ``GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2``: tab-separated, one amount per
  row (amount-type, amount-description, amount), 23 or 24 columns (with
  ``promotion-id``).
* ``GET_FLAT_FILE_PAYMENT_SETTLEMENT_DATA`` (legacy, historical settlements):
  36 columns, or 33 without the promotion columns; each non-empty amount
  column becomes one :class:`SettlementRow` with a V2 amount-type equivalent.

In both, the first data row is the summary (settlement-id, the period,
deposit-date, total-amount, currency); every other row belongs to the same
settlement and takes its currency from the summary.

    with open_settlement("settlement.txt") as settlement:
        for row in settlement.rows():
            ...
        result = balance(settlement)
    result.balanced
    # -> True

A one-pass tally reads the rows by column instead, a batch of consecutive rows at a
time (``settlement.batches()``, see :class:`SettlementBatch`): the texts of a field,
the amounts as exact integer units of the currency, any one row built whole.

Tolerated as they occur in real files: dot or comma decimal amounts (with
thousands separators, trailing spaces), ``2024-10-09 14:28:38 UTC``,
``15.11.2024 08:59:45 UTC``, ISO 8601 with an offset, date-only posted dates,
a UTF-8 BOM, CRLF, cp1252/latin-1 text, a missing trailing column, blank lines.
Unknown transaction types and descriptions are kept as written.

Exceptions::

    ConnectorError                 (connectors._exceptions)
    └── SettlementFileError        the file cannot be opened or is not a well-formed
                                   settlement file: wrong header, no summary row,
                                   two settlement ids, a bad amount, date, quantity or
                                   currency, binary content. Its message names the line,
                                   the column and the value; ``hint`` says how to fix it.
                                   ``line``, ``column`` and ``value`` are attributes too.

No other exception escapes for any file content.
"""

from __future__ import annotations

from connectors._settlement_balance import balance
from connectors._settlement_batch import AmountUnits, RowsBatch, SettlementBatch, batches_of
from connectors._settlement_columns import LEGACY_AMOUNTS, LEGACY_COLUMNS, V2_COLUMNS
from connectors._settlement_errors import SettlementFileError
from connectors._settlement_model import Balance, CurrencyBalance, SettlementRow, SettlementSummary
from connectors._settlement_reader import SettlementFile, Source, open_settlement
from connectors._settlement_values import is_amazon_order_id, order_reference_kind, parse_amount, parse_datetime

__all__ = [
    "open_settlement",
    "balance",
    "is_amazon_order_id",
    "order_reference_kind",
    "parse_amount",
    "parse_datetime",
    "SettlementFile",
    "SettlementSummary",
    "SettlementRow",
    "SettlementBatch",
    "RowsBatch",
    "AmountUnits",
    "batches_of",
    "Balance",
    "CurrencyBalance",
    "SettlementFileError",
    "Source",
    "V2_COLUMNS",
    "LEGACY_COLUMNS",
    "LEGACY_AMOUNTS",
]
