"""One engine process for the concurrency tests: ``python engine_worker.py SPEC.json``.

It builds its clients and engine from the spec, waits for a line on stdin (the start
signal, so that every process starts together), runs its job and prints one JSON line.
A :class:`~syncproof.errors.SyncproofError` is printed as ``{"error": "..."}`` with exit
status 3; anything else is a traceback and status 1 (the tests treat that as a failure).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from connectors import RetryPolicy  # noqa: E402
from connectors.netsuite import NetSuiteClient, NetSuiteCredentials  # noqa: E402
from connectors.shopify import ShopifyClient  # noqa: E402
from syncproof.config import parse_config  # noqa: E402
from syncproof.engine import SyncEngine  # noqa: E402
from syncproof.engine.store import EngineStore  # noqa: E402
from syncproof.errors import SyncproofError  # noqa: E402

FAST = RetryPolicy(max_attempts=4, base_delay=0.001, max_delay=0.01)


def main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    ns = spec["netsuite"]
    netsuite = NetSuiteClient.for_account(
        NetSuiteCredentials(ns["account_id"], ns["consumer_key"], ns["consumer_secret"], ns["token_id"],
                            ns["token_secret"]), base_url=ns["url"], retry=FAST)
    shopify = ShopifyClient(spec["shopify"]["url"], spec["shopify"]["token"], api_version=spec["api_version"],
                            retry=FAST)
    config = parse_config({"shopify": {"refunds": {"direction": spec["direction"]}}})
    sys.stdin.readline()  # start together
    try:
        engine = SyncEngine.build(netsuite, EngineStore(spec["store"], lease_wait=spec["lease_wait"]), config)
        if spec["job"] == "push":
            statuses = Counter(r.status for r in engine.refunds.from_netsuite("shopify", shopify))
        else:
            statuses = Counter(("synced" if engine.orders.sync(shopify.get_order(gid)).synced else "not synced")
                               for gid in spec["orders"])
    except SyncproofError as exc:
        print(json.dumps({"error": str(exc)}), flush=True)
        return 3
    print(json.dumps({"statuses": dict(statuses)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
