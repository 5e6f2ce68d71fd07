"""Every catalogued connector defect is caught by the check the catalogue names; a clean run passes.

Each case runs the acceptance suite (``syncproof run --driver connector`` on the sandbox, as
``benchmarks/defects.py`` does) with one defect in ``SYNCPROOF_CONNECTOR_DEFECTS`` and only the
scenarios that show it, then reads the run's ``results.json``: the verdict must be REJECTED and
the defect's check id among the failed checks. A defect that shares its check id with another
check (RS-MN-3 has the amounts check and the charge lines check) names the check's title too.
Among them are the seeded engine bugs that once
passed the whole suite: a planner that always adds a return authorization
(``always_return_authorization``), a NetSuite->cart push sending quantity 1 for every line
(``push_quantity_one``) and a push echoing a cart's own refund back to it (``echo_cart_refund``).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from syncproof.connector_defects import CATALOGUE

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("defect_runs", ROOT / "benchmarks" / "defects.py")
assert _spec is not None and _spec.loader is not None
defect_runs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(defect_runs)

pytestmark = [pytest.mark.integration, pytest.mark.slow]


#: defect -> the title of the one check under its id that must fail (the others under it may pass)
FAILED_TITLE = {
    "charges_on_fee_item":
        "the NetSuite refund's shipping and adjustments are on the refund settings' adjustment items",
    "kept_fee_on_refund_item":
        "the NetSuite refund's shipping and adjustments are on the refund settings' adjustment items",
}


@pytest.mark.parametrize("defect", CATALOGUE, ids=[d.name for d in CATALOGUE])
def test_defect_is_rejected_by_its_check(defect, tmp_path):
    outcome = defect_runs.run_suite(defect.select, defect.name, tmp_path / "report")
    assert outcome["verdict"] == "rejected", outcome
    assert defect.check_id in outcome["failed_checks"], outcome
    if defect.name in FAILED_TITLE:
        assert FAILED_TITLE[defect.name] in outcome["failed_titles"], outcome


def test_the_same_scenarios_pass_without_a_defect(tmp_path):
    selects = " or ".join(f"({d.select})" for d in CATALOGUE)
    outcome = defect_runs.run_suite(selects, "", tmp_path / "report")
    assert outcome["failures"] == 0, outcome
    assert outcome["verdict"] != "rejected", outcome


def test_each_check_has_a_defect_only_it_is_named_for():
    from syncproof.pytest_plugin import CHECK_IDS

    named = {d.check_id for d in CATALOGUE}
    settlement = {"AS-1", "AS-2", "AS-3", "AS-4"}  # the settlement posting model's defects
    assert set(CHECK_IDS) - settlement <= named
