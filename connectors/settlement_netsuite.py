"""Amazon settlements in NetSuite as the NetSuite Connector posts them (see ``_settlement_netsuite``)."""

from connectors._settlement_netsuite import (
    BILLED_RECORD_TYPES,
    SUMMARY_RECORD_TYPES,
    BilledRecord,
    FootprintLine,
    RefundRecord,
    SettlementFootprint,
    SummaryTransaction,
    add_settlement_lines,
    billed_records,
    create_settlement_items,
    deposits_into,
    has_settlement_lines,
    line_memo,
    post_summary,
    refunds_of,
    settlement_footprint,
    settlement_item_ids,
    summary_memo,
)

__all__ = ["BILLED_RECORD_TYPES", "SUMMARY_RECORD_TYPES", "BilledRecord", "FootprintLine", "RefundRecord",
           "SettlementFootprint", "SummaryTransaction", "add_settlement_lines", "billed_records",
           "create_settlement_items", "deposits_into", "has_settlement_lines", "line_memo", "post_summary",
           "refunds_of", "settlement_footprint", "settlement_item_ids", "summary_memo"]
