"""Benchmark: sync and verify N cart refunds against the emulators.

    python benchmarks/refund_sync.py --refunds 1000

Creates N Shopify orders (two lines and shipping each), syncs them to NetSuite, refunds
one line of each in Shopify, then times the refund sync and the verification (amounts, the
lines' items, link to the order) and prints the HTTP requests made to NetSuite per synced and per
verified refund, against the goals (sync at most 3, verification at most 2).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from syncproof import checks  # noqa: E402
from syncproof.channels import channel_for  # noqa: E402
from syncproof.config import parse_config  # noqa: E402
from syncproof.engine import SyncEngine  # noqa: E402
from syncproof.engine.refunds import netsuite_refund_as_domain  # noqa: E402
from syncproof.model import Money, OrderLine, Shipping, TransactionType  # noqa: E402
from syncproof.runtime import open_runtime  # noqa: E402

#: NetSuite requests per refund: syncing one, and verifying one (amounts, items and createdFrom link)
SYNC_GOAL, VERIFY_GOAL = 3, 2


def usd(value: str) -> Money:
    return Money(value, "USD")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refunds", type=int, default=1000)
    args = parser.parse_args()
    runtime = open_runtime(parse_config({}))
    runtime.sandbox.netsuite.verify_signatures = True
    engine = SyncEngine.build(runtime.netsuite, runtime.store, runtime.config)
    for sku in ("BM-MUG", "BM-TEE"):
        engine.books.ensure_item(sku, sku)
    for name in ("Shipping", "Refund Adjustment", "Refund Fee"):
        engine.books.ensure_item(name, name, charge=True)
    shop = channel_for(runtime, "shopify")
    ns = runtime.netsuite

    started = time.perf_counter()
    orders = []
    for n in range(args.refunds):
        order = shop.place_order(
            [OrderLine("1", "BM-MUG", 2, usd("14.50"), usd("2.32"), usd("0"), "mug"),
             OrderLine("2", "BM-TEE", 1, usd("22.00"), usd("1.76"), usd("0"), "tee")],
            shipping=Shipping(usd("5.00"), usd("0.40")), customer=(f"Buyer {n}", f"b{n}@example.com"), note="bm")
        assert engine.orders.sync(order).synced
        orders.append(order)
        if (n + 1) % 200 == 0:
            print(f"  {n + 1} orders placed and synced", file=sys.stderr)
    setup = time.perf_counter() - started
    refunds = [shop.refund(order, {"BM-MUG": 1}, shipping=False, note="bm") for order in orders]

    before = ns.stats.requests
    started = time.perf_counter()
    results = [engine.refunds.to_netsuite(refund) for refund in refunds]
    sync_time = time.perf_counter() - started
    sync_requests = ns.stats.requests - before
    assert all(r.status == "created" for r in results), [r.reason for r in results if r.status != "created"][:3]

    before = ns.stats.requests
    started = time.perf_counter()
    failures = 0
    for order, refund, result in zip(orders, refunds, results, strict=True):
        record = result.record
        assert record is not None and record.netsuite_type and record.netsuite_id, result
        view = netsuite_refund_as_domain(engine.books, TransactionType(record.netsuite_type),
                                         record.netsuite_id, order.channel, order.channel_order_id, "USD",
                                         runtime.config.shopify.refunds)
        amounts = checks.refund_amounts_match(refund, view, check_id="RS-MN-3", expected_side="shopify",
                                              actual_side="NetSuite")
        charges = checks.charges_on_adjustment_items(refund, engine.books.posted_lines(view),
                                                     runtime.config.shopify.refunds, shipping_item="Shipping")
        link = checks.refund_linked_to_order(engine.books.created_from_chain(record.netsuite_id),
                                             order.channel_order_id)
        failures += (not amounts.passed) + (not charges.passed) + (not link.passed)
    verify_time = time.perf_counter() - started
    verify_requests = ns.stats.requests - before
    runtime.close()

    n = args.refunds
    per_sync, per_verify = sync_requests / n, verify_requests / n
    print(f"refunds synced and verified: {n} (setup of {n} orders took {setup:.1f} s)")
    print(f"refund sync:   {sync_time:.2f} s wall, {sync_requests} NetSuite requests, "
          f"{per_sync:.2f} per synced refund (goal <= {SYNC_GOAL})")
    print(f"verification:  {verify_time:.2f} s wall, {verify_requests} NetSuite requests, "
          f"{per_verify:.2f} per verified refund (goal <= {VERIFY_GOAL})")
    print(f"total:         {sync_time + verify_time:.2f} s wall, {(sync_requests + verify_requests) / n:.2f} "
          f"NetSuite requests per refund; failed checks: {failures}")
    met = per_sync <= SYNC_GOAL and per_verify <= VERIFY_GOAL
    print("goals: " + ("met" if met else "NOT met"))
    return 0 if failures == 0 and met else 1


if __name__ == "__main__":
    raise SystemExit(main())
