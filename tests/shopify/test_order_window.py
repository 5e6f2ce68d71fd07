"""The 60-day order window of apps without ``read_all_orders``, in the emulator and the audit."""

from __future__ import annotations

import datetime as dt

import pytest

from connectors import ConnectorError
from syncproof.audit._window import AuditWindow
from syncproof.audit.refunds import check_shopify_window
from syncproof.errors import ConfigError

from ._helpers import sample_lines

pytestmark = pytest.mark.integration

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc)


def test_orders_older_than_60_days_are_hidden_without_read_all_orders(backend, client):
    """Without ``read_all_orders`` an app sees only the last 60 days of orders.

    Source: shopify.dev, GraphQL Admin API, ``Order`` object: "Only the last 60 days' worth of
    orders from a store are accessible from the Order object by default. If you want to access
    older records, then you need to request access to all orders" (``read_all_orders``).
    """
    backend.clock = lambda: NOW - dt.timedelta(days=61)
    old = client.create_order(sample_lines())
    backend.clock = lambda: NOW
    recent = client.create_order(sample_lines())

    seen = {o.channel_ref for o in client.orders_updated_since(NOW - dt.timedelta(days=400))}
    assert recent.channel_ref in seen and old.channel_ref not in seen
    with pytest.raises(ConnectorError):
        client.get_order(old.channel_ref)

    backend.access_scopes = ("read_orders", "write_orders", "read_all_orders")
    assert client.get_order(old.channel_ref).channel_ref == old.channel_ref


def test_an_audit_reaching_past_the_window_is_refused_in_one_line():
    window = AuditWindow.parse("2026-09-01", "2026-12-01")

    with pytest.raises(ConfigError) as refused:
        check_shopify_window(("read_orders",), window, now=NOW)

    text = str(refused.value)
    assert "read_all_orders" in text and "last 60 days (since 2026-10-02)" in text and "\n" not in text
    check_shopify_window(("read_orders", "read_all_orders"), window, now=NOW)  # granted: no refusal
    check_shopify_window(("read_orders",), AuditWindow.parse("2026-10-15", "2026-12-01"), now=NOW)
