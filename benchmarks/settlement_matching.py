"""Benchmark: reconcile a large settlement against the orders synced in the engine store.

    python benchmarks/settlement_matching.py --rows 1000000 --orders 200000 --repeat 3

Generates a V2 settlement file, fills a file-backed engine store with ``--orders`` synced
Amazon orders (every order id the file mentions but a share left unsynced, topped up with
other orders), then runs, interleaved and each in a fresh subprocess:

* ``parse``: ``open_settlement`` + ``balance`` of the file (every field checked);
* ``reconcile``: ``SettlementSync.reconcile``, one streaming pass that classifies and
  tallies every row, the look-up of the file's orders in the store and the exceptions.
  Nothing is posted. The tally's per-row loop is the compiled one when the install built it
  (the output says which ran).

Each run reports its wall time, CPU time and peak resident set (``ru_maxrss``); the
medians are compared (the machine may be shared; the load average is printed), and
tracemalloc is never on while timing. The reconcile runs also check that the exceptions
are exactly the orders left unsynced.

Goals: reconcile at most 2x the parse (median CPU time), peak RSS under 150 MB.
The exit status is 1 when a goal is missed or an order is misclassified.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

RATIO_GOAL = 2.0
MEMORY_GOAL_MB = 150.0


def _maxrss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux, bytes on macOS
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def child(mode: str, folder: Path) -> None:
    """One pass in this (fresh) process; prints its figures as JSON."""
    from connectors.settlement_file import balance, is_amazon_order_id, open_settlement
    from syncproof.config import parse_config
    from syncproof.engine import settlement_tally
    from syncproof.engine.settlements import SettlementSync
    from syncproof.engine.store import EngineStore

    path = folder / "settlement.txt"
    figures: dict = {}
    if mode == "parse":
        wall, cpu = time.perf_counter(), time.process_time()
        with open_settlement(path) as settlement:
            figures["rows"] = balance(settlement).row_count
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    else:
        store = EngineStore(folder / "engine.sqlite3")
        config = parse_config({"project": {"go_live": "2020-01-01"}})
        sync = SettlementSync(None, store, config)  # type: ignore[arg-type]  # reconcile posts nothing
        wall, cpu = time.perf_counter(), time.process_time()
        with open_settlement(path) as settlement:
            outcome, _, matched = sync.reconcile(settlement)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        store.close()
        unsynced = set(json.loads((folder / "unsynced.json").read_text()))
        wrong = {e.order_id for e in outcome.exceptions if is_amazon_order_id(e.order_id)} ^ unsynced
        figures.update(rows=outcome.row_count, balanced=outcome.balanced, matched=len(matched),
                       exceptions=len(outcome.exceptions), misclassified=len(wrong),
                       compiled=settlement_tally._compiled is not None)
    figures.update(wall=wall, cpu=cpu, rss_mb=_maxrss_mb())
    print(json.dumps(figures))


def run_child(mode: str, folder: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(folder)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def prepare(folder: Path, rows: int, orders: int, unsynced_share: float) -> tuple[int, int, int]:
    from connectors.settlement_file import is_amazon_order_id, open_settlement
    from sandbox.settlement_generator import GeneratorOptions, write_settlement
    from syncproof.engine.store import EngineStore

    path = folder / "settlement.txt"
    started = time.perf_counter()
    write_settlement(path, GeneratorOptions(rows=rows, seed=20261126, start=None))
    print(f"generated {rows:,} rows in {time.perf_counter() - started:.1f} s "
          f"({path.stat().st_size / 1e6:.0f} MB)", file=sys.stderr)
    with open_settlement(path) as settlement:
        in_file = sorted({row.order_id for row in settlement.rows() if is_amazon_order_id(row.order_id)})
    rng = random.Random(7)
    unsynced = set(rng.sample(in_file, int(len(in_file) * unsynced_share)))
    synced = [order_id for order_id in in_file if order_id not in unsynced]
    if len(synced) > orders:  # the file mentions more orders than the store holds: the rest are unsynced
        rng.shuffle(synced)
        unsynced |= set(synced[orders:])
        synced = synced[:orders]
    while len(synced) < orders:
        synced.append(f"{rng.randint(100, 999)}-{rng.randint(0, 9999999):07d}-{rng.randint(0, 9999999):07d}")
    store = EngineStore(folder / "engine.sqlite3")
    store.executemany("INSERT OR IGNORE INTO orders (channel, channel_order_id, status, synced_at) "
                      "VALUES ('amazon', ?, 'synced', '')", ((order_id,) for order_id in synced))
    store.close()
    (folder / "unsynced.json").write_text(json.dumps(sorted(unsynced)))
    return len(synced), len(in_file), len(unsynced)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--unsynced", type=float, default=0.02, help="share of the file's orders left unsynced")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved runs of each pass; medians compared")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FOLDER"), help=argparse.SUPPRESS)
    parser.add_argument("--prepare", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return 0
    if args.prepare:
        print(json.dumps(prepare(Path(args.prepare), args.rows, args.orders, args.unsynced)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # In a process of its own: a child's peak resident set starts from its parent's.
        out = subprocess.run([sys.executable, __file__, "--prepare", str(folder), "--rows", str(args.rows),
                              "--orders", str(args.orders), "--unsynced", str(args.unsynced)],
                             check=True, stdout=subprocess.PIPE, text=True)
        synced, in_file, unsynced = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"load average before {os.getloadavg()}")
        runs: dict[str, list[dict]] = {"parse": [], "reconcile": []}
        for _ in range(max(1, args.repeat)):
            for mode in runs:
                runs[mode].append(run_child(mode, folder))
        load = os.getloadavg()

    def median(mode: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[mode])

    last = runs["reconcile"][-1]
    print(f"rows:                 {last['rows']:,} (balanced: {last['balanced']})")
    print(f"orders in store:      {synced:,}; orders in file: {in_file:,}")
    print(f"matched orders:       {last['matched']:,}")
    print(f"exceptions:           {last['exceptions']:,} (orders left unsynced: {unsynced:,})")
    print(f"tally's per-row loop: {'compiled' if last['compiled'] else 'Python (the compiled one is not built)'}")
    for mode in runs:
        print(f"{mode:10} cpu {median(mode, 'cpu'):6.2f} s  wall {median(mode, 'wall'):6.2f} s  "
              f"peak RSS {max(run['rss_mb'] for run in runs[mode]):6.1f} MB  cpu runs "
              + ", ".join(f"{run['cpu']:.2f}" for run in runs[mode]))
    ratio = median("reconcile", "cpu") / median("parse", "cpu")
    wall_ratio = median("reconcile", "wall") / median("parse", "wall")
    rss = max(run["rss_mb"] for run in runs["reconcile"])
    wrong = max(run["misclassified"] for run in runs["reconcile"])
    print(f"load average after {load}")
    print(f"reconcile: {ratio:.2f}x parse (cpu; wall {wall_ratio:.2f}x) (goal <= {RATIO_GOAL}x) "
          f"{'ok' if ratio <= RATIO_GOAL else 'MISSED'}; peak RSS {rss:.1f} MB (goal < {MEMORY_GOAL_MB:.0f} MB) "
          f"{'ok' if rss < MEMORY_GOAL_MB else 'MISSED'}; misclassified orders: {wrong}")
    return 0 if ratio <= RATIO_GOAL and rss < MEMORY_GOAL_MB and not wrong else 1


if __name__ == "__main__":
    raise SystemExit(main())
