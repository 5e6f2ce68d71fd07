"""Benchmark: the NetSuite emulator's SuiteQL with 20,000 transactions.

    python benchmarks/suiteql_volume.py --transactions 20000

Seeds ``--transactions`` cash sales (one line each) straight into the emulator's state,
then over loopback HTTP runs a joined, grouped lookup of the last one and reads the
page at offset ``transactions - 1000``. Prints the seeding and query times against their
goals (seeding under 60 s, both queries under 2 s).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connectors.netsuite import NetSuiteClient, NetSuiteCredentials  # noqa: E402
from sandbox import start_sandbox  # noqa: E402

SEED_GOAL, QUERY_GOAL = 60.0, 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=20_000)
    args = parser.parse_args()
    n = args.transactions
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


if __name__ == "__main__":
    main()
