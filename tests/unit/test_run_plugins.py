"""`syncproof run` reads the project's pytest options, so every plugin they name must come with the plain install
(README command 1 installs without the test extras)."""

from __future__ import annotations

import re
import shlex
import tomllib
from importlib.metadata import entry_points
from pathlib import Path

PYPROJECT = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())


def _named_plugins() -> list[str]:
    words = shlex.split(PYPROJECT["tool"]["pytest"]["ini_options"]["addopts"])
    return [words[i + 1] for i, word in enumerate(words[:-1]) if word == "-p" and not words[i + 1].startswith("no:")]


def _distribution(plugin: str) -> str | None:
    """The distribution providing pytest plugin ``plugin`` (by entry-point or distribution name), None if built in."""
    for ep in entry_points(group="pytest11"):
        dist = ep.dist.name.lower() if ep.dist else ""
        if plugin in (ep.name, dist):
            return dist
    return None


def test_every_plugin_the_options_load_is_a_main_dependency():
    main = {re.split(r"[=<>!~ \[]", requirement, maxsplit=1)[0].lower() for requirement in
            PYPROJECT["project"]["dependencies"]}
    plugins = _named_plugins()
    assert "timeout" in plugins and "pytest-bdd" in plugins  # what the options name today
    missing = {p: _distribution(p) for p in plugins if _distribution(p) and _distribution(p) not in main}
    assert not missing, f"plugins named in addopts but only in the test extras: {missing}"
