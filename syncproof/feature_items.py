"""The items the scenarios need in NetSuite, as their feature files' ``NetSuite has the items:`` tables list them.

    Given NetSuite has the items:
      | sku               | name              | price | type          |
      | SP-MUG-01         | Stoneware mug     | 14.50 | non-inventory |
      | Refund Adjustment | Refund Adjustment | 0.00  | other charge  |

    >>> items_of([["sku", "name", "price"], ["SP-MUG-01", "Stoneware mug", "14.50"]])
    [CatalogueItem(sku='SP-MUG-01', name='Stoneware mug', price=Decimal('14.50'), other_charge=False)]
    >>> items_of([["sku", "price", "type"], ["Shipping", "0.00", "other charge"]])[0].other_charge
    True

The step reads its own table with :func:`items_of`; a recording from the sandbox reads every
table of the features with :func:`feature_items` and makes those items once, in the account
every scenario starts from (see :mod:`syncproof.recording`).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Sequence

from .model import CatalogueItem

__all__ = ["ITEMS_STEP", "items_of", "feature_items"]

#: the step that puts the items of its table in NetSuite
ITEMS_STEP = "NetSuite has the items:"
#: the ``type`` column's values: NetSuite's Non-inventory Item for Sale and Other Charge for Sale item
ITEM_TYPES = {"non-inventory": False, "other charge": True}


def items_of(datatable: Sequence[Sequence[object]]) -> list[CatalogueItem]:
    """The items of a ``sku | name | price | type`` table (``name`` may be left out: the SKU names the item;
    ``type`` too: a non-inventory item)."""
    header, *rows = datatable
    names = [str(h).strip() for h in header]
    items = []
    for row in rows:
        cells = dict(zip(names, (str(c).strip() for c in row), strict=True))
        kind = cells.get("type", "non-inventory").lower()
        if kind not in ITEM_TYPES:
            raise ValueError(f"item {cells['sku']}: type {kind!r} is not one of {', '.join(ITEM_TYPES)}")
        items.append(CatalogueItem(cells["sku"], cells.get("name"), Decimal(cells["price"]),
                                   other_charge=ITEM_TYPES[kind]))
    return items


def feature_items(features_dir: Path | str) -> list[CatalogueItem]:
    """Every item the ``NetSuite has the items:`` tables of the features under ``features_dir`` list, each
    SKU once (its first row, files in path order), leaving out tables an outline fills in per example and
    files that do not parse (their scenarios do not run: the run reports them)."""
    from pytest_bdd.exceptions import GherkinParseError
    from pytest_bdd.feature import get_features

    found: dict[str, CatalogueItem] = {}
    for path in sorted(Path(features_dir).rglob("*.feature")):
        try:
            features = get_features([str(path)])
        except (GherkinParseError, OSError, UnicodeDecodeError):
            continue
        for feature in features:
            for template in feature.scenarios.values():
                for step in template.steps:  # the background's steps first
                    if step.name != ITEMS_STEP or step.datatable is None:
                        continue
                    table = step.datatable.raw()
                    if any("<" in str(cell) for row in table for cell in row):
                        continue  # an outline's <placeholders>: made by each example's scenario itself
                    try:
                        items = items_of(table)
                    except (KeyError, ValueError, ArithmeticError):
                        continue  # a table the step itself refuses, in its scenario
                    for item in items:
                        found.setdefault(item.sku, item)
    return list(found.values())
