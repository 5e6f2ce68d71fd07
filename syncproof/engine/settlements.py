"""Settlement sync: download Amazon settlement reports, reconcile them, post them to NetSuite.

For each settlement report not processed yet:

1. the file is parsed in one streaming pass; every row is classified (order item
   amounts, order fees, refunds and refund fees, non-order amounts) and tallied;
2. order and refund rows are matched to the orders the engine synced (by order id):
   rows for orders it never synced (including orders from before go-live) and rows
   whose order id is not an Amazon order become exceptions with their reason;
3. one deposit (or journal entry) is posted per settlement, external id
   ``amazon-settlement-<id>`` (``external_ids.settlement``) so a second import creates nothing: lines per category
   and account, per-order fee lines traceable to the order, non-order amounts
   summarised, one line holding the exceptions (listed in the report), and a variance
   line only when the rows do not sum to the total;
4. the settlement is recorded in the engine store with its status and exceptions.

A settlement whose period starts before go-live plus the configured wait is not
posted: it is reported as too early, naming the first date that would qualify.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import AbstractSet, Any, Iterable

from connectors.netsuite import NetSuiteRecords, PostingLine, add_currency_hint, external_ids
from connectors.settlement_file import SettlementFile, open_settlement
from syncproof.config import Config
from syncproof.errors import SettingsRefused
from syncproof.model import Money
from syncproof.settlement_categories import SettlementCategory, classify

from .settlement_connector import ConnectorPosting, ConnectorTally
from .settlement_tally import RowKind, SettlementTally
from .store import EngineStore

__all__ = ["SettlementSync", "SettlementOutcome", "SettlementException", "first_qualifying_date",
           "DEFAULT_CATEGORY_ACCOUNTS"]

CHANNEL = "amazon"
ZERO = Decimal(0)

#: The NetSuite account each category posts to unless [settlement.accounts] says otherwise.
DEFAULT_CATEGORY_ACCOUNTS = {
    SettlementCategory.ORDER_ITEM: "Sales",
    SettlementCategory.ORDER_FEE: "Amazon Selling Fees",
    SettlementCategory.REFUND: "Sales Returns and Allowances",
    SettlementCategory.REFUND_FEE: "Amazon Selling Fees",
    SettlementCategory.RESERVE: "Amazon Clearing",
    SettlementCategory.STORAGE: "Amazon FBA Fees",
    SettlementCategory.SUBSCRIPTION: "Amazon Selling Fees",
    SettlementCategory.ADVERTISING: "Advertising Fees",
    SettlementCategory.REIMBURSEMENT: "Marketplace Reimbursements",
    SettlementCategory.REMOVAL: "Amazon FBA Fees",
    SettlementCategory.LIQUIDATION: "Marketplace Reimbursements",
    SettlementCategory.OTHER: "Amazon Clearing",
}
_FEES = (SettlementCategory.ORDER_FEE, SettlementCategory.REFUND_FEE)
_ORDER_GROUPS = ("order", "refund")


def first_qualifying_date(go_live: dt.date, wait_weeks: int) -> dt.date:
    """The first settlement start date that qualifies for settlement testing (AS-2)."""
    return go_live + dt.timedelta(weeks=wait_weeks)


@dataclass(frozen=True)
class SettlementException:
    """Rows the sync could not post against a synced order, with the reason."""

    order_id: str
    amount: Decimal
    rows: int
    first_line: int
    transaction_types: tuple[str, ...]
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"order_id": self.order_id, "amount": str(self.amount), "rows": self.rows,
                "first_line": self.first_line, "transaction_types": list(self.transaction_types),
                "reason": self.reason}


@dataclass
class SettlementOutcome:
    """What happened to one settlement, with everything the AS checks and the report need."""

    settlement_id: str
    status: str  # posted | posted_with_exceptions | unchanged | too_early | failed
    currency: str
    period_start: dt.datetime
    period_end: dt.datetime
    total: Money
    rows_sum: Money
    row_count: int
    balanced: bool
    posted: Money
    exceptions_total: Money
    exceptions: list[SettlementException] = field(default_factory=list)
    totals_by_category: dict[str, Decimal] = field(default_factory=dict)
    totals_by_type: dict[str, Decimal] = field(default_factory=dict)
    netsuite_type: str | None = None
    netsuite_id: str | None = None
    deposit_total: Money | None = None
    first_qualifying_date: dt.date | None = None
    reason: str | None = None
    posting_errors: list[str] = field(default_factory=list)
    netsuite_records: list[str] = field(default_factory=list)

    def to_report(self) -> dict[str, Any]:
        """The shape the acceptance report shows for a settlement (see ``record_settlement``)."""
        def money(value: Money | None) -> dict[str, str] | None:
            return value.to_json() if value is not None else None

        return {
            "id": self.settlement_id,
            "status": self.status,
            "currency": self.currency,
            "period": {"start": self.period_start.date().isoformat(), "end": self.period_end.date().isoformat()},
            "rows": self.row_count,
            "balance": {
                "total_amount": money(self.total),
                "rows_sum": money(self.rows_sum),
                "difference": money(self.rows_sum - self.total),
                "balanced": self.balanced,
            },
            "posted": money(self.posted),
            "exceptions_total": money(self.exceptions_total),
            "deposit": money(self.deposit_total) if self.deposit_total is not None else "not posted",
            "netsuite_record": f"{self.netsuite_type} {self.netsuite_id}" if self.netsuite_id else None,
            "totals": {
                k: str(Money(v, self.currency).rounded().amount) for k, v in sorted(self.totals_by_category.items())
            },
            "totals_by_transaction_type": {
                k: str(Money(v, self.currency).rounded().amount) for k, v in sorted(self.totals_by_type.items())
            },
            "exceptions": [e.to_json() for e in self.exceptions],
            "first_qualifying_date": self.first_qualifying_date.isoformat() if self.first_qualifying_date else None,
            "reason": self.reason,
            "connector_status": ("Complete" if self.status.startswith("posted") or self.status == "unchanged"
                                 else "Posting errors" if self.posting_errors else self.status),
            "posting_errors": list(self.posting_errors),
            "netsuite_records": list(self.netsuite_records),
        }


#: The customer non-order settlement amounts are posted to (external id, name): one used only for settlements,
#: as Oracle's set-up advises.
SETTLEMENT_CUSTOMER = ("amazon-settlement-customer", "Amazon Settlements")


class SettlementSync:
    """Reconciles and posts Amazon settlements (AS-1..AS-4)."""

    def __init__(self, books: NetSuiteRecords, store: EngineStore, config: Config, *, refunds: Any = None) -> None:
        self.books = books
        self.store = store
        self.config = config
        self.connector = ConnectorPosting(books, config, refunds)

    @property
    def connector_model(self) -> bool:
        """Posting in the NetSuite Connector's model (not one deposit or journal entry)."""
        return self.config.settlement.posting == "netsuite_connector"

    def create_settlement_items(self) -> dict[str, str]:
        """Oracle's *Create Settlement Items* (connector model): one item per fee type."""
        return self.connector.create_settlement_items()

    def set_up(self) -> str:
        """The settlement sync's set-up in NetSuite: the settlement customer (upserted) and the settlement
        items (those missing created); returns the customer's internal id."""
        customer = self.books.ensure_company(*SETTLEMENT_CUSTOMER)
        self.create_settlement_items()
        return customer

    # --- entry points -------------------------------------------------------------------
    def run(self, amazon: Any, *, created_since: dt.datetime | None = None,
            imported: set[str] | None = None) -> list[SettlementOutcome]:
        """Process every settlement report created since ``created_since`` (default: days_back ago).

        ``imported``: ids of reports processed before, left alone; each report processed now (unless it
        failed) is added to it, so a polling connector downloads every report once.
        """
        since = created_since or (dt.datetime.now(dt.timezone.utc)
                                  - dt.timedelta(days=self.config.settlement.days_back))
        outcomes = []
        for report in amazon.settlement_reports(created_since=since):
            if not report.document_id or (imported is not None and report.report_id in imported):
                continue
            document = amazon.download_report(report.document_id)
            outcome = self.process(open_settlement(document.content))
            outcomes.append(outcome)
            if imported is not None and outcome.status != "failed":
                imported.add(report.report_id)
        return outcomes

    def reconcile(self, settlement: SettlementFile) -> tuple[SettlementOutcome, SettlementTally | None,
                                                             AbstractSet[str]]:
        """Parse, classify and match one settlement against the synced orders; post nothing.

        Returns the outcome, the tally and the ids of the synced orders the rows name.
        """
        summary = settlement.summary
        first_date = first_qualifying_date(self.config.project.go_live, self.config.project.settlement_wait_weeks)
        tally, rows_sum, row_count = self._tally(settlement)
        currency = summary.currency
        outcome = SettlementOutcome(
            settlement_id=summary.settlement_id, status="reconciled", currency=currency, period_start=summary.start,
            period_end=summary.end, total=summary.total, rows_sum=Money(rows_sum, currency), row_count=row_count,
            balanced=Money(rows_sum, currency).rounded() == summary.total.rounded(),
            posted=Money.zero(currency), exceptions_total=Money.zero(currency),
            totals_by_category=dict(tally.by_category), totals_by_type=dict(tally.by_type),
            first_qualifying_date=first_date)
        if summary.start.date() < first_date:
            outcome.status = "too_early"
            outcome.reason = (f"settlement {summary.settlement_id} starts {summary.start.date()}, fewer than "
                              f"{self.config.project.settlement_wait_weeks} weeks after go-live "
                              f"({self.config.project.go_live}); the first settlement that qualifies starts on or "
                              f"after {first_date}")
            return outcome, None, set()
        synced = self.store.synced_flags(CHANNEL, tally.order_numbers)  # a byte per order number: 1 if synced
        matched = tally.orders_flagged(synced)
        outcome.exceptions = self._exceptions(tally, synced)
        exceptions_total = sum((e.amount for e in outcome.exceptions), ZERO)
        outcome.exceptions_total = Money(exceptions_total, currency)
        outcome.posted = Money(rows_sum - exceptions_total, currency)
        return outcome, tally, matched

    def process(self, settlement: SettlementFile) -> SettlementOutcome:
        """Reconcile one settlement and post it, unless it is too early or was posted before."""
        summary = settlement.summary
        outcome, tally, matched = self.reconcile(settlement)
        if tally is None:
            return outcome
        existing = self.store.settlement(summary.settlement_id)
        if existing is not None and existing.status.startswith("posted"):
            outcome.status = "unchanged"
            outcome.netsuite_type, outcome.netsuite_id = existing.netsuite_type, existing.netsuite_id
            outcome.deposit_total = Money(Decimal(existing.total or 0), outcome.currency)
            return outcome
        if self.connector_model:
            return self._post_connector_model(summary, outcome, tally, matched)
        lines = self._lines(tally, matched, outcome, summary.total.amount - outcome.rows_sum.amount)
        record_type, record_id, posted = self._post(summary, lines)
        total = posted.amount
        outcome.netsuite_type, outcome.netsuite_id = record_type, record_id
        outcome.deposit_total = posted  # in the posted record's own currency
        outcome.status = "posted_with_exceptions" if outcome.exceptions else "posted"
        self.store.record_settlement(
            summary.settlement_id, status=outcome.status, netsuite_type=record_type, netsuite_id=record_id,
            total=str(total), currency=outcome.currency, period_start=summary.start.isoformat(),
            period_end=summary.end.isoformat(), exceptions=[e.to_json() for e in outcome.exceptions])
        return outcome

    def _post_connector_model(self, summary, outcome: SettlementOutcome, tally: SettlementTally,
                              matched: AbstractSet[str]) -> SettlementOutcome:
        assert tally.connector is not None  # tallied in the connector model
        tally.connector.fees = tally.fees(sorted(matched))  # the ones posted
        posted = {order_id for (order_id, _key, _month) in tally.connector.fees}
        posted |= {order_id for (order_id, _adjustment) in tally.connector.refunds}
        orders = self.store.orders_by_id(CHANNEL, sorted(posted & matched))
        result = self.connector.post(summary, tally.connector, orders)
        outcome.posting_errors = result.errors
        outcome.netsuite_records = result.records
        if result.errors:
            outcome.status = "failed"
            outcome.reason = f"settlement {summary.settlement_id} has posting errors: " + "; ".join(result.errors)
            self.store.record_settlement(
                summary.settlement_id, status="failed", netsuite_type=None, netsuite_id=None, total=None,
                currency=outcome.currency, period_start=summary.start.isoformat(), period_end=summary.end.isoformat(),
                exceptions=[e.to_json() for e in outcome.exceptions])
            return outcome
        outcome.status = "posted_with_exceptions" if outcome.exceptions else "posted"
        outcome.netsuite_type = "netsuite_connector"
        outcome.netsuite_id = ", ".join(result.records)
        outcome.deposit_total = Money(result.posted + outcome.exceptions_total.amount, outcome.currency)
        self.store.record_settlement(
            summary.settlement_id, status=outcome.status, netsuite_type="netsuite_connector",
            netsuite_id=outcome.netsuite_id[:2000], total=str(outcome.deposit_total.amount), currency=outcome.currency,
            period_start=summary.start.isoformat(), period_end=summary.end.isoformat(),
            exceptions=[e.to_json() for e in outcome.exceptions])
        return outcome

    # --- reconciliation ----------------------------------------------------------------
    def _account_for(self, amount_type: str, description: str, category: SettlementCategory) -> str:
        accounts = self.config.settlement.accounts
        return (accounts.get(f"{amount_type}/{description}") or accounts.get(amount_type)
                or accounts.get(category.value) or DEFAULT_CATEGORY_ACCOUNTS[category])

    def _tally(self, settlement: SettlementFile) -> tuple[SettlementTally, Decimal, int]:
        def kind_of(transaction_type: str, amount_type: str, description: str) -> RowKind:
            found = classify(transaction_type, amount_type, description)
            account = self._account_for(amount_type, description, found.category)
            return RowKind(found.category.value, account, found.category.group in _ORDER_GROUPS, found,
                           fee=found.category in _FEES, refund=found.category is SettlementCategory.REFUND)

        tally = SettlementTally(kind_of, connector=ConnectorTally() if self.connector_model else None,
                                end_month=settlement.summary.end.strftime("%Y-%m"))
        tally.add_batches(settlement.batches())
        row_count, rows_sum = settlement.totals()
        return tally, rows_sum, row_count

    @staticmethod
    def _exceptions(tally: SettlementTally, synced: bytes) -> list[SettlementException]:
        """The exceptions: orders never synced (``synced``: a byte per order number, 1 if synced), ids not of
        orders."""
        exceptions = []
        for order_id, figures in sorted(tally.orders_not_flagged(synced), key=operator.itemgetter(0)):
            exceptions.append(SettlementException(
                order_id, figures.total, figures.rows, figures.first_line, tuple(sorted(figures.transaction_types)),
                f"order {order_id} was never synced by the connector (placed before go-live, or its sync failed)"))
        for ref, (amount, rows, first_line, types) in sorted(tally.not_orders.items()):
            exceptions.append(SettlementException(
                ref, amount, rows, first_line, tuple(sorted(types)),
                f"{ref!r} in the order-id column is not an Amazon order id (FBA shipment, removal, "
                "multi-channel fulfilment or liquidation reference)"))
        return exceptions

    def _lines(self, tally: SettlementTally, matched: AbstractSet[str], outcome: SettlementOutcome,
               variance: Decimal) -> list[dict[str, Any]]:
        summarised: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        lines: list[dict[str, Any]] = []
        for order_id in sorted(matched):
            for (category, account), amount in sorted(tally.order_amounts(order_id).items()):
                if SettlementCategory(category) in _FEES:
                    lines.append({"account": account, "amount": amount,
                                  "memo": f"Amazon {category.replace('_', ' ')}s, order {order_id}"})
                else:
                    summarised[(category, account)] += amount
        for key, amount in tally.non_order.items():
            summarised[key] += amount
        for (category, account), amount in sorted(summarised.items()):
            lines.append({"account": account, "amount": amount, "memo": f"Amazon {category.replace('_', ' ')}"})
        if outcome.exceptions:
            lines.append({"account": self._exceptions_account(), "amount": outcome.exceptions_total.amount,
                          "memo": f"Settlement exceptions: {len(outcome.exceptions)} listed in the acceptance report"})
        if variance:
            lines.append({"account": self._exceptions_account(), "amount": variance,
                          "memo": "Settlement variance: rows do not sum to the total-amount"})
        return [line for line in lines if line["amount"] != 0]

    def _exceptions_account(self) -> str:
        return self.config.settlement.accounts.get("exceptions", "Amazon Clearing")

    # --- posting -----------------------------------------------------------------------
    def _account_ids(self, names: Iterable[str]) -> dict[str, str]:
        found = {}
        for name in names:
            account_id = self.books.account_id(name)
            if account_id is None:
                raise SettingsRefused(f"[settlement] names the account {name!r}, which does not exist in NetSuite",
                                      "create it or map the amount to an existing account in [settlement.accounts]")
            found[name] = account_id
        return found

    def _customer_id(self, entity_id: str) -> str:
        customer_id = self.books.customer_id(entity_id)
        if customer_id is None:
            raise SettingsRefused(f"[settlement] customer = {entity_id!r} names no customer in NetSuite",
                                  "create the customer or set customer to an existing entity id (or empty)")
        return customer_id

    def _post(self, summary, lines: list[dict[str, Any]]) -> tuple[str, str, Money]:
        settings = self.config.settlement
        currency = summary.total.currency
        if self.books.currency_id(currency) is None:  # before any write
            raise SettingsRefused(f"settlement {summary.settlement_id} is in {currency}, a currency this NetSuite "
                                  "account does not have",
                                  add_currency_hint(currency, "posting the settlement"))
        ids = self._account_ids({line["account"] for line in lines} | {settings.bank_account})
        memo = self.books.memo(
            f"Amazon settlement {summary.settlement_id} ({summary.start.date()} to {summary.end.date()})"
        )
        kind, record_id, total = self.books.post_settlement(
            external_ids.settlement(summary.settlement_id), posting=settings.posting,
            bank_account_id=ids[settings.bank_account], total=summary.total.amount,
            tran_date=summary.deposit_date.date().isoformat(), memo=memo,
            lines=[PostingLine(ids[line["account"]], line["amount"], line["memo"]) for line in lines],
            currency=summary.total.currency,
            entity_id=self._customer_id(settings.customer) if settings.customer else None)
        return kind.record_type, record_id, total
