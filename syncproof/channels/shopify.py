"""Shopify, through the GraphQL Admin API: its settings, client, scenario actions, audit reader and probe."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Iterable, Iterator, Sequence
from weakref import WeakKeyDictionary

from connectors.shopify import BULK_FROM_ORDERS, ShopifyClient

from ..errors import ConfigError
from ..model import Order, OrderLine, Refund, Shipping
from ..probe import DoctorLine, attempt
from ..settings_keys import key
from ._cart_refunds import CartRefunds
from ._spec import ChannelSpec, Connection, PersonalFields, Secret

__all__ = ["SPEC", "ShopifyActions", "demo_order_rate"]

#: Shopify access scopes the refund scenarios need.
SHOPIFY_SCOPES = ("read_orders", "write_orders")
#: US dollars per unit of a currency: the rates test orders presented in another currency than the
#: shop's are placed at (Shopify stores each order's amounts in both; only the presentment ones are
#: compared with NetSuite)
DEMO_ORDER_USD_RATES = {"USD": Decimal("1"), "EUR": Decimal("1.08"), "GBP": Decimal("1.27"),
                        "CAD": Decimal("0.73"), "AUD": Decimal("0.66"), "JPY": Decimal("0.0067")}


def demo_order_rate(presentment: str, shop: str) -> Decimal:
    """Shop money per unit of presentment money for a test order, or one line saying what is missing."""
    try:
        return DEMO_ORDER_USD_RATES[presentment] / DEMO_ORDER_USD_RATES[shop]
    except KeyError as missing:
        raise ConfigError(f"no test-order exchange rate from {presentment} to the shop currency {shop}",
                          f"place test orders in one of {', '.join(DEMO_ORDER_USD_RATES)}") from missing


class ShopifyActions(CartRefunds):
    """Shopify through the GraphQL Admin API: orderCreate, refundCreate, and reads."""

    name = "shopify"

    def __init__(self, client: Any, restock: str = "RETURN") -> None:
        self.client = client
        self.restock = restock

    def place_order(self, lines: Sequence[OrderLine], *, shipping: Shipping | None,
                    customer: tuple[str, str], note: str) -> Order:
        """Lines priced in another currency than the shop's are presented to the customer in it."""
        presented, shop = lines[0].unit_price.currency, self.currency
        pricing: dict[str, Any] = {}
        if presented != shop:
            pricing = {"shop_currency": shop, "exchange_rate": demo_order_rate(presented, shop)}
        return self.client.create_order(lines, shipping=shipping, email=customer[1], note=note, **pricing)

    @property
    def currency(self) -> str:
        """The shop's currency, as the shop reports it."""
        return str(self.client.shop()["currencyCode"])

    def refunds(self, order: Order) -> list[Refund]:
        return self.client.get_refunds(order.channel_ref)

    def order(self, order: Order) -> Order:
        return self.client.get_order(order.channel_ref)


_known: WeakKeyDictionary[Any, dict[str, Order]] = WeakKeyDictionary()  # per client: orders read in full


def _poll_orders(client: Any, since: datetime) -> list[Order]:
    """Orders whose ``updated_at`` is after ``since``: new ones and those refunded or edited since.

    A lean listing says what changed; an order is read in full only the first time this client sees it
    (a known one comes back with its new ``updated_at``).
    """
    known = _known.setdefault(client, {})
    orders = []
    for gid, updated_at in client.order_changes_since(since):
        if gid not in known:
            known[gid] = client.get_order(gid)
        orders.append(replace(known[gid], updated_at=updated_at))
    return orders


def _poll_refunds(client: Any, orders: list[Order], since: datetime) -> list[Refund]:
    """The refunds of the orders the poll saw (a refund updates its order)."""
    return [refund for order in orders for refund in client.get_refunds(order.channel_ref)]


def _client(settings: Any, connection: Connection, **common: Any) -> Any:
    from connectors.shopify import ShopifyClient

    shop = connection.base_url or settings.base_url or settings.options["shop"]
    bulk_from = int(settings.options.get("audit_bulk_from", BULK_FROM_ORDERS))
    return ShopifyClient(shop=shop, access_token=connection.credentials["access_token"],
                         api_version=settings.options["api_version"], write_guard=connection.write_guard,
                         audit_bulk_from=bulk_from or None, **common)


def check_shopify_window(scopes: Iterable[str], window: Any, now: datetime | None = None) -> None:
    """Refuse an audit reaching further back than the Shopify app can see: its orders would be
    missing, and an empty answer would read as a pass."""
    from connectors.shopify import ALL_ORDERS_SCOPE, ORDER_WINDOW_DAYS, order_window_start

    start = order_window_start(scopes, now or datetime.now(timezone.utc))
    if start is not None and window.since < start:
        raise ConfigError(
            f"the audit window starts {window.since.date()}, but without the {ALL_ORDERS_SCOPE} scope Shopify "
            f"shows only orders from the last {ORDER_WINDOW_DAYS} days (since {start.date()})",
            f"add {ALL_ORDERS_SCOPE} to the custom app's Admin API scopes, or pass --since {start.date()} or later")


def _audit_refunds(client: Any, window: Any, progress: Any) -> dict[str, list[Refund]]:
    from connectors.shopify import audit_orders

    check_shopify_window(client.access_scopes(), window)
    on_page = (lambda n: progress.page("shopify orders with refunds", n)) if progress else None
    by_order: dict[str, list[Refund]] = {}
    shown = progress is not None and getattr(progress, "enabled", True)
    for order, refunds in audit_orders(client, window.since, bulk_from=client.audit_bulk_from, on_page=on_page,
                                       on_note=progress.note if shown else _warn):
        by_order.setdefault(order["order_id"], []).extend(refunds)
    return by_order


def _warn(line: str) -> None:
    """A line the audit prints when it shows no progress: on the ``syncproof.audit`` log."""
    import logging

    logging.getLogger("syncproof.audit").warning("shopify: %s", line)


def _doctor(shop: Any) -> Iterator[DoctorLine]:
    from connectors import ConnectorError

    auth = attempt("shopify", "authentication", lambda: f"shop {shop.shop()['name']!r}",
                   "check SHOPIFY_ACCESS_TOKEN and [shopify] shop")
    yield auth
    if not auth.ok:
        return
    try:
        granted = set(shop.access_scopes())
    except ConnectorError as exc:
        yield DoctorLine("shopify", "access scopes", False, exc.message,
                         "reinstall the app with read_orders, write_orders")
        return
    for scope in SHOPIFY_SCOPES:
        fix = f"add {scope} to the custom app's Admin API scopes and reinstall it"
        yield DoctorLine("shopify", f"scope {scope}", scope in granted,
                         "granted" if scope in granted else "not granted", "" if scope in granted else fix)
    from connectors.shopify import ALL_ORDERS_SCOPE, ORDER_WINDOW_DAYS

    all_orders = ALL_ORDERS_SCOPE in granted
    yield DoctorLine(  # not needed for the scenarios; without it audits cannot reach older orders
        "shopify",
        f"scope {ALL_ORDERS_SCOPE}",
        True,
        "granted" if all_orders else f"not granted: only orders from the last {ORDER_WINDOW_DAYS} days are visible, "
        "so an audit reaching further back is refused",
        "" if all_orders else f"add {ALL_ORDERS_SCOPE} to the custom app's Admin API scopes to audit older orders",
    )


def _live_origins(settings: Any) -> list[str]:
    return [settings.base_url or f"https://{settings.options['shop']}.myshopify.com"]


SPEC = ChannelSpec(
    name="shopify",
    title="Shopify",
    keys=(
        key("shop", str, "syncproof-dev", "shop name: <shop>.myshopify.com"),
        key("base_url", str, "", "Admin API base URL override; empty derives it from shop"),
        key("api_version", str, "2026-10", "GraphQL Admin API version (a stable release is supported for 12 months)"),
        key("audit_bulk_from", int, BULK_FROM_ORDERS,
            "audits read the window with bulk query operations from this many orders with refunds in it "
            "(1: always; 0: never, page by page)"),
    ),
    secrets=(Secret("access_token", "SHOPIFY_ACCESS_TOKEN", "the Admin API access token",
                    "Shopify Admin API access token"),),
    client=_client,
    actions=lambda runtime: ShopifyActions(runtime.client("shopify")),
    audit_refunds=_audit_refunds,
    claims_order_id=lambda order_id: re.fullmatch(r"[0-9]+", order_id) is not None,  # legacyResourceId
    live_origins=_live_origins,
    doctor=_doctor,
    authenticate=lambda client: client.shop(),
    identifiers=("shop",),
    secret_headers=ShopifyClient.secret_headers,
    secret_keys=ShopifyClient.secret_keys,
    # the buyer's browser_ip (of the order and of its client_details) and the coordinates of an order's
    # billing_address and shipping_address, as Shopify's REST order fixtures show them (shopify_python_api,
    # test/fixtures/order.json, orders.json); GraphQL's MailingAddress names them the same (billingAddress...)
    # and the buyer's browser's user_agent in client_details, which the same fixtures show (null there); GraphQL's
    # Order.clientIp, "The IP address of the API client that created the order." (the browser's, for a storefront
    # order), which no query asks for today; and the company of those addresses (REST's "company", null in the same
    # fixtures; GraphQL MailingAddress.company, "The name of the customer's company or organization."), a sole
    # trader's name as often as a firm's
    personal=PersonalFields(keys={"browser_ip": "ip", "clientIp": "ip"}, contained={
        **{address: {"latitude": "latitude", "longitude": "longitude", "company": "name"}
           for address in ("billing_address", "shipping_address", "default_address")},
        "client_details": {"user_agent": "user_agent"}}),
    cleanup_note="cancel or archive the test orders whose note carries {tag} in the Shopify admin",
    poll_orders=_poll_orders,
    poll_refunds=_poll_refunds,
)
