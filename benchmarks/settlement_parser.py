"""Benchmark: settlement file parse + balance against a bare csv.reader pass.

Generates a V2 settlement file in a temporary directory, then times, on the
same file and in the same process:

* a bare ``csv.reader`` pass (tab-separated, no quoting, every row touched), and
* ``open_settlement`` + ``balance`` (every row parsed into a SettlementRow).

Each is run ``--repeat`` times, interleaved, and the best time is kept. The
parser's peak memory is then measured in fresh subprocesses: the peak resident
set growth (VmHWM, or ``ru_maxrss`` where there is no /proc) during a parse, and the ``tracemalloc`` peak.

Goals: parse time at most 2.0x the csv pass, and peak memory under 150 MB.
The exit status is 1 when a goal is missed.

    python benchmarks/settlement_parser.py --rows 1000000
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RATIO_GOAL = 2.0
MEMORY_GOAL_MB = 150.0


def csv_pass(path: Path) -> int:
    count = 0
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for _row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            count += 1
    return count


def parse_pass(path: Path):
    from connectors.settlement_file import balance, open_settlement

    with open_settlement(path) as settlement:
        return balance(settlement)


def _maxrss_mb() -> float:
    """This process's peak resident set size in MB.

    Linux's VmHWM belongs to the process image, so unlike ``ru_maxrss`` it does
    not carry over the parent's peak through fork and exec.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux, bytes on macOS
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def child(mode: str, path: Path) -> None:
    """Run one parse in this (fresh) process and print its memory figures as JSON."""
    import connectors.settlement_file  # noqa: F401  import cost is not the parser's

    if mode == "tracemalloc":
        import tracemalloc

        tracemalloc.start()
        result = parse_pass(path)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(json.dumps({"tracemalloc_peak_mb": peak / 2**20, "rows": result.row_count}))
    else:
        before = _maxrss_mb()
        result = parse_pass(path)
        after = _maxrss_mb()
        print(json.dumps({"maxrss_before_mb": before, "maxrss_after_mb": after,
                          "maxrss_delta_mb": after - before, "rows": result.row_count}))


def run_child(mode: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(path)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="amount rows in the generated file")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each pass; the best is kept")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return 0

    from sandbox.settlement_generator import GeneratorOptions, write_settlement

    with tempfile.TemporaryDirectory(prefix="syncproof-bench-") as tmp:
        path = Path(tmp) / "settlement_v2.txt"
        started = time.perf_counter()
        generated = write_settlement(path, GeneratorOptions(rows=args.rows, seed=args.seed))
        generate_s = time.perf_counter() - started
        size_mb = path.stat().st_size / 2**20
        print(f"generated {generated.row_count:,} rows ({size_mb:.1f} MB) in {generate_s:.1f} s")

        csv_times, parse_times = [], []
        result = None
        for _ in range(max(1, args.repeat)):
            started = time.perf_counter()
            lines = csv_pass(path)
            csv_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            result = parse_pass(path)
            parse_times.append(time.perf_counter() - started)
        assert result is not None and result.balanced and result.row_count == generated.row_count, result

        rss = run_child("rss", path)
        traced = run_child("tracemalloc", path)

    csv_s, parse_s = min(csv_times), min(parse_times)
    ratio = parse_s / csv_s
    peak = max(rss["maxrss_delta_mb"], traced["tracemalloc_peak_mb"])
    print(f"rows               {result.row_count:,} (csv lines {lines:,})")
    print(f"csv.reader pass    {csv_s:.3f} s  (runs: {', '.join(f'{t:.3f}' for t in csv_times)})")
    print(f"parse + balance    {parse_s:.3f} s  (runs: {', '.join(f'{t:.3f}' for t in parse_times)})")
    print(f"ratio              {ratio:.2f}x  (goal <= {RATIO_GOAL:.1f}x) {'ok' if ratio <= RATIO_GOAL else 'MISSED'}")
    print(f"peak memory        peak RSS growth {rss['maxrss_delta_mb']:.1f} MB "
          f"(process {rss['maxrss_after_mb']:.1f} MB), tracemalloc peak {traced['tracemalloc_peak_mb']:.1f} MB "
          f"(goal < {MEMORY_GOAL_MB:.0f} MB) {'ok' if peak < MEMORY_GOAL_MB else 'MISSED'}")
    print(
        f"balance            {result.rows_sum} vs {result.total}: {'balanced' if result.balanced else 'NOT balanced'}"
    )
    return 0 if ratio <= RATIO_GOAL and peak < MEMORY_GOAL_MB else 1


if __name__ == "__main__":
    sys.exit(main())
