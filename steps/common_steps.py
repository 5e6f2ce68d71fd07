"""Steps shared by every feature: master data in NetSuite."""

from __future__ import annotations

from pytest_bdd import given, parsers

from syncproof.scenario import ScenarioContext

from ._support import decimal_cell, table_rows


@given("NetSuite has the items:")
def netsuite_has_items(runtime, ctx: ScenarioContext, datatable):
    books = runtime.engine().books
    ctx.books = books
    ctx.items = {row["sku"]: books.ensure_item(row["sku"], row.get("name"), decimal_cell(row["price"]))
                 for row in table_rows(datatable)}


@given(parsers.parse('a NetSuite customer "{name}"'))
def netsuite_customer(runtime, ctx: ScenarioContext, name):
    books = getattr(ctx, "books", None) or runtime.engine().books
    ctx.books = books
    ctx.customer_id = books.ensure_customer(f"{ctx.run_id}-customer", email=None, name=name)
