"""A stand-in for the real NetSuite Connector: after a delay, syncs one Shopify order and its refunds.

    python tests/integration/standin_connector.py --netsuite URL --shopify URL --order GID --delay 0.5

Used by the connector-driver tests: syncproof must notice the records another process makes.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from connectors.netsuite import NetSuiteClient, NetSuiteCredentials  # noqa: E402
from connectors.shopify import ShopifyClient  # noqa: E402
from sandbox.netsuite import DEMO_CREDENTIALS  # noqa: E402
from sandbox.shopify import DEMO_TOKEN  # noqa: E402
from syncproof.config import parse_config  # noqa: E402
from syncproof.engine import SyncEngine  # noqa: E402
from syncproof.engine.store import EngineStore  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--netsuite", required=True)
    parser.add_argument("--shopify", required=True)
    parser.add_argument("--order", required=True)
    parser.add_argument("--delay", type=float, default=0.5)
    args = parser.parse_args()
    time.sleep(args.delay)
    demo = DEMO_CREDENTIALS
    netsuite = NetSuiteClient.for_account(NetSuiteCredentials(demo.account_id, demo.consumer_key, demo.consumer_secret,
                                                              demo.token_id, demo.token_secret), base_url=args.netsuite)
    shopify = ShopifyClient(args.shopify, DEMO_TOKEN)
    engine = SyncEngine.build(netsuite, EngineStore(), parse_config({}))
    order = shopify.get_order(args.order)
    assert engine.orders.sync(order).synced
    for refund in shopify.get_refunds(args.order):
        engine.refunds.to_netsuite(refund)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
