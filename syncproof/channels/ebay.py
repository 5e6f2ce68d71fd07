"""eBay, through the Sell APIs: its settings, client, scenario actions, audit reader, probe and polls.

A marketplace: refunds are made on eBay and synced to NetSuite. Oracle's note on eBay
("Refunds and Exchanges in NetSuite Connector"): the buyer has to request the refund from
their eBay account before the seller issues it; a refund issued without the buyer's
request shows as an external transaction and the NetSuite Connector cannot retrieve it.
So a scenario's refund is made the way that syncs: the buyer opens a return request
(seeded on the sandbox: eBay has no API for the buyer's side, nor for placing a buyer's
order), then the seller issues the refund with ``issueRefund``. A refund issued without a
request (:meth:`EbayActions.refund_unrequested`) still moves money, so the Finances API
lists it: the audit reads Finances ``REFUND`` transactions, and such a refund, which
NetSuite never received, is a mismatch, never a silent gap.

On a live target a person places the order as a test buyer and opens the buyer's
request (``--interactive``); syncproof then issues the refund through ``issueRefund``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Iterator, Mapping, Sequence

from ..errors import SyncproofError
from ..model import Money, Order, OrderLine, Refund, Shipping
from ..probe import DoctorLine, attempt
from ..settings_keys import key
from ._audit_support import MoneyMoved, Movement, PayoutRun, refunds_by_order
from ._seeding import emulator_seeding
from ._spec import ChannelSpec, Connection, PersonalFields, Secret

__all__ = ["SPEC", "EbayActions", "poll_orders", "poll_refunds"]

#: what a refund answering a buyer's return request gives as its reason
BUYER_REASON = "BUYER_RETURN"


def _parse(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


class EbayActions:
    """Place eBay orders (seeded on the sandbox), refund them through issueRefund, read them through getOrders."""

    name = "ebay"

    def __init__(self, runtime: Any) -> None:
        from ..connector_driver import Poller

        self.client = runtime.client("ebay")
        self.config = runtime.config
        self.interactive = bool(getattr(runtime, "interactive", False))
        self.by_person = runtime.sandbox is None and runtime.config.project.target not in ("replay", "record")
        self.seeding = None if self.by_person else emulator_seeding(self.client, "ebay")
        self._poller = lambda: Poller(self.config.project.poll_interval_seconds,
                                      self.config.project.poll_timeout_seconds)

    @property
    def currency(self) -> str:
        """The configured marketplace's currency."""
        from connectors.ebay import MARKETPLACE_CURRENCY

        return MARKETPLACE_CURRENCY.get(self.config.channel("ebay").options["marketplace_id"], "USD")

    def _marketplace(self, currency: str) -> str:
        from connectors.ebay import MARKETPLACE_CURRENCY

        configured = self.config.channel("ebay").options["marketplace_id"]
        if MARKETPLACE_CURRENCY.get(configured) == currency:
            return configured
        found = next((m for m, c in MARKETPLACE_CURRENCY.items() if c == currency), None)
        if found is None:
            raise SyncproofError(f"no eBay marketplace sells in {currency}",
                                 f"use one of {', '.join(sorted(set(MARKETPLACE_CURRENCY.values())))}")
        return found

    # --- orders -------------------------------------------------------------------------------
    def place_order(self, lines: Sequence[OrderLine], *, shipping: Shipping | None,
                    customer: tuple[str, str], note: str) -> Order:
        if self.seeding is None:
            from ..interaction import ask_person

            wanted = ", ".join(f"{line.quantity} x {line.sku}" for line in lines)
            order_id = ask_person(f"Buy {wanted} from the seller's listings with an eBay test buyer account and pay.",
                                  interactive=self.interactive, question="eBay order id (e.g. 12-03456-78901)")
            since = datetime.now(timezone.utc) - timedelta(days=2)
            return self._poller().until(
                lambda: next((o for o in self.client.get_orders(created_from=since) if o.channel_order_id == order_id),
                             None),
                what=f"eBay order {order_id} appearing in getOrders",
                last_state=lambda: f"eBay: getOrders does not list {order_id} yet")
        currency = lines[0].unit_price.currency
        seeded = self.seeding.order(lines, shipping=shipping, buyer=customer, currency=currency,
                                    marketplace_id=self._marketplace(currency))
        return self._read_order(str(seeded["orderId"]), str(seeded["creationDate"]))

    def _read_order(self, order_id: str, created: str) -> Order:
        for order in self.client.get_orders(created_from=_parse(created) - timedelta(seconds=1)):
            if order.channel_order_id == order_id:
                return order
        raise SyncproofError(f"eBay order {order_id} was seeded but getOrders does not return it",
                             "check the eBay emulator's clock")

    def order(self, order: Order) -> Order:
        return self._read_order(order.channel_order_id, order.created_at or "")

    # --- refunds ------------------------------------------------------------------------------
    def _amounts(self, order: Order, quantities: Mapping[str, int], shipping: bool) -> dict[str, Any]:
        """issueRefund's money: the order's total for the whole order, else each line's units with their tax."""
        whole = all(quantities.get(line.sku, 0) == line.quantity for line in order.lines) \
            and len(quantities) == len(order.lines)
        if whole and (shipping or order.shipping is None):
            return {"order_amount": order.total.rounded()}
        if shipping or not quantities:
            raise SyncproofError("eBay refunds shipping only with the whole order (an order-level refund of its "
                                 "total)", "refund every line with the shipping, or refund lines without it")
        items = {}
        for sku, quantity in quantities.items():
            line = order.line_for_sku(sku)
            if not 1 <= quantity <= line.quantity:
                raise SyncproofError(f"cannot refund {quantity} of {sku}: the order has {line.quantity}",
                                     "refund at most the quantity ordered")
            items[line.line_id] = Money(line.total.amount * Decimal(quantity) / Decimal(line.quantity),
                                        order.currency).rounded()
        return {"items": items}

    def refund(self, order: Order, quantities: Mapping[str, int], *, shipping: bool, note: str) -> Refund:
        """The buyer asks for the money back, then the seller issues the refund (how an eBay refund syncs)."""
        money = self._amounts(order, quantities, shipping)
        if self.seeding is not None:
            lines = {order.line_for_sku(sku).line_id: qty for sku, qty in quantities.items()} \
                if "items" in money else None
            self.seeding.return_request(order.channel_order_id, lines)
        else:
            from ..interaction import ask_person

            ask_person(f"With the test buyer account, open a return request on eBay order {order.channel_order_id} "
                       f"for {', '.join(f'{q} x {s}' for s, q in quantities.items())}.",
                       interactive=self.interactive, question="Done when the buyer's request is open")
        answer = self.client.issue_refund(order.channel_order_id, reason=BUYER_REASON, comment=note, **money)
        refund_id = str(answer.get("refundId") or "")
        found = next((r for r in self.refunds(order) if r.refund_id == refund_id), None)
        if found is None:
            raise SyncproofError(f"eBay accepted refund {refund_id} on order {order.channel_order_id} but getOrder "
                                 "does not list it", "check the refund's status in Seller Hub")
        return found

    def refund_unrequested(self, order: Order, quantities: Mapping[str, int], *, shipping: bool,
                           note: str) -> Refund:
        """The seller refunds on their own, with no buyer request: the refund as Finances lists it."""
        money = self._amounts(order, quantities, shipping)
        answer = self.client.issue_refund(order.channel_order_id, reason="OTHER_ADJUSTMENT", comment=note, **money)
        since = _parse(order.created_at or "") - timedelta(seconds=1)
        listed = {r.refund_id for r in self.refunds(order)}
        found = [r for r in self.client.finance_refunds(since)
                 if r.channel_order_id == order.channel_order_id and r.refund_id not in listed]
        if not found:
            raise SyncproofError(f"eBay accepted refund {answer.get('refundId')} on order {order.channel_order_id} "
                                 "but Finances lists no REFUND for it", "check the eBay emulator's clock")
        return max(found, key=lambda r: r.created_at or "")  # the newest: Finances lists newest first

    def refunds(self, order: Order) -> list[Refund]:
        """The order's refunds as the connector retrieves them (getOrder; external ones are not there)."""
        return self.client.refunds_of(order.channel_order_id)


# --- the sandbox connector's polls -------------------------------------------------------------------

def poll_orders(client: Any, since: datetime) -> list[Order]:
    """Orders created or changed (a refund changes an order's ``lastModifiedDate``) since ``since``."""
    return list(client.get_orders(modified_from=since))


def poll_refunds(client: Any, seen_orders: list[Order], since: datetime) -> list[Refund]:
    """The refunds the connector can retrieve on the orders seen: those listed with a refundId."""
    return [refund for order in seen_orders for refund in client.refunds_of(order.channel_order_id)]


# --- spec hooks ------------------------------------------------------------------------------------

def _client(settings: Any, connection: Connection, **common: Any) -> Any:
    from connectors.ebay import EbayClient, EbayCredentials

    opts = settings.options
    creds = connection.credentials
    urls: dict[str, Any] = ({"base_url": connection.base_url} if connection.emulated
                            else {"environment": opts["environment"], "base_url": settings.base_url or None,
                                  "finances_url": opts["finances_url"] or None})
    if connection.clock is not None:
        common["clock"] = connection.clock
    if connection.write_guard is not None:
        common["write_guard"] = connection.write_guard
    return EbayClient(EbayCredentials(creds["client_id"], creds["client_secret"], creds["refresh_token"]),
                      marketplace_id=opts["marketplace_id"], **urls, **common)


def _audit_refunds(client: Any, window: Any, progress: Any) -> dict[str, list[Refund]]:
    """Every REFUND the Finances API lists in the window (external ones included), by order."""
    return refunds_by_order(client.finance_refunds(window.since, window.until), progress, "ebay refund transactions")


def _movement(transaction: Any) -> Movement:
    return Movement(transaction.transaction_id, transaction.transaction_type, str(transaction.order_id or ""),
                    transaction.date, transaction.status, transaction.amount,
                    transaction.paid if transaction.paid is not None else transaction.amount,
                    transaction.payout_id or "")


def _payout_run(client: Any, payout: Any, outside_window: str = "") -> tuple[PayoutRun, list[Any]]:
    """A payout with the transactions it paid out (``getTransactions`` by ``payoutId``), and those transactions."""
    transactions = client.payout_transactions(payout.payout_id)
    return PayoutRun(payout.payout_id, payout.status, payout.date, payout.amount, payout.transaction_count,
                     tuple(map(_movement, transactions)), outside_window), transactions


def _outside(window: Any, date: str) -> str:
    """Where a payout getPayouts did not list for ``window`` is dated: after it (as a payout of the window's
    transactions normally is), before it, or in it after all."""
    try:
        moment: datetime | None = _parse(date)
    except ValueError:
        moment = None
    if moment is not None and moment >= window.until:
        return "after the window"
    if moment is not None and moment < window.since:
        return "before the window"
    return "not listed by getPayouts for the window"


def _audit_payouts(client: Any, window: Any, progress: Any) -> MoneyMoved:
    """Finances: the payouts dated in the window with the transactions each paid out; the payouts the window's
    transactions name by ``payoutId`` that getPayouts does not list for the window (paid out after it), read by id
    (getPayout) with their transactions; the window's transactions not yet paid out (no ``payoutId``); and the
    domain refund of every ``REFUND`` among them."""
    moved = MoneyMoved()
    refunds: list[Any] = []
    for count, payout in enumerate(client.payouts(window.since, window.until), start=1):
        run, transactions = _payout_run(client, payout)
        moved.payouts.append(run)
        refunds.extend(t for t in transactions if t.transaction_type == "REFUND")
        if progress:
            progress.page("ebay payouts", count)
    in_window = list(client.transactions(window.since, window.until))
    listed = {run.payout_id for run in moved.payouts}
    later: dict[str, list[Any]] = {}
    for transaction in in_window:
        if transaction.payout_id and transaction.payout_id not in listed:
            later.setdefault(transaction.payout_id, []).append(transaction)
    for payout_id, named_by in sorted(later.items()):
        payout = client.payout(payout_id)
        if payout is None:
            moved.unknown_payouts[payout_id] = [_movement(t) for t in named_by]
            continue
        run, transactions = _payout_run(client, payout, _outside(window, payout.date))
        moved.payouts.append(run)
        refunds.extend(t for t in transactions if t.transaction_type == "REFUND")
    unpaid = [t for t in in_window if not t.payout_id and not t.paid_out]
    moved.unpaid = [_movement(t) for t in unpaid]
    refunds.extend(t for t in unpaid if t.transaction_type == "REFUND")
    moved.refunds = {str(r.extra["transaction_id"]): r for r in client.refunds_of_transactions(refunds)}
    return moved


def _doctor(ebay: Any) -> Iterator[DoctorLine]:
    since = datetime.now(timezone.utc) - timedelta(days=2)
    token = attempt("ebay", "User access token", lambda: (ebay.oauth.access_token(), "token minted")[1],
                    "check EBAY_CLIENT_ID, EBAY_CLIENT_SECRET and EBAY_REFRESH_TOKEN")
    yield token
    if not token.ok:
        return
    yield attempt("ebay", "scope sell.fulfillment (getOrders)",
                  lambda: (next(ebay.get_orders_json(created_from=since, limit=1), None), "granted")[1],
                  "get the seller's consent again with the sell.fulfillment scope")
    yield attempt("ebay", "scope sell.finances (getTransactions)",
                  lambda: (next(ebay.transactions(since, limit=1), None), "granted")[1],
                  "get the seller's consent again with the sell.finances scope")


def _live_origins(settings: Any) -> list[str]:
    from connectors.ebay import hosts_for

    api, apiz = hosts_for(settings.options["environment"])
    return [settings.base_url or api, settings.options["finances_url"] or apiz]


def _claims(order_id: str) -> bool:
    from connectors.ebay import is_ebay_order_id

    return is_ebay_order_id(order_id)


SPEC = ChannelSpec(
    name="ebay",
    title="eBay",
    keys=(
        key("environment", str, "production", "eBay environment: production (api.ebay.com, apiz.ebay.com) or "
            "sandbox (api.sandbox.ebay.com, apiz.sandbox.ebay.com)", ("production", "sandbox")),
        key("base_url", str, "", "Sell API (and identity) base URL override; empty derives it from environment"),
        key("finances_url", str, "", "Finances API base URL override; empty derives it from environment"),
        key("marketplace_id", str, "EBAY_US", "eBay marketplace id (EBAY_US, EBAY_GB, EBAY_DE, EBAY_CA, EBAY_AU)"),
    ),
    secrets=(
        Secret("client_id", "EBAY_CLIENT_ID", "the application keyset's App ID", "eBay App ID (client id)"),
        Secret("client_secret", "EBAY_CLIENT_SECRET", "the application keyset's Cert ID",
               "eBay Cert ID (client secret)"),
        Secret("refresh_token", "EBAY_REFRESH_TOKEN", "the seller's OAuth refresh token",
               "eBay user refresh token (sell.fulfillment and sell.finances scopes)"),
    ),
    client=_client,
    actions=EbayActions,
    audit_refunds=_audit_refunds,
    claims_order_id=_claims,
    live_origins=_live_origins,
    doctor=_doctor,
    authenticate=lambda client: client.oauth.access_token(),
    test_store_doc="declare the seller account a test account (eBay sandbox seller; required for writes)",
    secret_headers=frozenset({"authorization"}),
    secret_keys=frozenset({"refresh_token", "client_secret", "client_id", "access_token"}),
    # Fulfillment API getOrder: ``buyer.taxIdentifier.taxpayerId``, "the unique tax ID associated with the buyer"
    # (Italy, Spain); the ``fullName`` of the buyer's ``buyerRegistrationAddress``, "Buyer's contact information
    # that includes the buyer's name, email, phone number, and address" (type Buyer); the companyName of an
    # ExtendedContact (a shipping step's shipTo, the buyerRegistrationAddress), "The company name associated with
    # the buyer or eBay shipping partner."
    personal=PersonalFields(keys={"taxpayerId": "tax_id"},
                            person_containers=frozenset({"buyerRegistrationAddress"}),
                            contained={contact: {"companyName": "name"}
                                       for contact in ("shipTo", "buyerRegistrationAddress")}),
    refund_directions=("to_netsuite",),
    direction_refused="eBay refunds are made on eBay, answering the buyer's request, and synced to NetSuite",
    cleanup_note="eBay test orders stay on the eBay account (their refunds carry {tag} in the comment)",
    poll_orders=poll_orders,
    poll_refunds=poll_refunds,
    extra={"payouts": _audit_payouts},
)
