"""Settlement sync in the sandbox connector, and the settlement defects of the catalogue.

Each cycle the connector imports the settlement reports of the last ``days_back`` days it has
not imported yet (every one again after a settings change or when asked for a second run) the
way the engine posts them in the configured model; a defect changes what it hands the
engine (settings, orders), wraps what the engine calls (the summary and fee-line posting),
or misreports its own record. Every settlement defect lives here, in the connector's
process: the engine module it patches is this process's own copy, and it is patched for
one cycle's settlement sync only (the next scenario may not make the defect).
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal
from typing import Any, Iterator

from syncproof.engine import settlement_connector
from syncproof.engine.settlements import SettlementSync

__all__ = ["sync_settlements", "SETTLEMENT_DEFECTS"]

SETTLEMENT_DEFECTS = frozenset({
    "settlement_too_early_posted", "unsynced_rows_posted", "non_order_amounts_lost", "cash_sale_for_cash_refund",
    "fees_on_wrong_order", "fees_wrong_sign", "settlement_posted_twice", "summary_cent_off",
    "settlement_total_misread"})
CENT = Decimal("0.01")


class _Forgetful:
    """The connector's store, except that it never remembers a settlement was posted."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def settlement(self, settlement_id: str) -> None:
        return None


def _posting(posting: Any, names: frozenset[str]) -> None:
    """Wrap one ConnectorPosting's summary and fee posting with the active defects."""
    summary, fees = posting._summary, posting._post_fees

    def _summary(sid, summary_row, what, month, lines, result, *, kind=None):
        if "cash_sale_for_cash_refund" in names and what == "non-order amounts":
            kind = "CashSale"
        if "summary_cent_off" in names and lines:
            lines = [(lines[0][0], lines[0][1] + CENT, lines[0][2]), *lines[1:]]
        return summary(sid, summary_row, what, month, lines, result, kind=kind)

    def _post_fees(sid, summary_row, fee_rows, items, matched, result):
        if "fees_wrong_sign" in names:
            fee_rows = {k: -v for k, v in fee_rows.items()}
        if "fees_on_wrong_order" in names:
            orders = sorted({k[0] for k in fee_rows})
            shifted = dict(zip(orders, orders[1:] + orders[:1], strict=True))
            fee_rows = {(shifted[o], key, month): v for (o, key, month), v in fee_rows.items()}
        return fees(sid, summary_row, fee_rows, items, matched, result)

    posting._summary = _summary
    posting._post_fees = _post_fees
    if "non_order_amounts_lost" in names:
        posting._post_non_order = lambda *args, **kwargs: None


@contextmanager
def _posted_again(names: frozenset[str], runs: int) -> Iterator[None]:
    """``settlement_posted_twice``: while the block runs, the engine's posting module finds no earlier posting
    and posts under an external id of this run's."""
    if "settlement_posted_twice" not in names:
        yield
        return
    found, post = settlement_connector.has_settlement_lines, settlement_connector.post_summary
    settlement_connector.has_settlement_lines = lambda *args, **kwargs: False
    settlement_connector.post_summary = lambda client, code, external_id, **kw: post(
        client, code, f"{external_id}~{runs}", **kw)
    try:
        yield
    finally:
        settlement_connector.has_settlement_lines, settlement_connector.post_summary = found, post


def sync_settlements(connector: Any, channel: str, client: Any) -> None:
    """One cycle's settlement sync of ``channel`` (through its ``client``): every report of the last
    ``days_back`` days, with the defects."""
    names = frozenset(connector.defects.names) & SETTLEMENT_DEFECTS
    config = connector.config
    if "settlement_too_early_posted" in names:
        config = replace(config, project=replace(config.project, settlement_wait_weeks=0,
                                                 go_live=dt.date(2000, 1, 1)))
    if "unsynced_rows_posted" in names:  # orders left out are synced now, as the settlement names them
        for (name, order_id), _reason in list(connector.cancelled.items()):
            if name == channel:
                connector.engine.orders.sync(connector.orders[(name, order_id)])
                connector.cancelled.pop((name, order_id))
    engine = connector.engine
    store = _Forgetful(connector.store) if "settlement_posted_twice" in names else connector.store
    sync = SettlementSync(engine.books, store, config, refunds=engine.refunds)
    connector.settlement_runs += 1
    _posting(sync.connector, names)
    # days_back counts from today; the scenarios date their settlements themselves, from go-live on
    go_live = dt.datetime.combine(connector.config.project.go_live, dt.time(), dt.timezone.utc)
    since = min(connector.clock() - dt.timedelta(days=config.settlement.days_back), go_live)
    with _posted_again(names, connector.settlement_runs):
        for outcome in sync.run(client, created_since=since, imported=connector.imported_reports):
            total = outcome.total.amount + (CENT if "settlement_total_misread" in names else 0)
            connector.settlement_outcomes[outcome.settlement_id] = {
                "settlement_id": outcome.settlement_id, "status": outcome.status, "reason": outcome.reason,
                "total_amount": str(total), "currency": outcome.currency,
                "posting_errors": list(outcome.posting_errors)}
