"""A plain Decimal pass over a settlement's rows, every figure the tally gives, and tallies to compare them with."""

from __future__ import annotations

from decimal import Decimal

from connectors.settlement_file import is_amazon_order_id, open_settlement
from syncproof.engine.settlement_connector import ConnectorTally
from syncproof.engine.settlement_tally import SettlementTally
from tests.settlement.test_settlement_batches import kind_of

END_MONTH = "2024-10"
ZERO = Decimal(0)


def reference(rows: list, *, connector: bool) -> dict:
    """Every figure of the tally, from the rows one at a time with Decimal sums."""
    orders: dict[str, list] = {}  # id -> [total, rows, first line, types, {(category, account): sum}]
    not_orders: dict[str, list] = {}
    by_category: dict[str, Decimal] = {}
    by_type: dict[str, Decimal] = {}
    non_order: dict[tuple[str, str], Decimal] = {}
    fees: dict[tuple[str, str, str], Decimal] = {}
    refunds: dict[tuple[str, str], tuple[str, dict, dict]] = {}
    connector_non_order: dict[tuple[str, str], Decimal] = {}
    for r in rows:
        kind = kind_of(r.transaction_type, r.amount_type, r.amount_description)
        amount, key = r.amount.amount, kind.found.key
        month = r.posted_date.strftime("%Y-%m") if r.posted_date else END_MONTH
        by_category[kind.category] = by_category.get(kind.category, ZERO) + amount
        by_type[r.transaction_type] = by_type.get(r.transaction_type, ZERO) + amount
        if kind.order_row and is_amazon_order_id(r.order_id):
            entry = orders.setdefault(r.order_id, [ZERO, 0, r.line_number, set(), {}])
            entry[0] += amount
            entry[1] += 1
            entry[3].add(r.transaction_type)
            slot = (kind.category, kind.account)
            entry[4][slot] = entry[4].get(slot, ZERO) + amount
            if kind.fee:
                fees[(r.order_id, key, month)] = fees.get((r.order_id, key, month), ZERO) + amount
            elif kind.refund:
                _, amounts, lines = refunds.setdefault((r.order_id, r.adjustment_id), (month, {}, {}))
                amounts[key] = amounts.get(key, ZERO) + amount
                if r.sku and key in ("refund.principal", "refund.tax"):
                    quantity, principal, tax = lines.get(r.sku, (0, ZERO, ZERO))
                    if key == "refund.principal":
                        lines[r.sku] = (quantity + (r.quantity or 1), principal - amount, tax)
                    else:
                        lines[r.sku] = (quantity, principal, tax - amount)
        elif kind.order_row and r.order_id:  # not an Amazon order id
            entry = not_orders.setdefault(r.order_id, [ZERO, 0, r.line_number, set()])
            entry[0] += amount
            entry[1] += 1
            entry[3].add(r.transaction_type)
        else:
            slot = (kind.category, kind.account)
            non_order[slot] = non_order.get(slot, ZERO) + amount
            connector_non_order[(key, month)] = connector_non_order.get((key, month), ZERO) + amount
    figures = {
        "orders": [(order_id, str(total), count, first, sorted(types), text_of(slots))
                   for order_id, (total, count, first, types, slots) in orders.items()],
        "not_orders": {k: (str(v[0]), v[1], v[2], sorted(v[3])) for k, v in not_orders.items()},
        "by_category": list(text_of(by_category).items()),
        "by_type": list(text_of(by_type).items()),
        "non_order": text_of(non_order),
    }
    if connector:
        figures["fees"] = text_of({k: v for k, v in fees.items() if v})
        figures["refunds"] = [(k, month, text_of(amounts), {s: (q, str(p), str(t)) for s, (q, p, t) in lines.items()})
                              for k, (month, amounts, lines) in refunds.items()]
        figures["connector_non_order"] = text_of(connector_non_order)
    return figures


def figures(tally: SettlementTally) -> dict:
    """The same figures, as the tally gives them."""
    ids = list(tally.order_ids())
    figures = {
        "orders": [(order_id, str(f.total), f.rows, f.first_line, sorted(f.transaction_types),
                    text_of(tally.order_amounts(order_id)))
                   for order_id, f in zip(ids, tally.order_figures(ids), strict=True)],
        "not_orders": {k: (str(v[0]), v[1], v[2], sorted(v[3])) for k, v in tally.not_orders.items()},
        "by_category": list(text_of(tally.by_category).items()),
        "by_type": list(text_of(tally.by_type).items()),
        "non_order": text_of(tally.non_order),
    }
    connector = tally.connector
    if connector is not None:
        figures["fees"] = text_of(tally.fees(ids))
        figures["refunds"] = [(k, g.month, text_of(g.amounts), {s: (q, str(p), str(t)) for s, (q, p, t) in
                                                               g.lines.items()})
                              for k, g in connector.refunds.items()]
        figures["connector_non_order"] = text_of({k: v for k, v in connector.non_order.items()})
    return figures


def text_of(sums: dict) -> dict:
    return {k: str(v) for k, v in sums.items()}


def new_tally(connector: bool) -> SettlementTally:
    return SettlementTally(kind_of, connector=ConnectorTally() if connector else None, end_month=END_MONTH)


def tallied(data: bytes, connector: bool) -> SettlementTally:
    """``data`` tallied by column blocks."""
    tally = new_tally(connector)
    with open_settlement(data) as settlement:
        tally.add_batches(settlement.batches())
    return tally
