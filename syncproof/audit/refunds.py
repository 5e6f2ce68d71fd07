"""Refund audits over a window, read-only, joined in memory by key.

**Cart or marketplace -> NetSuite** (``direction = "to_netsuite"``, RS-MN-1..3): every
refund made in the channel in the window has exactly one NetSuite refund record of the
type the refund settings call for, whose createdFrom chain ends at the sales order
carrying the channel order id ([netsuite] order_id_field), with the same lines
(SKU and quantity), amounts, shipping, tax and total.

**NetSuite -> cart** (``direction = "from_netsuite"``, RS-NM-1..3): every NetSuite refund
record dated in the window and created from a connector-synced order appears in the
cart with the same amounts.

A NetSuite record is a channel's when the sales order its chain ends at names the channel
in the connector's channel field ([netsuite] channel_field, ``custbody_fa_channel`` by
default: Shopify and WooCommerce order ids are both numbers, so the id alone cannot tell
two carts on one account apart); only a record whose order names no channel there is
claimed by the channel's order id pattern, and the evidence says how many were.

Both directions compare each NetSuite record's own currency (read in the same SuiteQL query) with the
channel refund's before any amount: a record in another currency with the same numbers is a mismatch
row, and its amounts are not compared (they are not the same money).

Matching never uses syncproof's engine store. A NetSuite record belongs to an order by
its createdFrom chain (or, when that link is missing, by the order id the connector
copied onto it), and to a channel refund by the channel refund id in its external id or
memo, else by equal total. Line details are compared through per-record fingerprints
computed in SuiteQL (count, quantity and amount of item lines, weighted by item id); only
records whose fingerprints differ have their lines read, to name the SKU at fault.
"""

from __future__ import annotations

import re
import string
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterable

from connectors.netsuite import reads as ns
from syncproof import channels as channel_registry
from syncproof.channels.shopify import check_shopify_window  # noqa: F401  (the audit's Shopify window rule)
from syncproof.config import Config, RefundSettings
from syncproof.footprints import expected_refund_records, model_for_posting, names_channel
from syncproof.model import Money, Refund, TransactionType

from ._clients import ReadOnlyClients
from ._mismatch import AuditResult, Mismatch
from ._progress import Progress
from ._window import AuditWindow

_FOOTPRINT_BILLING = {TransactionType.CASH_SALE: "cash_sale", TransactionType.INVOICE: "invoice"}

__all__ = ["audit_refunds_to_netsuite", "audit_refunds_from_netsuite", "channel_refunds", "NetSuiteView",
           "SHIPPING_ITEM", "NETSUITE_SLACK_DAYS", "refunds_without_records", "missing_refund_rows"]

SHIPPING_ITEM = "Shipping"
#: NetSuite dates a refund by day, and a connector may post it a little later: NetSuite
#: records dated this many days either side of the window are read.
NETSUITE_SLACK_DAYS = 7
#: the SuiteQL fingerprint of a record's item lines: counts and quantities, then amounts
FINGERPRINT_COUNTS = ("lines", "quantity", "fp_quantity", "fp_quantity2")
FINGERPRINT_AMOUNTS = ("amount", "fp_amount")
FINGERPRINT = FINGERPRINT_COUNTS + FINGERPRINT_AMOUNTS


def _c(value: Decimal, currency: str) -> Decimal:
    """``value`` rounded half up to ``currency``'s minor unit, as :class:`Money` rounds it (KWD to the fils,
    JPY to the yen): two amounts are the same money when these are equal."""
    return Money(value, currency).rounded().amount


def _fingerprints_differ(want: Any, got: Any, currency: str) -> bool:
    """Whether two line fingerprints differ: counts and quantities exactly, amounts in ``currency``."""
    return (any(Decimal(getattr(want, k)) != Decimal(getattr(got, k)) for k in FINGERPRINT_COUNTS)
            or any(_c(getattr(want, k), currency) != _c(getattr(got, k), currency) for k in FINGERPRINT_AMOUNTS))


class _Currencies:
    """The currency comparison of one audit: a NetSuite record in another currency than its channel refund is a
    row (``expected_side`` says whose currency is expected); records that name no currency are counted, and
    make a pass say their currency was not compared."""

    def __init__(self, result: AuditResult, check_id: str, *, netsuite_expected: bool) -> None:
        self.result, self.check_id, self.netsuite_expected = result, check_id, netsuite_expected
        self.unnamed: set[str] = set()

    def agree(self, refund: Refund, record: ns.NsRefund, channel: str) -> bool:
        """Whether ``record``'s amounts may be compared with ``refund``'s; adds the row when they may not."""
        if record.currency is None:
            self.unnamed.add(record.id)
            return True
        if record.currency == refund.currency.upper():
            return True
        want, got = ((record.currency, refund.currency) if self.netsuite_expected
                     else (refund.currency, record.currency))
        self.result.mismatches.append(Mismatch(
            self.check_id, channel, refund.channel_order_id, refund.refund_id,
            "currency (amounts not compared)", want, got, record.label))
        return False

    def note(self) -> None:
        if self.unnamed:
            why = (f"{len(self.unnamed):,} NetSuite refund record(s) name no currency (transaction.currency): "
                   "their currency was not compared with the channel refund's")
            self.result.incomplete.append(why)
            self.result.notes.append(why)


_ALNUM = frozenset(string.ascii_letters + string.digits)


def _mentions(text: str, value: str) -> bool:
    """Whether ``value`` appears in ``text`` as a whole token: no ASCII letter or digit either side.
    (A plain search: one compiled pattern per refund id thrashed the regex cache, 5,000 compiles an audit.)"""
    if not value:
        return re.search(r"(?<![0-9A-Za-z])(?![0-9A-Za-z])", text) is not None
    start = text.find(value)
    while start != -1:
        end = start + len(value)
        if (start == 0 or text[start - 1] not in _ALNUM) and (end == len(text) or text[end] not in _ALNUM):
            return True
        start = text.find(value, start + 1)
    return False


@dataclass
class _Expected:
    """What NetSuite should hold for a channel refund under the settings, folded like the query folds."""

    lines: int
    quantity: Decimal
    amount: Decimal
    fp_quantity: Decimal
    fp_quantity2: Decimal
    fp_amount: Decimal
    shipping: Decimal
    adjustment: Decimal
    tax: Decimal
    total: Decimal
    unknown_skus: list[str]


def _expected(refund: Refund, settings: RefundSettings, items: dict[str, str]) -> _Expected:
    lines = [line for line in refund.lines if line.quantity]
    fp_q = fp_q2 = fp_a = Decimal(0)
    unknown = []
    for line in lines:
        item = items.get(line.sku)
        if item is None:
            unknown.append(line.sku)
            continue
        fp_q += int(item) * line.quantity
        fp_q2 += int(item) * int(item) * line.quantity
        fp_a += int(item) * line.amount.amount
    amount = sum((line.amount.amount for line in lines), Decimal(0))
    shipping = refund.shipping.amount if (refund.shipping and settings.refund_shipping) else Decimal(0)
    tax = sum((line.tax.amount for line in lines), Decimal(0)) if settings.refund_tax else Decimal(0)
    if settings.refund_tax and settings.refund_shipping and refund.shipping_tax:
        tax += refund.shipping_tax.amount
    adjustment = refund.adjustment.amount if refund.adjustment else Decimal(0)
    return _Expected(len(lines), Decimal(sum(line.quantity for line in lines)), amount, Decimal(fp_q), Decimal(fp_q2),
                     fp_a, shipping, adjustment, tax, amount + shipping + adjustment + tax, unknown)


class NetSuiteView:
    """The NetSuite side of one audit: refund records in (widened) window, items, and look-ups."""

    def __init__(self, clients: ReadOnlyClients, config: Config, window: AuditWindow, *,
                 progress: Progress | None = None, skus: Iterable[str] = (), slack_days: int = NETSUITE_SLACK_DAYS,
                 row_limit: int | None = None) -> None:
        self.client = clients.netsuite
        self.config = config
        self.progress = progress
        names = set(skus) | {SHIPPING_ITEM}
        settings = [channel.refunds for channel in config.channels.values()]
        for refunds in settings:
            names |= {refunds.positive_adjustment_item, refunds.negative_adjustment_item}
        self.items = ns.item_ids(self.client, names)
        self.specials = ns.Specials(
            shipping=tuple(self.items[n] for n in (SHIPPING_ITEM,) if n in self.items),
            positive=tuple({self.items[s.positive_adjustment_item] for s in settings
                            if s.positive_adjustment_item in self.items}),
            negative=tuple({self.items[s.negative_adjustment_item] for s in settings
                            if s.negative_adjustment_item in self.items}))
        start, end = window.widened(slack_days)
        kwargs = {"row_limit": row_limit} if row_limit else {}
        records = ns.refund_records(self.client, order_id_field=config.netsuite.order_id_field,
                                    channel_field=config.netsuite.channel_field,
                                    specials=self.specials, start=start, end=end, progress=progress, **kwargs)
        consumed = {hop[0] for r in records for hop in r.chain if hop[1] == "RtnAuth"}
        self.records = [r for r in records if not (r.type == "RtnAuth" and r.id in consumed)]
        memos = [r.id for r in self.records if r.type == "CustCred"]
        if memos and any(s.customer_refund for s in settings):
            links = ns.customer_refunds_of(self.client, memos)
            for record in self.records:
                record.customer_refunds = links.get(record.id, [])
        self.by_order: dict[str, list[ns.NsRefund]] = defaultdict(list)
        for record in self.records:
            if record.order_key:
                self.by_order[record.order_key].append(record)
        self._lines: dict[str, list[dict[str, Any]]] = {}

    def lines_of(self, record_ids: Iterable[str]) -> None:
        wanted = [i for i in record_ids if i not in self._lines]
        if wanted:
            found = ns.refund_lines(self.client, wanted)
            for record_id in wanted:
                self._lines[record_id] = found.get(record_id, [])

    def sku_lines(self, record_id: str) -> dict[str, tuple[Decimal, Decimal]]:
        special = set(self.specials.all)
        result: dict[str, tuple[Decimal, Decimal]] = {}
        for line in self._lines.get(record_id, []):
            if str(line.get("item")) in special:
                continue
            sku = str(line.get("itemid"))
            qty, amount = result.get(sku, (Decimal(0), Decimal(0)))
            result[sku] = (
                qty + Decimal(str(line.get("quantity") or 0)),
                amount + Decimal(str(line.get("amount") or 0)),
            )
        return result


class ChannelClaim:
    """Which NetSuite refund records are ``channel``'s: those whose sales order names the channel in the channel
    field; a record whose order names none there is the channel's when its order id has the channel's pattern
    (``claims_order_id``), and is counted so the evidence can say so. A record whose order names no channel
    syncproof knows is no channel's: it is counted too, and makes a pass say the audit may be incomplete."""

    def __init__(self, channel: str, config: Config) -> None:
        spec = channel_registry.get(channel)
        self.channel, self.name, self.pattern = channel, spec.netsuite_channel, spec.claims_order_id
        self.field = config.netsuite.channel_field
        self.by_pattern: set[str] = set()
        self.known = sorted((s.netsuite_channel for s in channel_registry.specs()), key=str.casefold)
        self.unknown: dict[str, set[str]] = defaultdict(set)  # channel field value -> record ids

    def __call__(self, record: ns.NsRefund) -> bool:
        if not record.order_key:
            return False
        if record.channel is not None:
            if names_channel(record.channel, self.name):
                return True
            if not any(names_channel(record.channel, name) for name in self.known):
                self.unknown[record.channel].add(record.id)
            return False
        if self.pattern(record.order_key):
            self.by_pattern.add(record.id)
            return True
        return False

    def note(self, result: AuditResult) -> None:
        """Say in the evidence how many records were claimed by their order id alone, and how many are no
        channel's because their order names a channel syncproof does not know."""
        if self.unknown:
            count = len(set().union(*self.unknown.values()))
            values = ", ".join(repr(v) for v in sorted(self.unknown)[:5]) + (", ..." if len(self.unknown) > 5 else "")
            why = (f"{count:,} NetSuite refund record(s) on sales orders whose {self.field} names no channel "
                   f"syncproof knows ({values}): audited for no channel; [netsuite] channel_field must name the "
                   f"field holding the channel's name ({', '.join(self.known)})")
            result.incomplete.append(why)
            result.notes.append(why)
        if not self.by_pattern:
            return
        where = (f"their sales order has no {self.field} value" if self.field
                 else "[netsuite] channel_field is empty")
        result.notes.append(f"{len(self.by_pattern):,} NetSuite refund record(s) claimed for {self.channel} by the "
                            f"order id pattern alone ({where}); a record of another channel with the same kind of "
                            f"order id would be claimed too")


# --- the channel side -----------------------------------------------------------------------

def channel_refunds(clients: ReadOnlyClients, channel: str, window: AuditWindow, *,
                    progress: Progress | None = None) -> tuple[list[Refund], dict[str, list[Refund]]]:
    """(refunds made in the window, every known refund of their orders by order id)."""
    by_order: dict[str, list[Refund]] = defaultdict(
        list, channel_registry.get(channel).audit_refunds(clients.client(channel), window, progress))
    in_window = [r for refunds in by_order.values() for r in refunds if window.contains(r.created_at)]
    if progress:
        progress.page(f"{channel} refunds in the window", len(in_window), final=True)
    return in_window, by_order


def _note_limits(result: AuditResult, clients: ReadOnlyClients, channel: str, window: AuditWindow,
                 refunds: list[Refund]) -> None:
    """What the channel says this audit cannot see (its ``audit_limits``): noted, and named on a pass."""
    limits = channel_registry.get(channel).extra.get("audit_limits")
    if limits is None:
        return
    incomplete, notes = limits(clients.client(channel), window, refunds)
    result.incomplete.extend(incomplete)
    result.notes.extend([*incomplete, *notes])


def _pair(refunds: list[Refund], records: list[ns.NsRefund]) -> tuple[dict[str, list[ns.NsRefund]], list[ns.NsRefund]]:
    """Channel refund id -> NetSuite records; the records left over."""
    pairs: dict[str, list[ns.NsRefund]] = {r.refund_id: [] for r in refunds}
    left = list(records)
    for refund in refunds:
        claimed = [rec for rec in left
                   if _mentions(rec.externalid, refund.refund_id) or _mentions(rec.memo, refund.refund_id)]
        pairs[refund.refund_id].extend(claimed)
        left = [rec for rec in left if rec not in claimed]
    for refund in refunds:  # no reference: match by total
        if pairs[refund.refund_id]:
            continue
        total = _c(refund.total.amount, refund.currency)
        match = next((rec for rec in left if _c(rec.total, refund.currency) == total), None)
        if match is not None:
            pairs[refund.refund_id].append(match)
            left.remove(match)
    return pairs, left


# --- cart/marketplace -> NetSuite ------------------------------------------------------------

def audit_refunds_to_netsuite(clients: ReadOnlyClients, config: Config, window: AuditWindow, channel: str, *,
                              progress: Progress | None = None, view: NetSuiteView | None = None) -> AuditResult:
    """RS-MN-1..3 for ``channel`` over ``window``: the mismatch table (empty when all is well)."""
    result = AuditResult(f"{channel} refunds in NetSuite", ("RS-MN-1", "RS-MN-2", "RS-MN-3"))
    settings = config.channel(channel).refunds
    if settings.direction != "to_netsuite":
        result.notes.append(f"[{channel}.refunds] direction is {settings.direction}: nothing to audit this way")
        return result
    refunds, by_order = channel_refunds(clients, channel, window, progress=progress)
    _note_limits(result, clients, channel, window, refunds)
    view = view or NetSuiteView(clients, config, window, progress=progress,
                                skus={line.sku for r in refunds for line in r.lines})
    missing_items = {line.sku for r in refunds for line in r.lines} - set(view.items)
    if missing_items:  # SKUs first seen here
        view.items.update(ns.item_ids(view.client, missing_items))
    billing_default = (
        TransactionType.CASH_SALE if config.channel(channel).billing == "cash_sale" else TransactionType.INVOICE
    )
    in_window = {r.refund_id for r in refunds}
    compared: list[tuple[Refund, ns.NsRefund, _Expected]] = []
    missing_orders: list[Refund] = []
    claim = ChannelClaim(channel, config)
    currencies = _Currencies(result, "RS-MN-3", netsuite_expected=False)
    for order_id in sorted({r.channel_order_id for r in refunds}):
        pairs, left = _pair(by_order[order_id], [r for r in view.by_order.get(order_id, []) if claim(r)])
        for refund in by_order[order_id]:
            if refund.refund_id not in in_window:
                continue
            records = pairs[refund.refund_id]
            if not records:
                missing_orders.append(refund)
                continue
            twins = records[1:] + [rec for rec in left
                                   if _c(rec.total, refund.currency) == _c(records[0].total, refund.currency)]
            left = [rec for rec in left if rec not in twins]
            if twins:
                result.mismatches.append(Mismatch(
                    "RS-MN-1", channel, order_id, refund.refund_id, "NetSuite refund records for this refund",
                    f"1 ({records[0].label})", f"{1 + len(twins)} ({', '.join(r.label for r in [records[0], *twins])})",
                    records[0].label))
            record = records[0]
            if record.linked_order != order_id:
                result.mismatches.append(Mismatch(
                    "RS-MN-1", channel, order_id, refund.refund_id, "createdFrom chain",
                    f"ends at the sales order with {config.netsuite.order_id_field} {order_id}",
                    record.chain_text(), record.label))
            billing = TransactionType(record.billing_type) if record.billing_type else billing_default
            # a refund made from anything but a cash sale or an invoice is held to the invoice's footprint
            want = list(expected_refund_records(model_for_posting(config.settlement.posting),
                                                _FOOTPRINT_BILLING.get(billing, "invoice"), settings).types)
            if sorted(want) != sorted(record.types()):
                result.mismatches.append(Mismatch(
                    "RS-MN-2", channel, order_id, refund.refund_id, "NetSuite transaction types",
                    [TransactionType(t).label for t in want], [TransactionType(t).label for t in record.types()],
                    record.label))
            if currencies.agree(refund, record, channel):
                compared.append((refund, record, _expected(refund, settings, view.items)))
    result.mismatches.extend(missing_refund_rows(view, config, channel, missing_orders))
    _compare_amounts(result, view, compared, channel, check_id="RS-MN-3", expected_side=channel)
    claim.note(result)
    currencies.note()
    result.audited = {f"{channel} refunds": len(refunds), "NetSuite refund records": len(view.records)}
    result.requests = clients.requests()
    return result


def refunds_without_records(view: NetSuiteView, refunds: Iterable[Refund]) -> list[Refund]:
    """The channel refunds among ``refunds`` that no NetSuite refund record of their order answers."""
    by_order: dict[str, list[Refund]] = defaultdict(list)
    for refund in refunds:
        by_order[refund.channel_order_id].append(refund)
    missing: list[Refund] = []
    for order_id, mine in sorted(by_order.items()):
        pairs, _ = _pair(mine, view.by_order.get(order_id, []))
        missing.extend(r for r in mine if not pairs[r.refund_id])
    return missing


def missing_refund_rows(view: NetSuiteView, config: Config, channel: str, missing: list[Refund], *,
                        what: Callable[[Refund], str] = lambda refund: "NetSuite refund record") -> list[Mismatch]:
    """RS-MN-1 rows for channel refunds NetSuite has no record of, each naming the order's sales order if any."""
    if not missing:
        return []
    orders = ns.sales_orders(view.client, config.netsuite.order_id_field, {r.channel_order_id for r in missing})
    rows = []
    for refund in missing:
        so = orders.get(refund.channel_order_id)
        found = (f"none (sales order {', '.join(so)} has no refund for it)" if so
                 else "none (and no sales order carries the order id)")
        rows.append(Mismatch("RS-MN-1", channel, refund.channel_order_id, refund.refund_id, what(refund),
                             "one, created from the order's sales order", found))
    return rows


def _compare_amounts(result: AuditResult, view: NetSuiteView, compared, channel: str, *, check_id: str,
                     expected_side: str) -> None:
    needs_lines = [rec.id for refund, rec, want in compared
                   if want.unknown_skus or _fingerprints_differ(want, rec, refund.currency)]
    view.lines_of(needs_lines)
    reread = set(needs_lines)
    for refund, record, want in compared:
        currency = refund.currency
        where = dict(check_id=check_id, channel=channel, order=refund.channel_order_id, refund=refund.refund_id,
                     netsuite=record.label)
        if record.id in reread:
            got = view.sku_lines(record.id)
            expected: dict[str, tuple[Decimal, Decimal]] = {}
            for line in refund.lines:
                if line.quantity:
                    q, a = expected.get(line.sku, (Decimal(0), Decimal(0)))
                    expected[line.sku] = (q + line.quantity, a + line.amount.amount)
            for sku in sorted(set(expected) | set(got)):
                if sku not in got:
                    result.mismatches.append(Mismatch(what=f"SKU {sku}", expected=f"quantity {expected[sku][0]}",
                                                      actual="no line", **where))
                elif sku not in expected:
                    result.mismatches.append(Mismatch(what=f"SKU {sku}", expected="no line",
                                                      actual=f"quantity {_q(got[sku][0])}", **where))
                else:
                    if _q(expected[sku][0]) != _q(got[sku][0]):
                        result.mismatches.append(Mismatch(what=f"SKU {sku} quantity", expected=_q(expected[sku][0]),
                                                          actual=_q(got[sku][0]), **where))
                    if _c(expected[sku][1], currency) != _c(got[sku][1], currency):
                        result.mismatches.append(Mismatch(what=f"SKU {sku} amount",
                                                          expected=str(_c(expected[sku][1], currency)),
                                                          actual=str(_c(got[sku][1], currency)), **where))
        for name in ("shipping", "tax", "total"):
            if _c(getattr(want, name), currency) != _c(getattr(record, name), currency):
                result.mismatches.append(Mismatch(what=name, expected=str(_c(getattr(want, name), currency)),
                                                  actual=str(_c(getattr(record, name), currency)), **where))


def _ns_total(record: ns.NsRefund, cart: list[Refund] | None) -> str:
    """A NetSuite record's total for a row: rounded to the currency of its order's cart refunds when there are any,
    else as NetSuite gives it."""
    return str(_c(record.total, cart[0].currency)) if cart else str(Decimal(record.total))


def _q(value: Decimal) -> str:
    return str(Decimal(value).normalize()) if Decimal(value) == Decimal(value).to_integral() else str(value)


# --- NetSuite -> cart ---------------------------------------------------------------------------

def _ns_as_expected(record: ns.NsRefund) -> _Expected:
    return _Expected(record.lines, record.quantity, record.amount, record.fp_quantity, record.fp_quantity2,
                     record.fp_amount, record.shipping, record.adjustment, record.tax, record.total, [])


def audit_refunds_from_netsuite(clients: ReadOnlyClients, config: Config, window: AuditWindow, channel: str,
                                *, progress: Progress | None = None, view: NetSuiteView | None = None) -> AuditResult:
    """RS-NM-1..3: NetSuite refunds dated in the window on synced ``channel`` orders are in the cart, same amounts."""
    result = AuditResult(f"NetSuite refunds in {channel}", ("RS-NM-1", "RS-NM-2", "RS-NM-3"))
    settings = config.channel(channel).refunds
    if settings.direction != "from_netsuite":
        result.notes.append(f"[{channel}.refunds] direction is {settings.direction}: nothing to audit this way")
        return result
    _, by_order = channel_refunds(clients, channel, window, progress=progress)
    view = view or NetSuiteView(clients, config, window, progress=progress,
                                skus={line.sku for rs in by_order.values() for r in rs for line in r.lines})
    skus = {line.sku for rs in by_order.values() for r in rs for line in r.lines} - set(view.items)
    if skus:
        view.items.update(ns.item_ids(view.client, skus))
    claim = ChannelClaim(channel, config)
    mine = [r for r in view.records if r.type != "RtnAuth" and window.contains(_day(r.trandate)) and claim(r)]
    claim.note(result)
    currencies = _Currencies(result, "RS-NM-3", netsuite_expected=True)
    compared = []
    mine_by_order: dict[str, list[ns.NsRefund]] = defaultdict(list)
    for r in mine:
        if r.order_key:
            mine_by_order[r.order_key].append(r)
    for order_id in sorted(mine_by_order):
        records = mine_by_order[order_id]
        cart = list(by_order.get(order_id, []))
        for record in records:
            where: dict[str, Any] = dict(channel=channel, order=order_id, refund="", netsuite=record.label)
            if record.linked_order != order_id:
                result.mismatches.append(Mismatch("RS-NM-1", what="createdFrom chain",
                                                  expected=f"ends at the sales order with order id {order_id}",
                                                  actual=record.chain_text(), **where))
            marker = [record.id, record.tranid] if record.tranid else [record.id]
            match = next((c for c in cart if c.note and any(_mentions(c.note, m) for m in marker)), None)
            if match is None:
                match = next((c for c in cart if _c(c.total.amount, c.currency) == _c(record.total, c.currency)),
                             None)
            if match is None:
                result.mismatches.append(Mismatch("RS-NM-2", what=f"refund in {channel}",
                                                  expected=f"a refund of {_ns_total(record, by_order.get(order_id))}",
                                                  actual="none", **where))
                continue
            cart.remove(match)
            if currencies.agree(match, record, channel):
                compared.append((match, record, _ns_as_expected(record)))
    currencies.note()
    # compare with NetSuite as the expected side: reuse the folding on the cart refund
    for refund, record, want in compared:
        got = _expected(refund, RefundSettings(), view.items)
        where = dict(channel=channel, order=refund.channel_order_id, refund=refund.refund_id,
                     netsuite=record.label)
        currency = refund.currency
        if _fingerprints_differ(want, got, currency) or got.unknown_skus:
            view.lines_of([record.id])
            ns_lines = view.sku_lines(record.id)
            cart_lines: dict[str, tuple[Decimal, Decimal]] = {}
            for line in refund.lines:
                qty, amount = cart_lines.get(line.sku, (Decimal(0), Decimal(0)))
                cart_lines[line.sku] = (qty + line.quantity, amount + line.amount.amount)
            for sku in sorted(set(ns_lines) | set(cart_lines)):
                a, b = ns_lines.get(sku), cart_lines.get(sku)
                if a is None or b is None or _q(a[0]) != _q(b[0]) or _c(a[1], currency) != _c(b[1], currency):
                    result.mismatches.append(
                        Mismatch(
                            "RS-NM-3",
                            what=f"SKU {sku}",
                            expected=f"quantity {_q(a[0])}, amount {_c(a[1], currency)}" if a else "no line",
                            actual=f"quantity {_q(b[0])}, amount {_c(b[1], currency)}" if b else "no line",
                            **where,
                        )
                    )
        for name in ("shipping", "tax", "total"):
            if _c(getattr(want, name), currency) != _c(getattr(got, name), currency):
                result.mismatches.append(Mismatch("RS-NM-3", what=name, expected=str(_c(getattr(want, name), currency)),
                                                  actual=str(_c(getattr(got, name), currency)), **where))
    result.audited = {"NetSuite refund records": len(mine), f"{channel} orders with refunds": len(by_order)}
    result.requests = clients.requests()
    return result


def _day(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
