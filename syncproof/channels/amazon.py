"""Amazon, through the Selling Partner API: its settings, client, scenario actions, audit reader and probe.

Amazon offers no API to create orders or refunds. On the sandbox target (and its
recordings) they are seeded through the emulator's seeding client (reached through the
sandbox launcher, sending on this run's HTTP plumbing so recordings and reports see it)
and then read back through the real Selling Partner API calls (Orders v0, Finances
2024-06-19), so the scenario sees exactly what a connector would. On a live target a
person places and refunds them in Seller Central (``--interactive``), and the step
polls the APIs until they appear.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Iterator, Mapping, Sequence

from connectors.amazon import AmazonClient

from ..errors import SyncproofError
from ..model import Order, OrderLine, Refund, Shipping
from ..probe import DoctorLine, attempt
from ..settings_keys import key
from ._amazon_audit import (
    FINANCES_MAX_LAG,
    check_amazon_window,
    check_settlement_window,
    refund_audit_limits,
    settlement_audit_limits,
)
from ._amazon_personal import PERSONAL
from ._amazon_poll import poll_orders, poll_refunds
from ._audit_support import refunds_by_order
from ._seeding import emulator_seeding
from ._spec import ChannelSpec, Connection, Secret

__all__ = ["SPEC", "AmazonActions", "check_amazon_window", "check_settlement_window", "refund_audit_limits",
           "settlement_audit_limits"]


class AmazonActions:
    """Place and refund Amazon orders on the sandbox target; read them through SP-API."""

    name = "amazon"

    def __init__(self, runtime: Any) -> None:
        from ..connector_driver import Poller

        self.client = runtime.client("amazon")
        self.config = runtime.config
        self.interactive = bool(getattr(runtime, "interactive", False))
        self.by_person = runtime.sandbox is None and runtime.config.project.target not in ("replay", "record")
        self.seeding = None if self.by_person else emulator_seeding(self.client, "amazon")
        self._poller = lambda: Poller(self.config.project.poll_interval_seconds,
                                      self.config.project.poll_timeout_seconds)

    def place_order(self, lines: Sequence[OrderLine], *, shipping: Shipping | None,
                    customer: tuple[str, str], note: str) -> Order:
        if self.seeding is None:
            from ..interaction import ask_person

            wanted = ", ".join(f"{line.quantity} x {line.sku}" for line in lines)
            order_id = ask_person(f"Place an order on your Amazon test account for {wanted} and let it ship.",
                                  interactive=self.interactive, question="Amazon order id (e.g. 112-1234567-1234567)")
            since = datetime.now(timezone.utc) - timedelta(days=2)
            return self._poller().until(
                lambda: next((o for o in self.client.get_orders(created_after=since)
                              if o.channel_order_id == order_id), None),
                what=f"Amazon order {order_id} appearing in getOrders",
                last_state=lambda: f"Amazon: getOrders does not list {order_id} yet")
        currency = lines[0].unit_price.currency
        marketplace = self._marketplace(currency)
        seeded = self.seeding.order(lines, shipping=shipping, buyer=customer, currency=currency,
                                    marketplace_id=marketplace)
        return self._read_order(str(seeded["AmazonOrderId"]), str(seeded["PurchaseDate"]), currency)

    @property
    def currency(self) -> str:
        """The currency of the configured marketplace: what an order is in unless a scenario says otherwise."""
        from connectors.amazon import MARKETPLACE_CURRENCY

        return MARKETPLACE_CURRENCY.get(self.config.channel("amazon").options["marketplace_id"], "USD")

    def _marketplace(self, currency: str) -> str:
        from connectors.amazon import MARKETPLACE_CURRENCY, marketplace_for

        configured = self.config.channel("amazon").options["marketplace_id"]
        if MARKETPLACE_CURRENCY.get(configured) == currency:
            return configured
        found = marketplace_for(currency)
        if found is None:
            raise SyncproofError(f"no Amazon marketplace sells in {currency}",
                                 f"use one of {', '.join(sorted(set(MARKETPLACE_CURRENCY.values())))}")
        return found

    def _read_order(self, order_id: str, purchase_date: str, currency: str | None = None) -> Order:
        since = _parse(purchase_date) - timedelta(seconds=1)
        marketplace = self._marketplace(currency or self.currency)
        for order in self.client.get_orders(created_after=since, marketplace_ids=[marketplace]):
            if order.channel_order_id == order_id:
                return order
        raise SyncproofError(f"Amazon order {order_id} was seeded but getOrders does not return it",
                             "check the Amazon emulator's clock and marketplace")

    def refund(self, order: Order, quantities: Mapping[str, int], *, shipping: bool, note: str) -> Refund:
        if self.seeding is None:
            return self._refund_by_person(order, quantities, shipping)
        if not quantities:
            raise SyncproofError("Amazon refunds are made per item: a shipping-only refund is not possible",
                                 "refund at least one item")
        if self.interactive:  # a rehearsal: the person is asked as on live, then the emulator issues the refund
            from ..interaction import ask_person

            ask_person(self._refund_instructions(order, quantities, shipping), interactive=True,
                       question="Done when the refund is issued")
        seeded = self.seeding.refund(order, quantities, shipping=shipping)
        return self._listed(order, seeded)

    def _listed(self, order: Order, seeded: Mapping[str, Any]) -> Refund:
        """The seeded refund as Finances lists it. Finances may list a transaction up to 48 hours after it
        posts; the sandbox lets that time pass on the emulator's clock (an hour between looks), never a real one."""
        from ..connector_driver import Poller

        since = _parse(str(seeded.get("postedDate"))) - timedelta(seconds=1)
        ids = {str(i.get("relatedIdentifierValue")) for i in seeded.get("relatedIdentifiers", [])}
        transaction = seeded.get("transactionId")

        def probe() -> Refund | None:
            return next((r for r in self._refunds(order, since)
                         if r.refund_id in ids or r.extra.get("transaction_id") == transaction), None)

        elapsed = [0.0]
        seeding = self.seeding
        assert seeding is not None  # only the sandbox seeds refunds

        def let_time_pass(seconds: float) -> None:
            seeding.advance_clock(int(seconds))
            elapsed[0] += seconds

        step = 3600.0
        poller = Poller(step, FINANCES_MAX_LAG.total_seconds() + step, sleep=let_time_pass, clock=lambda: elapsed[0])
        return poller.until(probe, what=f"the refund seeded on Amazon order {order.channel_order_id} appearing in "
                            "Finances (listed at most 48 hours after it posts)",
                            last_state=lambda: f"Finances lists no such refund {elapsed[0] / 3600:g} h after it "
                                               "posted")

    def _refund_by_person(self, order: Order, quantities: Mapping[str, int], shipping: bool) -> Refund:
        from ..interaction import ask_person

        known = {r.refund_id for r in self.refunds(order)}
        ask_person(self._refund_instructions(order, quantities, shipping), interactive=self.interactive)
        return self._poller().until(
            lambda: next((r for r in self.refunds(order) if r.refund_id not in known), None),
            what=f"the refund on Amazon order {order.channel_order_id} appearing in Finances (Amazon may list it "
                 "up to 48 hours after it is issued: raise [project] poll_timeout_seconds or run again later)",
            last_state=lambda: f"Amazon: {len(self.refunds(order))} refund(s) on {order.channel_order_id}, none new")

    @staticmethod
    def _refund_instructions(order: Order, quantities: Mapping[str, int], shipping: bool) -> str:
        lines = "; ".join(
            f"SKU {sku}: refund {qty} (item price {order.line_for_sku(sku).unit_price} each, with its tax)"
            for sku, qty in quantities.items())
        ship = f"; also refund shipping {order.shipping.amount}" if shipping and order.shipping else ""
        return f"In Seller Central, open order {order.channel_order_id} and issue a refund: {lines}{ship}."

    def _refunds(self, order: Order, since: datetime) -> list[Refund]:
        return [r for r in self.client.refunds_between(since) if r.channel_order_id == order.channel_order_id]

    def refunds(self, order: Order) -> list[Refund]:
        since = _parse(order.created_at) - timedelta(seconds=1) if order.created_at else \
            datetime.now(timezone.utc) - timedelta(days=30)
        return self._refunds(order, since)

    def settle(self, orders: Sequence[Order], refunds: Mapping[str, Sequence[Refund]], *, start: datetime,
               seed: int, eu_style: bool = False, days: int = 14,
               non_order: Sequence[tuple[str, str, str, Any, int]] = ()) -> str:
        """Have Amazon settle ``orders`` (and their refunds) in one settlement report; return its id.

        The file is written the way Amazon writes V2 settlement files, with reserve rows;
        ``eu_style`` writes it as EU marketplaces do (EUR, comma decimals, day-first dates);
        ``non_order`` adds rows that belong to no order: (transaction-type, amount-type,
        description, Decimal amount, days after the start).
        """
        return self._seeded_reports().settle(orders, refunds, start=start, seed=seed, eu_style=eu_style, days=days,
                                             non_order=non_order)

    def issue_settlement(self, content: bytes, *, start: datetime, end: datetime) -> dict[str, Any]:
        """Have Amazon publish a settlement report (sandbox: seeded as a DONE report document)."""
        return self._seeded_reports().settlement(content, start=start, end=end)

    def _seeded_reports(self) -> Any:
        if self.seeding is None:
            raise SyncproofError("Amazon publishes settlement reports on its own schedule; they cannot be made "
                                 "on a live account", "use the audit scenarios (-m audit) for real settlements")
        return self.seeding

    def order(self, order: Order) -> Order:
        return self._read_order(order.channel_order_id, order.created_at or "", order.currency)


def _parse(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _client(settings: Any, connection: Connection, **common: Any) -> Any:
    from connectors.amazon import AmazonClient, LwaCredentials

    opts = settings.options
    creds = connection.credentials
    urls: dict[str, Any]
    if connection.emulated:  # the emulator answers LWA and SP-API on one host
        urls = {"base_url": connection.base_url, "lwa_token_url": f"{connection.base_url}/auth/o2/token"}
    else:
        urls = {"region": opts["region"], "base_url": settings.base_url or None, "lwa_token_url": opts["lwa_url"]}
    if connection.clock is not None:
        common["clock"] = connection.clock
    if connection.write_guard is not None:
        common["write_guard"] = connection.write_guard
    return AmazonClient(LwaCredentials(creds["client_id"], creds["client_secret"], creds["refresh_token"]),
                        marketplace_ids=(opts["marketplace_id"],), **urls, **common)


def _audit_refunds(client: Any, window: Any, progress: Any) -> dict[str, list[Refund]]:
    check_amazon_window(window, client.now())
    return refunds_by_order(client.refunds_between(window.since, window.until), progress, "amazon refund transactions")


def _doctor(amazon: Any) -> Iterator[DoctorLine]:
    since = datetime.now(timezone.utc) - timedelta(days=2)
    token = attempt("amazon", "Login with Amazon token", lambda: (amazon.lwa.access_token(), "token issued")[1],
                    "check AMAZON_LWA_CLIENT_ID, AMAZON_LWA_CLIENT_SECRET and AMAZON_LWA_REFRESH_TOKEN")
    yield token
    if not token.ok:
        return
    yield attempt("amazon", "Orders role (getOrders)",
                  lambda: (next(amazon.get_orders_json(created_after=since), None), "answered")[1],
                  "grant the application the Orders role (Inventory and Order Tracking) and re-authorise it")
    yield attempt("amazon", "Finances role (listTransactions)",
                  lambda: (next(amazon.list_transactions(since), None), "answered")[1],
                  "grant the application the Finance and Accounting role and re-authorise it")
    yield attempt("amazon", "Reports role (getReports)",
                  lambda: (next(amazon.settlement_reports(created_since=since), None), "answered")[1],
                  "grant the application the Finance and Accounting role (settlement reports) and re-authorise it")


def _live_origins(settings: Any) -> list[str]:
    from connectors.amazon import endpoint_for

    return [settings.base_url or endpoint_for(settings.options["region"]), settings.options["lwa_url"]]


def _claims(order_id: str) -> bool:
    from connectors.settlement_file import is_amazon_order_id

    return is_amazon_order_id(order_id)


SPEC = ChannelSpec(
    name="amazon",
    title="Amazon",
    keys=(
        key("region", str, "na", "Selling Partner API region", ("na", "eu", "fe")),
        key("base_url", str, "", "SP-API base URL override (Amazon's sandbox host or the emulator)"),
        key("lwa_url", str, "https://api.amazon.com/auth/o2/token", "Login with Amazon token endpoint"),
        key("marketplace_id", str, "ATVPDKIKX0DER", "marketplace id (ATVPDKIKX0DER is amazon.com)"),
    ),
    secrets=(
        Secret("client_id", "AMAZON_LWA_CLIENT_ID", "the LWA client id", "Login with Amazon client id"),
        Secret("client_secret", "AMAZON_LWA_CLIENT_SECRET", "the LWA client secret", "Login with Amazon client secret"),
        Secret("refresh_token", "AMAZON_LWA_REFRESH_TOKEN", "the LWA refresh token", "Login with Amazon refresh token"),
    ),
    client=_client,
    actions=AmazonActions,
    audit_refunds=_audit_refunds,
    claims_order_id=_claims,
    live_origins=_live_origins,
    doctor=_doctor,
    authenticate=lambda client: client.lwa.access_token(),
    test_store_doc="declare the seller account a test account (required for writes)",
    guard_writes=False,
    secret_headers=AmazonClient.secret_headers,
    secret_keys=AmazonClient.secret_keys,
    personal=PERSONAL,
    refund_directions=("to_netsuite",),
    direction_refused="Amazon refunds are issued in Seller Central and synced to NetSuite, and the Selling "
                      "Partner API cannot create refunds",
    cleanup_note="Amazon test orders stay in Seller Central",
    poll_orders=poll_orders,
    poll_refunds=poll_refunds,
    extra={"settlements": True,  # settlement reports: an Amazon feature the connector imports
           "audit_limits": refund_audit_limits, "check_audit_window": check_amazon_window},
)
