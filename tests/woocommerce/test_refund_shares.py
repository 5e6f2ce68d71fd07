"""A partial refund's shares of a WooCommerce line are rounded to the fewer of the store's decimals and the order
currency's minor unit: the fils in a dinar store set to three decimals, the whole yen in a yen store (set to 0, or
left at WooCommerce's default 2), the cent elsewhere and in a dinar store left at 2.

The order bodies are as WooCommerce's REST API writes them: amounts are decimal strings with the store's "Number of
decimals" (``wc_format_decimal( $value, $dp )`` with ``dp`` from ``wc_get_price_decimals()``, the
``woocommerce_price_num_decimals`` option; see test_store_decimals.py for the sources).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from connectors.woocommerce import WooCommerceClient
from syncproof.model import Money


def _order(currency: str, quantity: int, total: str, tax: str, shipping: str, shipping_tax: str) -> dict[str, Any]:
    """``quantity`` units of one line (one tax rate) and a shipping line, in ``currency``."""
    whole = sum((Decimal(value) for value in (total, tax, shipping, shipping_tax)), Decimal(0))
    return {"id": 7001, "currency": currency, "total": str(whole),
            "line_items": [{"id": 11, "quantity": quantity, "total": total, "taxes": [{"id": 1, "total": tax}]}],
            "shipping_lines": [{"id": 12, "total": shipping, "taxes": [{"id": 1, "total": shipping_tax}]}]}


@pytest.fixture
def client():
    with WooCommerceClient("http://127.0.0.1:9", "ck_x", "cs_x") as woo:  # refund_body sends nothing
        yield woo


@pytest.mark.parametrize(("currency", "amounts", "share", "share_tax", "shipping_tax"), [
    ("KWD", (3, "10.000", "0.500", "2.000", "0.100"), "3.333", "0.167", "0.075"),
    # 6,099 yen for 200 units: one is 30.495 yen, 30 to the yen (rounded to the cent first it would be 31)
    ("JPY", (200, "6099", "488", "500", "40"), "30", "2", "30"),
    ("USD", (3, "10.00", "0.50", "2.00", "0.10"), "3.33", "0.17", "0.08"),
    ("KWD", (3, "10.00", "0.50", "2.00", "0.10"), "3.33", "0.17", "0.08"),  # a dinar store left at two decimals
    ("JPY", (200, "6099.00", "488.00", "500.00", "40.00"), "30", "2", "30"),  # a yen store left at two decimals
])
def test_a_share_is_rounded_to_the_stores_decimals_or_the_currencys_if_fewer(client, currency, amounts, share,
                                                                              share_tax, shipping_tax):
    order = _order(currency, *amounts)
    shipping = {"2.000": "1.500", "500": "375", "500.00": "375", "2.00": "1.50"}[amounts[3]]  # 3/4 of the shipping
    body = client.refund_body(order, [], {"11": 1}, Money(shipping, currency))
    item, ship = body["line_items"]
    assert (item["refund_total"], item["refund_tax"][0]["refund_total"]) == (share, share_tax)
    assert (ship["refund_total"], ship["refund_tax"][0]["refund_total"]) == (shipping, shipping_tax)


def test_the_last_units_of_a_kuwaiti_dinar_line_return_what_is_left_to_the_fils(client):
    order = _order("KWD", 3, "10.000", "0.500", "2.000", "0.100")
    first = client.refund_body(order, [], {"11": 1}, False)["line_items"][0]
    made = [{"line_items": [{"id": 21, "quantity": -1, "total": f"-{first['refund_total']}",
                             "taxes": [{"id": 1, "total": f"-{first['refund_tax'][0]['refund_total']}"}],
                             "meta_data": [{"key": "_refunded_item_id", "value": "11"}]}]}]
    rest = client.refund_body(order, made, {"11": 2}, False)["line_items"][0]
    assert (rest["refund_total"], rest["refund_tax"][0]["refund_total"]) == ("6.667", "0.333")
