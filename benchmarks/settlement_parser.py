"""Benchmark: settlement file parse + balance against a bare csv.reader pass.

Generates a V2 settlement file in a temporary directory (or reads ``--file``), then
runs, interleaved and each in a fresh subprocess so no run inherits another's memory:

* ``csv``: a bare ``csv.reader`` pass (tab-separated, no quoting, every row touched);
* ``balance``: ``open_settlement`` + ``balance`` (every field of every row checked,
  only the count and the sum kept);
* ``rows``: every row built as a :class:`SettlementRow`, then ``balance``;
* ``pandas``: ``pandas.read_csv`` of the same file and the amount column summed
  (when pandas is installed; for comparison only).

Each run reports its wall time, its CPU time and its peak resident set
(``ru_maxrss``; the parent stays small, since a child starts from its parent's).
The machine may be shared: the medians are compared, and the load average is
printed. tracemalloc is never on while timing.

Goals: ``balance`` at most 1.2x the csv pass (median CPU time; wall time printed
too), its peak RSS under 50 MB. The exit status is 1 when a goal is missed.

    python benchmarks/settlement_parser.py --rows 1000000 --repeat 5
"""

from __future__ import annotations

import argparse
import csv
import importlib
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RATIO_GOAL = 1.2
MEMORY_GOAL_MB = 50.0


def csv_pass(path: Path) -> int:
    count = 0
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for _row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            count += 1
    return count


def balance_pass(path: Path) -> int:
    from connectors.settlement_file import balance, open_settlement

    with open_settlement(path) as settlement:
        result = balance(settlement)
    assert result.balanced, result
    return result.row_count


def rows_pass(path: Path) -> int:
    from connectors.settlement_file import balance, open_settlement

    with open_settlement(path) as settlement:
        for _row in settlement.rows():
            pass
        result = balance(settlement)
    assert result.balanced, result
    return result.row_count


def pandas_pass(path: Path) -> int:
    pandas = importlib.import_module("pandas")  # optional: not a dependency of syncproof
    frame = pandas.read_csv(path, sep="\t", dtype=str, keep_default_na=False, skiprows=[1])
    frame["amount"].map(lambda text: text or "0").astype("float64").sum()  # comparison only; floats
    return len(frame)


PASSES = {"csv": csv_pass, "balance": balance_pass, "rows": rows_pass, "pandas": pandas_pass}


def _maxrss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux, bytes on macOS
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def child(mode: str, path: Path) -> None:
    """Run one pass in this (fresh) process and print its figures as JSON."""
    if mode != "csv" and mode != "pandas":
        import connectors.settlement_file  # noqa: F401  import cost is not the parser's
    before = _maxrss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    rows = PASSES[mode](path)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(json.dumps({"wall": wall, "cpu": cpu, "rows": rows, "rss_mb": _maxrss_mb(), "rss_before_mb": before}))


def run_child(mode: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(path)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="amount rows in the generated file")
    parser.add_argument("--repeat", type=int, default=5, help="interleaved runs of each pass; medians compared")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--file", type=Path, help="an existing V2 settlement file instead of a generated one")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return 0
    modes = ["csv", "balance", "rows"]
    if importlib.util.find_spec("pandas") is not None:  # not imported here: children would inherit its memory
        modes.append("pandas")

    with tempfile.TemporaryDirectory(prefix="syncproof-bench-") as tmp:
        path = args.file
        if path is None:
            from sandbox.settlement_generator import GeneratorOptions, write_settlement

            path = Path(tmp) / "settlement_v2.txt"
            started = time.perf_counter()
            write_settlement(path, GeneratorOptions(rows=args.rows, seed=args.seed))
            print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s")
        print(f"file {path.stat().st_size / 2**20:.1f} MB; load average before {os.getloadavg()}")
        runs: dict[str, list[dict]] = {mode: [] for mode in modes}
        for _ in range(max(1, args.repeat)):
            for mode in modes:
                runs[mode].append(run_child(mode, path))
        load = os.getloadavg()

    def median(mode: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[mode])

    csv_cpu, csv_wall = median("csv", "cpu"), median("csv", "wall")
    print(f"{'pass':8} {'cpu s':>7} {'x csv':>6} {'wall s':>7} {'x csv':>6} {'peak RSS MB':>12}  cpu runs")
    for mode in modes:
        cpu, wall = median(mode, "cpu"), median(mode, "wall")
        rss = max(run["rss_mb"] for run in runs[mode])
        print(f"{mode:8} {cpu:7.2f} {cpu / csv_cpu:6.2f} {wall:7.2f} {wall / csv_wall:6.2f} {rss:12.1f}  "
              + ", ".join(f"{run['cpu']:.2f}" for run in runs[mode]))
    ratio = median("balance", "cpu") / csv_cpu
    rss = max(run["rss_mb"] for run in runs["balance"])
    print(f"rows {runs['balance'][0]['rows']:,}; load average after {load}")
    print(f"parse + balance: {ratio:.2f}x csv.reader (goal <= {RATIO_GOAL}x) "
          f"{'ok' if ratio <= RATIO_GOAL else 'MISSED'}; peak RSS {rss:.1f} MB "
          f"(goal < {MEMORY_GOAL_MB:.0f} MB) {'ok' if rss < MEMORY_GOAL_MB else 'MISSED'}")
    return 0 if ratio <= RATIO_GOAL and rss < MEMORY_GOAL_MB else 1


if __name__ == "__main__":
    sys.exit(main())
