"""Run the acceptance suite once per catalogued connector defect; print "defects caught N/N".

    python benchmarks/defects.py                 # every defect of syncproof.connector_defects
    python benchmarks/defects.py --only cent_off --json

Each run is ``syncproof run --driver connector`` on the sandbox with
``SYNCPROOF_CONNECTOR_DEFECTS=<name>`` and only the scenarios the catalogue names for it. A
defect is caught when the verdict is REJECTED and the check the catalogue names is among the
failed checks. A run with no defect over the same scenarios must pass. Also prints, per
defect, every check that failed and the run's wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from syncproof.connector_defects import CATALOGUE, DEFECT_ENV, by_name  # noqa: E402


def run_suite(select: str, defects: str, report_dir: Path) -> dict:
    """One connector-driver run of the scenarios ``select`` picks; its verdict and failed checks."""
    env = {**os.environ, DEFECT_ENV: defects}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "syncproof", "run", "--driver", "connector", "-k", select,
                    "--report-dir", str(report_dir)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=600, check=False)
    results = json.loads((report_dir / "results.json").read_text(encoding="utf-8"))
    failed = sorted({f["failed_check"] for f in results["failures"] if f.get("failed_check")})
    titles = sorted({c["title"] for feature in results["features"] for scenario in feature["scenarios"]
                     for c in scenario["checks"] if not c.get("passed") and c.get("title")})
    return {"verdict": results["verdict"]["status"], "failed_checks": failed, "failed_titles": titles,
            "failures": len(results["failures"]), "seconds": round(time.perf_counter() - started, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="run just this defect (repeatable)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per run")
    args = parser.parse_args()
    defects = [by_name()[name] for name in args.only] if args.only else list(CATALOGUE)
    caught = 0
    with tempfile.TemporaryDirectory() as tmp:
        for defect in defects:
            outcome = run_suite(defect.select, defect.name, Path(tmp) / defect.name)
            hit = outcome["verdict"] == "rejected" and defect.check_id in outcome["failed_checks"]
            caught += hit
            if args.json:
                print(json.dumps({"defect": defect.name, "check_id": defect.check_id, "caught": hit, **outcome}))
            else:
                print(f"{'caught' if hit else 'MISSED':6}  {defect.name:30} {defect.check_id:8} failed: "
                      f"{', '.join(outcome['failed_checks']) or 'none'} ({outcome['verdict']}, {outcome['seconds']} s)")
        if not args.only:
            selects = " or ".join(f"({d.select})" for d in CATALOGUE)
            clean = run_suite(selects, "", Path(tmp) / "clean")
            print(f"clean run over the same scenarios: {clean['verdict']}, {clean['failures']} failure(s), "
                  f"{clean['seconds']} s")
    print(f"defects caught {caught}/{len(defects)}")
    return 0 if caught == len(defects) else 1


if __name__ == "__main__":
    sys.exit(main())
