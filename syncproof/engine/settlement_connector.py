"""Settlement posting in the NetSuite Connector's model (``[settlement] posting = "netsuite_connector"``).

What Oracle documents the connector doing with a settlement report ("Importing Amazon
Settlement Reports in NetSuite Connector", "Amazon Settlement Sync Settings"):

- **order modifications** (fees and credits per order, on orders and their refunds):
  lines on the billed record of the order (cash sale or invoice), one settlement item
  per fee type; with ``merge_order_fees`` all of them in one summary transaction;
- **non-order modifications**: summed into one summary **cash sale** when Amazon owes
  the seller, one summary **cash refund** when the seller owes Amazon, both for the
  settlement customer (``customer_internal_id``);
- **refunds**: against the original order, as the refund settings call for (the refund
  sync does it, so a refund it already posted is not posted again); with
  ``merge_refunds`` one summary refund (a credit memo with ``refunds_as_credit_memos``);
- ``split_by_month``: summary transactions are made per calendar month of the rows;
- rows of orders the connector never synced are not posted (the exceptions).

A report that cannot be posted (no settlement customer, a settlement item missing) gets
the status ``failed`` and its posting errors; nothing is half-posted.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Sequence

from connectors.netsuite import NetSuiteRecords, external_ids
from connectors.netsuite.settlements import (
    add_settlement_lines,
    create_settlement_items,
    has_settlement_lines,
    line_memo,
    post_summary,
    settlement_item_ids,
    summary_memo,
)
from syncproof.config import Config
from syncproof.model import Channel, Money, Refund, RefundLine
from syncproof.settlement_categories import MAPPING, SettlementCategory

__all__ = ["ConnectorTally", "ConnectorPosting", "settlement_item_labels"]

ZERO = Decimal(0)
_FEES = (SettlementCategory.ORDER_FEE, SettlementCategory.REFUND_FEE)


def settlement_item_labels() -> dict[str, str]:
    """Every settlement item the connector posts with (name -> display name): "Create Settlement Items"."""
    labels: dict[str, str] = {}
    for rule in MAPPING:
        if rule.category is SettlementCategory.ORDER_ITEM:
            continue
        labels.setdefault(rule.key, f"Amazon {rule.key.replace('_', ' ').replace('.', ': ')}")
    return labels


@dataclass
class _RefundGroup:
    order_id: str
    adjustment_id: str
    month: str
    amounts: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))  # key -> amount
    lines: dict[str, list] = field(default_factory=dict)  # sku -> [quantity, principal, tax]


@dataclass
class ConnectorTally:
    """The rows as the connector model posts them, gathered in the sync's one pass.

    Refund rows are kept as they come, by column, with the amounts as integer units at an
    exponent, and grouped per order and adjustment when :attr:`refunds` is read (a group per
    refund costs more than its rows, a Decimal per row more than its integer, a tuple per row
    more than its place in eight lists).
    """

    fees: dict[tuple[str, str, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    non_order: dict[tuple[str, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    #: the refund rows' order ids, adjustment ids, months, keys, amounts' units, their exponents, skus, quantities
    _refund_columns: tuple[list, ...] = field(default_factory=lambda: tuple([] for _ in range(8)), repr=False)
    _groups: dict[tuple[str, str], _RefundGroup] | None = field(default=None, repr=False)

    def add(self, category: SettlementCategory, key: str, order_row: bool, month: str, amount: Decimal,
            order_id: str, adjustment_id: str, sku: str, quantity: int | None) -> None:
        """One row's amount, posted in ``month`` (its posted date's, or the settlement's when it has none)."""
        if not order_row:
            self.non_order[(key, month)] += amount
        elif category in _FEES:
            self.fees[(order_id, key, month)] += amount
        elif category is SettlementCategory.REFUND:
            exponent: int = amount.as_tuple().exponent  # type: ignore[assignment]  # a finite amount
            self.add_refund(order_id, adjustment_id, month, key, int(amount.scaleb(-exponent)), exponent, sku,
                            quantity)

    def add_refund(self, order_id: str, adjustment_id: str, month: str, key: str, units: int, exponent: int,
                   sku: str, quantity: int | None) -> None:
        """A refund row of an order (category refund), its amount ``units`` times ten to ``exponent``."""
        self.add_refunds([order_id], [adjustment_id], [month], [key], [units], [exponent], [sku], [quantity])

    def add_refunds(self, order_ids: Sequence[str], adjustment_ids: Sequence[str], months: Sequence[str],
                    keys: Sequence[str], units: Sequence[int], exponents: Sequence[int], skus: Sequence[str],
                    quantities: Sequence[int | None]) -> None:
        """Refund rows as :meth:`add_refund` takes them, by column: each argument has one value per row."""
        columns = (order_ids, adjustment_ids, months, keys, units, exponents, skus, quantities)
        if len(set(map(len, columns))) != 1:
            raise ValueError("refund rows given by column need one value of each column per row")
        for kept, values in zip(self._refund_columns, columns, strict=True):
            kept.extend(values)
        self._groups = None

    @property
    def refunds(self) -> dict[tuple[str, str], _RefundGroup]:
        """The refund rows per (order id, adjustment id), in the order they first occur."""
        if self._groups is None:
            groups: dict[tuple[str, str], _RefundGroup] = {}
            for order_id, adjustment_id, month, key, units, exponent, sku, quantity in zip(*self._refund_columns,
                                                                                           strict=True):
                amount = Decimal(units).scaleb(exponent)
                group = groups.get((order_id, adjustment_id))
                if group is None:
                    group = groups[(order_id, adjustment_id)] = _RefundGroup(order_id, adjustment_id, month)
                group.amounts[key] += amount
                if sku and key in ("refund.principal", "refund.tax"):
                    line = group.lines.setdefault(sku, [0, ZERO, ZERO])
                    if key == "refund.principal":
                        line[0] += quantity or 1
                        line[1] += -amount
                    else:
                        line[2] += -amount
            self._groups = groups
        return self._groups


@dataclass
class PostingResult:
    records: list[str] = field(default_factory=list)  # "<type> <id>"
    errors: list[str] = field(default_factory=list)
    posted: Decimal = ZERO  # what was posted, in settlement terms


class ConnectorPosting:
    """Posts one reconciled settlement the way the NetSuite Connector does."""

    def __init__(self, books: NetSuiteRecords, config: Config, refunds: Any) -> None:
        self.books = books
        self.config = config
        self.refunds = refunds  # the refund sync: refunds against the order are its job

    @property
    def _settings(self):
        return self.config.settlement

    def create_settlement_items(self) -> dict[str, str]:
        """Oracle's *Create Settlement Items*: one item per fee type, made once during setup."""
        return create_settlement_items(self.books.client, settlement_item_labels(), self._settings.sku_field)

    def _month(self, month: str) -> str | None:
        return month if self._settings.split_by_month else None

    def post(self, summary: Any, tally: ConnectorTally, matched: dict[str, Any]) -> PostingResult:
        settings = self._settings
        result = PostingResult()
        sid = summary.settlement_id
        if not settings.customer_internal_id:
            result.errors.append("no settlement customer: set [settlement] customer_internal_id to the internal id "
                                 "of the customer the summary cash sales and cash refunds are made for")
            return result
        fees = {k: v for k, v in tally.fees.items() if k[0] in matched and v}
        refunds = {k: g for k, g in tally.refunds.items() if k[0] in matched}
        names = {key for (_, key, _) in fees} | {key for (key, _) in tally.non_order}
        if settings.merge_refunds:
            names |= {key for g in refunds.values() for key in g.amounts}
        items = settlement_item_ids(self.books.client, names, settings.sku_field)
        missing = sorted(names - set(items))
        if missing:
            result.errors.append(f"settlement items missing in NetSuite: {', '.join(missing)} (run Create Settlement "
                                 "Items, or create Other Charge items with these names)")
            return result
        if settings.refunds_as_credit_memos and not settings.merge_refunds and any(
                matched[o].billing_type == "cashSale" for (o, _) in refunds):
            result.errors.append("refunds_as_credit_memos: NetSuite makes no credit memo from a cash sale; bill "
                                 "these orders as invoices or turn the setting off")
            return result
        self._post_fees(sid, summary, fees, items, matched, result)
        self._post_refunds(sid, summary, refunds, items, result)
        self._post_non_order(sid, summary, tally.non_order, items, result)
        return result

    # --- order modifications ----------------------------------------------------------------
    def _post_fees(self, sid, summary, fees, items, matched, result: PostingResult) -> None:
        if self._settings.merge_order_fees:
            by_month: dict[str | None, list[tuple[str, Decimal, str]]] = defaultdict(list)
            for (order_id, key, month), amount in sorted(fees.items()):
                by_month[self._month(month)].append((items[key], amount, f"{key}, order {order_id}"))
            for month, lines in by_month.items():
                self._summary(sid, summary, "order fees", month, lines, result)
            return
        per_order: dict[str, list[tuple[str, Decimal, str]]] = defaultdict(list)
        for (order_id, key, _month), amount in sorted(fees.items()):
            per_order[order_id].append((items[key], amount, line_memo(sid, key)))
        for order_id, lines in per_order.items():
            order = matched[order_id]
            if has_settlement_lines(self.books.client, order.billing_id, sid):
                continue
            add_settlement_lines(self.books.client, order.billing_type, order.billing_id, lines)
            result.records.append(f"{order.billing_type} {order.billing_id}")
            result.posted += sum((amount for _, amount, _ in lines), ZERO)

    # --- refunds -----------------------------------------------------------------------------
    def _post_refunds(self, sid, summary, refunds: dict, items, result: PostingResult) -> None:
        if self._settings.merge_refunds:
            by_month: dict[str | None, list[tuple[str, Decimal, str]]] = defaultdict(list)
            for (order_id, adjustment), group in sorted(refunds.items()):
                for key, amount in sorted(group.amounts.items()):
                    if amount:
                        by_month[self._month(group.month)].append(
                            (items[key], amount, f"{key}, order {order_id}, refund {adjustment}"))
            kind = "CustCred" if self._settings.refunds_as_credit_memos else "CashRfnd"
            for month, lines in by_month.items():
                self._summary(sid, summary, "refunds", month, lines, result, kind=kind)
            return
        currency = summary.currency
        for (order_id, adjustment), group in sorted(refunds.items()):
            known = sum(group.amounts.get(k, ZERO) for k in ("refund.principal", "refund.tax", "refund.shipping",
                                                              "refund.shipping_tax"))
            other = sum(group.amounts.values(), ZERO) - known
            refund_lines = tuple(RefundLine(sku, int(q), Money(p, currency), Money(t, currency))
                                 for sku, (q, p, t) in sorted(group.lines.items()))
            shipping = -group.amounts.get("refund.shipping", ZERO)
            shipping_tax = -group.amounts.get("refund.shipping_tax", ZERO)
            refund = Refund(Channel("amazon"), order_id, adjustment or f"settlement-{sid}-{order_id}", currency,
                            refund_lines,
                            Money(shipping, currency) if shipping else None,
                            Money(shipping_tax, currency) if shipping_tax else None,
                            Money(-other, currency) if other else None, note=f"Amazon settlement {sid}")
            outcome = self.refunds.to_netsuite(refund)
            if outcome.status == "exception":
                result.errors.append(f"refund {refund.refund_id} of order {order_id}: {outcome.reason}")
                continue
            if outcome.record is not None and outcome.record.netsuite_id:
                result.records.append(f"{outcome.record.netsuite_type} {outcome.record.netsuite_id}")
            result.posted += sum(group.amounts.values(), ZERO)

    # --- non-order modifications -------------------------------------------------------------
    def _post_non_order(self, sid, summary, non_order: dict, items, result: PostingResult) -> None:
        by_month: dict[str | None, list[tuple[str, Decimal, str]]] = defaultdict(list)
        for (key, month), amount in sorted(non_order.items()):
            if amount:
                by_month[self._month(month)].append((items[key], amount, key))
        for month, lines in by_month.items():
            self._summary(sid, summary, "non-order amounts", month, lines, result)

    def _summary(self, sid, summary, what: str, month: str | None, lines: list[tuple[str, Decimal, str]],
                 result: PostingResult, *, kind: str | None = None) -> None:
        """One summary transaction: a cash sale when it sums positive, else a cash refund (or ``kind``)."""
        total = sum((amount for _, amount, _ in lines), ZERO)
        if kind is None:
            kind = "CashSale" if total > 0 else "CashRfnd"
        sign = 1 if kind == "CashSale" else -1
        slug = what.replace(" ", "-").replace("-amounts", "")
        external_id = external_ids.settlement_summary(sid, slug, month)
        day = summary.deposit_date.date().isoformat()
        if month and not day.startswith(month):  # the month's own last day (or first, for a later month)
            year, number = (int(part) for part in month.split("-"))
            day = f"{month}-{calendar.monthrange(year, number)[1]:02d}" if month < day[:7] else f"{month}-01"
        record_id = post_summary(self.books.client, kind, external_id,
                                 customer_id=self._settings.customer_internal_id, tran_date=day,
                                 memo=self.books.memo(summary_memo(sid, what, month)),
                                 lines=[(item, amount * sign, memo) for item, amount, memo in lines])
        result.records.append(f"{kind} {record_id}")
        result.posted += total
