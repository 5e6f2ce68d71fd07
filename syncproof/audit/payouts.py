"""Payout audit over a window (RS-MN-1), read-only: the channel's own money movements against NetSuite.

For channels whose spec's ``extra`` has a ``payouts`` reader (eBay: Finances ``getPayouts`` and
each payout's ``getTransactions``), every payout dated in the window is reconciled:

- its transactions sum to its amount, to the minor unit of its currency, and are as many as it
  says (``transactionCount``); a payout that does not balance means money moved that the audit
  did not see, so it is a row of the table;
- every refund it paid out has a NetSuite refund record (found as the refund audit finds one:
  by the refund id in the record's external id or memo, else by equal total, among the records
  of the order's sales order, every refund the payouts and the money not yet paid out list paired
  at once, so the record of one refund never answers another of the same amount); one that has
  none is a row naming the payout, its date and the amount.

A transaction of the window that a payout dated after the window paid out (its ``payoutId`` names a payout
getPayouts does not list for the window) is not left out: that payout is read by its id (getPayout) with its
transactions and reconciled the same way, its rows and notes saying it was paid out after the window. A
``payoutId`` eBay knows no payout by is a row: money of the window went to a payout the audit cannot see.

Money not yet paid out (transactions still on hold, processing or available for payout, and
payouts not yet ``SUCCEEDED``) is noted, never failed: a refund among it that NetSuite has not
received yet may still be synced before it is paid out. The refund audit reports every refund
either way.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Iterable

from syncproof import channels as channel_registry
from syncproof.channels._audit_support import MoneyMoved, Movement, PayoutRun
from syncproof.config import Config
from syncproof.model import Money, Refund

from ._clients import ReadOnlyClients
from ._mismatch import AuditResult, Mismatch
from ._progress import Progress
from ._window import AuditWindow
from .refunds import NetSuiteView, missing_refund_rows, refunds_without_records

__all__ = ["audit_payouts", "payout_balance", "unknown_payout_rows", "PAID"]

#: the payout status of money in the seller's bank account (PayoutStatusEnum)
PAID = "SUCCEEDED"


def payout_balance(payout: PayoutRun, channel: str) -> list[Mismatch]:
    """Rows for a payout whose movements do not add up to its amount (to its minor unit) or are fewer or more
    than it says; none when it balances."""
    where = dict(channel=channel, order="", refund="", netsuite="")
    rows = []
    currency = payout.amount.currency
    foreign = sorted({m.paid.currency for m in payout.movements} - {currency})
    if foreign:
        rows.append(Mismatch("RS-MN-1", what=f"{payout.label}: transaction currencies",
                             expected=currency, actual=", ".join([currency, *foreign]), **where))
        return rows
    paid = Money.total((m.paid for m in payout.movements), currency).rounded()
    if paid != payout.amount.rounded():
        rows.append(Mismatch("RS-MN-1", what=f"{payout.label}: transactions sum",
                             expected=str(payout.amount.rounded()), actual=str(paid), **where))
    if payout.count != len(payout.movements):
        rows.append(Mismatch("RS-MN-1", what=f"{payout.label}: transactions listed",
                             expected=payout.count, actual=len(payout.movements), **where))
    return rows


def _day(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _netsuite_window(window: AuditWindow, refunds: Iterable[Refund]) -> AuditWindow:
    """The window widened back to the oldest refund a payout in it paid out (refunds precede their payout), and on
    to the newest one a payout dated after it paid out."""
    dates = [d for d in (_day(r.created_at or "") for r in refunds) if d is not None]
    return AuditWindow(min([window.since, *dates]), max([window.until, *(d + dt.timedelta(seconds=1) for d in dates)]))


def unknown_payout_rows(channel: str, moved: MoneyMoved) -> list[Mismatch]:
    """A row per payout id that transactions of the window name but the channel knows no payout by."""
    rows = []
    for payout_id, movements in sorted(moved.unknown_payouts.items()):
        kinds = Counter(m.kind for m in movements)
        what = (f"payout {payout_id}, named by {len(movements)} transaction(s) of the window ("
                + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) + ")")
        rows.append(Mismatch("RS-MN-1", channel, "", "", what, "the payout, read by its id",
                             "none (getPayout knows no payout by this id)"))
    return rows


def _outside_notes(channel: str, moved: MoneyMoved, window: AuditWindow) -> list[str]:
    notes = []
    for payout in (p for p in moved.payouts if p.outside_window):
        named = sum(1 for m in payout.movements if window.contains(m.date))
        notes.append(f"{channel}: {payout.label} of {payout.amount} pays out {named} transaction(s) of the window: "
                     "read by its id and reconciled with the payouts of the window")
    return notes


def _unpaid_notes(channel: str, moved: MoneyMoved) -> list[str]:
    notes = []
    by_status: dict[str, list[Movement]] = defaultdict(list)
    for movement in moved.unpaid:
        by_status[movement.status or "unknown"].append(movement)
    for status, movements in sorted(by_status.items()):
        kinds = Counter(m.kind for m in movements)
        sums: dict[str, Money] = {}
        for m in movements:
            sums[m.paid.currency] = sums.get(m.paid.currency, Money.zero(m.paid.currency)) + m.paid
        notes.append(f"{channel}: {len(movements)} transaction(s) not yet paid out ({status}: "
                     + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) + "; net "
                     + ", ".join(str(v) for _, v in sorted(sums.items())) + "): reconciled once paid out")
    for payout in moved.payouts:
        if payout.status != PAID:
            notes.append(f"{channel}: payout {payout.payout_id} of {payout.amount} is {payout.status or 'pending'}, "
                         "not yet in the bank account")
    return notes


def audit_payouts(clients: ReadOnlyClients, config: Config, window: AuditWindow, channel: str, *,
                  progress: Progress | None = None, view: NetSuiteView | None = None) -> AuditResult:
    """RS-MN-1 over ``channel``'s payouts dated in ``window``: the mismatch table (empty when all is well)."""
    result = AuditResult(f"{channel} payouts in NetSuite", ("RS-MN-1",))
    reader = channel_registry.get(channel).extra.get("payouts")
    if reader is None:
        result.notes.append(f"{channel} lists no payouts: nothing to audit this way")
        return result
    moved: MoneyMoved = reader(clients.client(channel), window, progress)
    for payout in moved.payouts:
        result.mismatches.extend(payout_balance(payout, channel))
    result.mismatches.extend(unknown_payout_rows(channel, moved))
    paid_out = {m.movement_id: payout for payout in moved.payouts if payout.status == PAID
                for m in payout.movements if m.kind == "REFUND"}
    refunds = [moved.refunds[i] for i in paid_out if i in moved.refunds]
    pending = [*moved.unpaid, *(m for p in moved.payouts if p.status != PAID for m in p.movements)]
    unpaid_refunds = [moved.refunds[m.movement_id] for m in pending
                      if m.kind == "REFUND" and m.movement_id in moved.refunds]
    view = view or NetSuiteView(clients, config, _netsuite_window(window, [*refunds, *unpaid_refunds]),
                                progress=progress, skus={line.sku for r in refunds for line in r.lines})

    def what(refund: Refund) -> str:
        transaction = str(refund.extra.get("transaction_id") or refund.refund_id)
        payout = paid_out[transaction]
        when = f" {payout.outside_window}" if payout.outside_window else ""
        return (f"NetSuite refund record ({refund.total} refunded in transaction {transaction}, paid out{when} in "
                f"payout {payout.payout_id} of {payout.date})")

    # paired together: a record naming one refund never answers another of its order by an equal total
    missing = {id(r) for r in refunds_without_records(view, [*refunds, *unpaid_refunds])}
    result.mismatches.extend(missing_refund_rows(view, config, channel, [r for r in refunds if id(r) in missing],
                                                 what=what))
    result.notes.extend(_outside_notes(channel, moved, window))
    result.notes.extend(_unpaid_notes(channel, moved))
    for refund in (r for r in unpaid_refunds if id(r) in missing):
        result.notes.append(f"{channel} refund {refund.refund_id} of {refund.total} on order "
                            f"{refund.channel_order_id} is not yet paid out and has no NetSuite refund record yet")
    outside = sum(1 for p in moved.payouts if p.outside_window)
    result.audited = {f"{channel} payouts": len(moved.payouts) - outside, f"{channel} refunds paid out": len(refunds),
                      f"{channel} transactions not yet paid out": len(moved.unpaid),
                      f"{channel} payouts outside the window": outside}
    result.requests = clients.requests()
    return result
