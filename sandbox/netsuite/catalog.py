"""What the emulator knows about NetSuite record types: families, sublists, transforms.

Record types are REST names (``salesOrder``); transactions also carry their SuiteQL
``transaction.type`` code from :class:`syncproof.model.TransactionType`.

Internal ids come from one sequence per family, as in NetSuite: all transactions
share one id space (the ``transaction`` table), items another, entities another.
"""

from __future__ import annotations

from dataclasses import dataclass

from syncproof.model import TransactionType

__all__ = [
    "RecordKind", "RECORD_TYPES", "TRANSFORMS", "BILLING_TRANSFORMS", "ITEM_TYPES",
    "canonical_type", "kind_of", "suiteql_code", "transaction_type", "SALES_SIDE", "RETURN_SIDE",
]


@dataclass(frozen=True)
class RecordKind:
    """One REST record type: its family, sublist, tranId prefix and SuiteQL code."""

    name: str
    family: str  # "transaction" | "item" | "entity" | "account" | "currency" | "subsidiary"
    sublist: str | None = None  # "item", "other", "line", "apply"
    prefix: str = ""
    code: str | None = None  # SuiteQL transaction.type or item.itemtype
    needs_entity: bool = False
    label: str = ""


_T = TransactionType
RECORD_TYPES: dict[str, RecordKind] = {k.name: k for k in [
    RecordKind("salesOrder", "transaction", "item", "SO", _T.SALES_ORDER.value, True, "Sales Order"),
    RecordKind("cashSale", "transaction", "item", "CS", _T.CASH_SALE.value, True, "Cash Sale"),
    RecordKind("invoice", "transaction", "item", "INV", _T.INVOICE.value, True, "Invoice"),
    RecordKind("returnAuthorization", "transaction", "item", "RMA", _T.RETURN_AUTHORIZATION.value,
               True, "Return Authorization"),
    RecordKind("creditMemo", "transaction", "item", "CM", _T.CREDIT_MEMO.value, True, "Credit Memo"),
    RecordKind("cashRefund", "transaction", "item", "CR", _T.CASH_REFUND.value, True, "Cash Refund"),
    RecordKind("customerRefund", "transaction", "apply", "CRF", _T.CUSTOMER_REFUND.value, True,
               "Customer Refund"),
    RecordKind("customerPayment", "transaction", "apply", "PYMT", _T.CUSTOMER_PAYMENT.value, True,
               "Payment"),
    RecordKind("deposit", "transaction", "other", "DEP", _T.DEPOSIT.value, False, "Deposit"),
    RecordKind("journalEntry", "transaction", "line", "JE", _T.JOURNAL_ENTRY.value, False,
               "Journal Entry"),
    RecordKind("inventoryItem", "item", code="InvtPart", label="Inventory Item"),
    RecordKind("nonInventorySaleItem", "item", code="NonInvtPart", label="Non-inventory Item"),
    RecordKind("otherChargeSaleItem", "item", code="OthCharge", label="Other Charge"),
    RecordKind("customer", "entity", label="Customer"),
    RecordKind("account", "account", label="Account"),
    RecordKind("currency", "currency", label="Currency"),
    RecordKind("subsidiary", "subsidiary", label="Subsidiary"),
]}

ITEM_TYPES = tuple(k.name for k in RECORD_TYPES.values() if k.family == "item")

#: Transformations the emulator allows (source -> targets), as NetSuite supports them.
TRANSFORMS: dict[str, tuple[str, ...]] = {
    "salesOrder": ("cashSale", "invoice", "returnAuthorization"),
    "cashSale": ("cashRefund", "returnAuthorization"),
    "invoice": ("creditMemo", "returnAuthorization"),
    "returnAuthorization": ("creditMemo", "cashRefund"),
}
#: Transforms that bill an order; every other allowed transform returns or refunds.
BILLING_TRANSFORMS = frozenset({("salesOrder", "cashSale"), ("salesOrder", "invoice")})

#: Item lines credit income (quantity and amount negative in ``transactionline``).
SALES_SIDE = frozenset({"salesOrder", "cashSale", "invoice"})
#: Item lines debit income (quantity and amount positive in ``transactionline``).
RETURN_SIDE = frozenset({"returnAuthorization", "creditMemo", "cashRefund"})

_BY_LOWER = {name.lower(): name for name in RECORD_TYPES}


def canonical_type(name: str) -> str | None:
    """The REST spelling of a record type (NetSuite matches them case-insensitively)."""
    return _BY_LOWER.get(name.lower())


def kind_of(name: str) -> RecordKind:
    return RECORD_TYPES[name]


def suiteql_code(name: str) -> str:
    """The SuiteQL ``transaction.type`` or ``item.itemtype`` code of a record type that has one."""
    code = RECORD_TYPES[name].code
    if code is None:
        raise KeyError(f"{name} has no SuiteQL type code")
    return code


def transaction_type(name: str) -> TransactionType:
    return TransactionType.from_record_type(name)
