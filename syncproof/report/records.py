"""The in-memory record of one scenario as it runs, and its JSON form.

A :class:`ScenarioRecord` is built from pytest-bdd's parsed scenario when the
test is collected (so scenarios that never run are still listed, as
``not-run``), then filled in by the collector's hooks and by the
``record_*`` functions the steps call.

Step statuses: ``passed``, ``failed``, ``skipped``, ``not-run``.
Scenario statuses: ``passed``, ``failed`` (a step failed), ``error`` (setup or
teardown outside the steps failed), ``skipped``, ``not-run``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from .checks_catalog import channel_of, check_ids_from_tags
from .coverage import channels_touched

__all__ = ["StepRecord", "ScenarioRecord", "STEP_STATUSES", "SCENARIO_STATUSES", "with_articles", "label_of"]


def with_articles(text: str, example: Mapping[str, str]) -> str:
    """``text`` with "a" before an outline value that starts with a vowel made "an".

    >>> with_articles("A refund on a amazon order", {"channel": "amazon"})
    'A refund on an amazon order'
    """
    for value in example.values():
        if value and value[0].lower() in "aeiou":
            text = re.sub(rf"\b([Aa]) (?={re.escape(value)}\b)", r"\1n ", text)
    return text


def label_of(name: str, example: Mapping[str, str]) -> str:
    """The scenario's name, with the example row's values when the name shows none of them.

    >>> label_of("An invalid setting is refused", {"key": "restock", "value": "sometimes"})
    'An invalid setting is refused (key restock, value sometimes)'
    """
    shown = [v for v in example.values() if v and v in name]
    if not example or shown:
        return name
    return f"{name} ({', '.join(f'{k} {v}' for k, v in example.items())})"

STEP_STATUSES = ("passed", "failed", "skipped", "not-run")
SCENARIO_STATUSES = ("passed", "failed", "error", "skipped", "not-run")


@dataclass
class StepRecord:
    """One Gherkin step: its wording, outcome and the HTTP exchanges made while it ran."""

    keyword: str
    text: str
    line: int
    datatable: list[list[str]] | None = None
    docstring: str | None = None
    background: bool = False
    status: str = "not-run"
    duration_ms: float | None = None
    error: str | None = None
    exchanges: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class ScenarioRecord:
    """One scenario (one example row of an outline) and everything recorded while it ran."""

    nodeid: str
    feature: dict[str, Any]
    rule: str | None
    keyword: str
    name: str
    description: str
    line: int
    tags: list[str]
    example: dict[str, str]
    steps: list[StepRecord]
    status: str = "not-run"
    category: str | None = None
    reason: str | None = None
    failing_step: int | None = None
    expected: Any = None
    actual: Any = None
    failed_check: str | None = None
    checks: list[dict[str, Any]] = field(default_factory=list)
    exchanges: list[dict[str, Any]] = field(default_factory=list)  # made outside any step
    settlements: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    connector_defects: list[str] = field(default_factory=list)  # made by the sandbox connector in this scenario
    duration_ms: float | None = None
    worker: str | None = None
    started: bool = False

    @property
    def check_ids(self) -> list[str]:
        return check_ids_from_tags(self.tags)

    @property
    def channel(self) -> str | None:
        return channel_of(self.tags, self.example)

    @property
    def label(self) -> str:
        """The name that tells this example row from the outline's others."""
        return label_of(self.name, self.example)

    @classmethod
    def from_bdd(cls, nodeid: str, feature: Any, scenario: Any, example: dict[str, str]) -> "ScenarioRecord":
        """Build the record from pytest-bdd's ``Feature`` and rendered ``Scenario``."""
        rule = getattr(scenario, "rule", None)
        tags = set(scenario.tags) | set(feature.tags) | (set(rule.tags) if rule else set())
        steps = [
            StepRecord(
                keyword=step.keyword.strip(),
                text=with_articles(step.name, example),
                line=step.line_number,
                datatable=[list(map(str, row)) for row in step.datatable.raw()] if step.datatable else None,
                docstring=step.docstring,
            )
            for step in scenario.steps
        ]
        # background steps come first; pytest-bdd renders copies, so count them
        n_background = len(feature.background.steps) if feature.background else 0
        if rule is not None and rule.background is not None:
            n_background += len(rule.background.steps)
        for step in steps[:n_background]:
            step.background = True
        return cls(
            nodeid=nodeid,
            feature={
                "name": feature.name,
                "keyword": feature.keyword,
                "file": feature.rel_filename,
                "description": (feature.description or "").strip(),
                "tags": sorted(feature.tags),
                "line": feature.line_number,
            },
            rule=rule.name if rule else None,
            keyword=scenario.keyword,
            name=with_articles(scenario.name, example),
            description=(scenario.description or "").strip(),
            line=scenario.line_number,
            tags=sorted(tags),
            example=dict(example),
            steps=steps,
        )

    def current_step(self) -> StepRecord | None:
        """The step running now: the last one started and not finished."""
        for step in self.steps:
            if step.status == "running":
                return step
        return None

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k not in ("steps", "started")}
        data["check_ids"] = self.check_ids
        data["channel"] = self.channel
        data["label"] = self.label
        data["channels"] = channels_touched(self.channel, (s.text for s in self.steps))
        data["steps"] = [s.to_json() for s in self.steps]
        return data
