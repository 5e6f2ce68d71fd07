"""``benchmarks/defects.py`` as a module (``defect_runs``), for the tests of its plan and judge."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("defect_runs", ROOT / "benchmarks" / "defects.py")
assert _spec is not None and _spec.loader is not None
defect_runs = importlib.util.module_from_spec(_spec)
sys.modules["defect_runs"] = defect_runs  # its dataclasses look their module up
_spec.loader.exec_module(defect_runs)
