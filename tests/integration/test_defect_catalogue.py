"""Every catalogued connector defect is caught by the check the catalogue names; its scenarios pass without it.

The defects are spread over a few runs of the acceptance suite (``syncproof run --driver
connector`` on the sandbox, as ``benchmarks/defects.py`` does), each defect scoped to the
scenarios that show it (``SYNCPROOF_CONNECTOR_DEFECTS=<name>@<select>,...``) and no scenario
making two. Every such scenario also runs once with no defect, beside other scenarios' defects.
From each run's ``results.json`` (per scenario: status, the check that failed it, the defects the
connector answered ``POST /defects`` it makes there, so a connector that ignores the call shows) a
defect is caught when each of its scenarios failed with its check id; a defect that shares its
check id with another check (RS-MN-3 has the amounts check and the charge lines check) names the
check's title too (``FAILED_TITLE`` in ``benchmarks/defects.py``). A scenario planned without a
defect must pass, and each must have been made with exactly the planned defects.
Among the defects are the seeded engine bugs that once passed the whole suite: a
planner that always adds a return authorization (``always_return_authorization``), a
NetSuite->cart push sending quantity 1 for every line (``push_quantity_one``) and a push echoing
a cart's own refund back to it (``echo_cart_refund``).
"""

from __future__ import annotations

import pytest

from syncproof.connector_defects import CATALOGUE
from tests.defect_runs import defect_runs

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.mark.parametrize("index", range(defect_runs.RUNS), ids=[f"run{i}" for i in range(defect_runs.RUNS)])
def test_defects_are_rejected_by_their_checks_and_their_scenarios_pass_without(index, tmp_path):
    runs = defect_runs.catalogue_plan()
    if index >= len(runs):
        pytest.skip(f"the catalogue's defects fit in {len(runs)} runs")
    run = runs[index]
    outcome = defect_runs.run_suite(run.select, run.setting, tmp_path / "report")
    verdicts, wrong = defect_runs.judge(run, outcome)
    assert wrong == [], wrong
    missed = {name: verdict for name, verdict in verdicts.items() if not verdict["caught"]}
    assert missed == {}, missed


def test_each_defect_runs_once_and_each_of_its_scenarios_once_without_a_defect():
    runs = defect_runs.catalogue_plan()
    planned = [defect.name for run in runs for defect in run.defects]
    assert sorted(planned) == sorted(d.name for d in CATALOGUE)
    made = [node for run in runs for node, defect in run.scenarios.items() if defect]
    clean = [node for run in runs for node, defect in run.scenarios.items() if defect is None]
    assert len(clean) == len(set(clean)) and set(clean) == set(made)


def test_a_defect_scoped_to_one_scenario_leaves_the_next_one_as_it_was(tmp_path):
    # a defect wired into the engine (refund_not_linked) and one wrapping the NetSuite client, which outlives the
    # engine (refund_in_base_currency); the next row of each outline runs without them and must pass. A defect
    # named without scenarios is made in all of them (channel_not_synced: Amazon, which none of these uses)
    setting = ("refund_not_linked@full_refund and shopify and cash,channel_not_synced,"
               "refund_in_base_currency@ebay_refund_in and EUR")
    outcome = defect_runs.run_suite("(full_refund and shopify) or ebay_refund_in", setting, tmp_path / "report")
    by_row = {node.rsplit("[", 1)[-1].rstrip("]"): (s["status"], s["defects"], s["failed_checks"])
              for node, s in outcome["scenarios"].items()}
    assert by_row == {
        "shopify-a cash sale-a cash refund": ("failed", ["channel_not_synced", "refund_not_linked"], ["KC-1"]),
        "shopify-an invoice-a credit memo": ("passed", ["channel_not_synced"], []),
        "EUR-EBAY_DE-14.50-5.51-18.00-3.42-4.90-0.93":
            ("failed", ["channel_not_synced", "refund_in_base_currency"], ["RS-MN-3"]),
        "GBP-EBAY_GB-12.50-5.00-15.00-3.00-3.99-0.80": ("passed", ["channel_not_synced"], []),
    }, by_row


def test_each_check_has_a_defect_only_it_is_named_for():
    from syncproof.pytest_plugin import CHECK_IDS

    named = {d.check_id for d in CATALOGUE}
    settlement = {"AS-1", "AS-2", "AS-3", "AS-4"}  # the settlement posting model's defects
    assert set(CHECK_IDS) - settlement <= named
