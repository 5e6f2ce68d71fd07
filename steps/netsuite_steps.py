"""Steps for NetSuite records made directly in NetSuite (features/netsuite_records.feature)."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from syncproof import checks
from syncproof.model import TransactionType
from syncproof.scenario import ScenarioContext

from ._support import decimal_cell, table_rows, verify


@given(parsers.parse('a sales order for channel order "{order}" with:'))
def sales_order(runtime, ctx: ScenarioContext, order, datatable):
    books = ctx.books
    items = [(ctx.items[row["sku"]], int(row["quantity"]), decimal_cell(row["price"]))
             for row in table_rows(datatable)]
    customer = books.ensure_customer(f"{ctx.run_id}-customer", email=None, name="Acceptance Customer")
    ctx.sales_order_id = books.upsert_item_order(f"{ctx.run_id}-so-{order}", customer_id=customer, order_ref=order,
                                                 items=items)
    ctx.sales_order_ref = order


@when(parsers.re(r"the sales order is billed as an? (?P<billing>cash sale|invoice)"))
def billed(ctx: ScenarioContext, billing):
    kind = TransactionType.from_label(billing)
    ctx.billed = (kind, ctx.books.transform_once(
        TransactionType.SALES_ORDER, ctx.sales_order_id, kind, f"{ctx.run_id}-{kind.value}"))


@when(parsers.re(r"it is refunded in NetSuite as an? (?P<refund>cash refund|credit memo)"))
def refunded(ctx: ScenarioContext, refund):
    source_kind, source_id = ctx.billed
    kind = TransactionType.from_label(refund)
    ctx.transformed_refund = (kind, ctx.books.transform_once(source_kind, source_id, kind,
                                                             f"{ctx.run_id}-{kind.value}"))


@when(
    parsers.re(r"it is refunded in NetSuite through a return authorization and an? (?P<refund>cash refund|credit memo)")
)
def refunded_via_return(ctx: ScenarioContext, refund):
    source_kind, source_id = ctx.billed
    books = ctx.books
    ra = TransactionType.RETURN_AUTHORIZATION
    ra_id = books.transform_once(source_kind, source_id, ra, f"{ctx.run_id}-{ra.value}")
    kind = TransactionType.from_label(refund)
    ctx.transformed_refund = (kind, books.transform_once(ra, ra_id, kind, f"{ctx.run_id}-{kind.value}"))


@then(parsers.parse('the refund\'s createdFrom chain ends at the sales order for channel order "{order}"'))
def chain_ends_at_order(ctx: ScenarioContext, order):
    _, refund_id = ctx.transformed_refund
    verify(checks.refund_linked_to_order(ctx.books.created_from_chain(refund_id), order))
