"""Which cassette a scenario uses, and the command that re-records it.

    cassettes/<feature file stem>/<scenario slug>.yaml
    cassettes/<feature file stem>/<scenario outline slug>[<example values slug>].yaml
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["ScenarioId", "scenario_id", "slug"]

_KEYWORDS = {"and", "or", "not"}
_IDENT = re.compile(r"^[\w:+\-.\[\]\\/]+$")


def slug(text: str, limit: int = 80) -> str:
    """``"Changing <key> to <value>"`` -> ``"changing-key-to-value"`` (ASCII, at most ``limit`` characters)."""
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "scenario"
    if len(value) > limit:
        digest = hashlib.sha256(text.encode()).hexdigest()[:8]
        value = value[: limit - 9].rstrip("-") + "-" + digest
    return value


@dataclass(frozen=True)
class ScenarioId:
    """A scenario (outline row included) as its feature, name and example values."""

    feature_stem: str
    name: str
    example: dict[str, str] = field(default_factory=dict)
    test_name: str = ""  # the pytest item name, e.g. test_x[a-b]
    function_name: str = ""  # without the parameters

    @property
    def relpath(self) -> str:
        file = slug(self.name)
        if self.example:
            file += "[" + slug("-".join(str(v) for v in self.example.values()), 60) + "]"
        return f"{self.feature_stem}/{file}.yaml"

    @property
    def keyword(self) -> str:
        """A ``-k`` expression that selects this scenario (and only it, in practice)."""
        if _IDENT.match(self.test_name):
            return self.test_name
        params = self.test_name[len(self.function_name):].strip("[]")
        tokens: list[str] = []
        for token in re.split(r"[^\w\-.]+", params):
            if len(token) > 1 and token.lower() not in _KEYWORDS and token not in tokens:
                tokens.append(token)
        return " and ".join([self.function_name, *tokens])

    def record_command(self, extra: str = "") -> str:
        return f'syncproof run --target record -k "{self.keyword}"' + (f" -- {extra}" if extra else "")


def scenario_id(item: Any) -> ScenarioId | None:
    """The scenario a pytest item runs, or None for a test that is not a pytest-bdd scenario."""
    from pytest_bdd.scenario import scenario_wrapper_template_registry

    function = getattr(item, "obj", None)
    template = scenario_wrapper_template_registry.get(function) if callable(function) else None
    if template is None:
        return None
    callspec = getattr(item, "callspec", None)
    example = dict(callspec.params.get("_pytest_bdd_example", {})) if callspec else {}
    return ScenarioId(feature_stem=Path(template.feature.filename).stem, name=template.name,
                      example={str(k): str(v) for k, v in example.items()}, test_name=item.name,
                      function_name=getattr(item, "originalname", item.name))
