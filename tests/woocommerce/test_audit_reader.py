"""The audit's WooCommerce reader: every refund of the orders changed in the window, read-only."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from syncproof import channels
from syncproof.audit import AuditWindow


def test_the_reader_returns_each_refunded_orders_refunds_and_writes_nothing(client, order):
    mug = order.line_for_sku("SP-MUG-01")
    refund = client.create_refund(order.channel_order_id, {mug.line_id: 1}, note="audited")
    client.create_order(list(order.lines), note="never refunded")
    writes = client.stats.writes
    now = datetime.now(timezone.utc)
    found = channels.get("woocommerce").audit_refunds(client, AuditWindow(now - timedelta(days=1),
                                                                          now + timedelta(days=1)), None)
    assert list(found) == [order.channel_order_id]
    assert [(r.refund_id, r.total, r.lines[0].sku) for r in found[order.channel_order_id]] == \
        [(refund.refund_id, refund.total, "SP-MUG-01")]
    assert client.stats.writes == writes
