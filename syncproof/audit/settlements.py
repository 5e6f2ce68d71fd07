"""Settlement audit over a window (AS-1..AS-4), read-only.

Every Amazon settlement whose period lies in the window is downloaded (Reports API,
paged) and read in one streaming pass: AS-3 its rows sum to the summary's
total-amount; AS-1 its order rows are matched to sales orders the connector synced
(by the order id on the sales order, [netsuite] order_id_field, in SuiteQL queries of
1,000 ids), and rows of orders never synced are listed as exceptions; AS-4 NetSuite
holds one deposit or journal entry for it (external id ``amazon-settlement-<id>``, or
the id in its memo) whose total is the settlement's total-amount; AS-2 a settlement
starting before go-live plus the configured wait is noted as not yet qualifying.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from connectors.settlement_file import is_amazon_order_id, open_settlement
from syncproof.config import Config
from syncproof.engine.settlements import first_qualifying_date

from . import _netsuite as ns
from ._clients import ReadOnlyClients
from ._mismatch import AuditResult, Mismatch
from ._progress import Progress
from ._window import AuditWindow

__all__ = ["audit_settlements"]


def _moment(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def audit_settlements(clients: ReadOnlyClients, config: Config, window: AuditWindow, *,
                      progress: Progress | None = None) -> AuditResult:
    result = AuditResult("Amazon settlements in NetSuite", ("AS-1", "AS-2", "AS-3", "AS-4"))
    summaries = []
    for report in clients.amazon.settlement_reports(created_since=window.since):
        start, end = _moment(report.data_start_time), _moment(report.data_end_time)
        if not report.document_id or start is None or end is None or start < window.since or end > window.until:
            continue
        document = clients.amazon.download_report(report.document_id)
        per_order: dict[str, Decimal] = defaultdict(Decimal)
        others: dict[str, Decimal] = defaultdict(Decimal)
        rows_sum, count = Decimal(0), 0
        with open_settlement(document.content) as settlement:
            summary = settlement.summary
            for row in settlement.rows():
                rows_sum += row.amount.amount
                count += 1
                if row.order_id and is_amazon_order_id(row.order_id):
                    per_order[row.order_id] += row.amount.amount
                elif row.order_id:
                    others[row.order_id] += row.amount.amount
        summaries.append((summary, rows_sum, count, per_order, others))
        if progress:
            progress.page("amazon settlements read", len(summaries))
    order_ids = {o for s in summaries for o in s[3]}
    synced = ns.sales_orders(clients.netsuite, config.netsuite.order_id_field, order_ids) if order_ids else {}
    posted = ns.settlement_records(clients.netsuite, [s[0].settlement_id for s in summaries]) if summaries else {}
    first_date = first_qualifying_date(config.project.go_live, config.project.settlement_wait_weeks)
    for summary, rows_sum, count, per_order, others in summaries:
        sid, total = summary.settlement_id, summary.total.rounded().amount
        rounded = summary.total.__class__(rows_sum, summary.currency).rounded().amount
        where = dict(channel="amazon", order="", refund="", netsuite="")
        exceptions = [{"order_id": o, "amount": str(a), "reason": "no NetSuite sales order carries this order id "
                       "(never synced by the connector)"} for o, a in sorted(per_order.items()) if o not in synced]
        exceptions += [{"order_id": o, "amount": str(a), "reason": "not an Amazon order id (FBA shipment, removal, "
                        "liquidation or multi-channel reference)"} for o, a in sorted(others.items())]
        if summary.start.date() < first_date:
            result.notes.append(
                f"settlement {sid} starts {summary.start.date()}, before {first_date} (go-live plus "
                f"{config.project.settlement_wait_weeks} weeks): it does not qualify for settlement testing"
            )
        if rounded != total:
            result.mismatches.append(Mismatch("AS-3", what=f"settlement {sid}: rows sum", expected=str(total),
                                              actual=str(rounded), **where))
        records = posted.get(sid, [])
        if not records:
            result.mismatches.append(Mismatch("AS-4", what=f"settlement {sid}: NetSuite deposit or journal entry",
                                              expected=f"one, totalling {total}", actual="none", **where))
        elif len(records) > 1:
            result.mismatches.append(
                Mismatch(
                    "AS-4",
                    what=f"settlement {sid}: NetSuite deposits or journal entries",
                    expected="1",
                    actual=", ".join(f"{r['type']} {r.get('tranid') or r['id']}" for r in records),
                    **where,
                )
            )
        else:
            ns_total = abs(Decimal(str(records[0].get("total") or 0)))
            if ns_total.quantize(Decimal("0.01")) != abs(total):
                result.mismatches.append(
                    Mismatch(
                        "AS-4",
                        what=f"settlement {sid}: NetSuite total",
                        expected=str(total),
                        actual=str(ns_total),
                        **{**where, "netsuite": f"{records[0]['type']} {records[0].get('tranid') or records[0]['id']}"},
                    )
                )
        report = {
            "id": sid,
            "currency": summary.currency,
            "period": {"start": summary.start.date().isoformat(), "end": summary.end.date().isoformat()},
            "rows": count,
            "balance": {"expected": str(total), "actual": str(rounded), "balanced": rounded == total},
            "deposit": ", ".join(f"{r['type']} {r.get('tranid') or r['id']} ({r.get('total')})" for r in records)
            or "not posted",
            "matched_orders": len([o for o in per_order if o in synced]),
            "exceptions": exceptions,
        }
        result.settlements.append(report)
    result.audited = {"settlements": len(summaries), "settlement order ids": len(order_ids)}
    result.requests = clients.requests()
    return result
