"""Benchmark: the NetSuite emulator's SuiteQL with 20,000 transactions, and the audit past SuiteQL's cap.

    python benchmarks/suiteql_volume.py --transactions 20000
    python benchmarks/suiteql_volume.py --transactions 0 --audit-refunds 101000

Seeds ``--transactions`` cash sales (one line each) straight into the emulator's state,
then over loopback HTTP runs a joined, grouped lookup of the last one and reads the
page at offset ``transactions - 1000``. Prints the seeding and query times against their
goals (seeding under 60 s, both queries under 2 s).

With ``--audit-refunds N`` it also seeds N cash refunds dated on one day and reads them the
way the audit does (:func:`connectors.netsuite.reads.refund_records`). A SuiteQL query returns
at most 100,000 results, and one day cannot be split by date, so past 100,000 the audit reads
on by id; it prints the rows read (must be N, none twice), the SuiteQL requests and the time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import datetime as dt  # noqa: E402

from connectors.netsuite import NetSuiteClient, NetSuiteCredentials, reads  # noqa: E402
from sandbox import start_sandbox  # noqa: E402

SEED_GOAL, QUERY_GOAL = 60.0, 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=20_000)
    parser.add_argument("--audit-refunds", type=int, default=0,
                        help="also seed this many refunds on one day and read them as the audit does")
    args = parser.parse_args()
    n = args.transactions
    if n <= 0:
        audit_past_cap(args.audit_refunds)
        return
    box = start_sandbox()
    try:
        backend = box.netsuite
        customer = backend.create("customer", {"companyName": "Volume"})
        item = backend.create("inventoryItem", {"itemId": "VOL-1"})
        started = time.perf_counter()
        for k in range(n):
            backend.create("cashSale", {"entity": {"id": customer}, "otherRefNum": f"114-{k:07d}",
                                        "item": {"items": [{"item": {"id": item}, "rate": "1.25"}]}})
        seeded = time.perf_counter() - started
        demo = box.netsuite_credentials
        credentials = NetSuiteCredentials(demo.account_id, demo.consumer_key, demo.consumer_secret,
                                          demo.token_id, demo.token_secret)
        with NetSuiteClient.for_account(credentials, base_url=box.netsuite_url) as client:
            started = time.perf_counter()
            lookup = client.suiteql_page(
                "SELECT t.id, t.tranid, SUM(tl.foreignamount) AS amount FROM transaction t "
                "JOIN transactionline tl ON tl.transaction = t.id "
                f"WHERE t.otherrefnum = '114-{n - 1:07d}' AND tl.mainline = 'F' GROUP BY t.id, t.tranid")
            page = client.suiteql_page("SELECT id FROM transaction WHERE type = 'CashSale' ORDER BY id",
                                       limit=1000, offset=max(0, n - 1000))
            queried = time.perf_counter() - started
    finally:
        box.stop()
    assert str(lookup["items"][0]["amount"]) == "-1.25" and page["totalResults"] == n, (lookup, page["totalResults"])
    print(f"seeded {n:,} cash sales in {seeded:.1f} s (goal < {SEED_GOAL:.0f} s: "
          f"{'met' if seeded < SEED_GOAL else 'NOT met'})")
    print(f"lookup + page at offset {max(0, n - 1000):,}: {queried:.2f} s (goal < {QUERY_GOAL:.0f} s: "
          f"{'met' if queried < QUERY_GOAL else 'NOT met'})")


    if args.audit_refunds:
        audit_past_cap(args.audit_refunds)


def audit_past_cap(count: int) -> None:
    """Seed ``count`` cash refunds on one day; read them as the audit does; check none is missed or doubled."""
    box = start_sandbox(emulators=["netsuite"])
    try:
        backend = box.netsuite
        customer = backend.create("customer", {"companyName": "Volume"})
        item = backend.create("inventoryItem", {"itemId": "VOL-R"})
        started = time.perf_counter()
        for _ in range(count):
            backend.create("cashRefund", {"entity": {"id": customer}, "tranDate": "2026-10-05",
                                          "item": {"items": [{"item": {"id": item}, "rate": "1.25"}]}})
        seeded = time.perf_counter() - started
        demo = box.netsuite_credentials
        credentials = NetSuiteCredentials(demo.account_id, demo.consumer_key, demo.consumer_secret,
                                          demo.token_id, demo.token_secret)
        # the emulator runs the grouped refund query over every row once (its first page); allow for it
        with NetSuiteClient.for_account(credentials, base_url=box.netsuite_url, timeout=900) as client:
            started = time.perf_counter()
            found = reads.refund_records(client, order_id_field="otherRefNum", specials=reads.Specials(),
                                         start=dt.date(2026, 10, 5), end=dt.date(2026, 10, 6))
            read = time.perf_counter() - started
            requests = client.stats.requests
    finally:
        box.stop()
    distinct = len({r.id for r in found})
    ok = len(found) == distinct == count
    print(f"seeded {count:,} refunds on one day in {seeded:.1f} s")
    print(f"audit read {len(found):,} refund rows ({distinct:,} distinct; SuiteQL returns at most 100,000 a query) "
          f"in {read:.1f} s with {requests:,} SuiteQL requests: {'all read once' if ok else 'ROWS MISSED OR DOUBLED'}")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
