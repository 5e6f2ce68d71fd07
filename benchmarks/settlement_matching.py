"""Benchmark: reconcile a large settlement against the orders synced in the engine store.

    python benchmarks/settlement_matching.py --rows 1000000 --orders 200000

Generates a V2 settlement file, fills a file-backed engine store with ``--orders`` synced
Amazon orders (every order id the file mentions, topped up with other orders), then times
``SettlementSync.reconcile``: one streaming pass that classifies and tallies every row, and
the look-up of the file's orders in the store. Prints rows, orders, matched orders,
exceptions, wall time and peak memory. Nothing is posted.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connectors.settlement_file import is_amazon_order_id, open_settlement  # noqa: E402
from sandbox.settlement_generator import GeneratorOptions, write_settlement  # noqa: E402
from syncproof.config import parse_config  # noqa: E402
from syncproof.engine.settlements import SettlementSync  # noqa: E402
from syncproof.engine.store import EngineStore  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--unsynced", type=float, default=0.02, help="share of the file's orders left unsynced")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "settlement.txt"
        started = time.perf_counter()
        write_settlement(path, GeneratorOptions(rows=args.rows, seed=20261126, start=None))
        print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s "
              f"({path.stat().st_size / 1e6:.0f} MB)", file=sys.stderr)
        with open_settlement(path) as settlement:
            in_file = sorted({row.order_id for row in settlement.rows() if is_amazon_order_id(row.order_id)})
        rng = random.Random(7)
        unsynced = set(rng.sample(in_file, int(len(in_file) * args.unsynced)))
        synced = [order_id for order_id in in_file if order_id not in unsynced]
        if len(synced) > args.orders:  # the file mentions more orders than the store holds: the rest are unsynced
            rng.shuffle(synced)
            unsynced |= set(synced[args.orders:])
            synced = synced[:args.orders]
        while len(synced) < args.orders:
            synced.append(f"{rng.randint(100, 999)}-{rng.randint(0, 9999999):07d}-{rng.randint(0, 9999999):07d}")
        store = EngineStore(Path(folder) / "engine.sqlite3")
        store.executemany("INSERT OR IGNORE INTO orders (channel, channel_order_id, status, synced_at) "
                          "VALUES ('amazon', ?, 'synced', '')", ((order_id,) for order_id in synced))
        config = parse_config({"project": {"go_live": "2020-01-01"}})
        sync = SettlementSync(None, store, config)  # type: ignore[arg-type]  # reconcile posts nothing
        started = time.perf_counter()
        with open_settlement(path) as settlement:
            outcome, _, matched = sync.reconcile(settlement)
        elapsed = time.perf_counter() - started
        tracemalloc.start()  # a second, traced pass for the memory figure (tracing slows it down)
        with open_settlement(path) as settlement:
            sync.reconcile(settlement)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        store.close()
    print(f"rows:                 {outcome.row_count:,} (balanced: {outcome.balanced})")
    print(f"orders in store:      {len(synced):,}; orders in file: {len(in_file):,}")
    print(f"matched orders:       {len(matched):,}")
    print(f"exceptions:           {len(outcome.exceptions):,} (orders left unsynced: {len(unsynced):,})")
    print(f"reconcile wall time:  {elapsed:.2f} s ({outcome.row_count / elapsed:,.0f} rows/s)")
    print(f"peak traced memory:   {peak / 1e6:.1f} MB")
    wrong = {e.order_id for e in outcome.exceptions if is_amazon_order_id(e.order_id)} ^ unsynced
    print(f"misclassified orders: {len(wrong)}")
    return 0 if not wrong else 1


if __name__ == "__main__":
    raise SystemExit(main())
