"""The catalogue a recording from the sandbox makes once is read from the feature files' item tables."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from syncproof.feature_items import feature_items, items_of
from syncproof.model import CatalogueItem

ROOT = Path(__file__).resolve().parents[2]

REFUNDS = """\
Feature: Refunds
  Background:
    Given NetSuite has the items:
      | sku       | name          | price |
      | SP-MUG-01 | Stoneware mug | 14.50 |
      | Shipping  | Shipping      | 0.00  |

  Scenario: A refund
    Given NetSuite has the items:
      | sku       | name       | price |
      | SP-CAP-03 | Canvas cap | 18.00 |
    Then nothing
"""

OUTLINE = """\
Feature: Outline
  Scenario Outline: An item per example
    Given NetSuite has the items:
      | sku   | name      | price |
      | <sku> | Something | 1.00  |
    And NetSuite has the items:
      | sku       | price |
      | SP-MUG-01 | 99.00 |
      | SP-TEE-02 | 22.00 |

    Examples:
      | sku |
      | A-1 |
"""


def test_every_table_of_every_feature_gives_its_items_once_and_the_first_row_of_a_sku_wins(tmp_path):
    (tmp_path / "a_refunds.feature").write_text(REFUNDS)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b_outline.feature").write_text(OUTLINE)
    (tmp_path / "c_broken.feature").write_text("Feature: Broken\n  Scenario: x\n    Given NetSuite has the items:\n"
                                               "      | sku |\n      | A | B |\n  Nonsense here\n")
    assert feature_items(tmp_path) == [
        CatalogueItem("SP-MUG-01", "Stoneware mug", Decimal("14.50")),
        CatalogueItem("Shipping", "Shipping", Decimal("0.00")),
        CatalogueItem("SP-CAP-03", "Canvas cap", Decimal("18.00")),
        CatalogueItem("SP-TEE-02", None, Decimal("22.00")),  # the outline's table without placeholders
    ]


def test_the_steps_table_and_the_features_catalogue_read_the_same_items():
    table = [["sku", "name", "price"], [" SP-MUG-01 ", "Stoneware mug", "14.50"]]
    assert items_of(table) == [CatalogueItem("SP-MUG-01", "Stoneware mug", Decimal("14.50"))]
    skus = [item.sku for item in feature_items(ROOT / "features")]
    assert "SP-MUG-01" in skus and len(skus) == len(set(skus))
