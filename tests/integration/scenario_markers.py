"""A pytest plugin printing each scenario a run selects, with its markers, as JSON lines.

    python -m pytest steps/test_scenarios.py --collect-only -q -p tests.integration.scenario_markers ...

Each line is ``{"scenario": <node id>, "markers": [...]}``, prefixed with :data:`PREFIX`.
"""

from __future__ import annotations

import json

import pytest

PREFIX = "scenario-markers: "


def pytest_collection_finish(session: pytest.Session) -> None:
    for item in session.items:
        markers = sorted({mark.name for mark in item.iter_markers()})
        print(PREFIX + json.dumps({"scenario": item.nodeid, "markers": markers}), flush=True)
