"""Measure: how many A4 pages the printed report of a full sandbox run takes.

    python benchmarks/report_pages.py [--appendix]            # runs `syncproof run` (every scenario) first
    python benchmarks/report_pages.py [--appendix] RESULTS    # measures an existing results.json

Prints the pages of `syncproof report pdf` (the print layout: summary, what changed, matrix,
settlements, failures, configuration, sign-off) and, with --appendix, also the pages with the
appendix of every scenario and its HTTP evidence (slow: hundreds of pages). Needs /usr/bin/chromium.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from syncproof.report.pdf import write_pdf  # noqa: E402


def main(argv: list[str]) -> int:
    with_appendix = "--appendix" in argv
    argv = [a for a in argv if a != "--appendix"]
    with tempfile.TemporaryDirectory() as tmp:
        if argv:
            results = Path(argv[0])
        else:
            out = Path(tmp) / "reports"
            done = subprocess.run([sys.executable, "-m", "syncproof", "run", "--report-dir", str(out)], cwd=ROOT,
                                  capture_output=True, text=True, check=False)
            if done.returncode not in (0, 1):
                print(done.stdout[-2000:] + done.stderr[-2000:])
                return 2
            results = out / "results.json"
        _, pages = write_pdf(results, Path(tmp) / "report.pdf")
        print(f"printed report: {pages} A4 pages", flush=True)
        if with_appendix:
            _, appendix = write_pdf(results, Path(tmp) / "appendix.pdf", appendix=True)
            print(f"with the appendix of scenarios and evidence: {appendix} A4 pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
