"""Expected NetSuite footprints, owned by the checks: what a channel refund (and a settlement) must leave.

The table is data, ``footprints.toml`` next to this module, so the expectation never comes
from the code that performs the sync (``syncproof.engine`` or a connector). Sources are
cited in the data file (Oracle NetSuite help: "NetSuite Connector Refund Sync FAQ",
"Best Practice for Refund Syncs", "Refunds and Exchanges in NetSuite Connector",
"Concession and Refund Handling in NetSuite Connector").

Schema of ``[[refund]]`` rows:

    model                 "netsuite_connector" | "summary_posting" | "*" (any model)
    direction             "to_netsuite" | "from_netsuite"
    billing               "cash_sale" | "invoice" (the order's billing record)
    return_authorization  bool, optional (absent: any)    the [<channel>.refunds] setting
    customer_refund       bool, optional (absent: any)    the [<channel>.refunds] setting
    credit_memos          bool, optional (absent: any)    refunds posted as credit memos
    records               the NetSuite records the connector makes, in order, each:
        type          SuiteQL transaction type code (CashRfnd, CustCred, RtnAuth, CustRfnd...)
        created_from  type code of the record it is transformed from (its createdFrom), or
        applies_to    type code of the record it pays out (customer refund -> credit memo)
        lines         "refund" (the channel refund's item lines, shipping and other amounts on
                      the adjustment items) | "none"
        customer      "order" (the order's customer) | "settlement" (the settlement customer)
        amount        "refund" (the channel refund's total)

Exactly one row matches a combination; otherwise :class:`FootprintError` names it.

The ``[sales_order]`` table is what the connector writes on every order it imports:
``channel_field``, the body field naming the channel the order came from (the default of
``[netsuite] channel_field``), whose value is the channel's NetSuite name, or that name,
``account_separator`` and an account name for a second account of the channel
(:func:`names_channel`).

The ``[refund_lines]`` table says which items a refund's lines other than item lines go on: ``item_type``
(the SuiteQL type code they must have, ``item_type_name`` its name in NetSuite) and, for refunded
``shipping`` the places it may sit on (a refund setting naming an item, or ``order_shipping_item``: the item
the order's shipping line is on), for a ``positive`` adjustment and a ``negative`` one the refund setting
naming the item (:func:`refund_charge_items`).

Settlement rows (``[[settlement]]``, added with the settlement posting model) use the same
``model`` key plus ``row`` (the settlement row kind: order_item, order_fee, refund,
non_order...), ``record`` (type code), ``on`` ("billed_record" | "summary" | "deposit" |
"journal") and ``customer``; :func:`settlement_rows` hands them over as plain dicts.

    >>> from syncproof.config import RefundSettings
    >>> expected_refund_records("netsuite_connector", "invoice", RefundSettings()).types
    ('CustCred',)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = ["MODELS", "ExpectedRecord", "RefundFootprint", "FootprintError", "expected_refund_records",
           "model_for_posting", "settlement_rows", "refund_rows", "SettlementPlacement", "settlement_placement",
           "sales_order_channel_field", "names_channel", "RefundChargeItems", "refund_charge_items"]

#: The connector models the table describes; ``netsuite_connector`` is the default.
MODELS = ("netsuite_connector", "summary_posting")
DATA_FILE = Path(__file__).with_name("footprints.toml")
_SETTING_KEYS = ("return_authorization", "customer_refund", "credit_memos")
_POSTING_MODELS = {"netsuite_connector": "netsuite_connector", "deposit": "summary_posting",
                   "journal_entry": "summary_posting", "summary_posting": "summary_posting"}


class FootprintError(ConfigError):
    """A model or settings combination the footprint table does not describe."""


@dataclass(frozen=True)
class ExpectedRecord:
    """One NetSuite record a refund must produce."""

    type: str
    created_from: str | None = None
    applies_to: str | None = None
    lines: str = "refund"
    customer: str = "order"
    amount: str = "refund"


@dataclass(frozen=True)
class RefundFootprint:
    """The records one combination of model, direction, billing record and settings calls for."""

    model: str
    direction: str
    billing: str
    records: tuple[ExpectedRecord, ...]

    @property
    def types(self) -> tuple[str, ...]:
        return tuple(record.type for record in self.records)

    def describe(self) -> str:
        if not self.records:
            return "no NetSuite record made by the connector"
        return ", then ".join(f"{r.type} from {r.created_from or r.applies_to}" for r in self.records)


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)


def sales_order_channel_field() -> str:
    """The sales order body field in which the connector names the channel an order came from."""
    return str(_table()["sales_order"]["channel_field"])


def names_channel(value: str, netsuite_name: str) -> bool:
    """Whether a sales order's channel field ``value`` names the channel called ``netsuite_name`` in NetSuite:
    the name itself or, for a second account of the channel, the name, the separator and the account.

        >>> names_channel("Shopify-Wholesale", "Shopify"), names_channel("WooCommerce", "Shopify")
        (True, False)
    """
    separator = str(_table()["sales_order"]["account_separator"])
    found, name = value.strip().casefold(), netsuite_name.strip().casefold()
    return bool(name) and (found == name or found.startswith(name + separator))


#: the ``[refund_lines] shipping`` place that stands for the item the order's own shipping line is on
ORDER_SHIPPING_ITEM = "order_shipping_item"


@dataclass(frozen=True)
class RefundChargeItems:
    """Where a refund's shipping and other amounts go: the item type they need, the places refunded shipping may
    sit on and the setting naming each adjustment item."""

    item_type: str
    item_type_name: str
    shipping: tuple[str, ...]
    positive: str
    negative: str

    def item_for(self, settings: Any, key: str) -> str:
        """The item ``settings`` name for ``key`` (``"positive"`` or ``"negative"``)."""
        return str(getattr(settings, getattr(self, key)))

    def shipping_items(self, settings: Any, order_shipping_item: str | None) -> tuple[str, ...]:
        """The items refunded shipping may sit on, in the table's order: a refund setting's item, or the order's
        shipping item (``order_shipping_item``, left out when not known)."""
        items = [order_shipping_item if place == ORDER_SHIPPING_ITEM else str(getattr(settings, place))
                 for place in self.shipping]
        return tuple(dict.fromkeys(item for item in items if item))


def refund_charge_items() -> RefundChargeItems:
    """The ``[refund_lines]`` table.

        >>> from syncproof.config import RefundSettings
        >>> rule = refund_charge_items()
        >>> rule.item_for(RefundSettings(), "negative"), rule.shipping_items(RefundSettings(), "Shipping")
        ('Refund Fee', ('Refund Adjustment', 'Shipping'))
    """
    table = _table()["refund_lines"]
    shipping = table["shipping"]
    return RefundChargeItems(item_type=str(table["item_type"]), item_type_name=str(table["item_type_name"]),
                             shipping=tuple(map(str, shipping if isinstance(shipping, list) else [shipping])),
                             positive=str(table["positive"]), negative=str(table["negative"]))


def refund_rows() -> list[dict[str, Any]]:
    """The raw ``[[refund]]`` rows (for the documentation and its tests)."""
    return list(_table().get("refund", []))


def settlement_rows(model: str) -> list[dict[str, Any]]:
    """The ``[[settlement]]`` rows of ``model`` (and of every model, ``"*"``)."""
    _check_model(model)
    return [row for row in _table().get("settlement", []) if row.get("model") in (model, "*")]


def _check_model(model: str) -> None:
    if model not in MODELS:
        raise FootprintError(f"connector model {model!r} does not exist", f"use one of: {', '.join(MODELS)}")


def model_for_posting(posting: str) -> str:
    """The connector model a ``[settlement] posting`` value stands for."""
    try:
        return _POSTING_MODELS[posting]
    except KeyError:
        raise FootprintError(f"[settlement] posting = {posting!r} is not a connector model",
                             f"use one of: {', '.join(k for k in _POSTING_MODELS if k != 'summary_posting')}") from None


def expected_refund_records(model: str, billing: str, settings: Any, *, credit_memos: bool = False) -> RefundFootprint:
    """The footprint for a refund of an order billed as ``billing`` under ``settings`` (a RefundSettings)."""
    _check_model(model)
    values = {"return_authorization": bool(settings.return_authorization),
              "customer_refund": bool(settings.customer_refund), "credit_memos": credit_memos}
    direction = settings.direction
    matches = [row for row in refund_rows()
               if row.get("model") in (model, "*") and row["direction"] == direction and row["billing"] == billing
               and all(row[key] == values[key] for key in _SETTING_KEYS if key in row)]
    where = (f"model {model}, {direction}, billing {billing}, "
             + ", ".join(f"{k} = {str(v).lower()}" for k, v in values.items()))
    if len(matches) != 1:
        raise FootprintError(f"the footprint table has {len(matches)} rows for {where}",
                             f"give exactly one [[refund]] row for it in {DATA_FILE.name}")
    row = matches[0]
    return RefundFootprint(model, direction, billing, tuple(ExpectedRecord(**r) for r in row["records"]))


@dataclass(frozen=True)
class SettlementPlacement:
    """Where one kind of settlement amount must be found in NetSuite."""

    row: str
    record: str  # a SuiteQL type code, or "billed_record"
    on: str  # billed_record | refund_of_order | summary | settlement_record
    customer: str  # order | settlement


_PLACEMENT_CONDITIONS = ("merge_order_fees", "merge_refunds", "refunds_as_credit_memos", "billing", "sign",
                         "posting")


def settlement_placement(model: str, row: str, **conditions: Any) -> SettlementPlacement:
    """The one ``[[settlement]]`` row for a row kind under the given settings, billing and sign.

    ``conditions`` are the [settlement] settings (``merge_order_fees``, ``merge_refunds``,
    ``refunds_as_credit_memos``, ``posting``), the order's ``billing`` and the amount's
    ``sign`` ("positive" | "negative"); a table row that does not name one matches any value.
    """
    matches = [r for r in settlement_rows(model) if r.get("row") in (row, "*")
               and all(r[key] == conditions.get(key) for key in _PLACEMENT_CONDITIONS if key in r)]
    if len(matches) != 1:
        where = ", ".join(f"{k} = {v}" for k, v in sorted(conditions.items()))
        raise FootprintError(f"the footprint table has {len(matches)} [[settlement]] rows for model {model}, "
                             f"{row}, {where}", f"give exactly one [[settlement]] row for it in {DATA_FILE.name}")
    found = matches[0]
    return SettlementPlacement(row, found["record"], found["on"], found["customer"])
