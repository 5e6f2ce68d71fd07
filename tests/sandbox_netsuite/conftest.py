"""Fixtures for the NetSuite emulator tests: one server per module, a fresh account per test,
and an httpx client that signs every request with TBA (OAuth 1.0a, HMAC-SHA256)."""

from __future__ import annotations

from typing import Any, Iterator

import httpx
import pytest
from ns_helpers import Api

from sandbox.netsuite import NetSuiteBackend, serve
from syncproof.model import json_dumps as dumps


@pytest.fixture(scope="module")
def netsuite() -> Iterator[Any]:
    with serve(NetSuiteBackend()) as running:
        yield running


@pytest.fixture
def backend(netsuite) -> NetSuiteBackend:
    netsuite.backend.reset()
    netsuite.backend.verify_signatures = True
    netsuite.backend.throttle.limit = None
    return netsuite.backend


@pytest.fixture
def api(netsuite, backend) -> Iterator[Api]:
    client = Api(netsuite.url)
    yield client
    client.http.close()


@pytest.fixture
def catalog(netsuite, backend) -> dict[str, str]:
    """Two SKUs, a shipping item and a customer, seeded through the control endpoint."""
    response = httpx.post(netsuite.url + "/__sandbox__/seed", content=dumps({
        "items": [{"itemId": "MUG-BLUE", "displayName": "Blue mug"},
                  {"itemId": "TEE-M", "type": "nonInventorySaleItem"},
                  {"itemId": "SHIPPING", "type": "otherChargeSaleItem"}],
        "customers": [{"companyName": "Ada Lovelace", "email": "ada@example.com",
                       "externalId": "shopify-cust-1"},
                      {"companyName": "Grace Hopper"}],
    }))
    assert response.status_code == 200, response.text
    ids = response.json()
    mug, tee, ship = ids["items"]
    ada, grace = ids["customers"]
    return {"mug": mug, "tee": tee, "ship": ship, "customer": ada, "other_customer": grace}


@pytest.fixture
def order_body(catalog):
    """Builds a sales order body: 2 mugs at 12.50 (tax 2.00), 3 tees at 9.99 (tax 2.40),
    shipping 5.00; keyword arguments override header fields."""
    return lambda **extra: _order_body(catalog, **extra)


def _order_body(catalog: dict[str, str], **extra: Any) -> dict[str, Any]:
    body = {
        "entity": {"id": catalog["customer"]},
        "otherRefNum": "#1001",
        "tranDate": "2024-03-05",
        "item": {"items": [
            {"item": {"id": catalog["mug"]}, "quantity": 2, "rate": "12.50", "tax1Amt": "2.00"},
            {"item": {"id": catalog["tee"]}, "quantity": 3, "rate": "9.99", "tax1Amt": "2.40"},
            {"item": {"id": catalog["ship"]}, "quantity": 1, "amount": "5.00"},
        ]},
    }
    body.update(extra)
    return body
