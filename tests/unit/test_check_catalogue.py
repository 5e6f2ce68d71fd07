"""One check-id catalogue: the README's table and DESIGN.md's ids must agree with it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from syncproof.report.checks_catalog import CHECK_DESCRIPTIONS, CHECK_IDS, CHECK_TITLES, readme_table

ROOT = Path(__file__).resolve().parents[2]
DESIGN = Path(os.environ.get("SYNCPROOF_DESIGN", ROOT.parent.parent / "shared" / "DESIGN.md"))


def test_every_check_has_a_title_and_a_description():
    assert list(CHECK_TITLES) == list(CHECK_DESCRIPTIONS) == list(CHECK_IDS)
    assert all(CHECK_TITLES[c].strip() and CHECK_DESCRIPTIONS[c].strip() for c in CHECK_IDS)


def test_the_readme_table_is_the_catalogue():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("| id | check |")
    table = readme[start:readme.index("\n\n", start)]
    assert table == readme_table(), "README's check table differs from syncproof/report/checks_catalog.py"


def _design_ids(text: str) -> list[str]:
    ids = []
    for cell in re.findall(r"^\| ((?:RS|AS|KC)-[A-Z0-9.-]+) \|", text, re.MULTILINE):
        ranged = re.fullmatch(r"(.*-)(\d+)\.\.(\d+)", cell)  # KC-1..3
        ids += [f"{ranged[1]}{n}" for n in range(int(ranged[2]), int(ranged[3]) + 1)] if ranged else [cell]
    return ids


def test_design_ids_are_the_catalogue():
    if not DESIGN.is_file():
        pytest.skip(f"DESIGN.md not found at {DESIGN} (set SYNCPROOF_DESIGN)")
    assert _design_ids(DESIGN.read_text(encoding="utf-8")) == list(CHECK_IDS)


def test_a_changed_table_is_caught():
    assert _design_ids("| RS-NM-1 | x |\n| KC-1..3 | y |") == ["RS-NM-1", "KC-1", "KC-2", "KC-3"]
    assert readme_table().replace("RS-NM-1", "RS-NM-9") != readme_table()
