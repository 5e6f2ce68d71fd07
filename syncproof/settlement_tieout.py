"""AS-4 as a tie-out per connector model: every settlement row found in NetSuite where the model says.

A check module: pure, and it never imports the code that posts settlements. Expected
values come from the settlement file (its rows, classified by the one mapping table
:data:`~syncproof.settlement_categories.MAPPING`), from the footprint table
(:func:`syncproof.footprints.settlement_placement`) and from the settings; actual
values from NetSuite as :mod:`connectors.netsuite.settlements` reads it.

``netsuite_connector``: each synced order's sale on its billed record, each fee type of the
order as a line on that record (or in the merged fee summary), each refund as a refund
record from the billed record (or in the merged refund summary), the non-order amounts in
one summary cash sale (Amazon owes the seller) or cash refund (the seller owes Amazon), per
month when split; rows of orders never synced are exceptions. ``summary_posting``: one
deposit or journal entry whose total is the total-amount. In both, NetSuite's footprint plus
the exceptions equals the total-amount, per currency, to the cent.

    facts = facts_of(settlement)
    tie = tie_out(facts, settings, billed=..., footprint=..., refunds=...)
    settlement_tied_out(tie).passed
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

from connectors.settlement_file import is_amazon_order_id
from syncproof.footprints import model_for_posting, settlement_placement
from syncproof.model import Money
from syncproof.settlement_categories import SettlementCategory, classify
from syncproof.verdict import CheckResult, FailureCategory

__all__ = ["SettlementFacts", "TieMismatch", "TieOut", "facts_of", "tie_out", "settlement_tied_out",
           "bank_deposit_leg", "exceptions_of", "exceptions_checked", "settlement_balanced"]

ZERO = Decimal(0)
_FEES = (SettlementCategory.ORDER_FEE, SettlementCategory.REFUND_FEE)


@dataclass
class SettlementFacts:
    """What a settlement file says must be in NetSuite, grouped as the connector models post it."""

    settlement_id: str
    currency: str
    total: Decimal
    deposit_day: str
    end_month: str
    items: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))  # order -> sale amounts
    fees: dict[tuple[str, str, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))  # order,key,month
    refunds: dict[tuple[str, str], list] = field(default_factory=dict)  # (order, adjustment) -> [amount, month]
    non_order: dict[tuple[str, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))  # key, month
    not_orders: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))  # non-Amazon order ids

    @property
    def order_ids(self) -> set[str]:
        return set(self.items) | {o for o, _, _ in self.fees} | {o for o, _ in self.refunds}

    def order_total(self, order_id: str) -> Decimal:
        return (self.items.get(order_id, ZERO) + sum(v for (o, _, _), v in self.fees.items() if o == order_id)
                + sum(v[0] for (o, _), v in self.refunds.items() if o == order_id))


def facts_of(settlement: Any) -> SettlementFacts:
    """Read an open settlement file's rows once and group them."""
    summary = settlement.summary
    facts = SettlementFacts(summary.settlement_id, summary.currency, summary.total.amount,
                            summary.deposit_date.date().isoformat(), summary.end.strftime("%Y-%m"))
    for row in settlement.rows():
        amount = row.amount.amount
        found = classify(row.transaction_type, row.amount_type, row.amount_description)
        month = row.posted_date.strftime("%Y-%m") if row.posted_date else facts.end_month
        order_id = row.order_id.strip()
        if found.category.group == "non_order" or not order_id:
            facts.non_order[(found.key, month)] += amount
        elif not is_amazon_order_id(order_id):
            facts.not_orders[order_id] += amount
        elif found.category in _FEES:
            facts.fees[(order_id, found.key, month)] += amount
        elif found.category is SettlementCategory.REFUND:
            entry = facts.refunds.setdefault((order_id, row.adjustment_id.strip()), [ZERO, month])
            entry[0] += amount
        else:
            facts.items[order_id] += amount
    return facts


@dataclass(frozen=True)
class TieMismatch:
    """One thing the model says should be in NetSuite and is not (or is, differently)."""

    what: str
    order: str
    expected: str
    actual: str
    netsuite: str = ""
    gap: Decimal = ZERO  # expected minus found, in settlement terms (what this mismatch leaves unaccounted)

    def sentence(self) -> str:
        where = f"order {self.order}: " if self.order else ""
        return f"{where}{self.what}: expected {self.expected}, found {self.actual}"

    def to_json(self) -> dict[str, str]:
        return {"what": self.what, "order": self.order, "expected": self.expected, "actual": self.actual,
                "netsuite": self.netsuite}


@dataclass
class TieOut:
    """The tie-out of one settlement: what was found, what differs, the exceptions."""

    settlement_id: str
    currency: str
    model: str
    total: Decimal
    footprint: Decimal = ZERO
    exceptions: dict[str, Decimal] = field(default_factory=dict)  # order id or reference -> amount
    found: list[dict[str, str]] = field(default_factory=list)
    mismatches: list[TieMismatch] = field(default_factory=list)

    def money(self, value: Decimal) -> str:
        return str(Money(value, self.currency))

    @property
    def exceptions_total(self) -> Decimal:
        return sum(self.exceptions.values(), ZERO)


def exceptions_of(facts: SettlementFacts, synced: Iterable[str]) -> dict[str, Decimal]:
    """Rows NetSuite cannot hold: orders never synced, and order rows whose id is not an Amazon order."""
    synced = set(synced)
    found = {o: facts.order_total(o) for o in sorted(facts.order_ids - synced)}
    found.update({ref: amount for ref, amount in sorted(facts.not_orders.items())})
    return found


def _sign(amount: Decimal) -> str:
    return "positive" if amount > 0 else "negative"


def tie_out(facts: SettlementFacts, settings: Any, *, billed: dict[str, Any], footprint: Any = None,
            refunds: Iterable[Any] = (), settlement_records: Iterable[dict[str, Any]] = ()) -> TieOut:
    """Compare NetSuite with what the model says the settlement must leave.

    ``settings`` is the [settlement] configuration; ``billed`` the orders' billed records
    found in NetSuite (order id -> BilledRecord); ``footprint`` the settlement's lines and
    summary transactions; ``refunds`` the refund records made from those billed records;
    ``settlement_records`` (summary posting) the deposits or journal entries carrying the
    settlement, each ``{"type", "id", "total", "currency"}`` (the total in the record's own currency;
    a record in another currency than the settlement's is a mismatch naming both).
    """
    model = model_for_posting(settings.posting)
    tie = TieOut(facts.settlement_id, facts.currency, model, facts.total,
                 exceptions=exceptions_of(facts, billed))
    if model == "summary_posting":
        _tie_summary_posting(facts, settings, list(settlement_records), tie)
    else:
        _tie_connector(facts, settings, billed, footprint, list(refunds), tie)
    accounted = tie.footprint + tie.exceptions_total
    explained = sum((m.gap for m in tie.mismatches), ZERO)  # each listed mismatch already names its amount
    if Money(accounted + explained, facts.currency).rounded() != Money(facts.total, facts.currency).rounded():
        tie.mismatches.append(TieMismatch(
            "NetSuite footprint plus exceptions", "", f"the total-amount {tie.money(facts.total)}",
            f"{tie.money(accounted)} (NetSuite {tie.money(tie.footprint)}, exceptions "
            f"{tie.money(tie.exceptions_total)})"))
    return tie


def _tie_summary_posting(facts, settings, records, tie: TieOut) -> None:
    placement = settlement_placement("summary_posting", "*", posting=settings.posting)
    wanted = [r for r in records if r["type"] == placement.record]
    if len(wanted) != 1:
        tie.mismatches.append(TieMismatch(
            f"{placement.record} for settlement {facts.settlement_id}", "", "exactly one",
            ", ".join(f"{r['type']} {r['id']}" for r in records) or "none"))
        tie.footprint = sum((Decimal(str(r["total"])) for r in wanted), ZERO)
        return
    record = wanted[0]
    posted_in = str(record.get("currency") or facts.currency).upper()
    if posted_in != facts.currency:  # amounts in two currencies never compare: say so, naming both
        tie.mismatches.append(TieMismatch(
            f"currency of {record['type']} {record['id']}", "", f"the settlement's currency {facts.currency}",
            f"{posted_in} ({Money(Decimal(str(record['total'])), posted_in)})",
            netsuite=f"{record['type']} {record['id']}", gap=facts.total - tie.exceptions_total))
        return
    total = Decimal(str(record["total"]))
    # a deposit's total is signed; a journal entry's is the sum of its debits, whichever way the money went
    signed = total if record["type"] == "Deposit" else abs(total) * (-1 if facts.total < 0 else 1)
    tie.footprint = signed - tie.exceptions_total  # the record carries the exceptions on a line of their own
    tie.found.append({"what": "settlement record", "netsuite": f"{record['type']} {record['id']}",
                      "amount": tie.money(tie.footprint)})


def _conditions(settings, **extra) -> dict[str, Any]:
    return {"merge_order_fees": settings.merge_order_fees, "merge_refunds": settings.merge_refunds,
            "refunds_as_credit_memos": settings.refunds_as_credit_memos, **extra}


def _tie_connector(facts, settings, billed, footprint, refunds, tie: TieOut) -> None:
    model = "netsuite_connector"
    lines = list(footprint.lines) if footprint is not None else []
    summaries = list(footprint.summaries) if footprint is not None else []
    expected_summaries: list[tuple[str, str, str, Decimal]] = []  # (what, month, type, amount)

    def monthly(month: str) -> str:
        return month if settings.split_by_month else ""

    # the sale itself: the billed record without this settlement's lines
    for order_id, amount in sorted(facts.items.items()):
        record = billed.get(order_id)
        if record is None:
            continue
        on_record = sum((line.amount for line in lines if line.transaction_id == record.id), ZERO)
        sale = record.total - on_record  # the record's total includes the settlement's (signed) lines
        tie.footprint += sale
        tie.found.append({"what": "sale", "order": order_id, "netsuite": f"{record.type} {record.id}",
                          "amount": tie.money(sale)})
        if Money(sale, facts.currency).rounded() != Money(amount, facts.currency).rounded():
            tie.mismatches.append(TieMismatch(f"sale on billed record {record.type} {record.id}", order_id,
                                              tie.money(amount), tie.money(sale), f"{record.type} {record.id}",
                                              amount - sale))
    # order modifications
    merged_fees: dict[str, Decimal] = defaultdict(Decimal)
    expected_lines: dict[tuple[str, str], Decimal] = defaultdict(Decimal)  # (billed id, item) -> amount
    line_order: dict[tuple[str, str], str] = {}
    for (order_id, key, month), amount in sorted(facts.fees.items()):
        record = billed.get(order_id)
        if record is None or not amount:
            continue
        placement = settlement_placement(model, "order_fee", **_conditions(settings, sign=_sign(amount)))
        if placement.on == "summary":
            merged_fees[monthly(month)] += amount
        else:
            expected_lines[(record.id, key)] += amount
            line_order[(record.id, key)] = order_id
    actual_lines: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for line in lines:
        actual_lines[(line.transaction_id, line.item)] += line.amount
    for (record_id, key), amount in sorted(expected_lines.items()):
        order_id = line_order[(record_id, key)]
        got = actual_lines.pop((record_id, key), None)
        record = billed[order_id]
        tie.footprint += got or ZERO
        if got is None:
            tie.mismatches.append(TieMismatch(f"{key} line on {record.type} {record.id}", order_id,
                                              tie.money(amount), "no such line", f"{record.type} {record.id}",
                                              amount))
        elif Money(got, facts.currency).rounded() != Money(amount, facts.currency).rounded():
            tie.mismatches.append(TieMismatch(f"{key} line on {record.type} {record.id}", order_id,
                                              tie.money(amount), tie.money(got), f"{record.type} {record.id}",
                                              amount - got))
        else:
            tie.found.append({"what": key, "order": order_id, "netsuite": f"{record.type} {record.id}",
                              "amount": tie.money(got)})
    by_id = {r.id: o for o, r in billed.items()}
    for (record_id, key), amount in sorted(actual_lines.items()):
        tie.footprint += amount
        tie.mismatches.append(TieMismatch(f"{key} line on transaction {record_id} not called for by the settlement",
                                          by_id.get(record_id, ""), "no such line", tie.money(amount), record_id,
                                          -amount))
    for month, amount in sorted(merged_fees.items()):
        placement = settlement_placement(model, "order_fee", **_conditions(settings, sign=_sign(amount)))
        expected_summaries.append(("merged order fees", month, placement.record, amount))
    # refunds
    merged_refunds: dict[str, Decimal] = defaultdict(Decimal)
    by_billed: dict[str, list[Any]] = defaultdict(list)
    for refund in refunds:
        by_billed[refund.billed_record_id].append(refund)
    for (order_id, adjustment), (amount, month) in sorted(facts.refunds.items()):
        record = billed.get(order_id)
        if record is None or not amount:
            continue
        billing = "cash_sale" if record.type == "CashSale" else "invoice"
        placement = settlement_placement(model, "refund", **_conditions(settings, billing=billing, sign=_sign(amount)))
        if placement.on == "summary":
            merged_refunds[monthly(month)] += amount
            continue
        candidates = by_billed.get(record.id, [])
        pick = next((r for r in candidates if adjustment and adjustment in (r.external_id + " " + r.memo)), None)
        if pick is None:
            pick = next((r for r in candidates if Money(r.amount, facts.currency).rounded()
                         == Money(amount, facts.currency).rounded()), None)
        what = f"{placement.record} from {record.type} {record.id} for refund {adjustment or '(no adjustment id)'}"
        if pick is None:
            tie.mismatches.append(TieMismatch(what, order_id, tie.money(amount), "none", f"{record.type} {record.id}",
                                              amount))
            continue
        candidates.remove(pick)
        tie.footprint += pick.amount
        if pick.type != placement.record or Money(pick.amount, facts.currency).rounded() != \
                Money(amount, facts.currency).rounded():
            tie.mismatches.append(TieMismatch(what, order_id, f"{placement.record} {tie.money(amount)}",
                                              f"{pick.type} {pick.id} {tie.money(pick.amount)}",
                                              f"{pick.type} {pick.id}", amount - pick.amount))
        else:
            tie.found.append({"what": "refund", "order": order_id, "netsuite": f"{pick.type} {pick.id}",
                              "amount": tie.money(pick.amount)})
    for month, amount in sorted(merged_refunds.items()):
        placement = settlement_placement(model, "refund", **_conditions(settings, sign=_sign(amount)))
        expected_summaries.append(("merged refunds", month, placement.record, amount))
    # non-order modifications
    non_order: dict[str, Decimal] = defaultdict(Decimal)
    for (_key, month), amount in facts.non_order.items():
        non_order[monthly(month)] += amount
    for month, amount in sorted(non_order.items()):
        if amount:
            placement = settlement_placement(model, "non_order", **_conditions(settings, sign=_sign(amount)))
            expected_summaries.append(("non-order amounts", month, placement.record, amount))
    _match_summaries(expected_summaries, summaries, settings, facts, tie)


def _match_summaries(expected, summaries, settings, facts, tie: TieOut) -> None:
    left = list(summaries)
    for what, month, record_type, amount in expected:
        label = f"summary {record_type} for the {what}" + (f" of {month}" if month else "")
        pick = next((s for s in left if s.type == record_type and Money(s.amount, facts.currency).rounded()
                     == Money(amount, facts.currency).rounded()), None)
        if pick is None:
            near = [s for s in left if what.split()[-1] in s.memo] or left
            tie.mismatches.append(TieMismatch(label, "", f"{record_type} {tie.money(amount)}",
                                              ", ".join(f"{s.type} {s.id} {tie.money(s.amount)}" for s in near)
                                              or "none", gap=amount))
            continue
        left.remove(pick)
        tie.footprint += pick.amount
        if settings.customer_internal_id and pick.customer != str(settings.customer_internal_id):
            tie.mismatches.append(TieMismatch(f"customer of {label}", "", f"the settlement customer "
                                              f"{settings.customer_internal_id}", pick.customer,
                                              f"{pick.type} {pick.id}"))
        tie.found.append({"what": label, "netsuite": f"{pick.type} {pick.id}", "amount": tie.money(pick.amount)})
    for extra in left:
        tie.footprint += extra.amount
        tie.mismatches.append(TieMismatch(f"{extra.type} {extra.id} ({extra.memo}) not called for by the model", "",
                                          "no such transaction", tie.money(extra.amount), f"{extra.type} {extra.id}",
                                          -extra.amount))


def settlement_tied_out(tie: TieOut, *, check_id: str = "AS-4") -> CheckResult:
    """Every row found where the model says, and footprint plus exceptions equals the total-amount."""
    passed = not tie.mismatches
    total = tie.money(tie.total)
    expected = {"model": tie.model, "total-amount": total, "mismatches": 0}
    actual = {"NetSuite footprint": tie.money(tie.footprint), "exceptions": tie.money(tie.exceptions_total),
              "mismatches": len(tie.mismatches)}
    evidence = [{"found in NetSuite": tie.found, "exceptions": {k: tie.money(v) for k, v in tie.exceptions.items()},
                 "mismatches": [m.to_json() for m in tie.mismatches]}]
    if passed:
        message = (f"settlement {tie.settlement_id} ({tie.model}): NetSuite holds {tie.money(tie.footprint)} where the "
                   f"model says, plus exceptions {tie.money(tie.exceptions_total)}, every cent of {total}")
    else:
        message = (f"settlement {tie.settlement_id} ({tie.model}): {len(tie.mismatches)} mismatch(es): "
                   + "; ".join(m.sentence() for m in tie.mismatches[:5]))
    return CheckResult(check_id, "settlement tied out in NetSuite", passed, expected, actual, message, evidence,
                       None if passed else FailureCategory.DATA_MISMATCH)


def bank_deposit_leg(facts: SettlementFacts, bank_account: str, deposits: list[dict[str, Any]], *,
                     check_id: str = "AS-4") -> CheckResult:
    """With [settlement] bank_account set: a deposit in it dated on or after the deposit-date equals the total."""
    total = Money(facts.total, facts.currency).rounded()
    match = next((d for d in deposits if Money(d["total"], facts.currency).rounded() == abs(total)), None)
    found = ", ".join(f"deposit {d['tranid'] or d['id']} of {d['day']}: {Money(d['total'], facts.currency)}"
                      for d in deposits) or "no deposit"
    if match is not None:
        message = (f"settlement {facts.settlement_id}: deposit {match['tranid'] or match['id']} into {bank_account} "
                   f"on {match['day']} equals the total-amount {total}")
    else:
        message = (f"settlement {facts.settlement_id}: expected a deposit of {total} into {bank_account} on or after "
                   f"{facts.deposit_day}, found {found}")
    return CheckResult(check_id, "payout deposited in the bank account", match is not None, str(total), found,
                       message, [{"deposits": [{**d, "total": str(d["total"])} for d in deposits]}],
                       None if match is not None else FailureCategory.DATA_MISMATCH)


def settlement_balanced(verified: Any, *, recorded_total: Money | None = None, check_id: str = "AS-3") -> CheckResult:
    """The statement's net proceeds (the rows' sum) equal the summary's total-amount, to the cent.

    ``recorded_total``: the total-amount the connector recorded for its import, which must be the file's.
    """
    statement = verified.statement
    recorded_ok = recorded_total is None or recorded_total.rounded() == statement.total_amount.rounded()
    passed = statement.balanced and recorded_ok
    expected, actual = str(statement.total_amount.rounded()), str(statement.net_proceeds.rounded())
    if passed:
        message = (f"settlement {statement.settlement_id}: {statement.file_rows} rows, net proceeds {actual} equal "
                   "the total-amount")
    elif not recorded_ok:
        actual = str(recorded_total.rounded()) if recorded_total is not None else actual
        message = (f"settlement {statement.settlement_id}: the connector recorded its total-amount as {actual}, the "
                   f"file says {expected}")
    else:
        message = (f"settlement {statement.settlement_id}: net proceeds {actual}, total-amount {expected} (difference "
                   f"{statement.difference.rounded()})")
    return CheckResult(check_id, "settlement balances", passed, expected, actual, message,
                       [{"statement": statement.to_json()}], None if passed else FailureCategory.DATA_MISMATCH)


def exceptions_checked(verified: Any, expected_order_ids: Iterable[str], *, check_id: str = "AS-1") -> CheckResult:
    """Exactly the orders the connector never synced are exceptions; none of their rows is in NetSuite."""
    tie = verified.tie
    expected = sorted(expected_order_ids)
    actual = sorted(o for o in tie.exceptions if is_amazon_order_id(o))
    posted_anyway = sorted({m.order for m in tie.mismatches if m.order in tie.exceptions}
                           | {f.get("order", "") for f in tie.found if f.get("order") in tie.exceptions})
    passed = expected == actual and not posted_anyway
    reason = "no NetSuite sales order carries this order id: the connector never synced it"
    table = [{"order_id": o, "amount": tie.money(a), "reason": reason if is_amazon_order_id(o) else
              "not an Amazon order id"} for o, a in tie.exceptions.items()]
    if passed:
        message = (f"settlement {tie.settlement_id}: " + (f"{len(actual)} order(s) never synced are exceptions "
                   f"({', '.join(actual)}): {reason}" if actual else "every order row matches an order the "
                   "connector synced"))
    else:
        missing, extra = sorted(set(expected) - set(actual)), sorted(set(actual) - set(expected))
        message = f"settlement {tie.settlement_id}: " + "; ".join(filter(None, [
            f"rows for {', '.join(missing)} were posted as if matched, though the connector never synced them"
            if missing else "",
            f"{', '.join(extra)} have no synced order in NetSuite" if extra else "",
            f"rows of {', '.join(posted_anyway)} are in NetSuite although never synced" if posted_anyway else ""]))
    return CheckResult(check_id, "settlement rows match synced orders", passed, expected, actual, message,
                       [{"exceptions": table}], None if passed else FailureCategory.DATA_MISMATCH)
