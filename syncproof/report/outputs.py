"""Writing every output of a run into the report directory.

``results.json`` (the source), ``report.html``, ``junit.xml`` and ``cucumber.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..atomic import write_text
from .cucumber import to_cucumber
from .html import render_html
from .junit import to_junit_xml
from .results import save_results

__all__ = ["write_outputs", "FILES"]

FILES = {"results": "results.json", "html": "report.html", "junit": "junit.xml", "cucumber": "cucumber.json"}


def write_outputs(results: dict[str, Any], out_dir: Path | str, *, include_results: bool = True) -> dict[str, Path]:
    """Write the files; return their paths by kind (``results``, ``html``, ``junit``, ``cucumber``).

    ``include_results=False`` leaves results.json alone (re-rendering from it).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {kind: out / name for kind, name in FILES.items()}
    if include_results:
        save_results(results, paths["results"])
    else:
        del paths["results"]
    write_text(paths["html"], render_html(results))
    write_text(paths["junit"], to_junit_xml(results))
    write_text(paths["cucumber"], json.dumps(to_cucumber(results), indent=2, ensure_ascii=False) + "\n")
    return paths
