"""Every ``>>>`` example in the docstrings of syncproof and connectors runs and shows what it says.

An example that needs a live client, a settlement file or a scenario is written as plain indented
code, without prompts; anything with a prompt is run here, as ``pytest --doctest-modules`` would
(ELLIPSIS on, pytest's default), so a docstring cannot drift from the code it shows.
"""

from __future__ import annotations

import doctest
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("syncproof", "connectors")
EXAMPLE_LINE = re.compile(r"^\s*>>> ", re.MULTILINE)  # a line that starts with ">>> ", not one inside a string


def modules_with_examples() -> list[str]:
    """The dotted names of the packages' modules with a line that starts with ``>>>`` (``__main__`` runs the
    command)."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.name == "__main__.py" or not EXAMPLE_LINE.search(path.read_text(encoding="utf-8")):
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


@pytest.mark.parametrize("name", modules_with_examples())
def test_the_docstring_examples_hold(name, capsys):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=False)
    assert result.failed == 0, capsys.readouterr().out
    assert result.attempted > 0, f"{name} has a >>> line but no example runs (one skipped, or outside a docstring)"
