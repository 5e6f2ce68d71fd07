"""OneWorld: every customer belongs to a subsidiary, and its transactions take it from the customer.

SOAP Schema Browser, ``CustomerSubsidiaryRelationship`` (2023.1), field ``subsidiary``, required:
"Select the subsidiary to associate with this entity or job. You cannot enter transactions for
this entity or job unless a subsidiary is assigned. If you select this entity on a transaction,
the transaction is associated with this subsidiary." The refusal's wording ("Primary Subsidiary")
is the customer form's label; NetSuite's exact REST text was not found.
"""

from __future__ import annotations

import pytest

from sandbox.netsuite import NetSuiteBackend, serve

pytestmark = pytest.mark.integration


@pytest.fixture
def one_world(netsuite, backend):
    backend.one_world = True
    backend.reset()
    yield backend
    backend.one_world = False
    backend.reset()


def test_a_one_world_customer_needs_a_subsidiary(api, one_world):
    refused = api.send("POST", "/record/v1/customer", {"companyName": "Ada Lovelace"})
    assert refused.status_code == 400
    detail = refused.json()["o:errorDetails"][0]
    assert detail["o:errorCode"] == "USER_ERROR" and detail["o:errorPath"] == "subsidiary"
    assert "Subsidiary" in detail["detail"]
    assert one_world.records("customer") == []


def test_a_transaction_takes_its_customers_subsidiary(api, one_world):
    customer = api.create("customer", {"companyName": "Ada Lovelace", "subsidiary": {"id": "2"}})
    item = api.create("nonInventorySaleItem", {"itemId": "MUG"})
    order = api.create("salesOrder", {"entity": {"id": customer},
                                      "item": {"items": [{"item": {"id": item}, "rate": "3"}]}})
    sale = api.transform("salesOrder", order, "cashSale")
    for record_type, record_id in (("salesOrder", order), ("cashSale", sale)):
        assert api.send("GET", f"/record/v1/{record_type}/{record_id}").json()["subsidiary"]["id"] == "2"


def test_an_account_that_is_not_one_world_files_everything_under_its_root_subsidiary():
    with serve(NetSuiteBackend(verify_signatures=False)) as running:
        customer = running.backend.create("customer", {"companyName": "Grace Hopper"})
        assert running.backend.get("customer", customer).get("subsidiary") is None
        assert [s["name"] for s in running.backend.records("subsidiary")] == ["Honeycomb Holdings Inc."]
