"""Settlement audit over a window (AS-1..AS-4), read-only, in the configured connector model.

Every Amazon settlement whose period lies in the window is downloaded (Reports API,
paged) and read in one streaming pass into its statement view and the facts the
tie-out needs. AS-3: its rows sum to the summary's total-amount. AS-1: its order rows
are matched to the sales orders the connector synced (by the order id on the sales
order, [netsuite] order_id_field); rows of orders never synced are listed as
exceptions. AS-4: the tie-out of :mod:`syncproof.settlement_tieout` for the model
``[settlement] posting`` names (the NetSuite Connector's fee lines, summary cash sale
or cash refund and refunds; or one deposit or journal entry), plus the bank-deposit
leg when ``[settlement] bank_account`` is set; every mismatch names the order and the
amounts. AS-2: a settlement starting before go-live plus the configured wait is noted
as not yet qualifying. Reports keeps documents 90 days: a window wholly older is refused in
one line, and a pass over a window reaching further back says which part it could not read.
"""

from __future__ import annotations

from syncproof import checks
from syncproof.channels._amazon_audit import check_settlement_window, settlement_audit_limits
from syncproof.config import Config
from syncproof.settlement_verification import verify_settlement

from ._clients import ReadOnlyClients
from ._mismatch import AuditResult, Mismatch
from ._progress import Progress
from ._window import AuditWindow

__all__ = ["audit_settlements"]


def _moment(text: str | None):
    import datetime as dt

    if not text:
        return None
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def audit_settlements(clients: ReadOnlyClients, config: Config, window: AuditWindow, *,
                      progress: Progress | None = None) -> AuditResult:
    result = AuditResult("Amazon settlements in NetSuite", ("AS-1", "AS-2", "AS-3", "AS-4"))
    amazon = clients.client("amazon")
    now = amazon.now() if hasattr(amazon, "now") else None
    check_settlement_window(window, now)
    result.incomplete.extend(settlement_audit_limits(window, now))
    result.notes.extend(result.incomplete)
    first_date = checks.first_qualifying_start(config.project.go_live, config.project.settlement_wait_weeks)
    count = orders = 0
    for report in clients.client("amazon").settlement_reports(created_since=window.since):
        start, end = _moment(report.data_start_time), _moment(report.data_end_time)
        if not report.document_id or start is None or end is None or start < window.since or end > window.until:
            continue
        content = clients.client("amazon").download_report(report.document_id).content
        verified = verify_settlement(clients.netsuite, config, content)
        facts, statement, tie = verified.facts, verified.statement, verified.tie
        count += 1
        orders += len(facts.order_ids)
        sid = facts.settlement_id
        where = dict(channel="amazon", refund="")
        if start.date() < first_date:
            result.notes.append(f"settlement {sid} starts {start.date()}, before {first_date} (go-live plus "
                                f"{config.project.settlement_wait_weeks} weeks): it does not qualify for settlement "
                                "testing")
        if not statement.balanced:
            result.mismatches.append(Mismatch("AS-3", what=f"settlement {sid}: rows sum",
                                              expected=str(statement.total_amount.rounded().amount),
                                              actual=str(statement.net_proceeds.rounded().amount), order="",
                                              netsuite="", **where))
        for mismatch in tie.mismatches:
            result.mismatches.append(Mismatch("AS-4", what=f"settlement {sid}: {mismatch.what}",
                                              expected=mismatch.expected, actual=mismatch.actual,
                                              order=mismatch.order, netsuite=mismatch.netsuite, **where))
        if verified.bank is not None and not verified.bank.passed:
            result.mismatches.append(Mismatch("AS-4", what=f"settlement {sid}: payout deposited in "
                                              f"{config.settlement.bank_account}", expected=verified.bank.expected,
                                              actual=verified.bank.actual, order="", netsuite="", **where))
        exceptions = [{"order_id": o, "amount": tie.money(a),
                       "reason": "no NetSuite sales order carries this order id (never synced by the connector)"
                       if len(o) == 19 and o[3] == "-" else "not an Amazon order id (FBA shipment, removal, "
                       "liquidation or multi-channel reference)"} for o, a in tie.exceptions.items()]
        result.settlements.append({
            "id": sid, "currency": facts.currency,
            "period": {"start": start.date().isoformat(), "end": end.date().isoformat()},
            "rows": statement.file_rows,
            "balance": {"expected": str(statement.total_amount.rounded().amount),
                        "actual": str(statement.net_proceeds.rounded().amount), "balanced": statement.balanced},
            "model": tie.model, "deposit": ", ".join(f["netsuite"] for f in tie.found if f["what"] != "sale")
            or "not posted",
            "matched_orders": len(facts.order_ids) - len([o for o in tie.exceptions if o in facts.order_ids]),
            "exceptions": exceptions, "statement": statement.to_json(),
            "tie_out": {"found": tie.found, "mismatches": [m.to_json() for m in tie.mismatches]}})
        if progress:
            progress.page("amazon settlements read", count)
    result.audited = {"settlements": count, "settlement order ids": orders}
    result.requests = clients.requests()
    return result

