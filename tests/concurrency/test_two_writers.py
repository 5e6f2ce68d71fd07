"""Two engine processes writing at once, against one set of emulators on loopback.

Each case starts real ``python`` processes (``engine_worker.py``) that talk HTTP to the
emulators this test started, released together by one line on their stdin. Whatever
they share (a store, a machine, nothing), no refund may reach the customer twice and
no process may die with a traceback: the second writer either waits its turn, finds
the first one's work by its exact marker, or stops with one line naming the holder.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from connectors.shopify import ShopifyClient, note_markers
from syncproof.engine.refunds import NOTE_MARKER
from syncproof.engine.store import EngineStore
from syncproof.model import Order

from .world import ORDERS, place_orders, refund_in_netsuite

WORKER = Path(__file__).with_name("engine_worker.py")

def spec(box, tmp_path: Path, name: str, *, store: Path, job: str, lock_dir: Path, lease_wait: float = 60.0,
         api_version: str = "2025-07", orders: list[str] = ()) -> Path:
    demo = box.netsuite_credentials
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({
        "netsuite": {"url": box.netsuite_url, "account_id": demo.account_id, "consumer_key": demo.consumer_key,
                     "consumer_secret": demo.consumer_secret, "token_id": demo.token_id,
                     "token_secret": demo.token_secret},
        "shopify": {"url": box.shopify_url, "token": box.shopify_token}, "api_version": api_version,
        "store": str(store), "job": job, "lease_wait": lease_wait, "orders": list(orders),
        "direction": "from_netsuite" if job == "push" else "to_netsuite"}))
    return path


def run_together(specs: list[tuple[Path, Path]], timeout: float = 120) -> list[tuple[int, dict, str]]:
    """Start one worker per (spec, lock dir), release them together, return (status, answer, stderr)."""
    procs = []
    for spec_path, lock_dir in specs:
        env = {"SYNCPROOF_LOCK_DIR": str(lock_dir), "PATH": "/usr/bin:/bin"}
        procs.append(subprocess.Popen([sys.executable, str(WORKER), str(spec_path)], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env))
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=timeout)
        answer = json.loads(out.strip().splitlines()[-1]) if out.strip() else {}
        results.append((proc.returncode, answer, err))
    return results


def cart_refunds_by_order(shopify: ShopifyClient, orders: list[Order]) -> dict[str, list[str]]:
    """The NetSuite markers each order's cart refunds carry (one list entry per cart refund)."""
    found = {}
    for order in orders:
        found[order.channel_order_id] = [m for r in shopify.get_refunds(order.channel_ref)
                                         for m in note_markers(r.note) if m.startswith(NOTE_MARKER)]
    return found


def assert_each_refunded_once(shopify, orders, results) -> None:
    for status, answer, err in results:
        assert "Traceback" not in err, err
        assert status in (0, 3), (status, answer, err)
    doubled = {order: markers for order, markers in cart_refunds_by_order(shopify, orders).items()
               if len(markers) != 1}
    assert doubled == {}, f"orders refunded other than once: {doubled}"


def test_two_processes_sharing_a_store_push_each_netsuite_refund_once(box, clients, tmp_path):
    netsuite, shopify = clients
    store = tmp_path / "engine.sqlite3"
    orders = place_orders(netsuite, shopify, store)
    refund_in_netsuite(netsuite, store, orders)
    locks = tmp_path / "locks"
    results = run_together([(spec(box, tmp_path, f"w{i}", store=store, job="push", lock_dir=locks), locks)
                            for i in range(2)])
    assert_each_refunded_once(shopify, orders, results)
    assert [status for status, _, _ in results] == [0, 0]  # the second waited its turn
    created = sum(answer["statuses"].get("created", 0) for _, answer, _ in results)
    assert created == ORDERS


def test_two_processes_with_separate_stores_on_one_machine_push_each_refund_once(box, clients, tmp_path):
    netsuite, shopify = clients
    first, second = tmp_path / "a" / "engine.sqlite3", tmp_path / "b" / "engine.sqlite3"
    orders = place_orders(netsuite, shopify, first)
    refund_in_netsuite(netsuite, first, orders)
    second.parent.mkdir()
    shutil.copy(first, second)  # both stores know the synced orders; neither knows the other's pushes
    locks = tmp_path / "locks"
    results = run_together([(spec(box, tmp_path, "a", store=first, job="push", lock_dir=locks), locks),
                            (spec(box, tmp_path, "b", store=second, job="push", lock_dir=locks), locks)])
    assert_each_refunded_once(shopify, orders, results)


def test_two_machines_with_separate_stores_push_each_refund_once_through_the_idempotency_key(box, clients, tmp_path):
    """shopify.dev changelog "Adding idempotency for inventory adjustments and refund mutations" (2026-01):
    refundCreate takes ``@idempotent(key:)``; a request repeating a key returns the original refund."""
    netsuite, shopify = clients
    first, second = tmp_path / "a" / "engine.sqlite3", tmp_path / "b" / "engine.sqlite3"
    orders = place_orders(netsuite, shopify, first)
    refund_in_netsuite(netsuite, first, orders)
    second.parent.mkdir()
    shutil.copy(first, second)
    results = run_together([  # separate lock folders: nothing local is shared, as on two machines
        (spec(box, tmp_path, "a", store=first, job="push", lock_dir=tmp_path / "la", api_version="2026-01"),
         tmp_path / "la"),
        (spec(box, tmp_path, "b", store=second, job="push", lock_dir=tmp_path / "lb", api_version="2026-01"),
         tmp_path / "lb")])
    assert_each_refunded_once(shopify, orders, results)


def test_a_second_writer_on_a_busy_store_stops_with_one_line_naming_the_holder(box, clients, tmp_path):
    netsuite, shopify = clients
    store_path = tmp_path / "engine.sqlite3"
    orders = place_orders(netsuite, shopify, store_path)
    refund_in_netsuite(netsuite, store_path, orders)
    holder = EngineStore(store_path)
    locks = tmp_path / "locks"
    with holder.writer("shopify"):  # this test process is mid-sync
        [(status, answer, err)] = run_together([(spec(box, tmp_path, "late", store=store_path, job="push",
                                                      lock_dir=locks, lease_wait=0), locks)])
    holder.close()
    assert status == 3 and "Traceback" not in err, err
    assert "is syncing shopify in another syncproof process" in answer["error"]
    assert "let that run finish first" in answer["error"]
    assert all(markers == [] for markers in cart_refunds_by_order(shopify, orders).values())


def test_three_processes_with_separate_stores_sync_orders_to_netsuite_once_and_none_dies(box, clients, tmp_path):
    netsuite, shopify = clients
    stores = [tmp_path / f"s{i}" / "engine.sqlite3" for i in range(3)]
    orders = place_orders(netsuite, shopify, stores[0], sync=False)
    for store in stores[1:]:
        store.parent.mkdir()
        shutil.copy(stores[0], store)
    gids = [o.channel_ref for o in orders]
    results = run_together([(spec(box, tmp_path, f"o{i}", store=store, job="orders", lock_dir=tmp_path / f"l{i}",
                                  orders=gids), tmp_path / f"l{i}") for i, store in enumerate(stores)])
    for status, answer, err in results:
        assert status == 0 and "Traceback" not in err, err
        assert answer["statuses"] == {"synced": ORDERS}, answer
    for kind in ("salesOrder", "cashSale"):
        external = [r.get("externalId") for r in box.netsuite.records(kind)]
        assert len(external) == len(set(external)) == ORDERS, kind
