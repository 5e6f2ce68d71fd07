"""A partial refund's shares of a WooCommerce line are rounded to the order currency's minor unit: the fils in a
three-decimal store (KWD), the whole yen in a zero-decimal one (JPY), the cent elsewhere.

The order bodies are as WooCommerce's REST API writes them for such a store: amounts are decimal strings with the
store's "Number of decimals" (``wc_format_decimal`` rounds to ``woocommerce_price_num_decimals``), which a store
selling in dinars or yen sets to the currency's ISO 4217 minor unit.
"""

from __future__ import annotations

from typing import Any

import pytest

from connectors.woocommerce import WooCommerceClient
from syncproof.model import Money


def _order(currency: str, quantity: int, total: str, tax: str, shipping: str, shipping_tax: str) -> dict[str, Any]:
    """``quantity`` units of one line (one tax rate) and a shipping line, in ``currency``."""
    return {"id": 7001, "currency": currency,
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
])
def test_a_share_of_a_line_is_rounded_to_the_currencys_minor_unit(client, currency, amounts, share, share_tax,
                                                                    shipping_tax):
    order = _order(currency, *amounts)
    shipping = {"KWD": "1.500", "JPY": "375", "USD": "1.50"}[currency]  # three quarters of the shipping line
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
