"""The checks: pure functions from records to a :class:`~syncproof.verdict.CheckResult`.

No check performs I/O; steps fetch the records (through the engine or the connector
watch) and pass them in. Each result carries expected, actual, a one-sentence message
naming the order, line, SKU or amount at fault, and the records looked at as evidence.
Every verdict a scenario records is built here (or by the settlement tie-out and the
audit, which are checks too), never in a step.

    verify(checks.refund_amounts_match(channel_refund, netsuite_refund, check_id="RS-MN-3",
                                       expected_side="shopify", actual_side="NetSuite"))
"""

from __future__ import annotations

from ._charges import charges_on_adjustment_items, fee_kept_on_negative_item
from ._links import refund_linked_to_order
from ._refunds import (
    connector_record_updated,
    no_connector_refunds,
    no_duplicates,
    no_refund_records,
    one_refund_record,
    only_channel_refund,
    only_netsuite_refund,
    refund_amounts_match,
    refund_reported_as_exception,
    refunded_in_netsuite,
    transaction_types_match,
    unlinked_refund_reported,
)
from ._runs import audit_read_only, audit_reports_missing_refund, order_never_synced, rerun_unchanged
from ._settings import (
    refund_records_after_change,
    refund_records_as_stated,
    refund_records_before_change,
    setting_refused,
    settings_shown,
    settings_unchanged,
)
from ._settlements import (
    fees_on_billed_records,
    first_qualifying_start,
    nothing_posted,
    settlement_qualifies,
    settlement_too_early,
    summary_transactions,
)

__all__ = [
    "audit_read_only", "audit_reports_missing_refund", "charges_on_adjustment_items", "connector_record_updated",
    "fee_kept_on_negative_item", "fees_on_billed_records", "first_qualifying_start",
    "no_connector_refunds", "no_duplicates", "no_refund_records", "nothing_posted", "one_refund_record",
    "only_channel_refund", "only_netsuite_refund", "order_never_synced", "refund_amounts_match",
    "refund_linked_to_order", "refund_records_after_change", "refund_records_as_stated",
    "refund_records_before_change", "refund_reported_as_exception", "refunded_in_netsuite", "rerun_unchanged",
    "setting_refused",
    "settings_shown", "settings_unchanged", "settlement_qualifies", "settlement_too_early", "summary_transactions",
    "transaction_types_match", "unlinked_refund_reported",
]
