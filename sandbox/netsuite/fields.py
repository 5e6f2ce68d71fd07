"""The fields each record type has, as NetSuite's REST record service names them.

A record is returned with only the fields it has. A request body naming a field its
record does not have is handled as the request's ``X-NetSuite-PropertyNameValidation``
header says (REST API Browser: on every insert and update, "default `Warning`; enum
`Error`, `Warning`, `Ignore`"): by default the field is dropped and the record saved
without it (so a misnamed field is silently lost), and with ``Error`` the request is
refused, HTTP 400 naming the field in ``detail`` and ``o:errorPath``.

The lists below are the part of each record's REST schema (the REST API Browser's
definitions, e.g. ``cashRefund``, ``journalEntry``, ``deposit``, ``nonInventorySaleItem``
of Record REST v1 2026.1) the emulator models. Names the schema does not have (an item's
``basePrice``, a journal entry's header ``total``, a cash refund's ``paymentMethod``) are
not in them, so they are lost, or refused, here as they are live.

Custom fields (``custbody...`` on transactions, ``custentity...`` on entities,
``custitem...`` on items, ``custcol...`` on sublist lines) exist per account. The emulated
account has the NetSuite Connector installed, so it defines the connector's transaction
body fields (:data:`ACCOUNT_BODY_FIELDS`: the storefront field ``custbody_fa_channel``
naming the channel an order came from, and the storefront order field
``custbody_fa_channel_order``); they are settable on every transaction and are SuiteQL
columns of ``transaction``. Under ``Error`` validation a ``custbody`` field the account does
not define is refused like any unknown field; otherwise it is kept (entity, item and line
custom fields are kept under every mode).

Sublist lines have their own lists (:data:`LINE_FIELDS`), keyed by sublist name.
"""

from __future__ import annotations

from typing import Any

from .catalog import kind_of
from .errors import NetSuiteError

__all__ = ["ACCOUNT_BODY_FIELDS", "BODY_FIELDS", "READ_ONLY", "LINE_FIELDS", "NAME_VALIDATION", "check_fields",
           "known_fields", "unknown_field", "shown"]

_TRANSACTION = ("externalId", "tranId", "tranDate", "currency", "exchangeRate", "memo", "subsidiary",
                "location", "department", "class")
_SALES = _TRANSACTION + ("entity", "otherRefNum", "createdFrom", "item")

#: Body fields a request may set, per REST record type.
BODY_FIELDS: dict[str, frozenset[str]] = {name: frozenset(fields) for name, fields in {
    "salesOrder": _SALES,
    "cashSale": _SALES + ("account", "paymentOption"),
    "invoice": _SALES + ("account",),
    "returnAuthorization": _SALES,
    "creditMemo": _SALES + ("account", "apply"),
    # current releases (Payment Instruments): the payment is chosen in "paymentOption"
    "cashRefund": _SALES + ("account", "paymentOption"),
    "customerRefund": _TRANSACTION + ("customer", "account", "paymentMethod", "paymentOption", "apply"),
    "customerPayment": _TRANSACTION + ("customer", "account", "payment", "paymentOption", "apply"),
    "deposit": _TRANSACTION + ("account", "other"),
    # a journal entry has no header total: its amounts are its lines' debits and credits
    "journalEntry": _TRANSACTION + ("line",),
    # a sale item's price is "rate" (label "Price") or the "price" sublist; there is no "basePrice"
    "inventoryItem": ("externalId", "itemId", "displayName", "description", "subsidiary", "includeChildren"),
    "nonInventorySaleItem": ("externalId", "itemId", "displayName", "description", "subsidiary",
                             "includeChildren", "rate"),
    "otherChargeSaleItem": ("externalId", "itemId", "displayName", "description", "subsidiary",
                            "includeChildren", "rate"),
    "customer": ("externalId", "entityId", "companyName", "firstName", "lastName", "isPerson", "email",
                 "phone", "currency", "subsidiary"),
    "account": ("externalId", "acctNumber", "acctName", "acctType", "currency", "subsidiary"),
    "currency": ("externalId", "symbol", "name", "exchangeRate", "isBaseCurrency"),
    "subsidiary": ("externalId", "name", "parent", "currency", "isElimination"),
}.items()}

#: Fields NetSuite computes: returned on GET, never taken from a request.
READ_ONLY: dict[str, frozenset[str]] = {name: frozenset(fields) for name, fields in {
    "salesOrder": ("status", "subtotal", "taxTotal", "total"),
    "cashSale": ("status", "subtotal", "taxTotal", "total"),
    "invoice": ("status", "subtotal", "taxTotal", "total", "amountPaid", "amountRemaining"),
    "returnAuthorization": ("status", "subtotal", "taxTotal", "total"),
    "creditMemo": ("status", "subtotal", "taxTotal", "total", "applied", "unapplied"),
    "cashRefund": ("status", "subtotal", "taxTotal", "total"),
    "customerRefund": ("status", "total", "entity"),
    "customerPayment": ("status", "total", "entity", "applied", "unapplied"),
    "deposit": ("total",),  # label "Amount"; a deposit has no status field
}.items()}
_ALWAYS = frozenset({"id", "links", "refName", "createdDate", "lastModifiedDate"})

#: Fields of a sublist line (``line`` is the line's key), per sublist.
LINE_FIELDS: dict[str, frozenset[str]] = {name: frozenset(fields) for name, fields in {
    "item": ("line", "item", "quantity", "rate", "amount", "tax1Amt", "description", "orderLine",
             "location", "department", "class"),
    "apply": ("line", "doc", "apply", "amount", "type", "refNum", "due", "total"),
    "other": ("line", "account", "amount", "entity", "memo", "department", "class", "location"),
    "line": ("line", "account", "debit", "credit", "memo", "entity", "department", "class", "location"),
}.items()}

_CUSTOM = {"transaction": "custbody", "entity": "custentity", "item": "custitem"}

#: Transaction body fields the emulated account defines: the NetSuite Connector's storefront field and
#: storefront order field (see ``syncproof/footprints.toml``, ``[sales_order]``, for their sources).
ACCOUNT_BODY_FIELDS = ("custbody_fa_channel", "custbody_fa_channel_order")


def _custom(record_type: str, field: str) -> bool:
    prefix = _CUSTOM.get(kind_of(record_type).family)
    return bool(prefix) and field.lower().startswith(prefix or "")


def _defined(record_type: str, field: str) -> bool:
    """Whether the account defines custom field ``field`` (only transaction body fields are listed)."""
    return kind_of(record_type).family != "transaction" or field.lower() in ACCOUNT_BODY_FIELDS


def known_fields(record_type: str) -> frozenset[str]:
    """Every field a record of this type returns (settable, computed and the resource's own)."""
    return BODY_FIELDS[record_type] | READ_ONLY.get(record_type, frozenset()) | _ALWAYS


def unknown_field(record_type: str, path: str, field: str) -> NetSuiteError:
    return NetSuiteError(400, "INVALID_CONTENT",
                         f"Invalid field {field}: the {record_type} record has no field of that name.",
                         path=path)


#: ``X-NetSuite-PropertyNameValidation`` values; ``Warning`` is NetSuite's default.
NAME_VALIDATION = ("error", "warning", "ignore")


def check_fields(record_type: str, body: dict[str, Any], *, validation: str = "warning") -> dict[str, Any]:
    """``body`` with only the fields ``record_type`` (and each sublist line) has.

    With ``validation="error"`` the first field the record does not have is refused instead
    (400 naming it); ``warning`` and ``ignore`` drop it. Computed fields a body carries are
    kept for the record to ignore.
    """
    allowed = known_fields(record_type)
    sublists = {s for s in (kind_of(record_type).sublist, "item", "apply") if s and s in BODY_FIELDS[record_type]}
    kept: dict[str, Any] = {}
    for key, value in body.items():
        custom = _custom(record_type, key)
        if (key not in allowed and not custom) or (custom and validation == "error"
                                                    and not _defined(record_type, key)):
            if validation == "error":
                raise unknown_field(record_type, key, key)
            continue
        if key in sublists and isinstance(value, dict) and isinstance(value.get("items"), list):
            lines = []
            for index, line in enumerate(value["items"]):
                if isinstance(line, dict):
                    for field in [f for f in line if f not in LINE_FIELDS[key] and not f.lower().startswith("custcol")]:
                        if validation == "error":
                            raise unknown_field(record_type, f"{key}.items[{index}].{field}", field)
                        line = {k: v for k, v in line.items() if k != field}
                lines.append(line)
            value = {**value, "items": lines}
        kept[key] = value
    return kept


def shown(record_type: str, record: dict[str, Any]) -> dict[str, Any]:
    """``record`` without the fields its type does not have (the emulator's own bookkeeping)."""
    keep = known_fields(record_type)
    return {k: v for k, v in record.items() if k in keep or _custom(record_type, k)}
