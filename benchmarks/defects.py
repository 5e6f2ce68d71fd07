"""Run the suite with every catalogued connector defect; print "defects caught N/N" and the runs off their plan.

    python benchmarks/defects.py                 # every defect of syncproof.connector_defects
    python benchmarks/defects.py --only cent_off --json
    python benchmarks/defects.py --picks FILE    # write which scenarios each defect's select picks (JSON)

Each defect is made only in the scenarios the catalogue names for it (``select``), through the
scoped setting ``SYNCPROOF_CONNECTOR_DEFECTS=<name>@<select>,...``, so defects whose scenarios
differ share one ``syncproof run --driver connector`` on the sandbox (:func:`plan`: at most
:data:`RUNS` runs). Every scenario a defect shows also runs once with no defect, in a run where
other scenarios make theirs. A defect is caught when each of its scenarios failed (the run is
REJECTED) and the check the catalogue names is among the checks that failed each one of them (for a
check id that names two checks, the one :data:`FAILED_TITLE` gives); a scenario
run with no defect must pass. Also prints, per defect, every check that failed its scenarios and
the wall time of its run.

Which scenarios a select picks is decided once, by collecting the suite (``--picks``), with the
same ``-k`` matching the run's plugin uses; each run's ``results.json`` says which defects the
connector made in each scenario (``connector_defects``), and :func:`judge` holds that against the
plan too.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from syncproof.connector_defects import CATALOGUE, DEFECT_ENV, Defect, ScopedDefect, by_name  # noqa: E402

#: how many runs the defects are spread over (the test suite runs them on its workers side by side); a scenario
#: that shows k defects needs k + 1 of them (one per defect, one clean)
RUNS = 6
#: defect -> the title of the one check under its id that must fail (the others under it may pass): RS-MN-3 has
#: the amounts check and the charge lines check
FAILED_TITLE = {
    "charges_on_fee_item":
        "the NetSuite refund's shipping and adjustments are on the refund settings' adjustment items",
    "kept_fee_on_refund_item":
        "the NetSuite refund's shipping and adjustments are on the refund settings' adjustment items",
}


@dataclass
class Run:
    """One ``syncproof run``: the defects it makes (each in its own scenarios, which no other defect of the run
    shares) and the further selects it runs with no defect (``clean``)."""

    defects: list[Defect] = field(default_factory=list)
    clean: list[str] = field(default_factory=list)
    scenarios: dict[str, str | None] = field(default_factory=dict)  # node id -> the defect made in it, or None

    @property
    def select(self) -> str:
        return " or ".join(f"({s})" for s in dict.fromkeys([*(d.select for d in self.defects), *self.clean]))

    @property
    def setting(self) -> str:
        return ",".join(str(ScopedDefect(d.name, d.select)) for d in self.defects)


def picks(defects: Iterable[Defect]) -> dict[str, list[str]]:
    """defect name -> the node ids of the scenarios its select picks (one collection of the suite)."""
    wanted = list(defects)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "picks.json"
        done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--picks", str(out),
                               *(f"--only={d.name}" for d in wanted)], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, timeout=300, check=False)
        if done.returncode != 0:  # e.g. a setting the suite refuses: its one line, not a traceback
            said = [line.strip() for line in done.stderr.splitlines() if line.strip()]
            last = said[-1].removeprefix("ERROR: ") if said else f"exit code {done.returncode}"
            print(f"error: collecting the scenarios each defect picks failed: {last}", file=sys.stderr)
            raise SystemExit(2)
        return json.loads(out.read_text(encoding="utf-8"))


def plan(defects: Iterable[Defect], picked: dict[str, list[str]], runs: int = RUNS) -> list[Run]:
    """Spread ``defects`` over at most ``runs`` runs: a defect goes to the least loaded run none of whose defects
    shares a scenario with it; then every scenario picked runs once more with no defect, as part of a select
    (a defect's) added to the least loaded run in which none of that select's scenarios makes a defect."""
    plans = [Run() for _ in range(runs)]
    ordered = sorted(defects, key=lambda d: (-len(picked[d.name]), d.name))
    for defect in ordered:
        if not picked[defect.name]:
            raise SystemExit(f"defect {defect.name}: its select {defect.select!r} picks no scenario; "
                             f"fix the select in syncproof/connector_defects.py")
        free = [run for run in plans if not set(picked[defect.name]) & set(run.scenarios)]
        if not free:
            raise SystemExit(f"defect {defect.name}: every one of the {runs} runs has another defect in one of "
                             f"its scenarios; raise RUNS in benchmarks/defects.py")
        run = min(free, key=lambda r: len(r.scenarios))
        run.defects.append(defect)
        run.scenarios.update(dict.fromkeys(picked[defect.name], defect.name))
    clean_somewhere: set[str] = set()
    for defect in ordered:
        nodes = picked[defect.name]
        if set(nodes) <= clean_somewhere:
            continue
        free = [run for run in plans if all(run.scenarios.get(node) is None for node in nodes)]
        if not free:
            raise SystemExit(f"the scenarios of {defect.name} make a defect in every one of the {runs} runs; "
                             f"raise RUNS in benchmarks/defects.py")
        run = min(free, key=lambda r: len(r.scenarios))
        run.clean.append(defect.select)
        run.scenarios.update(dict.fromkeys(nodes))
        clean_somewhere.update(nodes)
    return [run for run in plans if run.scenarios]


def run_suite(select: str, defects: str, report_dir: Path) -> dict[str, Any]:
    """One connector-driver run of the scenarios ``select`` picks with the defect setting ``defects``; its
    verdict, wall time and, per scenario (node id), its status, the defects made in it and the checks that
    failed it."""
    env = {**os.environ, DEFECT_ENV: defects}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "syncproof", "run", "--driver", "connector", "-k", select,
                    "--report-dir", str(report_dir)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=900, check=False)
    results = json.loads((report_dir / "results.json").read_text(encoding="utf-8"))
    scenarios = {}
    for feature in results["features"]:
        for scenario in feature["scenarios"]:
            failed = [c for c in scenario["checks"] if not c.get("passed")]
            scenarios[scenario["nodeid"]] = {
                "status": scenario["status"], "defects": scenario.get("connector_defects") or [],
                "failed_checks": sorted({scenario["failed_check"]} if scenario.get("failed_check") else set()),
                "failed_titles": sorted({c["title"] for c in failed if c.get("title")})}
    return {"verdict": results["verdict"]["status"], "scenarios": scenarios,
            "seconds": round(time.perf_counter() - started, 1)}


def shows(defect: Defect, scenario: dict[str, Any]) -> bool:
    """Whether one scenario run with ``defect`` failed on the defect's check (for a check id that names two
    checks, the one :data:`FAILED_TITLE` gives), not merely failed."""
    return (scenario["status"] == "failed" and defect.check_id in scenario["failed_checks"]
            and (defect.name not in FAILED_TITLE or FAILED_TITLE[defect.name] in scenario["failed_titles"]))


def judge(run: Run, outcome: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Per defect of ``run``: caught or not, with the checks that failed its scenarios; and one line per way the
    run went against its plan (a scenario planned clean that did not pass, defects made other than planned)."""
    ran = outcome["scenarios"]
    wrong = []
    for node, planned in run.scenarios.items():
        got = ran.get(node)
        if got is None:
            wrong.append(f"{node}: planned, not run")
        elif got["defects"] != ([planned] if planned else []):
            wrong.append(f"{node}: the connector made {got['defects'] or 'no defect'}, planned {planned or 'none'}")
        elif planned is None and got["status"] != "passed":
            wrong.append(f"{node}: run with no defect, {got['status']} ({', '.join(got['failed_checks'])})")
    for node in sorted(set(ran) - set(run.scenarios)):
        wrong.append(f"{node}: run, not planned")
    verdicts = {}
    for defect in run.defects:
        mine = [ran[node] for node, made in run.scenarios.items() if made == defect.name and node in ran]
        failed = sorted({check for s in mine for check in s["failed_checks"]})
        titles = sorted({title for s in mine for title in s["failed_titles"]})
        planned_here = sum(1 for made in run.scenarios.values() if made == defect.name)
        caught = (bool(mine) and len(mine) == planned_here and outcome["verdict"] == "rejected"
                  and all(shows(defect, s) for s in mine))
        verdicts[defect.name] = {"caught": caught, "scenarios": len(mine), "failed_checks": failed,
                                 "failed_titles": titles, "statuses": sorted({s["status"] for s in mine})}
    return verdicts, wrong


def summary(caught: int, total: int, against: list[list[str]]) -> str:
    """The last line: the defects caught, and how many runs (of ``against``: per run, its lines from
    :func:`judge` on how it went against its plan) and how many scenarios in them went against the plan."""
    runs = sum(1 for wrong in against if wrong)
    return (f"defects caught {caught}/{total}; runs against the plan {runs}/{len(against)} "
            f"({sum(len(wrong) for wrong in against)} scenario(s))")


@functools.cache
def catalogue_plan(names: tuple[str, ...] | None = None) -> list[Run]:
    """The plan of the catalogue's defects (or of those ``names``), picks collected once per process."""
    defects = [by_name()[name] for name in names] if names else list(CATALOGUE)
    return plan(defects, picks(defects))


def _write_picks(out: Path, names: list[str] | None) -> int:
    """``--picks``: collect the suite as ``syncproof run --driver connector`` does and write, per defect, the
    scenarios its select picks (matched as the run's plugin matches a scoped defect)."""
    import pytest

    defects = [by_name()[name] for name in names] if names else list(CATALOGUE)
    found: dict[str, list[str]] = {}

    class Picks:
        @pytest.hookimpl(trylast=True)  # after the plugin's own deselection (the audit scenarios)
        def pytest_collection_modifyitems(self, items: list[Any]) -> None:
            for defect in defects:
                entry = ScopedDefect(defect.name, defect.select)
                found[defect.name] = [item.nodeid for item in items if entry.applies_to(item)]

    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        code = pytest.main(["steps/test_scenarios.py", "-p", "no:cacheprovider", "-o", "testpaths=steps", "-q",
                            "--collect-only", "-n", "0", "--target", "sandbox", "--driver", "connector",
                            "--syncproof-report-dir", tmp], plugins=[Picks()])
    out.write_text(json.dumps(found, indent=1), encoding="utf-8")
    return int(code)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="run just this defect (repeatable)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per defect and run")
    parser.add_argument("--picks", type=Path, metavar="FILE",
                        help="write which scenarios each defect's select picks as JSON, and run nothing")
    args = parser.parse_args()
    unknown = [name for name in args.only or [] if name not in by_name()]
    if unknown:
        parser.error(f"no connector defect named {unknown[0]!r}; use one of: {', '.join(sorted(by_name()))}")
    if args.picks:
        return _write_picks(args.picks, args.only)
    runs = catalogue_plan(tuple(args.only) if args.only else None)
    caught = total = 0
    against: list[list[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for index, run in enumerate(runs):
            outcome = run_suite(run.select, run.setting, Path(tmp) / f"run{index}")
            verdicts, wrong = judge(run, outcome)
            against.append(wrong)
            for defect in run.defects:
                verdict = verdicts[defect.name]
                caught += verdict["caught"]
                total += 1
                if args.json:
                    print(json.dumps({"defect": defect.name, "check_id": defect.check_id, "run": index,
                                      "verdict": outcome["verdict"], "seconds": outcome["seconds"], **verdict}))
                else:
                    print(f"{'caught' if verdict['caught'] else 'MISSED':6}  {defect.name:30} {defect.check_id:8} "
                          f"failed: {', '.join(verdict['failed_checks']) or 'none'} "
                          f"(run {index}, {outcome['verdict']}, {outcome['seconds']} s)")
            clean = sum(1 for made in run.scenarios.values() if made is None)
            if args.json:
                print(json.dumps({"run": index, "defects": len(run.defects), "clean_scenarios": clean,
                                  "verdict": outcome["verdict"], "seconds": outcome["seconds"], "wrong": wrong}))
            else:
                print(f"run {index}: {len(run.defects)} defect(s), {len(run.scenarios)} scenario(s), {clean} with "
                      f"no defect: {'all passed' if not wrong else '; '.join(wrong)} ({outcome['seconds']} s)")
    print(summary(caught, total, against))
    return 0 if caught == total and not any(against) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except subprocess.TimeoutExpired as timed_out:  # a run or the collection that never ended: one line
        print(f"error: {' '.join(map(str, timed_out.cmd))} did not end within {timed_out.timeout:g} s; "
              f"run it alone to see where it waits", file=sys.stderr)
        sys.exit(2)
