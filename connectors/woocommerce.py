"""WooCommerce REST API v3 client (``/wp-json/wc/v3/``): orders, refunds, products, the store currency.

    client = WooCommerceClient("https://shop.example.com", os.environ["WOOCOMMERCE_CONSUMER_KEY"],
                               os.environ["WOOCOMMERCE_CONSUMER_SECRET"])
    order = client.get_order("7001")
    refund = client.create_refund("7001", {order.lines[0].line_id: 1}, note="RMA-7", marker="netsuite-refund:42")

Authentication is the store's REST API key, consumer key and secret, sent as HTTP basic
auth (WooCommerce accepts that only over HTTPS). Collections are paged with ``page`` and
``per_page`` (at most 100), and every page carries ``X-WP-Total`` and ``X-WP-TotalPages``;
the client follows them to the last page. An error answer is WooCommerce's
``{"code", "message", "data": {"status"}}``:

- HTTP 401/403 -> :class:`~connectors.AuthenticationFailed` naming the code and message;
- any other -> :class:`WooCommerceError` with ``code`` (e.g. ``woocommerce_rest_cannot_create_order_refund``).

Amounts are read exactly as the store writes them, with its "Number of decimals"
(``woocommerce_price_num_decimals``), which need not be the currency's minor unit. A share of
a line the client works out is rounded to the fewer of the two, an amount the store shows and
NetSuite holds; a refund amount the store cannot show (fils in a dinar store set to two
decimals) raises :class:`RefundNotExpressible` naming the setting, and nothing is sent.

Refunds pushed from NetSuite carry a marker ``[marker]`` in their ``reason``: the order's
refunds are searched for it before creating, and again when the answer to the create was
lost, so a retry never refunds twice. WooCommerce has no idempotency key of its own.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Iterator, Mapping, Sequence

import httpx

from syncproof.model import Money, Order, OrderLine, Refund, Shipping, json_dumps, json_loads, round_half_up

from ._exceptions import ApiError, AuthenticationFailed, RefundNotExpressible, WriteOutcomeUnknown
from ._http import ApiClient
from ._woocommerce_parse import (
    CHANNEL,
    amount,
    parse_order,
    parse_refund,
    price_decimals_setting,
    refunded_item_id,
    written_decimals,
)

__all__ = ["WooCommerceClient", "WooCommerceError", "PAGE_SIZE", "note_markers", "with_marker", "parse_order",
           "parse_refund", "CHANNEL"]

#: WooCommerce refuses ``per_page`` above 100.
PAGE_SIZE = 100


class WooCommerceError(ApiError):
    """WooCommerce's error body: ``code``, ``message`` and ``data.status``."""


def note_markers(note: str | None) -> set[str]:
    """The ``[...]`` tokens of a refund reason: the markers it carries."""
    tokens, rest = set(), note or ""
    while "[" in rest:
        start = rest.index("[") + 1
        end = rest.find("]", start)
        if end < 0:
            break
        if "[" not in rest[start:end]:
            tokens.add(rest[start:end])
        rest = rest[end + 1:]
    return tokens


def with_marker(note: str | None, marker: str) -> str:
    """``note`` with ``[marker]`` appended (markers never contain brackets)."""
    if not marker or "[" in marker or "]" in marker:
        raise ValueError(f"a refund marker cannot be empty or contain brackets: {marker!r}")
    return f"{note} [{marker}]" if note else f"[{marker}]"


def _text(money: Money) -> str:
    """An amount of the scenario's or NetSuite's, rounded to its currency's minor unit."""
    return str(money.rounded().amount)


def _exact(money: Money) -> str:
    """An amount as it is: read from the store, or a share already rounded."""
    return str(money.amount)


def _store_decimals(order: Mapping[str, Any]) -> int:
    """The decimals the store writes the order's amounts with (its "Number of decimals"); the currency's minor unit
    for a body that shows none."""
    shown = written_decimals(order)
    return Money.zero(str(order["currency"])).minor_unit if shown is None else shown


def _share_places(order: Mapping[str, Any]) -> int:
    """The decimals a share of the order's amounts is rounded to: the fewer of the store's and the currency's, so
    the share is an amount the store shows and NetSuite holds exactly (whole yen in a yen store set to 0 or to 2
    decimals, fils in a dinar store set to 3, cents in a dinar store set to 2)."""
    return min(_store_decimals(order), Money.zero(str(order["currency"])).minor_unit)


def _line_tax(tax: Mapping[str, Any], currency: str, shown: int) -> Money:
    """A line's tax at one rate as the store counts it. ``taxes[].total`` is written as stored, as ``WC_Tax::calc_tax``
    works it out (8% of 3.26 is ``"0.2608"``); the line's ``total_tax``, the order's total and what NetSuite gets hold
    it rounded to the store's decimals (``wc_round_tax_total``): 0.26."""
    return Money(round_half_up(amount(tax.get("total"), currency).amount, shown), currency)


def _share(value: Money, part: int, whole: int, places: int) -> Money:
    """``value * part / whole``, rounded half up to ``places`` decimals (see :func:`_share_places`)."""
    if whole == 0 or part == whole:
        return value
    return Money(round_half_up(value.amount * part / whole, places), value.currency)


class WooCommerceClient(ApiClient):
    """Client for one store's REST API.

    ``store_url`` is the site's address (``https://shop.example.com``); the API lives under
    ``/wp-json/<api_version>``. ``api_refund`` asks the order's payment gateway to pay the
    money back (the gateway must support refunds); without it WooCommerce records the
    refund and the money is returned outside WooCommerce.

        with WooCommerceClient("http://127.0.0.1:8123", "ck_x", "cs_x") as client:
            client.currency()
    """

    system = "woocommerce"

    def __init__(self, store_url: str, consumer_key: str, consumer_secret: str, api_version: str = "wc/v3", *,
                 page_size: int = PAGE_SIZE, api_refund: bool = False, **kwargs: Any) -> None:
        headers = {"Accept": "application/json", **(kwargs.pop("headers", None) or {})}
        super().__init__(store_url, auth=httpx.BasicAuth(consumer_key, consumer_secret), headers=headers, **kwargs)
        self.prefix = f"/wp-json/{api_version.strip('/')}"
        self.page_size = max(1, min(PAGE_SIZE, page_size))
        self.api_refund = api_refund

    # ApiClient hooks -------------------------------------------------------------------
    @staticmethod
    def _body(response: httpx.Response) -> Any:
        try:
            return json_loads(response.content or b"null")
        except ValueError:
            return None

    def raise_for_error(self, response: httpx.Response) -> None:
        if not response.is_error:
            return
        where = f"{response.request.method} {response.request.url.path}"
        body = self._body(response)
        code = message = ""
        if isinstance(body, dict):
            code, message = str(body.get("code") or ""), str(body.get("message") or "")
        detail = f"{code}: {message}" if code else (response.text[:200] or response.reason_phrase)
        if response.status_code in (401, 403):
            raise AuthenticationFailed(f"woocommerce refused the consumer key at {where} "
                                       f"(HTTP {response.status_code} {detail})",
                                       hint="check WOOCOMMERCE_CONSUMER_KEY and WOOCOMMERCE_CONSUMER_SECRET, and that "
                                            "the key has read/write permission")
        raise WooCommerceError(f"woocommerce answered HTTP {response.status_code} at {where}: {detail}",
                               status=response.status_code, code=code, detail=message or response.text[:500])

    # plumbing ----------------------------------------------------------------------------
    def _path(self, path: str) -> str:
        return f"{self.prefix}/{path.lstrip('/')}"

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._body(self.request("GET", self._path(path), params=dict(params or {})))

    def post(self, path: str, body: Mapping[str, Any]) -> Any:
        response = self.request("POST", self._path(path), content=json_dumps(dict(body)).encode(),
                                headers={"Content-Type": "application/json"})
        return self._body(response)

    def pages(self, path: str, params: Mapping[str, Any] | None = None) -> Iterator[dict]:
        """Every item of a collection, page by page until ``X-WP-TotalPages``."""
        page = 1
        while True:
            response = self.request("GET", self._path(path),
                                    params={**dict(params or {}), "page": page, "per_page": self.page_size})
            items = self._body(response) or []
            yield from items
            try:
                total_pages = int(response.headers.get("x-wp-totalpages") or 1)
            except ValueError:
                total_pages = 1
            if page >= total_pages or not items:
                return
            page += 1

    # reads -------------------------------------------------------------------------------
    def currency(self) -> str:
        """The store's currency (``woocommerce_currency`` of the general settings): a cheap authenticated read."""
        return str(self.get("settings/general/woocommerce_currency")["value"])

    def price_decimals(self) -> int:
        """The store's "Number of decimals" (``woocommerce_price_num_decimals`` of the general settings): how many
        decimals the REST API writes every amount with."""
        return price_decimals_setting(self.get("settings/general/woocommerce_price_num_decimals")["value"])

    def order_json(self, order_id: str) -> dict:
        return self.get(f"orders/{order_id}")

    def get_order(self, order_id: str) -> Order:
        return parse_order(self.order_json(order_id))

    def orders_modified_since(self, since: datetime) -> Iterator[Order]:
        """Orders modified after ``since`` (``modified_after``, GMT), oldest change first, every page."""
        moment = (since if since.tzinfo else since.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
        params = {"modified_after": moment.strftime("%Y-%m-%dT%H:%M:%S"), "dates_are_gmt": "true",
                  "orderby": "modified", "order": "asc"}
        for raw in self.pages("orders", params):
            yield parse_order(raw)

    def orders_json_since(self, since: datetime) -> Iterator[dict]:
        """Raw orders modified after ``since`` (the audit reads their refunds)."""
        moment = (since if since.tzinfo else since.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
        yield from self.pages("orders", {"modified_after": moment.strftime("%Y-%m-%dT%H:%M:%S"),
                                         "dates_are_gmt": "true", "orderby": "modified", "order": "asc"})

    def refunds_json(self, order_id: str) -> list[dict]:
        return list(self.pages(f"orders/{order_id}/refunds", {"order": "asc", "orderby": "id"}))

    def get_refunds(self, order_id: str, order: Mapping[str, Any] | None = None) -> list[Refund]:
        """Every refund of the order, oldest first."""
        raw_order = order or self.order_json(order_id)
        return [parse_refund(raw, raw_order) for raw in self.refunds_json(order_id)]

    def find_refund_by_note(self, order_id: str, marker: str) -> Refund | None:
        """The order's refund whose reason carries exactly ``marker`` as a ``[marker]`` token."""
        for raw in self.refunds_json(order_id):
            if marker in note_markers(raw.get("reason")):
                return parse_refund(raw, self.order_json(order_id))
        return None

    def product_id(self, sku: str) -> int | None:
        found = self.get("products", {"sku": sku})
        return int(found[0]["id"]) if found else None

    # writes ------------------------------------------------------------------------------
    def ensure_product(self, sku: str, name: str, price: Money) -> int:
        """The product with ``sku``, created as a simple product when the store has none."""
        existing = self.product_id(sku)
        if existing is not None:
            return existing
        made = self.post("products", {"name": name or sku, "sku": sku, "type": "simple",
                                      "regular_price": _text(price)})
        return int(made["id"])

    def create_order(self, lines: Sequence[OrderLine], *, shipping: Shipping | None = None,
                     customer: tuple[str, str] | None = None, note: str | None = None,
                     payment_method: str = "bacs", payment_method_title: str = "Direct bank transfer") -> Order:
        """A paid test order; the store computes its taxes from its own tax rates.

        Each line names its product (found, or created, by SKU) with ``subtotal`` (before
        discount) and ``total`` (after it), so a line's discount is exactly the scenario's.
        """
        if not lines:
            raise ValueError("an order needs at least one line")
        currency = lines[0].unit_price.currency
        items = [{"product_id": self.ensure_product(line.sku, line.title or line.sku, line.unit_price),
                  "quantity": line.quantity, "subtotal": _text(line.gross), "total": _text(line.net)}
                 for line in lines]
        body: dict[str, Any] = {"currency": currency, "payment_method": payment_method,
                                "payment_method_title": payment_method_title, "set_paid": True, "line_items": items}
        if shipping is not None:
            body["shipping_lines"] = [{"method_id": "flat_rate", "method_title": shipping.title,
                                       "total": _text(shipping.amount)}]
        if customer is not None:
            first, _, last = customer[0].partition(" ")
            body["billing"] = {"first_name": first, "last_name": last, "email": customer[1]}
        if note:
            body["customer_note"] = note
        return parse_order(self.post("orders", body))

    def refund_body(self, order: Mapping[str, Any], refunds: Sequence[Mapping[str, Any]], lines: Mapping[str, int],
                    shipping: bool | Money, *, refund_tax: bool = True) -> dict[str, Any]:
        """The ``line_items`` of a refund of ``lines`` ({order item id: quantity}) and shipping.

        Each item returns its share of the line's total and of each tax rate's amount
        (``refund_tax`` by rate id) as the store counts it (:func:`_line_tax`: to its decimals, not the
        unrounded ``taxes[].total``); the last units of a line return what is left of it, so partial refunds never
        drift by a cent and their taxes add up to the line's ``total_tax``.
        """
        currency = str(order["currency"])
        places, shown = _share_places(order), _store_decimals(order)
        done_qty: dict[str, int] = {}
        done_total: dict[str, Money] = {}
        done_tax: dict[tuple[str, str], Money] = {}
        for refund in refunds:
            for item in [*(refund.get("line_items") or ()), *(refund.get("shipping_lines") or ())]:
                source = refunded_item_id(item) or ""
                done_qty[source] = done_qty.get(source, 0) + abs(int(item.get("quantity") or 0))
                done_total[source] = done_total.get(source, Money.zero(currency)) - amount(item.get("total"), currency)
                for tax in item.get("taxes") or ():
                    key = (source, str(tax["id"]))
                    done_tax[key] = done_tax.get(key, Money.zero(currency)) - amount(tax.get("total"), currency)
        items: list[dict[str, Any]] = []
        by_id = {str(item["id"]): item for item in order.get("line_items") or ()}
        for line_id, quantity in lines.items():
            item = by_id.get(str(line_id))
            if item is None:
                raise RefundNotExpressible(f"woocommerce order {order['id']} has no line item {line_id}")
            ordered, left = int(item["quantity"]), int(item["quantity"]) - done_qty.get(str(line_id), 0)
            last = quantity >= left
            total = amount(item.get("total"), currency)
            share = ((total - done_total.get(str(line_id), Money.zero(currency))) if last
                     else _share(total, quantity, ordered, places))
            entry: dict[str, Any] = {"id": int(item["id"]), "quantity": int(quantity), "refund_total": _exact(share)}
            if refund_tax:
                entry["refund_tax"] = [
                    {"id": int(tax["id"]),
                     "refund_total": _exact((_line_tax(tax, currency, shown)
                                             - done_tax.get((str(line_id), str(tax["id"])), Money.zero(currency)))
                                            if last else _share(_line_tax(tax, currency, shown), quantity,
                                                                ordered, places))}
                    for tax in item.get("taxes") or ()]
            items.append(entry)
        if shipping is not False:
            for ship in order.get("shipping_lines") or ():
                sid = str(ship["id"])
                total = amount(ship.get("total"), currency)
                left_total = total - done_total.get(sid, Money.zero(currency))
                wanted = left_total if shipping is True else min(Money(shipping.amount, currency), left_total)
                if wanted.is_zero():
                    continue
                entry = {"id": int(ship["id"]), "quantity": 0, "refund_total": _exact(wanted)}
                if refund_tax:
                    entry["refund_tax"] = [
                        {"id": int(tax["id"]),
                         "refund_total": _exact(Money(round_half_up(
                             _line_tax(tax, currency, shown).amount * wanted.amount / total.amount, places), currency)
                             if total.amount else Money.zero(currency))}
                        for tax in ship.get("taxes") or ()]
                items.append(entry)
                if shipping is not True:
                    break  # an amount of shipping goes on the first shipping line
        return {"line_items": items}

    def create_refund(self, order_id: str, lines: Mapping[str, int], shipping: bool | Money = False,
                      note: str | None = None, restock_type: str = "RETURN", notify: bool = False, *,
                      marker: str | None = None, amount: Money | None = None, refund_tax: bool = True,
                      kept_fee: Money | None = None) -> Refund:
        """Refund ``lines`` ({order item id: quantity}) and ``shipping`` (True for all that is left, or an amount).

        The money returned (``amount``) is ``amount`` when given, a refund decided
        elsewhere with its adjustments, else what the items come to, less ``kept_fee`` when given
        (a fee the merchant keeps, such as a restocking fee: WooCommerce's order refund ``amount``
        "will take precedence over line item totals, even when total of line items does not
        matches with this amount", and the refund read back has the difference as a negative
        ``adjustment``). An amount WooCommerce
        cannot pay back (negative, or more than the order has left) raises
        :class:`RefundNotExpressible` before anything is sent. ``restock_type``
        ``NO_RESTOCK`` sends ``api_restock: false``. ``notify`` has no REST equivalent
        (WooCommerce mails the customer by its own settings).
        """
        if amount is not None and kept_fee is not None:
            raise ValueError("give the amount to refund or the fee kept from it, not both")
        if marker:
            existing = self.find_refund_by_note(order_id, marker)
            if existing is not None:
                return existing
            note = with_marker(note, marker)
        order = self.order_json(order_id)
        refunds = self.refunds_json(order_id)
        body = self.refund_body(order, refunds, lines, shipping, refund_tax=refund_tax)
        currency = str(order["currency"])
        items_total = Money.total((Money(Decimal(str(e["refund_total"])), currency)
                                   + Money.total((Money(Decimal(str(t["refund_total"])), currency)
                                                  for t in e.get("refund_tax") or ()), currency)
                                   for e in body["line_items"]), currency)
        paid = (amount or (items_total - kept_fee if kept_fee is not None else items_total)).rounded()
        shown = _store_decimals(order)
        if paid.amount != round_half_up(paid.amount, shown):
            raise RefundNotExpressible(f"a refund of {paid} on woocommerce order {order_id} needs "
                                       f"{paid.minor_unit} decimals and the store writes amounts with {shown}: it "
                                       "would show and compare a different amount",
                                       hint=f"set WooCommerce > Settings > General > Number of decimals to "
                                            f"{paid.minor_unit}, the minor unit of {paid.currency}")
        remaining = _remaining(order, refunds)
        if paid.amount < 0:
            raise RefundNotExpressible(f"a refund of {paid} on woocommerce order {order_id} is negative, and a "
                                       "WooCommerce refund returns money to the customer")
        if paid > remaining:
            left = f"{_exact(remaining)} {currency}"  # as the store holds it: Money's text would round it
            if remaining != remaining.rounded():
                raise RefundNotExpressible(f"woocommerce order {order_id} has {left} left to refund, less than the "
                                           f"{paid} to refund: the store writes amounts with {shown} decimals and "
                                           f"{currency} has {paid.minor_unit}",
                                           hint=f"set WooCommerce > Settings > General > Number of decimals to "
                                                f"{paid.minor_unit}, the minor unit of {currency}")
            raise RefundNotExpressible(f"woocommerce order {order_id} can refund at most {left}, less than the "
                                       f"{paid} to refund")
        body.update({"amount": _exact(paid), "api_refund": self.api_refund,
                     "api_restock": restock_type.upper() != "NO_RESTOCK"})
        if note is not None:
            body["reason"] = note
        try:
            made = self.post(f"orders/{order_id}/refunds", body)
        except WriteOutcomeUnknown:
            if marker:
                found = self.find_refund_by_note(order_id, marker)
                if found is not None:
                    return found
            raise
        return parse_refund(made, self.order_json(order_id))


def _remaining(order: Mapping[str, Any], refunds: Sequence[Mapping[str, Any]]) -> Money:
    """What the order can still refund: its total less every refund's amount, exactly as the store writes them."""
    currency = str(order["currency"])
    return (amount(order.get("total"), currency)
            - Money.total((amount(r.get("amount"), currency) for r in refunds), currency))
