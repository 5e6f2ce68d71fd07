"""REST record service over loopback: create, read, upsert, update, delete, list."""

from __future__ import annotations

from decimal import Decimal

import pytest

from syncproof.model import json_loads as loads

pytestmark = pytest.mark.integration


def test_create_answers_204_with_location_and_the_record_reads_back(api, order_body, catalog, netsuite):
    response = api.send("POST", "/record/v1/salesOrder", order_body(externalId="shopify-1001"))

    assert response.status_code == 204
    assert response.content == b""
    location = response.headers["location"]
    assert location.startswith(netsuite.url + "/services/rest/record/v1/salesOrder/")
    order = api.get("salesOrder", location.rsplit("/", 1)[1])
    assert order["externalId"] == "shopify-1001"
    assert order["entity"] == {"links": order["entity"]["links"], "id": catalog["customer"],
                               "refName": "Ada Lovelace"}
    assert order["tranId"].startswith("SO")
    assert order["tranDate"] == "2024-03-05"
    assert order["currency"]["refName"] == "US Dollar"  # the currency record's name, not its ISO code
    lines = order["item"]["items"]
    assert [line["line"] for line in lines] == [1, 2, 3]
    assert [line["amount"] for line in lines] == [Decimal("25.00"), Decimal("29.97"), Decimal("5.00")]
    assert order["subtotal"] == Decimal("59.97")
    assert order["taxTotal"] == Decimal("4.40")
    assert order["total"] == Decimal("64.37")


def test_money_is_written_as_exact_json_numbers(api, order_body):
    order_id = api.create("salesOrder", order_body())

    text = api.send("GET", f"/record/v1/salesOrder/{order_id}",
                    params={"expandSubResources": "true"}).text

    assert '"total": 64.37' in text
    assert '"amount": 25.00' in text and '"rate": 12.50' in text
    assert "e-" not in text and "E+" not in text


def test_sublists_are_links_unless_expanded(api, order_body, netsuite):
    order_id = api.create("salesOrder", order_body())

    collapsed = api.get("salesOrder", order_id, expand=False)
    expanded = api.get("salesOrder", order_id, expand=True)
    sublist = loads(api.send("GET", f"/record/v1/salesOrder/{order_id}/item").text)

    own = f"{netsuite.url}/services/rest/record/v1/salesOrder/{order_id}"
    assert collapsed["item"] == {"links": [{"rel": "self", "href": own + "/item"}]}
    assert collapsed["links"] == [{"rel": "self", "href": own}]
    assert expanded["item"]["totalResults"] == 3
    assert len(expanded["item"]["items"]) == 3
    assert sublist["items"] == expanded["item"]["items"]


def test_upsert_twice_by_external_id_keeps_one_record(api, order_body, backend):
    first = api.send("PUT", "/record/v1/salesOrder/eid:shopify-2002", order_body(memo="first"))
    second = api.send("PUT", "/record/v1/salesOrder/eid:shopify-2002", order_body(memo="second"))

    assert first.status_code == second.status_code == 204
    assert first.headers["location"] == second.headers["location"]
    assert len(backend.records("salesOrder")) == 1
    order = api.get("salesOrder", "eid:shopify-2002")
    assert order["memo"] == "second"
    assert order["externalId"] == "shopify-2002"


def test_create_with_a_used_external_id_is_refused(api, order_body):
    api.create("salesOrder", order_body(externalId="dup-1"))

    response = api.send("POST", "/record/v1/salesOrder", order_body(externalId="dup-1"))

    assert response.status_code == 400
    assert loads(response.text)["o:errorDetails"][0]["o:errorCode"] == "DUP_RCRD"


def test_patch_changes_fields_and_recomputes_totals(api, order_body):
    order_id = api.create("salesOrder", order_body())

    response = api.send("PATCH", f"/record/v1/salesOrder/{order_id}",
                        {"memo": "gift", "item": {"items": [{"line": 1, "quantity": 3}]}})

    assert response.status_code == 204
    order = api.get("salesOrder", order_id)
    assert order["memo"] == "gift"
    assert order["item"]["items"][0]["amount"] == Decimal("37.50")
    assert order["subtotal"] == Decimal("72.47")
    assert len(order["item"]["items"]) == 3


def test_delete_then_get_is_404(api, order_body):
    order_id = api.create("salesOrder", order_body())

    assert api.send("DELETE", f"/record/v1/salesOrder/{order_id}").status_code == 204
    assert api.send("GET", f"/record/v1/salesOrder/{order_id}").status_code == 404


def test_list_pages_with_limit_and_offset(api, catalog):
    ids = [api.create("customer", {"companyName": f"Buyer {n}"}) for n in range(5)]
    everyone = sorted([catalog["customer"], catalog["other_customer"], *ids], key=int)

    first = loads(api.send("GET", "/record/v1/customer", params={"limit": 3}).text)
    last = loads(api.send("GET", "/record/v1/customer", params={"limit": 3, "offset": 6}).text)

    assert first["totalResults"] == 7 and first["hasMore"] is True and first["count"] == 3
    assert [i["id"] for i in first["items"]] == everyone[:3]
    assert [i["id"] for i in last["items"]] == everyone[6:]
    assert last["hasMore"] is False


def test_accounts_are_seeded_and_readable(api):
    page = loads(api.send("GET", "/record/v1/account").text)
    names = {api.get("account", item["id"])["acctName"] for item in page["items"]}

    assert {"Undeposited Funds", "Checking", "Marketplace Fees"} <= names


def test_control_endpoint_lists_every_record_of_a_type(api, order_body, netsuite):
    import httpx
    api.create("salesOrder", order_body())
    api.create("salesOrder", order_body())

    listed = loads(httpx.get(netsuite.url + "/__sandbox__/records/salesOrder").text)

    assert len(listed["items"]) == 2
    assert all(len(order["item"]["items"]) == 3 for order in listed["items"])
