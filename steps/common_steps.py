"""Steps shared by every feature: master data in NetSuite."""

from __future__ import annotations

from pytest_bdd import given, parsers

from syncproof.feature_items import ITEMS_STEP, items_of
from syncproof.scenario import ScenarioContext


@given(ITEMS_STEP)
def netsuite_has_items(runtime, ctx: ScenarioContext, datatable):
    books = runtime.engine().books
    ctx.books = books
    ctx.items = books.ensure_items(items_of(datatable))


@given(parsers.parse('a NetSuite customer "{name}"'))
def netsuite_customer(runtime, ctx: ScenarioContext, name):
    books = getattr(ctx, "books", None) or runtime.engine().books
    ctx.books = books
    ctx.customer_id = books.ensure_customer(f"{ctx.run_id}-customer", email=None, name=name)
