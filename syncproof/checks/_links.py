"""KC-1 and RS-NM-1: a refund leads back to its order through its ``createdFrom`` chain."""

from __future__ import annotations

from typing import Sequence

from ..model import ChainLink, TransactionType
from ..verdict import CheckResult, FailureCategory

__all__ = ["refund_linked_to_order"]

_REFUND_TYPES = {t.value for t in (TransactionType.CASH_REFUND, TransactionType.CREDIT_MEMO,
                                   TransactionType.RETURN_AUTHORIZATION, TransactionType.CUSTOMER_REFUND)}


def refund_linked_to_order(chain: Sequence[ChainLink], channel_order_id: str, *,
                           check_id: str = "RS-NM-1") -> CheckResult:
    """The refund's createdFrom chain ends at the sales order carrying ``channel_order_id``."""
    evidence = [{"createdFrom chain": [link.to_json() for link in chain]}]
    path = " -> ".join(f"{link.type} {link.tranid or link.id}" for link in chain) or "nothing"
    title = "refund linked to the order"
    if not chain:
        return CheckResult(check_id, title, False, f"sales order for {channel_order_id}", "no record",
                           f"the refund for order {channel_order_id} was not found in NetSuite", evidence,
                           FailureCategory.SYNC_DID_NOT_HAPPEN)
    refund, origin = chain[0], chain[-1]
    expected = f"{TransactionType.SALES_ORDER.value} with order id {channel_order_id}"
    actual = f"{origin.type} with order id {origin.order_ref}"
    if refund.type not in _REFUND_TYPES:
        return CheckResult(check_id, title, False, "a refund record", refund.type,
                           f"record {refund.id} for order {channel_order_id} is a {refund.type}, not a refund",
                           evidence, FailureCategory.DATA_MISMATCH)
    if len(chain) == 1:
        return CheckResult(check_id, title, False, expected, "no createdFrom",
                           f"{refund.type} {refund.tranid or refund.id} for order {channel_order_id} has no "
                           "createdFrom link, so it is not linked to any order", evidence,
                           FailureCategory.DATA_MISMATCH)
    if origin.type != TransactionType.SALES_ORDER.value or origin.order_ref != channel_order_id:
        return CheckResult(check_id, title, False, expected, actual,
                           f"{refund.type} {refund.tranid or refund.id} leads to {actual} ({path}), "
                           f"not to the sales order of order {channel_order_id}", evidence,
                           FailureCategory.DATA_MISMATCH)
    return CheckResult(check_id, title, True, expected, actual,
                       f"{refund.type} {refund.tranid or refund.id} leads back to the sales order of order "
                       f"{channel_order_id} ({path})", evidence)
