"""WooCommerce, through the REST API v3: its settings, client, scenario actions, audit reader and probe.

WooCommerce is a cart: Oracle's leading practice is refunds made in NetSuite and synced to
the store (``from_netsuite``); refunds made in WooCommerce can be synced to NetSuite too
(``to_netsuite``, the default like every channel's).
"""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime
from typing import Any, Iterator, Sequence
from urllib.parse import urlsplit

from ..errors import ConfigError
from ..model import Money, MoneyError, Order, OrderLine, Refund, Shipping
from ..probe import DoctorLine, probe
from ..settings_keys import key
from ._cart_refunds import CartRefunds
from ._spec import ChannelSpec, Connection, PersonalEntries, PersonalFields, Secret

__all__ = ["SPEC", "WooCommerceActions", "poll_orders", "poll_refunds", "store_url"]

#: the REST API version every path is under: ``/wp-json/<api_version>/``
API_VERSION = "wc/v3"
RESTOCK = {"return": "RETURN", "cancel": "RETURN", "no_restock": "NO_RESTOCK"}


class WooCommerceActions(CartRefunds):
    """WooCommerce through its REST API: ``POST /orders``, ``POST /orders/<id>/refunds``, and reads."""

    name = "woocommerce"

    def __init__(self, client: Any, restock: str = "RETURN") -> None:
        self.client = client
        self.restock = restock

    def place_order(self, lines: Sequence[OrderLine], *, shipping: Shipping | None,
                    customer: tuple[str, str], note: str) -> Order:
        order = self.client.create_order(lines, shipping=shipping, customer=customer, note=note)
        _same_taxes(lines, shipping, order)
        return order

    @property
    def currency(self) -> str:
        """The store's currency, as its general settings hold it."""
        return str(self.client.currency())

    def refunds(self, order: Order) -> list[Refund]:
        return self.client.get_refunds(order.channel_ref or order.channel_order_id)

    def order(self, order: Order) -> Order:
        return self.client.get_order(order.channel_ref or order.channel_order_id)


def _same_taxes(lines: Sequence[OrderLine], shipping: Shipping | None, order: Order) -> None:
    """WooCommerce computes an order's taxes from the store's tax rates: refuse a store whose rates give other
    amounts than the scenario states, naming the line, rather than checking refunds of a different order."""
    for line in lines:
        got = order.line_for_sku(line.sku).tax
        if got != line.tax:
            raise ConfigError(f"WooCommerce taxed {line.sku} {got} on order {order.channel_order_id}, "
                              f"the scenario states {line.tax}",
                              "give the store the standard tax rate the scenarios use (WooCommerce > Settings > Tax)")
    if shipping is not None and order.shipping is not None and order.shipping.tax != shipping.tax:
        raise ConfigError(f"WooCommerce taxed shipping {order.shipping.tax} on order {order.channel_order_id}, "
                          f"the scenario states {shipping.tax}",
                          "apply the standard tax rate to shipping (WooCommerce > Settings > Tax > Shipping)")


def store_url(settings: Any) -> str:
    """The configured store address (``base_url`` overrides ``store_url``), refused unless it is HTTPS: WooCommerce
    accepts consumer keys as basic auth only over HTTPS."""
    url = str(settings.base_url or settings.options["store_url"]).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and _loopback(parts.hostname or "")):
        raise ConfigError(f"[woocommerce] store_url {url!r} is not an https:// address",
                          "WooCommerce takes REST API keys as basic auth only over HTTPS: use the https:// address "
                          "of the store")
    return url


def _loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _client(settings: Any, connection: Connection, **common: Any) -> Any:
    from connectors.woocommerce import WooCommerceClient

    url = connection.base_url or store_url(settings)
    return WooCommerceClient(url, connection.credentials["consumer_key"], connection.credentials["consumer_secret"],
                             api_version=settings.options["api_version"],
                             api_refund=bool(settings.options["api_refund"]), write_guard=connection.write_guard,
                             **common)


def poll_orders(client: Any, since: datetime) -> list[Order]:
    """The connector's order poll: orders modified after ``since``."""
    return list(client.orders_modified_since(since))


def poll_refunds(client: Any, seen_orders: list[Order], since: datetime) -> list[Refund]:
    """The connector's refund poll: every refund of the orders the order poll saw (a refund modifies its order)."""
    return [refund for order in seen_orders for refund in client.get_refunds(order.channel_ref
                                                                             or order.channel_order_id)]


def _audit_refunds(client: Any, window: Any, progress: Any) -> dict[str, list[Refund]]:
    from connectors.woocommerce import parse_refund

    by_order: dict[str, list[Refund]] = {}
    pages = 0
    for raw in client.orders_json_since(window.since):
        pages += 1
        if not raw.get("refunds"):
            continue
        by_order[str(raw["id"])] = [parse_refund(r, raw) for r in client.refunds_json(str(raw["id"]))]
    if progress:
        progress.page("woocommerce orders", pages)
    return by_order


def _doctor(client: Any) -> Iterator[DoctorLine]:
    line, currency = probe("woocommerce", "authentication", lambda: str(client.currency()), "store currency {}".format,
                           "check WOOCOMMERCE_CONSUMER_KEY, WOOCOMMERCE_CONSUMER_SECRET and [woocommerce] store_url")
    yield line
    if currency is not None:
        yield _decimals(client, currency)


def _store_setup(client: Any) -> Iterator[DoctorLine]:
    """What a live run checks before any scenario: the store's "Number of decimals" is its currency's minor unit. A
    USD store set to 3 writes a -0.001 USD adjustment the connector shows as -0.00 USD, which no check can see."""
    yield _decimals(client, str(client.currency()))


def _decimals(client: Any, currency: str) -> DoctorLine:
    """The store's "Number of decimals" against its currency's minor unit. The REST API writes every amount with
    the store's setting: with fewer decimals a NetSuite refund in fils is not the amount the store shows, with more
    the store can hold fractions of a yen that NetSuite cannot."""
    try:
        unit = Money.zero(currency).minor_unit
    except MoneyError:
        return DoctorLine("woocommerce", "number of decimals", False,
                          f"the store's currency is {currency!r}, not a three-letter ISO 4217 code: its amounts "
                          "cannot be compared to any minor unit", "set WooCommerce > Settings > General > Currency")
    read, shown = probe("woocommerce", "number of decimals", client.price_decimals, str,
                        "check that the key may read the store's general settings")
    if shown is None:
        return read
    if shown == unit:
        return DoctorLine("woocommerce", "number of decimals", True, f"amounts with {unit} decimals, as {currency}")
    return DoctorLine("woocommerce", "number of decimals", False,
                      f"the store writes amounts with {shown} decimals and {currency} has {unit}: its amounts and "
                      "NetSuite's do not compare to the minor unit",
                      f"set WooCommerce > Settings > General > Number of decimals to {unit}, the minor unit of "
                      f"{currency}")


def _live_origins(settings: Any) -> list[str]:
    parts = urlsplit(store_url(settings))
    return [f"{parts.scheme}://{parts.netloc}"]


#: A Brazilian buyer's documents and details, as the Brazilian Market on WooCommerce plugin keeps them (its
#: repository claudiosanches/woocommerce-extra-checkout-fields-for-brazil,
#: includes/class-extra-checkout-fields-for-brazil-api.php) as order meta ``_billing_cpf``, ``_billing_rg``,
#: ``_billing_cnpj``, ``_billing_ie``, ``_billing_cellphone``, ``_billing_birthdate``, ``_billing_gender``,
#: ``_billing_number``, ``_billing_neighborhood``, ``_shipping_number``, ``_shipping_neighborhood``, which the REST
#: API's order ``meta_data`` lists as entries ``{"id", "key", "value"}`` (REST API docs, "Order - Meta data
#: properties": ``key`` "Meta key.", ``value`` "Meta value."), and which the plugin adds to the order's ``billing``
#: and ``shipping`` (``billing_address`` and ``shipping_address`` in the legacy API) without the prefix.
_BUYER = {"cpf": "tax_id", "rg": "tax_id", "cnpj": "tax_id", "ie": "tax_id", "cellphone": "phone",
          "birthdate": "birthdate", "gender": "gender"}
#: what the plugin adds to both addresses: the house number ("Number.") and the neighbourhood ("Neighborhood.",
#: faked as a place name, as a city is)
_ADDRESS = {"number": "street_number", "neighborhood": "city"}
_BILLING = {**_BUYER, **_ADDRESS}
#: what both addresses hold besides: the REST API's "Company name." (``company``), faked as a name
_COMPANY = {"company": "name"}
_BILLING_ADDRESS, _SHIPPING_ADDRESS = {**_BILLING, **_COMPANY}, {**_ADDRESS, **_COMPANY}
PERSONAL = PersonalFields(
    # the order's "Customer's IP address." and "User agent of the customer." (REST API docs, "Order properties":
    # customer_ip_address, customer_user_agent), as Shopify's browser_ip, and the legacy API's (wc-api v2, "Orders
    # Properties": customer_ip "Customer IP address", customer_user_agent "Customer User-Agent")
    keys={"customer_ip_address": "ip", "customer_ip": "ip", "customer_user_agent": "user_agent"},
    # and the company of both addresses (REST API docs, "Order - Billing properties" and "Order - Shipping
    # properties": company "Company name."; the legacy API's billing_address and shipping_address, "Company name"),
    # a sole trader's name as often as a firm's
    contained={"billing": _BILLING_ADDRESS, "billing_address": _BILLING_ADDRESS,
               "shipping": _SHIPPING_ADDRESS, "shipping_address": _SHIPPING_ADDRESS},
    entries=(PersonalEntries("meta_data", {**{f"_billing_{name}": kind for name, kind in _BILLING.items()},
                                           **{f"_shipping_{name}": kind for name, kind in _ADDRESS.items()}}),),
)

SPEC = ChannelSpec(
    name="woocommerce",
    title="WooCommerce",
    keys=(
        key("store_url", str, "https://shop.example.com", "the store's address; the API is under /wp-json/"),
        key("base_url", str, "", "REST API base URL override; empty uses store_url"),
        key("api_version", str, API_VERSION, "REST API namespace (wc/v3: WooCommerce 3.5 or later)"),
        key("api_refund", bool, False,
            "ask the order's payment gateway to pay refunds back (the gateway must support refunds)"),
    ),
    secrets=(Secret("consumer_key", "WOOCOMMERCE_CONSUMER_KEY", "the REST API consumer key (ck_...)",
                    "WooCommerce REST API consumer key"),
             Secret("consumer_secret", "WOOCOMMERCE_CONSUMER_SECRET", "the REST API consumer secret (cs_...)",
                    "WooCommerce REST API consumer secret")),
    client=_client,
    actions=lambda runtime: WooCommerceActions(
        runtime.client("woocommerce"),
        RESTOCK.get(runtime.config.channel("woocommerce").refunds.restock, "RETURN")),
    audit_refunds=_audit_refunds,
    claims_order_id=lambda order_id: re.fullmatch(r"[0-9]+", order_id) is not None,  # the order's post id
    live_origins=_live_origins,
    doctor=_doctor,
    authenticate=lambda client: client.currency(),
    store_setup=_store_setup,
    identifiers=("store_url",),
    secret_keys=frozenset({"consumer_key", "consumer_secret"}),
    personal=PERSONAL,
    cleanup_note="trash the test orders whose customer note carries {tag} in WooCommerce > Orders",
    poll_orders=poll_orders,
    poll_refunds=poll_refunds,
)
