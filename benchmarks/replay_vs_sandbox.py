"""Benchmark: the acceptance run against the emulators, from the cassettes, and recording, interleaved.

    python benchmarks/replay_vs_sandbox.py --rounds 3

Each round runs ``syncproof run`` three times in a row, ``--target sandbox``, ``--target replay``
and ``--target record`` (recording into a temporary folder, never over ``cassettes/``), so that
the machine's load weighs on the three alike. It prints each target's median wall time and the
ratios the goals are stated in: replay at most 0.6 x the sandbox run; recording no slower than
the sandbox run plus writing its cassettes (the writing is timed separately, by writing the
recorded cassettes again).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from syncproof.recording import load_cassette  # noqa: E402
from syncproof.recording._format import write_cassette  # noqa: E402

REPLAY_GOAL = 0.6


def timed_run(target: str, workdir: Path, *extra: str) -> float:
    """Wall seconds of one ``syncproof run --target TARGET`` (it must pass)."""
    command = [str(Path(sys.executable).with_name("syncproof")), "run", "--target", target,
               "--report-dir", str(workdir / f"report-{target}"), *extra]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
        raise SystemExit(f"syncproof run --target {target} failed:\n" + "\n".join(tail))
    return seconds


def writing_seconds(folder: Path) -> float:
    """Seconds to write every cassette under ``folder`` again (what recording adds to a sandbox run)."""
    cassettes = [(path, load_cassette(path)) for path in sorted(folder.rglob("*.yaml"))]
    started = time.perf_counter()
    for path, cassette in cassettes:
        write_cassette(path, cassette)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"sandbox": [], "replay": [], "record": []}
    writes: list[float] = []
    with tempfile.TemporaryDirectory(prefix="syncproof-bench-") as tmp:
        workdir = Path(tmp)
        for n in range(1, args.rounds + 1):
            times["sandbox"].append(timed_run("sandbox", workdir))
            times["replay"].append(timed_run("replay", workdir))
            recorded = workdir / f"cassettes-{n}"
            times["record"].append(timed_run("record", workdir, "--", "--cassette-dir", str(recorded)))
            writes.append(writing_seconds(recorded))
            print(f"round {n}: sandbox {times['sandbox'][-1]:.1f} s, replay {times['replay'][-1]:.1f} s, "
                  f"record {times['record'][-1]:.1f} s (writing {writes[-1]:.2f} s)", flush=True)
    median = {target: statistics.median(values) for target, values in times.items()}
    write = statistics.median(writes)
    replay_ratio = median["replay"] / median["sandbox"]
    record_ratio = median["record"] / (median["sandbox"] + write)
    print(f"median of {args.rounds}: sandbox {median['sandbox']:.1f} s, replay {median['replay']:.1f} s, "
          f"record {median['record']:.1f} s, writing the cassettes {write:.2f} s")
    print(f"replay / sandbox = {replay_ratio:.2f} (goal <= {REPLAY_GOAL}: "
          f"{'met' if replay_ratio <= REPLAY_GOAL else 'NOT met'})")
    print(f"record / (sandbox + writing) = {record_ratio:.2f} (goal <= 1.0: "
          f"{'met' if record_ratio <= 1.0 else 'NOT met'})")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
