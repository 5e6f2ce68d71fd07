"""Steps of the audit features (features/audit/): run an audit over the window, verify its table."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from syncproof import checks
from syncproof.audit import audit_payouts, audit_refunds_from_netsuite, audit_refunds_to_netsuite, audit_settlements
from syncproof.report.recorder import record_note, record_settlement
from syncproof.scenario import ScenarioContext

from ._support import verify

pytest_plugins = ["syncproof.audit.plugin"]


def _record(result) -> None:
    record_note(f"{result.title}: audited " + ", ".join(f"{n:,} {what}" for what, n in result.audited.items())
                + "; requests " + ", ".join(f"{system} {n:,}" for system, n in result.requests.items())
                + f"; {len(result.mismatches)} mismatch(es)")
    for note in result.notes:
        record_note(note)
    for settlement in result.settlements:
        record_settlement(settlement)


@when(parsers.parse("the audit of {channel} refunds to NetSuite runs over the window"))
def audit_to_netsuite(runtime, ctx: ScenarioContext, audit_clients, audit_window, audit_progress, channel):
    ctx.audit = audit_refunds_to_netsuite(audit_clients, runtime.config, audit_window, channel,
                                          progress=audit_progress)
    _record(ctx.audit)


@when(parsers.parse("the audit of NetSuite refunds to {channel} runs over the window"))
def audit_from_netsuite(runtime, ctx: ScenarioContext, audit_clients, audit_window, audit_progress, channel):
    ctx.audit = audit_refunds_from_netsuite(audit_clients, runtime.config, audit_window, channel,
                                            progress=audit_progress)
    _record(ctx.audit)


@when(parsers.parse("the audit of {channel} payouts runs over the window"))
def audit_payout_run(runtime, ctx: ScenarioContext, audit_clients, audit_window, audit_progress, channel):
    ctx.audit = audit_payouts(audit_clients, runtime.config, audit_window, channel, progress=audit_progress)
    _record(ctx.audit)


@when("the audit of Amazon settlements runs over the window")
def audit_settlement_run(runtime, ctx: ScenarioContext, audit_clients, audit_window, audit_progress):
    ctx.audit = audit_settlements(audit_clients, runtime.config, audit_window, progress=audit_progress)
    _record(ctx.audit)


@then(parsers.parse("the audit finds no {check_id} mismatches"))
def no_mismatches(ctx: ScenarioContext, check_id):
    verify(ctx.audit.check_result(check_id))


@then("the audit sent no write to any system")
def no_writes(ctx: ScenarioContext, audit_clients):
    verify(checks.audit_read_only(audit_clients.writes(), ctx.audit.requests))
