"""Run the timing-sensitive tests again and again while busy processes compete for the CPU.

    python benchmarks/flaky_under_load.py --runs 20 --busy 2

Starts ``--busy`` processes that spin forever (``while True: pass``), then runs pytest on the
tests that once depended on a real clock (the Shopify cost throttle, the fault injector's
holds and delays on the wire, the exactly-once engine under timeouts) ``--runs`` times, each
in a fresh process, and prints how many runs passed. The busy processes are stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TESTS = (
    "tests/shopify/test_connector.py::test_throttled_query_is_retried_after_the_time_the_bucket_needs",
    "tests/shopify/test_connector.py::test_throttle_wait_comes_from_requested_cost_and_restore_rate",
    "tests/shopify/test_connector.py::test_client_waits_before_sending_when_the_known_budget_is_short",
    "tests/faults/test_wire.py",
    "tests/exactly_once/test_fault_kinds.py::test_one_fault_on_the_refund_transform_posts_exactly_one_refund[timeout]",
    "tests/exactly_once/test_fault_kinds.py::test_one_fault_on_the_billing_transform_bills_the_order_once[timeout]",
    "tests/exactly_once/test_fault_kinds.py::test_one_fault_on_the_sales_order_upsert_makes_one_sales_order[timeout]",
    "tests/faults/test_netsuite_faults.py",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--busy", type=int, default=2, help="spinning processes beside the tests")
    parser.add_argument("tests", nargs="*", default=list(TESTS))
    args = parser.parse_args()
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.busy)]
    passed, started = 0, time.perf_counter()
    loads = []
    try:
        for n in range(1, args.runs + 1):
            done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "0", *args.tests],
                                  cwd=ROOT, capture_output=True, text=True)
            loads.append(os.getloadavg()[0])
            ok = done.returncode == 0
            passed += ok
            last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip()[-200:]
            print(f"run {n}: {'passed' if ok else 'FAILED'} ({last}; load {loads[-1]:.1f})", flush=True)
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()
    print(f"{passed}/{args.runs} runs passed with {args.busy} busy processes beside them "
          f"(load average {min(loads):.1f}-{max(loads):.1f}, {time.perf_counter() - started:.0f} s)")
    raise SystemExit(0 if passed == args.runs else 1)


if __name__ == "__main__":
    main()
