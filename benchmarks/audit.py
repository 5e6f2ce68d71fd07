"""Benchmark: a read-only audit of N orders and M refunds across Shopify and Amazon.

    python benchmarks/audit.py --orders 20000 --refunds 5000

Seeds the emulators directly through their backends (as the connector would have posted
to NetSuite: sales order with the order id in otherRefNum and the channel's name in the
connector's channel field, cash sale by transform, cash refund by transform with
createdFrom; the tests also seed WooCommerce, both ways), plants known mismatches (wrong amount, wrong type,
missing link, missing refund, duplicate, wrong currency: the same numbers in another currency) in each
channel, runs both refund audits over the window through the emulators' HTTP APIs, and prints the requests
made to each system, the requests per 1,000 refunds, wall time, peak memory, and the planted mismatches found.

Above ``[shopify] audit_bulk_from`` orders (250) the audit reads Shopify with bulk query operations;
``--paged`` reads it page by page through the cost throttle instead, for comparison. After seeding,
the emulators' state is frozen out of Python's cyclic garbage collector (``gc.freeze``): it stands for
data that lives on the vendors' servers, and collections walking it would otherwise grow with the
seeded size, not with the audit (``--no-freeze`` keeps it in).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import math
import os
import resource
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connectors import ConnectorError  # noqa: E402
from sandbox.shopify.models import gid  # noqa: E402
from syncproof import channels  # noqa: E402
from syncproof.audit import AuditWindow, Progress, ReadOnlyClients, audit_refunds_to_netsuite  # noqa: E402
from syncproof.audit.refunds import NetSuiteView  # noqa: E402
from syncproof.config import parse_config  # noqa: E402
from syncproof.footprints import sales_order_channel_field  # noqa: E402
from syncproof.model import MINOR_UNITS  # noqa: E402
from syncproof.runtime import open_runtime  # noqa: E402

SKUS = {"AU-MUG": Decimal("14.50"), "AU-TEE": Decimal("22.00"), "AU-CAP": Decimal("9.75")}
KINDS = ("wrong_amount", "wrong_type", "missing_link", "missing_refund", "duplicate", "wrong_currency")
CENT = Decimal("0.01")


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def _scale(currency: str) -> int:
    """What the seeded prices are multiplied by in ``currency``: 100 where it has no minor unit (JPY), else 1."""
    return 100 if MINOR_UNITS.get(currency, 2) == 0 else 1


class Seeder:
    """Writes orders and refunds straight into the emulators' backends."""

    def __init__(self, box) -> None:
        self.ns, self.shop, self.amz = box.netsuite, box.shopify, box.amazon
        self.ebay = box.emulator("ebay").backend
        self.woo = box.emulator("woocommerce").backend
        self.products = {sku: self.woo.create_product({"sku": sku, "name": sku, "regular_price": str(price)})["id"]
                         for sku, price in SKUS.items()}
        self.items = {}
        for sku in SKUS:
            self.items[sku] = self.ns.create("nonInventorySaleItem", {"itemId": sku, "displayName": sku})
        for name in ("Shipping", "Refund Adjustment", "Refund Fee"):
            self.items[name] = self.ns.create("otherChargeSaleItem", {"itemId": name, "displayName": name})
        self.customer = self.ns.create("customer", {"companyName": "Audit Buyer"})
        #: ISO code -> the account's currency record id (a record's currency reference shows the record's name)
        self.currencies = {str(c["symbol"]): str(c["id"]) for c in self.ns.records("currency")}
        self.planted: dict[tuple[str, str, str], str] = {}  # (channel, order, refund) -> kind

    # NetSuite, as the connector posts ------------------------------------------------------
    def ns_order(self, channel: str, order_id: str, lines, shipping: tuple[Decimal, Decimal] | None,
                 currency: str | None = None) -> str:
        items = [
            {"item": {"id": self.items[sku]}, "quantity": qty, "rate": price, "amount": price * qty, "tax1Amt": tax}
            for sku, qty, price, tax in lines
        ]
        if shipping:
            items.append({"item": {"id": self.items["Shipping"]}, "quantity": 1, "rate": shipping[0],
                          "amount": shipping[0], "tax1Amt": shipping[1]})
        so = self.ns.create("salesOrder", {"entity": {"id": self.customer}, "otherRefNum": order_id,
                                           sales_order_channel_field(): channels.get(channel).netsuite_channel,
                                           "externalId": f"{channel}-order-{order_id}", "item": {"items": items},
                                           **({"currency": {"id": self.currencies[currency]}} if currency else {})})
        return self.ns.transform("salesOrder", so, "cashSale", {"externalId": f"{channel}-bill-{order_id}"})

    def ns_refund(self, channel: str, order_id: str, cash_sale: str, refund_id: str, lines, shipping, kind: str | None,
                  off: Decimal = Decimal("1.00")):
        """The refund record as the connector posts it; ``kind="wrong_amount"`` posts the first line ``off`` high,
        ``kind="wrong_currency"`` the same numbers in another currency than the order's (USD for an order in any
        other currency, as a connector posting in the account's base currency does; EUR for a USD order)."""
        sale = self.ns.get("cashSale", cash_sale)
        source = sale["item"]["items"]
        body_lines: list[dict[str, Any]] = []
        for sku, qty, amount, tax in lines:
            billed = next(s for s in source if s["item"]["id"] == self.items[sku])
            if kind == "wrong_amount":
                amount, kind = amount + off, None
            body_lines.append({"orderLine": billed["line"], "quantity": qty, "amount": amount, "tax1Amt": tax,
                               "rate": _q(amount / qty)})
        if shipping:
            body_lines.append({"item": {"id": self.items["Refund Adjustment"]}, "quantity": 1, "rate": shipping[0],
                               "amount": shipping[0], "tax1Amt": shipping[1], "description": "Shipping refund"})
        memo = f"{channel} refund {refund_id} on order {order_id}"
        if kind == "missing_link":  # created on its own, not from the cash sale
            free = [{"item": {"id": self.items[sku]}, "quantity": qty, "amount": amount, "tax1Amt": tax}
                    for sku, qty, amount, tax in lines]
            if shipping:
                free.append({"item": {"id": self.items["Refund Adjustment"]}, "quantity": 1, "amount": shipping[0],
                             "tax1Amt": shipping[1], "description": "Shipping refund"})
            return self.ns.create(
                "cashRefund",
                {
                    "entity": {"id": self.customer},
                    "otherRefNum": order_id,
                    "memo": memo,
                    "externalId": f"{channel}-refund-{refund_id}",
                    "item": {"items": free},
                },
            )
        source_type, source_id = "cashSale", cash_sale
        if kind == "wrong_type":  # a return authorization the settings do not call for
            source_id = self.ns.transform("cashSale", cash_sale, "returnAuthorization",
                                          {"memo": memo, "item": {"items": body_lines}}, replace=("item",))
            source_type, body_lines = "returnAuthorization", []  # the lines come from the authorization
        body: dict[str, Any] = {"memo": memo, "externalId": f"{channel}-refund-{refund_id}"}
        if kind == "wrong_currency":
            dollars = self.currencies["USD"]
            body["currency"] = {"id": self.currencies["EUR"] if sale["currency"]["id"] == dollars else dollars}
        if body_lines:
            body["item"] = {"items": body_lines}
        created = self.ns.transform(source_type, source_id, "cashRefund", body,
                                    replace=("item",) if body_lines else ())
        if kind == "duplicate":  # a second record for the same refund (a retried post)
            again = {"memo": memo, "item": {"items": [{**line, "quantity": line["quantity"]} for line in body_lines]}}
            self.ns.transform("cashSale", cash_sale, "cashRefund", again, replace=("item",))
        return created

    # Shopify ----------------------------------------------------------------------------------
    def shopify_order(self, n: int, order_id: int | None = None, currency: str = "USD"):
        """Two mugs and a tee with 5.00 shipping, taxed at 8%, in a shop selling in ``currency`` (amounts in a
        currency without minor units are a hundred times larger: 1450 JPY a mug)."""
        scale = _scale(currency)
        lines = [("AU-MUG", 2, SKUS["AU-MUG"] * scale, Decimal("2.32") * scale),
                 ("AU-TEE", 1, SKUS["AU-TEE"] * scale, Decimal("1.76") * scale)]
        money = lambda v: {"shopMoney": {"amount": str(v), "currencyCode": currency}}  # noqa: E731
        total = sum((p * q + t for _, q, p, t in lines), Decimal(0)) + Decimal("5.40") * scale
        order = self.shop.create_order({
            "currency": currency, "email": f"b{n}@example.com",
            "lineItems": [{"sku": s, "quantity": q, "priceSet": money(p), "taxLines": [{"title": "Tax", "rate": "0.08",
                                                                                       "priceSet": money(t)}]}
                          for s, q, p, t in lines],
            "shippingLines": [{"title": "Shipping", "priceSet": money(Decimal("5.00") * scale),
                               "taxLines": [{"title": "Tax", "rate": "0.08",
                                             "priceSet": money(Decimal("0.40") * scale)}]}],
            "transactions": [{"kind": "SALE", "status": "SUCCESS", "gateway": "manual", "amountSet": money(total)}]},
            order_id=order_id)
        bill = self.ns_order("shopify", str(order.id), lines, (Decimal("5.00") * scale, Decimal("0.40") * scale),
                             None if currency == "USD" else currency)
        return order, bill

    def shopify_refund(self, order, bill, kind: str | None, off: Decimal = Decimal("1.00")):
        """One mug and the shipping refunded in Shopify and posted to NetSuite (``kind``: a planted mismatch; a
        ``wrong_amount`` posts the mug ``off`` high)."""
        mug = order.lines[0]
        priced = self.shop.price_refund(
            order, [{"lineItemId": gid("LineItem", mug.id), "quantity": 1}], {"fullRefund": True}
        )
        sale = order.successful("SALE")[0]
        refund = self.shop.create_refund(
            {
                "orderId": gid("Order", order.id),
                "note": "audit benchmark",
                "refundLineItems": [{"lineItemId": gid("LineItem", mug.id), "quantity": 1}],
                "shipping": {"fullRefund": True},
                "transactions": [
                    {
                        "orderId": gid("Order", order.id),
                        "kind": "REFUND",
                        "gateway": "manual",
                        "amount": str(priced.amount),
                        "parentId": gid("OrderTransaction", sale.id),
                    }
                ],
            }
        )
        line = refund.lines[0]
        ship = refund.shipping[0]
        if kind:
            self.planted[("shopify", str(order.id), str(refund.id))] = kind
        if kind != "missing_refund":
            self.ns_refund("shopify", str(order.id), bill, str(refund.id), [("AU-MUG", 1, line.subtotal, line.tax)],
                           (ship.subtotal, ship.tax), kind, off)

    # WooCommerce ------------------------------------------------------------------------------
    def woocommerce_order(self, n: int):
        """An order of two mugs and a tee with 5.00 shipping; the store taxes it at its 8% standard rate."""
        lines = [("AU-MUG", 2, SKUS["AU-MUG"], Decimal("2.32")), ("AU-TEE", 1, SKUS["AU-TEE"], Decimal("1.76"))]
        order = self.woo.create_order({
            "set_paid": True, "payment_method": "bacs", "billing": {"email": f"w{n}@example.com"},
            "line_items": [{"product_id": self.products[sku], "quantity": qty} for sku, qty, _, _ in lines],
            "shipping_lines": [{"method_id": "flat_rate", "method_title": "Flat rate", "total": "5.00"}]})
        bill = self.ns_order("woocommerce", str(order.id), lines, (Decimal("5.00"), Decimal("0.40")))
        return order, bill

    def _woo_refund(self, order, *, reason: str, extra: Decimal = Decimal(0)):
        """One mug and the shipping refunded in WooCommerce (``extra`` more on the mug line)."""
        mug = next(i for i in order.items if i.kind == "line_item" and i.sku == "AU-MUG")
        ship = next(i for i in order.items if i.kind == "shipping")
        return self.woo.create_refund(order.id, {
            "api_refund": False, "reason": reason,
            "line_items": [
                {"id": mug.id, "quantity": 1, "refund_total": str(SKUS["AU-MUG"] + extra),
                 "refund_tax": [{"id": 1, "refund_total": "1.16"}]},
                {"id": ship.id, "refund_total": "5.00", "refund_tax": [{"id": 1, "refund_total": "0.40"}]}]})

    def woocommerce_refund(self, order, bill, kind: str | None):
        """A refund made in WooCommerce, posted to NetSuite (``[woocommerce.refunds] direction = "to_netsuite"``)."""
        refund = self._woo_refund(order, reason="audit benchmark")
        if kind:
            self.planted[("woocommerce", str(order.id), str(refund.id))] = kind
        if kind != "missing_refund":
            self.ns_refund("woocommerce", str(order.id), bill, str(refund.id),
                           [("AU-MUG", 1, SKUS["AU-MUG"], Decimal("1.16"))], (Decimal("5.00"), Decimal("0.40")), kind)

    def woocommerce_netsuite_refund(self, order, bill, kind: str | None = None) -> str:
        """A refund made in NetSuite and pushed to WooCommerce (``direction = "from_netsuite"``), its marker in the
        WooCommerce refund's reason. ``kind``: ``missing_refund`` (never pushed), ``wrong_amount`` (a cent more) or
        ``wrong_currency`` (the NetSuite refund made in another currency than the order's, pushed with its numbers)."""
        record = self.ns_refund("woocommerce", str(order.id), bill, f"ns-{order.id}",
                                [("AU-MUG", 1, SKUS["AU-MUG"], Decimal("1.16"))], (Decimal("5.00"), Decimal("0.40")),
                                kind if kind == "wrong_currency" else None)
        if kind:
            self.planted[("woocommerce", str(order.id), record)] = kind
        if kind != "missing_refund":
            self._woo_refund(order, reason=f"[syncproof:netsuite-refund:{record}]",
                             extra=Decimal("0.01") if kind == "wrong_amount" else Decimal(0))
        return record

    # Amazon -----------------------------------------------------------------------------------
    def amazon_order(self, n: int):
        lines = [("AU-CAP", 2, SKUS["AU-CAP"], Decimal("1.56")), ("AU-TEE", 1, SKUS["AU-TEE"], Decimal("1.76"))]
        order = self.amz.create_order(
            [{"sku": s, "quantity": q, "item_price": p * q, "item_tax": t} for s, q, p, t in lines], post_shipment=False
        )
        bill = self.ns_order("amazon", order["AmazonOrderId"], lines, None)
        return order["AmazonOrderId"], bill

    def amazon_refund(self, order_id: str, bill: str, n: int, kind: str | None):
        refund_id = f"9{n:013d}"
        self.amz.create_refund(order_id, [{"sku": "AU-CAP", "quantity": 1}], refund_id=refund_id)
        if kind:
            self.planted[("amazon", order_id, refund_id)] = kind
        if kind != "missing_refund":
            self.ns_refund(
                "amazon", order_id, bill, refund_id, [("AU-CAP", 1, SKUS["AU-CAP"], Decimal("0.78"))], None, kind
            )


    # eBay ------------------------------------------------------------------------------------
    def ebay_order(self, n: int, currency: str = "USD"):
        lines = [("AU-CAP", 2, SKUS["AU-CAP"], Decimal("1.56")), ("AU-TEE", 1, SKUS["AU-TEE"], Decimal("1.76"))]
        order = self.ebay.create_order([{"sku": s, "quantity": q, "unit_price": p, "tax": t} for s, q, p, t in lines],
                                       buyer={"username": f"audit_buyer_{n}"}, currency=currency)
        return order, self.ns_order("ebay", order["orderId"], lines, None)

    def ebay_refund(self, order, bill: str, kind: str | None = None) -> str:
        """1 of AU-CAP refunded at the buyer's request (``kind="unposted"``: never posted to NetSuite)."""
        cap = next(item for item in order["lineItems"] if item["sku"] == "AU-CAP")
        self.ebay.request_return(order["orderId"], {cap["lineItemId"]: 1})
        paid = SKUS["AU-CAP"] + Decimal("0.78")
        money = {"value": str(paid), "currency": cap["total"]["currency"]}
        answer = self.ebay.issue_refund(order["orderId"], {"reasonForRefund": "BUYER_RETURN", "refundItems": [
            {"lineItemId": cap["lineItemId"], "refundAmount": money}]})
        refund_id = answer["refundId"]
        if kind:
            self.planted[("ebay", order["orderId"], refund_id)] = kind
        if kind != "unposted":
            self.ns_refund("ebay", order["orderId"], bill, refund_id, [("AU-CAP", 1, SKUS["AU-CAP"], Decimal("0.78"))],
                           None, None)
        return refund_id

    def ebay_payout(self, adjust: str | None = None, status: str = "SUCCEEDED") -> dict:
        return self.ebay.create_payout(adjust, status)


def seed_ebay(seeder: Seeder, orders: int, *, refunds: int | None = None, payout: bool = True) -> None:
    """``orders`` eBay orders, the first ``refunds`` (default: half) refunded and posted, then paid out."""
    for n in range(orders):
        order, bill = seeder.ebay_order(n)
        if n < (orders // 2 if refunds is None else refunds):
            seeder.ebay_refund(order, bill)
    if payout and orders:
        seeder.ebay_payout()


def seed(box, orders: int, refunds: int, *, plant_each: int = 2, progress=print, woocommerce: int = 0) -> Seeder:
    """``orders`` orders and ``refunds`` refunds, half each channel; ``plant_each`` of each kind per channel;
    ``woocommerce`` WooCommerce orders besides, each refunded in WooCommerce and posted to NetSuite."""
    seeder = Seeder(box)
    for n in range(woocommerce):
        woo_order, woo_bill = seeder.woocommerce_order(n)
        seeder.woocommerce_refund(woo_order, woo_bill, None)
    plan = {}
    for channel in ("shopify", "amazon"):
        for k, kind in enumerate(KINDS):
            for j in range(plant_each):
                plan[(channel, 7 + 11 * (k * plant_each + j))] = kind
    half_orders, half_refunds = orders // 2, refunds // 2
    for n in range(half_orders):
        order, bill = seeder.shopify_order(n)
        if n < half_refunds:
            seeder.shopify_refund(order, bill, plan.get(("shopify", n)))
        amazon_id, amazon_bill = seeder.amazon_order(n)
        if n < refunds - half_refunds:
            seeder.amazon_refund(amazon_id, amazon_bill, n, plan.get(("amazon", n)))
        if progress and (n + 1) % 2000 == 0:
            progress(f"  seeded {2 * (n + 1):,} orders")
    return seeder


def score(seeder: Seeder, results) -> tuple[int, int, list]:
    """(planted found, planted, false positives)."""
    rows = [(m.channel, m.order, m.refund, m.check_id, m.what) for res in results for m in res.mismatches]
    expect = {"wrong_amount": "RS-MN-3", "wrong_type": "RS-MN-2", "missing_link": "RS-MN-1",
              "missing_refund": "RS-MN-1", "duplicate": "RS-MN-1", "wrong_currency": "RS-MN-3"}
    found = sum(1 for key, kind in seeder.planted.items()
                if any(r[:3] == key and r[3] == expect[kind] for r in rows))
    false = [r for r in rows if r[:3] not in seeder.planted]
    return found, len(seeder.planted), false


class _ThrottleWaits:
    """The Shopify client's waits for its cost budget, counted while they happen."""

    def __init__(self, client) -> None:
        self.client, self.real = client, client.sleep
        self.waits: list[float] = []
        client.sleep = self._sleep

    def _sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.real(seconds)

    def stop(self) -> None:
        self.client.sleep = self.real

    @property
    def seconds(self) -> float:
        return sum(self.waits)


def _audit(clients, runtime, window, quiet: bool) -> list:
    progress = Progress(enabled=not quiet)
    view = NetSuiteView(clients, runtime.config, window, progress=progress, skus=SKUS)  # one read for both channels
    return [audit_refunds_to_netsuite(clients, runtime.config, window, channel, progress=progress, view=view)
            for channel in ("shopify", "amazon")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--refunds", type=int, default=5_000)
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.add_argument("--no-memory", action="store_true", help="skip the traced pass that measures peak memory")
    parser.add_argument("--paged", action="store_true", help="read Shopify page by page, never with bulk queries")
    parser.add_argument("--no-freeze", action="store_true", help="leave the seeded state to the cyclic collector")
    args = parser.parse_args()
    runtime = open_runtime(parse_config({"shopify": {"audit_bulk_from": 0}} if args.paged else {}))
    box = runtime.sandbox
    # a Shopify Plus store's GraphQL budget (10,000 points, refilled 1,000 a second); standard stores refill 100
    box.servers["shopify"]._server.config.app.state.bucket.configure(10_000, 1_000)
    started = time.perf_counter()
    seeder = seed(box, args.orders, args.refunds, progress=None if args.quiet else print)
    print(f"seeded {args.orders:,} orders and {args.refunds:,} refunds in {time.perf_counter() - started:.1f} s; "
          f"planted {len(seeder.planted)} mismatches")
    if not args.no_freeze:
        gc.collect()
        gc.freeze()
    now = dt.datetime.now(dt.timezone.utc)
    window = AuditWindow(now - dt.timedelta(days=1), now + dt.timedelta(seconds=1))
    clients = ReadOnlyClients.of(runtime)
    throttled = _ThrottleWaits(clients.client("shopify"))  # the audit's own (read-only) copy of the client
    load = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), time.process_time()
    results = _audit(clients, runtime, window, args.quiet)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    throttled.stop()
    requests = clients.requests()
    peak = None
    if not args.no_memory:  # a second pass, traced: tracemalloc slows Python down several times
        tracemalloc.start()
        try:  # the emulators run in this process, traced too: on a loaded machine they may time out
            _audit(ReadOnlyClients.of(runtime), runtime, window, quiet=True)
            _, peak = tracemalloc.get_traced_memory()
        except ConnectorError as exc:
            print(f"  the traced pass did not finish ({exc.message}); run it on a quieter machine")
        tracemalloc.stop()
    found, planted, false = score(seeder, results)
    n = args.refunds
    goal = math.ceil(n / 1000) + 10
    print(f"audit of {n:,} refunds over {args.orders:,} orders: {wall:.1f} s wall, {cpu:.1f} s CPU "
          f"(this process, emulators included; load average {load:.2f} on {os.cpu_count()} cores)")
    polled = getattr(clients.client("shopify"), "bulk_waited", 0.0)
    print(f"  of the wall time, {throttled.seconds - polled:.1f} s waiting on Shopify's cost throttle "
          f"(the budget Shopify gives every app on the store) and {polled:.1f} s between status reads of "
          f"bulk query operations ({len(throttled.waits)} waits in all)")
    for system, count in requests.items():
        print(f"  {system:9} {count:6,} requests, {count / n * 1000:7.1f} per 1,000 refunds")
    print(f"  NetSuite goal: <= ceil({n}/1000) + 10 = {goal}: {'met' if requests['netsuite'] <= goal else 'NOT met'}")
    print(f"  writes sent: {clients.writes()}")
    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    traced = f"{peak / 1e6:.1f} MB traced (tracemalloc, separate pass)" if peak is not None else "not traced"
    print(f"  peak memory: {traced}, {max_rss_mb:.0f} MB max RSS of the process (emulators included)")
    print(f"  planted mismatches found: {found} of {planted}; false positives: {len(false)}")
    for row in false[:5]:
        print(f"    false positive: {row}")
    runtime.close()
    return 0 if found == planted and not false and requests["netsuite"] <= goal else 1


if __name__ == "__main__":
    raise SystemExit(main())
