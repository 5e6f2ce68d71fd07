"""Soak: orders and refunds from Shopify, WooCommerce, Amazon and eBay synced to NetSuite through faults and kills.

    python benchmarks/soak.py                       # 500 orders, 300 refunds, 10 % faults, 3 kills
    python benchmarks/soak.py --orders 40 --refunds 24 --restarts 1

The emulators run in this process (one sandbox for the whole soak, so NetSuite's state
survives the kills); the engine runs in a worker subprocess with a file-backed store.
Setup places the orders and refunds with no faults; then every emulator is put behind
a fault plan faulting ``--rate`` of the requests, spread over every fault kind, and the
worker syncs every channel order and refund. It is killed with SIGKILL at random points
``--restarts`` times and started again; the last run finishes the work.

Afterwards, with the faults off, the soak verifies: every channel order and refund
exists exactly once in NetSuite (SuiteQL by external id), NetSuite's refund totals equal
the channel's per order to the cent, the engine store agrees with both, and the refund
checks of :mod:`syncproof.checks` pass for every refund. It prints the requests made,
the faults injected per kind, the retries, the restarts, and the records lost and
duplicated (both must be 0; the exit status is 1 otherwise).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from connectors import RetryPolicy  # noqa: E402
from connectors.amazon import AmazonClient, LwaCredentials  # noqa: E402
from connectors.ebay import EbayClient, EbayCredentials  # noqa: E402
from connectors.netsuite import NetSuiteClient, NetSuiteCredentials  # noqa: E402
from connectors.shopify import ShopifyClient  # noqa: E402
from connectors.woocommerce import WooCommerceClient  # noqa: E402
from syncproof.config import parse_config  # noqa: E402
from syncproof.model import Money, OrderLine, Shipping  # noqa: E402

SKUS = ("SOAK-MUG", "SOAK-TEE", "Shipping", "Refund Adjustment", "Refund Fee")
#: the worker's clients: quick retries, and a read timeout under the injected hold
WORKER_RETRY = RetryPolicy(max_attempts=6, base_delay=0.01, max_delay=0.2)
WORKER_TIMEOUT = httpx.Timeout(10.0, read=0.5)
HOLD, DELAY = 0.8, 0.05
MAX_PASSES = 8


def usd(value: str) -> Money:
    return Money(value, "USD")


# --- clients ---------------------------------------------------------------------------------
def clients(spec: dict[str, Any], **options: Any) -> tuple[NetSuiteClient, ShopifyClient, AmazonClient,
                                                           WooCommerceClient, EbayClient]:
    ns = spec["netsuite"]
    netsuite = NetSuiteClient.for_account(
        NetSuiteCredentials(ns["account_id"], ns["consumer_key"], ns["consumer_secret"], ns["token_id"],
                            ns["token_secret"]), base_url=ns["url"], **options)
    shopify = ShopifyClient(spec["shopify"]["url"], spec["shopify"]["token"], **options)
    az = spec["amazon"]
    amazon = AmazonClient(LwaCredentials(az["client_id"], az["client_secret"], az["refresh_token"]),
                          base_url=az["url"], lwa_token_url=az["lwa_url"], **options)
    woo = spec["woocommerce"]
    woocommerce = WooCommerceClient(woo["url"], woo["consumer_key"], woo["consumer_secret"], **options)
    eb = spec["ebay"]
    ebay = EbayClient(EbayCredentials(eb["client_id"], eb["client_secret"], eb["refresh_token"]), base_url=eb["url"],
                      **options)
    return netsuite, shopify, amazon, woocommerce, ebay


def sandbox_spec(box) -> dict[str, Any]:
    ns, az = box.netsuite_credentials, box.amazon_credentials
    return {
        "netsuite": {"url": box.netsuite_url, "account_id": ns.account_id, "consumer_key": ns.consumer_key,
                     "consumer_secret": ns.consumer_secret, "token_id": ns.token_id, "token_secret": ns.token_secret},
        "shopify": {"url": box.shopify_url, "token": box.shopify_token},
        "woocommerce": {"url": box.emulator("woocommerce").url, **box.emulator("woocommerce").connection},
        "ebay": {"url": box.emulator("ebay").url, **box.emulator("ebay").connection},
        "amazon": {"url": box.amazon_url, "lwa_url": box.amazon_lwa_url, "client_id": az.client_id,
                   "client_secret": az.client_secret, "refresh_token": az.refresh_token},
    }


def channel_orders_and_refunds(shopify: ShopifyClient, amazon: AmazonClient, woo: WooCommerceClient,
                               ebay: EbayClient, since: datetime):
    """Every order and refund of the four channels since ``since``, read through their APIs."""
    orders = (list(shopify.orders_updated_since(since)) + list(woo.orders_modified_since(since))
              + list(amazon.get_orders(created_after=since)))
    refunds = []
    for order in orders:
        if order.channel.value == "shopify":
            refunds += shopify.get_refunds(order.channel_ref or order.channel_order_id)
        elif order.channel.value == "woocommerce":
            refunds += woo.get_refunds(order.channel_order_id)
    refunds += list(amazon.refunds_between(since))
    for order, listed in ebay.orders_with_refunds(created_from=since):
        orders.append(order)
        refunds += listed
    return orders, refunds


# --- worker (the process that gets killed) -----------------------------------------------------
def worker(spec_path: str, store_path: str, stats_path: str) -> int:
    from syncproof.engine import SyncEngine
    from syncproof.engine.store import EngineStore

    spec = json.loads(Path(spec_path).read_text())
    since = datetime.fromisoformat(spec["since"])
    netsuite, shopify, amazon, woo, ebay = clients(spec, retry=WORKER_RETRY, timeout=WORKER_TIMEOUT)
    engine = SyncEngine.build(netsuite, EngineStore(store_path), parse_config({}))
    stats = open(stats_path, "a", buffering=1)
    counts: Counter[str] = Counter()

    def report(event: str) -> None:
        counts[event] += 1
        stats.write(json.dumps({
            "requests": {"netsuite": netsuite.stats.requests, "shopify": shopify.stats.requests,
                         "woocommerce": woo.stats.requests, "amazon": amazon.stats.requests,
                         "ebay": ebay.stats.requests},
            "client_retries": netsuite.stats.retries + shopify.stats.retries + woo.stats.retries
            + amazon.stats.retries + ebay.stats.retries,
            "engine_retries": engine.books.retries, "events": dict(counts)}) + "\n")
        print(event, flush=True)

    # settle what a killed run left behind, before anything else
    report(f"resolved orders={len(engine.orders.resolve_pending())} refunds={len(engine.refunds.resolve_pending())}")
    for _ in range(MAX_PASSES):
        try:
            orders, refunds = channel_orders_and_refunds(shopify, amazon, woo, ebay, since)
        except Exception as exc:  # listing gave up after the clients' retries: try the pass again
            report(f"listing failed: {type(exc).__name__}")
            continue
        unfinished = 0
        for order in orders:
            synced = engine.orders.sync(order)
            unfinished += not synced.synced
            if synced.created or not synced.synced:
                report("order" if synced.synced else "order-retry")
        for refund in refunds:
            pushed = engine.refunds.to_netsuite(refund)
            unfinished += pushed.status == "exception"
            if pushed.status != "unchanged":
                report("refund" if pushed.status == "created" else "refund-retry")
        if not unfinished:
            report("DONE")
            return 0
    report("UNFINISHED")
    return 2


# --- the soak ----------------------------------------------------------------------------------
@dataclass
class SoakResult:
    orders: int
    refunds: int
    restarts: int = 0
    runs: int = 0
    requests: dict[str, int] = field(default_factory=dict)
    faults: dict[str, int] = field(default_factory=dict)
    client_retries: int = 0
    engine_retries: int = 0
    sync_errors: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    failed_checks: list[str] = field(default_factory=list)
    checks_run: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    kill_points: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.mismatches or self.failed_checks)

    def lines(self) -> list[str]:
        faults = ", ".join(f"{k} {v}" for k, v in self.faults.items())
        return [
            f"orders: {self.orders}, refunds: {self.refunds} (shopify, woocommerce, amazon and ebay)",
            f"requests made: {sum(self.requests.values())} "
            f"({', '.join(f'{k} {v}' for k, v in self.requests.items())})",
            f"faults injected: {sum(self.faults.values())} ({faults})",
            f"retries: {self.client_retries + self.engine_retries} "
            f"({self.client_retries} by the connectors, {self.engine_retries} by the engine after a look-up); "
            f"sync errors recorded: {self.sync_errors}",
            f"restarts: {self.restarts} (kill -9, after {', '.join(map(str, self.kill_points)) or 'no'} of "
            f"{self.orders + self.refunds} items), worker runs: {self.runs}",
            f"checks run: {self.checks_run}, failed: {len(self.failed_checks)}; "
            f"store/NetSuite/channel mismatches: {len(self.mismatches)}",
            f"records lost: {len(self.lost)}",
            f"records duplicated: {len(self.duplicated)}",
            "time: " + ", ".join(f"{k} {v:.1f} s" for k, v in self.seconds.items()),
        ]


def setup(box, netsuite: NetSuiteClient, shopify: ShopifyClient, woo: WooCommerceClient, n_orders: int,
          n_refunds: int, rng: random.Random) -> None:
    from connectors.netsuite import NetSuiteRecords

    books = NetSuiteRecords(netsuite)
    for sku in SKUS:
        books.ensure_item(sku, sku)
    n_shop = n_woo = n_ebay = n_orders // 4
    n_amazon = n_orders - n_shop - n_woo - n_ebay
    shop_refunds = woo_refunds = ebay_refunds = n_refunds // 4
    amazon_refunds = n_refunds - shop_refunds - woo_refunds - ebay_refunds
    lines = [OrderLine("1", "SOAK-MUG", 2, usd("14.50"), usd("2.32"), usd("0"), "mug"),
             OrderLine("2", "SOAK-TEE", 1, usd("22.00"), usd("1.76"), usd("0"), "tee")]
    shop_orders = [shopify.create_order(lines, shipping=Shipping(usd("5.00"), usd("0.40")),
                                        email=f"soak{n}@example.com", note="soak") for n in range(n_shop)]
    woo_orders = [woo.create_order(lines, shipping=Shipping(usd("5.00"), usd("0.40")),
                                   customer=(f"Soak Buyer {n}", f"soak-wc{n}@example.com"), note="soak")
                  for n in range(n_woo)]
    amazon_ids = [box.amazon.create_order(
        [{"sku": "SOAK-MUG", "quantity": 2, "item_price": "29.00", "item_tax": "2.32", "shipping_price": "5.00",
          "shipping_tax": "0.40"}, {"sku": "SOAK-TEE", "quantity": 1, "item_price": "22.00", "item_tax": "1.76"}],
        buyer_email=f"soak-az{n}@example.com", buyer_name=f"Soak Buyer {n}")["AmazonOrderId"]
        for n in range(n_amazon)]
    ebay_orders = [box.ebay.create_order(
        [{"sku": "SOAK-MUG", "quantity": 2, "unit_price": "14.50", "tax": "2.32"},
         {"sku": "SOAK-TEE", "quantity": 1, "unit_price": "22.00", "tax": "1.76"}], shipping="5.00",
        shipping_tax="0.40", buyer={"username": f"soak_eb{n}", "full_name": f"Soak Buyer {n}",
                                    "email": f"soak-eb{n}@example.com"}) for n in range(n_ebay)]

    def plan(count: int, n_orders: int) -> list[tuple[int, str, int]]:
        """(order index, sku, quantity): one mug on each order, then a second refund (the tee) on some."""
        firsts = min(count, n_orders)
        chosen = rng.sample(range(n_orders), firsts)
        todo = [(i, "SOAK-MUG", 1) for i in chosen]
        todo += [(i, "SOAK-TEE", 1) for i in chosen[:count - firsts]]
        return todo

    for index, sku, qty in plan(shop_refunds, n_shop):
        order = shop_orders[index]
        shopify.create_refund(order.channel_ref or order.channel_order_id, {order.line_for_sku(sku).line_id: qty},
                              note="soak", notify=False,
                              shipping=(sku == "SOAK-TEE"))
    for index, sku, qty in plan(woo_refunds, n_woo):
        order = woo_orders[index]
        woo.create_refund(order.channel_order_id, {order.line_for_sku(sku).line_id: qty}, note="soak",
                          shipping=(sku == "SOAK-TEE"))
    for index, sku, qty in plan(amazon_refunds, n_amazon):
        box.amazon.create_refund(amazon_ids[index], [{"sku": sku, "quantity": qty}],
                                 **({"shipping": "5.00", "shipping_tax": "0.40"} if sku == "SOAK-TEE" else {}))
    for index, sku, qty in plan(ebay_refunds, n_ebay):  # the buyer asks, then the seller refunds the units
        order = ebay_orders[index]
        item = next(line for line in order["lineItems"] if line["sku"] == sku)
        box.ebay.request_return(order["orderId"], {item["lineItemId"]: qty})
        unit = (Decimal(item["lineItemCost"]["value"]) + Decimal(item["taxes"][0]["amount"]["value"])) \
            / item["quantity"]
        box.ebay.issue_refund(order["orderId"], {"reasonForRefund": "BUYER_RETURN", "refundItems": [
            {"lineItemId": item["lineItemId"], "refundAmount": {"value": str(unit * qty), "currency": "USD"}}]})


def run_workers(spec_path: Path, store_path: Path, workdir: Path, restarts: int, total_work: int,
                rng: random.Random, result: SoakResult, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    # kill points spread over the whole job (orders, then refunds), counted in items synced across runs
    kill_points = sorted(rng.sample(range(1, max(total_work, restarts + 1)), restarts))
    progress = 0  # items synced (or recorded as errors) by every run so far
    run = 0
    while True:
        run += 1
        stats_path = workdir / f"stats-{run}.jsonl"
        kill_after = max(1, kill_points[result.restarts] - progress) if result.restarts < restarts else None
        proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--worker", str(spec_path),
                                 str(store_path), str(stats_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, cwd=str(ROOT))
        killed = threading.Event()
        last: list[str] = []
        counted: list[int] = [0]  # items this run reported, written by the reader thread

        def watch(proc: subprocess.Popen[str], kill_after: int | None, killed: threading.Event,
                  last: list[str], counted: list[int]) -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                last[:] = [line.strip()]
                if line.startswith(("order", "refund")):
                    counted[0] += 1
                if kill_after is not None and counted[0] >= kill_after and not killed.is_set():
                    time.sleep(rng.random() * 0.05)  # land inside the next item's requests
                    killed.set()
                    os.kill(proc.pid, signal.SIGKILL)

        reader = threading.Thread(target=watch, args=(proc, kill_after, killed, last, counted), daemon=True)
        reader.start()
        try:
            proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            raise SystemExit("soak: the worker did not finish in time") from None
        reader.join(timeout=5)
        done = counted[0]
        stderr = proc.stderr.read() if proc.stderr else ""
        result.runs = run
        progress += done
        if killed.is_set():
            result.kill_points.append(progress)
        _add_stats(stats_path, result)
        if killed.is_set() and proc.returncode == -signal.SIGKILL:
            result.restarts += 1
            continue
        if proc.returncode == 0:
            return
        raise SystemExit(f"soak: worker run {run} ended with status {proc.returncode} ({last}):\n{stderr[-3000:]}")


def _add_stats(path: Path, result: SoakResult) -> None:
    if not path.exists():
        return
    lines = [line for line in path.read_text().splitlines() if line.strip()]
    for line in reversed(lines):  # the last complete line (a kill may cut the final one)
        try:
            data = json.loads(line)
        except ValueError:
            continue
        result.client_retries += data["client_retries"]
        result.engine_retries += data["engine_retries"]
        return


def verify(box, netsuite: NetSuiteClient, shopify: ShopifyClient, amazon: AmazonClient, woo: WooCommerceClient,
           ebay: EbayClient, store_path: Path, since: datetime, result: SoakResult) -> None:
    from connectors.netsuite import NetSuiteRecords, external_ids
    from syncproof import checks
    from syncproof.engine.refunds import netsuite_refund_as_domain
    from syncproof.engine.store import EngineStore
    from syncproof.model import TransactionType

    config = parse_config({})
    books = NetSuiteRecords(netsuite)
    store = EngineStore(store_path)
    orders, refunds = channel_orders_and_refunds(shopify, amazon, woo, ebay, since)
    if len(orders) != result.orders or len(refunds) != result.refunds:
        result.mismatches.append(f"the channels list {len(orders)} orders and {len(refunds)} refunds, "
                                 f"expected {result.orders} and {result.refunds}")

    def by_eid(*types: TransactionType) -> dict[str, list[dict]]:
        grouped: dict[str, list[dict]] = defaultdict(list)
        for row in books.transactions_of_types(types):
            grouped[str(row.get("externalid") or f"(none) {row['id']}")].append(row)
        return grouped

    kinds = TransactionType
    ns_refunds = by_eid(kinds.CASH_REFUND, kinds.CREDIT_MEMO, kinds.RETURN_AUTHORIZATION, kinds.CUSTOMER_REFUND)
    ns_orders = by_eid(kinds.SALES_ORDER)
    ns_bills = by_eid(kinds.CASH_SALE, kinds.INVOICE)

    def exactly_once(grouped: dict[str, list[dict]], wanted: dict[str, str], what: str) -> None:
        for eid, label in wanted.items():
            count = len(grouped.get(eid, []))
            if count == 0:
                result.lost.append(f"{what} {label}: no NetSuite record with external id {eid}")
            elif count > 1:
                result.duplicated.append(f"{what} {label}: {count} NetSuite records with external id {eid}")
        for eid, rows in grouped.items():
            if eid not in wanted:
                result.duplicated.append(f"{what}: NetSuite {rows[0]['type']} {eid} matches no channel record")
        verdict = checks.no_duplicates([r for rows in grouped.values() for r in rows], key="externalid",
                                       where=f"NetSuite {what}s", check_id="KC-1")
        result.checks_run += 1
        if not verdict.passed:
            result.failed_checks.append(verdict.message)

    exactly_once(ns_orders, {external_ids.sales_order(o.channel.value, o.channel_order_id): o.channel_order_id
                             for o in orders}, "sales order")
    exactly_once(ns_bills, {external_ids.billing(o.channel.value, o.channel_order_id): o.channel_order_id
                            for o in orders}, "billing record")
    exactly_once(ns_refunds, {external_ids.refund(r.channel.value, r.refund_id): r.refund_id for r in refunds},
                 "refund")

    # totals per order, to the cent; the store against both; the refund checks
    order_by_key = {(o.channel.value, o.channel_order_id): o for o in orders}
    channel_total: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    netsuite_total: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for refund in refunds:
        channel, key = refund.channel.value, (refund.channel.value, refund.channel_order_id)
        channel_total[key] += refund.total.rounded().amount
        rows = ns_refunds.get(external_ids.refund(channel, refund.refund_id), [])
        if len(rows) != 1:
            continue
        ns_id = str(rows[0]["id"])
        netsuite_total[key] += books.total_of(TransactionType.CASH_REFUND, ns_id)
        stored = store.refund(channel, refund.refund_id)
        want = ("synced", ns_id, str(refund.total.rounded().amount))
        got = (stored.status, stored.netsuite_id, stored.total) if stored else None
        if got != want:
            result.mismatches.append(f"store has refund {channel} {refund.refund_id} as {got}, NetSuite and "
                                     f"{channel} say {want}")
        view = netsuite_refund_as_domain(books, TransactionType.CASH_REFUND, ns_id, refund.channel,
                                         refund.channel_order_id, refund.currency, config.channel(channel).refunds)
        verdicts = [
            checks.refund_amounts_match(refund, view, check_id="RS-MN-3", expected_side=channel,
                                        actual_side="NetSuite"),
            checks.refund_linked_to_order(books.created_from_chain(ns_id), refund.channel_order_id),
            checks.connector_record_updated(store.order(channel, refund.channel_order_id), stored, channel=channel,
                                            channel_order_id=refund.channel_order_id, refund_id=refund.refund_id,
                                            check_id="RS-MN-1"),
        ]
        result.checks_run += len(verdicts)
        result.failed_checks += [v.message for v in verdicts if not v.passed]
    for key in sorted(set(channel_total) | set(netsuite_total)):
        if channel_total[key].quantize(Decimal("0.01")) != netsuite_total[key].quantize(Decimal("0.01")):
            result.mismatches.append(f"{key[0]} order {key[1]}: refunds total {channel_total[key]} in {key[0]}, "
                                     f"{netsuite_total[key]} in NetSuite")
    for channel, order_id in order_by_key:
        stored_order = store.order(channel, order_id)
        bills = ns_bills.get(external_ids.billing(channel, order_id), [])
        if stored_order is None or stored_order.status != "synced" \
                or [str(r["id"]) for r in bills] != [stored_order.billing_id]:
            result.mismatches.append(
                f"store has {channel} order {order_id} as "
                f"{stored_order.status if stored_order else 'absent'}, billing "
                f"{stored_order.billing_id if stored_order else None}; NetSuite has {[r['id'] for r in bills]}"
            )
    wanted = {(r.channel.value, r.refund_id) for r in refunds}
    for stored_refund in store.refunds():
        if (stored_refund.channel, stored_refund.channel_refund_id) not in wanted:
            result.duplicated.append(f"store has refund {stored_refund.channel} {stored_refund.channel_refund_id} "
                                     "that no channel has")
    result.sync_errors = len(store.errors())
    store.close()


def run_soak(orders: int = 500, refunds: int = 300, restarts: int = 3, rate: float = 0.1, seed: int = 42,
             workdir: Path | None = None, timeout: float = 1800.0, log=print) -> SoakResult:
    from sandbox import start_sandbox
    from sandbox._faults import KINDS, FaultPlan

    rng = random.Random(seed)
    result = SoakResult(orders=orders, refunds=refunds)
    workdir = Path(tempfile.mkdtemp(prefix="syncproof-soak-")) if workdir is None else Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    store_path = workdir / "engine.sqlite3"
    box = start_sandbox(faults=FaultPlan())
    try:
        spec = sandbox_spec(box)
        netsuite, shopify, amazon, woo, ebay = clients(spec)
        since = datetime.now(timezone.utc) - timedelta(days=1)
        started = time.perf_counter()
        setup(box, netsuite, shopify, woo, orders, refunds, rng)
        result.seconds["setup"] = time.perf_counter() - started
        log(f"soak: {orders} orders and {refunds} refunds placed in {result.seconds['setup']:.1f} s; "
            f"syncing with {rate:.0%} faults and {restarts} kills (seed {seed})")

        plan = FaultPlan(seed=seed, rates={kind: rate / len(KINDS) for kind in KINDS}, hold=HOLD, delay=DELAY)
        for injector in box.faults.values():
            injector.configure(plan)
        spec_path = workdir / "spec.json"
        spec_path.write_text(json.dumps({**spec, "since": since.isoformat()}))
        started = time.perf_counter()
        run_workers(spec_path, store_path, workdir, restarts, orders + refunds, rng, result, timeout=timeout)
        result.seconds["sync"] = time.perf_counter() - started
        for name, injector in box.faults.items():
            stats = injector.stats
            result.requests[name] = stats.requests
            for kind, count in stats.faults.items():
                result.faults[kind] = result.faults.get(kind, 0) + count
            injector.configure(FaultPlan())  # verification reads without faults

        started = time.perf_counter()
        verify(box, netsuite, shopify, amazon, woo, ebay, store_path, since, result)
        result.seconds["verify"] = time.perf_counter() - started
        for client in (netsuite, shopify, amazon, woo, ebay):
            client.close()
    finally:
        box.stop()
    return result


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        return worker(*argv[1:4])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--refunds", type=int, default=300)
    parser.add_argument("--restarts", type=int, default=3)
    parser.add_argument("--rate", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    result = run_soak(args.orders, args.refunds, args.restarts, args.rate, args.seed, args.workdir)
    for line in result.lines():
        print(line)
    for problem in (result.lost + result.duplicated + result.mismatches + result.failed_checks)[:20]:
        print("  -", problem)
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
