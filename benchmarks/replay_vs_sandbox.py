"""Benchmark: the acceptance run against the emulators, from the cassettes, and recording, interleaved.

    python benchmarks/replay_vs_sandbox.py --rounds 3

Each round runs ``syncproof run`` three times in a row, ``--target sandbox``, ``--target replay``
and ``--target record`` (recording into a temporary folder, never over ``cassettes/``), so that
the machine's load weighs on the three alike. It prints each target's median wall time and the
ratios the goals are stated in: replay at most 0.6 x the sandbox run; recording no slower than
the sandbox run plus writing its cassettes (the writing is timed separately, by writing the
recorded cassettes again). The same ratios are printed for CPU seconds too (user + system of
each run's process tree), which a machine shared with other work disturbs much less than wall time.
"""

from __future__ import annotations

import argparse
import os
import resource
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_run(target: str, workdir: Path, *extra: str) -> tuple[float, float]:
    """Wall and CPU seconds of one ``syncproof run --target TARGET`` (it must pass)."""
    command = [str(Path(sys.executable).with_name("syncproof")), "run", "--target", target,
               "--report-dir", str(workdir / f"report-{target}"), *extra]
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
        raise SystemExit(f"syncproof run --target {target} failed:\n" + "\n".join(tail))
    return seconds, _children_cpu() - cpu


def writing_seconds(folder: Path) -> tuple[float, float]:
    """Wall and CPU seconds to write every cassette under ``folder`` again (what recording adds to a sandbox run)."""
    cassettes = [(path, load_cassette(path)) for path in sorted(folder.rglob("*.yaml"))]
    started, cpu = time.perf_counter(), time.process_time()
    for path, cassette in cassettes:
        write_cassette(path, cassette)
    return time.perf_counter() - started, time.process_time() - cpu


def _ratios(times: dict[str, list[float]], writes: list[float], unit: str, rounds: int) -> None:
    median = {target: statistics.median(values) for target, values in times.items()}
    write = statistics.median(writes)
    replay_ratio = median["replay"] / median["sandbox"]
    record_ratio = median["record"] / (median["sandbox"] + write)
    print(f"{unit}, median of {rounds}: sandbox {median['sandbox']:.1f} s, replay {median['replay']:.1f} s, "
          f"record {median['record']:.1f} s, writing the cassettes {write:.2f} s")
    print(f"  replay / sandbox = {replay_ratio:.2f} (goal <= {REPLAY_GOAL}: "
          f"{'met' if replay_ratio <= REPLAY_GOAL else 'NOT met'})")
    print(f"  record / (sandbox + writing) = {record_ratio:.2f} (goal <= 1.0: "
          f"{'met' if record_ratio <= 1.0 else 'NOT met'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    wall: dict[str, list[float]] = {"sandbox": [], "replay": [], "record": []}
    cpu: dict[str, list[float]] = {"sandbox": [], "replay": [], "record": []}
    writes: list[float] = []
    write_cpu: list[float] = []
    print(f"load average at the start: {os.getloadavg()[0]:.2f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="syncproof-bench-") as tmp:
        workdir = Path(tmp)
        for n in range(1, args.rounds + 1):
            for target in ("sandbox", "replay", "record"):
                extra = ("--", "--cassette-dir", str(workdir / f"cassettes-{n}")) if target == "record" else ()
                seconds, cpu_seconds = timed_run(target, workdir, *extra)
                wall[target].append(seconds)
                cpu[target].append(cpu_seconds)
            seconds, cpu_seconds = writing_seconds(workdir / f"cassettes-{n}")
            writes.append(seconds)
            write_cpu.append(cpu_seconds)
            print(f"round {n}: " + ", ".join(f"{t} {wall[t][-1]:.1f} s ({cpu[t][-1]:.1f} s CPU)" for t in wall)
                  + f", writing {writes[-1]:.2f} s ({write_cpu[-1]:.2f} s CPU)", flush=True)
    _ratios(wall, writes, "wall time", args.rounds)
    _ratios(cpu, write_cpu, "CPU time", args.rounds)
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
