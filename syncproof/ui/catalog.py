"""The features, scenarios and check ids a consultant can pick from, read from the feature files.

A selection of scenarios becomes a pytest ``-k`` expression over the test names
pytest-bdd gives them (``test_`` + the scenario name as a Python name); outline
examples of a picked scenario all run. Each example row is a scenario of its own in
the run and the report: the catalogue lists them under their outline with the label
the report gives them (:func:`~syncproof.report.records.label_of`), so the page counts
what a run will count.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytest_bdd.feature import get_features
from pytest_bdd.scenario import make_python_name

from ..report.checks_catalog import CHECK_TITLES, channel_of, check_ids_from_tags
from ..report.records import label_of, with_articles

__all__ = ["catalog", "keyword_for"]


def catalog(features_dir: Path | str) -> dict[str, Any]:
    """``{"features": [{name, file, scenarios: [{key, name, check_ids, channels, examples, example_labels, tags}]}],
    "checks"}``: ``examples`` counts an outline's example rows (0 for a plain scenario), ``example_labels`` names
    each as the report does."""
    root = Path(features_dir)
    out = []
    for feature in sorted(get_features([str(root)]), key=lambda f: f.rel_filename):
        scenarios = []
        for template in feature.scenarios.values():
            tags = set(template.tags) | set(feature.tags)
            if "audit" in {t.lower() for t in tags}:
                continue  # the read-only audit is a mode of its own (syncproof run --audit)
            rows = [dict(zip(ex.example_params, row, strict=False)) for ex in template.examples
                    for row in ex.examples] if template.examples else []
            channels = sorted({c for c in (channel_of(tags, row) for row in rows or [{}]) if c})
            scenarios.append({"key": make_python_name(template.name), "name": template.name,
                              "check_ids": check_ids_from_tags(tags), "channels": channels,
                              "examples": len(rows), "example_labels": [_label(template, row) for row in rows],
                              "tags": sorted(tags)})
        if scenarios:
            out.append({"name": feature.name, "file": str(Path(feature.rel_filename).name), "scenarios": scenarios})
    return {"features": out, "checks": [{"id": k, "title": v} for k, v in CHECK_TITLES.items()]}


def _label(template: Any, row: dict[str, str]) -> str:
    """The label the report gives the scenario example ``row`` of outline ``template`` makes."""
    return label_of(with_articles(template.render(row).name, row), row)


def keyword_for(keys: list[str]) -> str | None:
    """The ``-k`` expression that selects exactly the scenarios with these keys (None: all)."""
    clean = [k for k in keys if k and k.replace("_", "").isalnum()]
    return " or ".join(f"test_{k}" for k in clean) or None
