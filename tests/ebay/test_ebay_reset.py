"""The eBay emulator's reset: the order and line ids come again from the same seed (recordings depend on it)."""

from __future__ import annotations

from sandbox.ebay import EbayBackend

LINES = [{"sku": "SP-MUG-01", "quantity": 2, "unit_price": "14.50", "tax": "2.32"},
         {"sku": "SP-TEE-02", "quantity": 1, "unit_price": "22.00", "tax": "1.76"}]


def _ids(order: dict) -> tuple:
    return order["orderId"], order["legacyOrderId"], tuple(line["lineItemId"] for line in order["lineItems"])


def test_after_a_reset_the_same_orders_get_the_same_ids():
    backend = EbayBackend()
    first = [_ids(backend.create_order(LINES)) for _ in range(2)]
    backend.reset()
    assert [_ids(backend.create_order(LINES)) for _ in range(2)] == first
    assert first[0] != first[1]


def test_two_emulators_started_alike_give_the_same_ids():
    assert _ids(EbayBackend().create_order(LINES)) == _ids(EbayBackend().create_order(LINES))
