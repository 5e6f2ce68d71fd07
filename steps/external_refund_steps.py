"""Steps for refunds a marketplace makes outside its refund flow (eBay: issued without the buyer's request).

Such a refund moves the money, but the connector cannot retrieve it (Oracle's note on eBay in
"Refunds and Exchanges in NetSuite Connector"). The scenario shows it is not missed: the
audit, which reads the marketplace's own money movements, reports it as a refund NetSuite
never received.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pytest_bdd import parsers, then, when

from syncproof import checks
from syncproof.audit import AuditWindow, ReadOnlyClients, audit_refunds_to_netsuite
from syncproof.channels import channel_for
from syncproof.errors import SyncproofError
from syncproof.report.recorder import record_note
from syncproof.scenario import ScenarioContext

from ._support import verify


def _moment(text: str | None) -> datetime:
    if not text:
        raise SyncproofError("the order or refund has no date to audit around", "read it back from the channel first")
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@when(parsers.re(r"the seller refunds (?P<quantity>\d+) of (?P<sku>\S+) in (?P<channel>\w+) without a buyer request"))
def refunded_without_request(runtime, ctx: ScenarioContext, quantity, sku, channel):
    unrequested = getattr(channel_for(runtime, channel), "refund_unrequested", None)
    if unrequested is None:
        raise SyncproofError(f"{channel} has no refunds outside its refund flow", "use this step with ebay")
    refund = unrequested(ctx.order, {sku: int(quantity)}, shipping=False, note=f"syncproof {ctx.run_id}")
    ctx.refunds_made.append(refund)
    ctx.refund = refund


@then(parsers.re(r"the audit of (?P<channel>\w+) refunds to NetSuite over the order's days reports the refund "
                 r"missing in NetSuite"))
def audit_reports_missing(runtime, ctx: ScenarioContext, channel):
    order, refund = ctx.order, ctx.refund
    # the window comes from the channel's own dates, so a replayed run asks exactly what was recorded
    window = AuditWindow(_moment(order.created_at) - timedelta(seconds=1),
                         _moment(refund.created_at) + timedelta(seconds=1))
    result = audit_refunds_to_netsuite(ReadOnlyClients.of(runtime), ctx.config, window, channel)
    record_note(f"{result.title} over {window}: {len(result.mismatches)} mismatch(es)")
    verify(checks.audit_reports_missing_refund(result.mismatches, channel=channel,
                                               channel_order_id=order.channel_order_id, refund_id=refund.refund_id,
                                               total=refund.total))
