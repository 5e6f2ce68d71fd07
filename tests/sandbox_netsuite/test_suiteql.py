"""SuiteQL over loopback: paging, the Prefer header, value types, sign conventions, errors."""

from __future__ import annotations

import httpx
import pytest

from syncproof.model import json_dumps as dumps
from syncproof.model import json_loads as loads

pytestmark = pytest.mark.integration


def _seed_customers(netsuite, count):
    customers = [{"companyName": f"Buyer {n:05d}", "externalId": f"ext-{n}"} for n in range(count)]
    response = httpx.post(netsuite.url + "/__sandbox__/seed", content=dumps({"customers": customers}),
                          timeout=60)
    assert response.status_code == 200
    return response.json()["customers"]


def test_paging_over_2500_rows_returns_every_row_exactly_once(api, netsuite, backend):
    ids = _seed_customers(netsuite, 2500)
    seen, offset, pages = [], 0, 0

    while True:
        response = api.suiteql("SELECT id, entityid FROM customer ORDER BY id", limit=1000, offset=offset)
        assert response.status_code == 200, response.text
        page = loads(response.text)
        assert page["totalResults"] == 2500 and page["offset"] == offset
        assert page["count"] == len(page["items"])
        seen.extend(item["id"] for item in page["items"])
        pages += 1
        if not page["hasMore"]:
            break
        next_link = next(link["href"] for link in page["links"] if link["rel"] == "next")
        assert next_link.endswith(f"limit=1000&offset={offset + 1000}")
        offset += 1000

    assert pages == 3
    assert seen == sorted(ids, key=int)
    assert len(set(seen)) == 2500


def test_query_without_prefer_transient_is_refused(api, catalog):
    response = api.suiteql("SELECT id FROM customer", prefer=None)

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/vnd.oracle.resource+json; type=error"
    assert loads(response.text)["o:errorDetails"][0]["o:errorCode"] == "INVALID_HEADER"


def test_syntax_error_is_netsuites_invalid_search_query(api, catalog):
    response = api.suiteql("SELECT id FROM customer WHERE")
    missing_table = api.suiteql("SELECT id FROM nosuchtable")
    missing_column = api.suiteql("SELECT nosuchcolumn FROM customer")

    assert response.status_code == 400
    detail = loads(response.text)["o:errorDetails"][0]
    assert detail["o:errorCode"] == "INVALID_PARAMETER" and detail["o:errorQueryParam"] == "q"
    assert detail["detail"].startswith("Invalid search query.")
    assert "Invalid search type: nosuchtable" in loads(missing_table.text)["o:errorDetails"][0]["detail"]
    assert "Unknown identifier 'nosuchcolumn'" in loads(missing_column.text)["o:errorDetails"][0]["detail"]


@pytest.mark.parametrize("params", [{"limit": 1001}, {"limit": 0}, {"limit": 10, "offset": 5}])
def test_bad_paging_parameters_are_refused(api, catalog, params):
    response = api.send("POST", "/query/v1/suiteql", {"q": "SELECT id FROM customer"},
                        headers={"prefer": "transient"}, params=params)

    assert response.status_code == 400
    assert loads(response.text)["o:errorDetails"][0]["o:errorCode"] == "INVALID_PARAMETER"


def test_writes_are_not_queries(api, catalog, backend):
    response = api.suiteql("DELETE FROM customer")

    assert response.status_code == 400
    assert len(backend.records("customer")) == 2


def test_values_are_strings_and_nulls_are_left_out(api, catalog):
    page = loads(api.suiteql(
        "SELECT id, entityid, email, externalid FROM customer ORDER BY id").text)

    ada, grace = page["items"]
    assert ada == {"links": [], "id": catalog["customer"], "entityid": "Ada Lovelace",
                   "email": "ada@example.com", "externalid": "shopify-cust-1"}
    assert "email" not in grace and "externalid" not in grace
    assert all(isinstance(v, str) for row in page["items"] for k, v in row.items() if k != "links")


def test_sign_conventions_of_sales_and_refund_lines(api, order_body, catalog):
    sale = api.transform("salesOrder", api.create("salesOrder", order_body()), "cashSale")
    refund = api.transform("cashSale", sale, "cashRefund",
                           {"item": {"items": [{"orderLine": 1, "quantity": 1}]}}, replace="item")

    rows = loads(api.suiteql(
        "SELECT t.id, t.type, t.foreigntotal, tl.id AS line, tl.quantity, tl.rate, tl.netamount, "
        "tl.foreignamount, tl.mainline, tl.taxline, tl.createdfrom "
        "FROM transaction t JOIN transactionline tl ON tl.transaction = t.id "
        f"WHERE t.id IN ({sale}, {refund}) ORDER BY t.id, tl.id").text)["items"]
    by = {(r["type"], r["line"]): r for r in rows}

    assert by[("CashSale", "0")]["foreigntotal"] == "64.37"
    assert by[("CashSale", "0")]["foreignamount"] == "64.37" and by[("CashSale", "0")]["mainline"] == "T"
    assert (by[("CashSale", "1")]["quantity"], by[("CashSale", "1")]["foreignamount"],
            by[("CashSale", "1")]["rate"]) == ("-2", "-25", "12.5")
    assert by[("CashSale", "4")]["taxline"] == "T" and by[("CashSale", "4")]["foreignamount"] == "-4.4"
    assert by[("CashRfnd", "0")]["foreigntotal"] == "-13.5"
    assert (by[("CashRfnd", "1")]["quantity"], by[("CashRfnd", "1")]["netamount"]) == ("1", "12.5")
    assert by[("CashRfnd", "1")]["createdfrom"] == sale


def test_line_links_builtin_df_and_exact_sums(api, order_body):
    order = api.create("salesOrder", order_body(tranDate="2024-03-05"))
    invoice = api.transform("salesOrder", order, "invoice", {"tranDate": "2024-03-06"})

    links = loads(api.suiteql(
        f"SELECT previousdoc, previousline, nextline, linktype, BUILTIN.DF(previousdoc) AS source "
        f"FROM previoustransactionlinelink WHERE nextdoc = {invoice} ORDER BY nextline").text)["items"]
    summary = loads(api.suiteql(
        "SELECT BUILTIN.DF(t.type) AS kind, BUILTIN.DF(t.status) AS status, "
        "BUILTIN.DF(t.entity) AS customer, SUM(tl.foreignamount) AS total, t.trandate "
        "FROM transaction t JOIN transactionline tl ON tl.transaction = t.id "
        "WHERE t.trandate >= TO_DATE('2024-03-06', 'YYYY-MM-DD') "
        "GROUP BY t.id, t.type, t.status, t.entity, t.trandate").text)["items"]

    assert [(ln["previousdoc"], ln["previousline"], ln["nextline"], ln["linktype"]) for ln in links] == \
        [(order, "1", "1", "OrdBill"), (order, "2", "2", "OrdBill"), (order, "3", "3", "OrdBill")]
    assert links[0]["source"].startswith("Sales Order #SO")
    (row,) = summary
    assert row == {"links": [], "kind": "Invoice", "status": "Open", "customer": "Ada Lovelace",
                   "total": "0", "trandate": "3/6/2024"}


def test_corrupted_field_shows_in_suiteql(api, order_body, netsuite):
    order = api.create("salesOrder", order_body())
    response = httpx.post(netsuite.url + "/__sandbox__/corrupt", content=dumps(
        {"recordType": "salesOrder", "id": order, "field": "total", "value": "99.99"}))

    page = loads(api.suiteql(f"SELECT foreigntotal FROM transaction WHERE id = {order}").text)

    assert response.status_code == 204
    assert page["items"][0]["foreigntotal"] == "99.99"
    assert str(api.get("salesOrder", order)["total"]) == "99.99"


def test_joined_lookup_and_deep_page_over_2000_transactions(api, backend):
    """Correct at volume; the time at 20,000 is measured by benchmarks/suiteql_volume.py."""
    customer = backend.create("customer", {"companyName": "Volume"})
    item = backend.create("inventoryItem", {"itemId": "VOL-1"})
    for n in range(2_000):
        backend.create("cashSale", {"entity": {"id": customer}, "otherRefNum": f"114-{n:07d}",
                                    "item": {"items": [{"item": {"id": item}, "rate": "1.25"}]}})

    response = api.suiteql(
        "SELECT t.id, t.tranid, SUM(tl.foreignamount) AS amount FROM transaction t "
        "JOIN transactionline tl ON tl.transaction = t.id "
        "WHERE t.otherrefnum = '114-0001999' AND tl.mainline = 'F' GROUP BY t.id, t.tranid")
    page_through = api.suiteql("SELECT id FROM transaction WHERE type = 'CashSale' ORDER BY id",
                               limit=1000, offset=1000)

    assert loads(response.text)["items"][0]["amount"] == "-1.25"
    page = loads(page_through.text)
    assert page["totalResults"] == 2_000 and page["count"] == 1000 and not page["hasMore"]
