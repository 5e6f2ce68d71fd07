"""The engine store says which of a settlement's order ids are synced orders."""

from __future__ import annotations

import random
from unittest import mock

import pytest

from syncproof.engine import store as store_module
from syncproof.engine.store import EngineStore


def test_synced_order_ids_are_the_synced_orders_of_the_channel(tmp_path):
    store = EngineStore(tmp_path / "engine.sqlite3")
    many = [f"112-{n:07d}-0000001" for n in range(120_000)]  # more than one query's worth
    store.executemany("INSERT INTO orders (channel, channel_order_id, status, synced_at) VALUES ('amazon', ?, "
                      "'synced', '')", ((order_id,) for order_id in many[::2]))
    store.begin_order("amazon", "113-0000000-0000001")  # pending: its sync has not finished
    store.record_order("shopify", many[1], status="synced")  # another channel's order of the same id
    asked = [*many, "113-0000000-0000001", "114-0000000-0000001"]
    found = store.synced_order_ids("amazon", iter(asked))
    assert found == set(many[::2])
    assert {id(order_id) for order_id in found} <= {id(order_id) for order_id in asked}  # the strings given
    assert store.synced_order_ids("shopify", asked) == {many[1]}
    assert store.synced_order_ids("amazon", []) == set()
    store.close()


def test_a_few_ids_are_looked_up_one_by_one_among_many_synced_orders(tmp_path):
    store = EngineStore(tmp_path / "engine.sqlite3")
    many = [f"112-{n:07d}-0000002" for n in range(6_000)]
    store.executemany("INSERT INTO orders (channel, channel_order_id, status, synced_at) VALUES ('amazon', ?, "
                      "'synced', '')", ((order_id,) for order_id in many))
    store.begin_order("amazon", "113-0000000-0000002")
    asked = [many[7], many[5_999], "113-0000000-0000002", "114-0000000-0000002", many[7]]
    found = store.synced_order_ids("amazon", asked)
    assert found == {many[7], many[5_999]}
    assert {id(order_id) for order_id in found} <= {id(order_id) for order_id in asked}  # the strings given
    store.close()


def test_a_mapping_of_the_ids_is_answered_with_its_values(tmp_path):
    """The settlement tally passes its order numbers as they are and is answered with the numbers, in one pass
    (the store holds not many more synced orders than asked) or id by id (it holds many more)."""
    store = EngineStore(tmp_path / "engine.sqlite3")
    many = [f"112-{n:07d}-0000003" for n in range(6_000)]
    store.executemany("INSERT INTO orders (channel, channel_order_id, status, synced_at) VALUES ('amazon', ?, "
                      "'synced', '')", ((order_id,) for order_id in many[::2]))
    store.begin_order("amazon", "113-0000000-0000003")
    asked = [*many, "113-0000000-0000003"]
    numbers = {order_id: n for n, order_id in enumerate(asked)}
    assert store.synced_orders_of("amazon", numbers) == set(range(0, len(many), 2))  # one pass
    few = {many[4]: 0, many[5]: 1, "113-0000000-0000003": 2, many[5_998]: 3}
    assert store.synced_orders_of("amazon", few) == {0, 3}  # id by id
    assert store.synced_orders_of("amazon", {}) == set()
    store.close()


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled look-up", "Python look-up"])
def test_the_tally_s_numbered_orders_are_answered_with_a_flag_per_number(tmp_path, compiled):
    """Ids of the Amazon form are matched as numbers (sorted and merged), others by dict; both as the set is."""
    if compiled and store_module._compiled is None:
        pytest.skip("the compiled look-up is not built in this install")
    store = EngineStore(tmp_path / "engine.sqlite3")
    rng = random.Random(5)
    amazon = [f"{rng.randint(100, 999)}-{rng.randint(0, 9999999):07d}-{rng.randint(0, 9999999):07d}"
              for _ in range(4_500)]
    others = ["S01-1234567-1234567", "FBA15ABCD", "112-1234567-123456", "\uff11\uff11\uff12-1234567-1234567"]
    synced = amazon[::3] + others[:2] + ["999-9999999-9999999"]  # and one the tally never numbered
    store.executemany("INSERT OR IGNORE INTO orders (channel, channel_order_id, status, synced_at) VALUES "
                      "('amazon', ?, 'synced', '')", ((order_id,) for order_id in synced))
    store.begin_order("amazon", amazon[1])  # pending: not synced
    asked = amazon + others
    rng.shuffle(asked)
    numbers = {order_id: n for n, order_id in enumerate(asked)}
    with mock.patch.object(store_module, "_compiled", store_module._compiled if compiled else None):
        flags = store.synced_flags("amazon", numbers)
        few = {amazon[0]: 0, amazon[1]: 1, others[0]: 2}  # many more synced than asked: id by id
        assert store.synced_flags("amazon", few) == b"\x01\x00\x01"
        assert store.synced_flags("amazon", {}) == b""
    expected = {numbers[order_id] for order_id in set(synced) & set(asked)}
    assert flags == bytes(n in expected for n in range(len(asked)))
    store.close()


@pytest.mark.skipif(store_module._compiled is None, reason="the compiled look-up is not built in this install")
def test_the_compiled_look_up_sorts_ids_given_out_of_order_and_refuses_numbers_out_of_range():
    kernel = store_module._compiled
    ids = [f"112-{n:07d}-0000001" for n in range(50)]
    lookup = kernel.lookup({order_id: n for n, order_id in enumerate(ids)})
    kernel.lookup_rows(lookup, [(ids[40],), (ids[3],), ("not-an-order",)])
    kernel.lookup_rows(lookup, [(ids[7], "more columns"), (ids[3],)])
    assert kernel.lookup_flags(lookup) == bytes(n in (3, 7, 40) for n in range(50))
    with pytest.raises(ValueError, match="numbered 0 up"):
        kernel.lookup({ids[0]: 1})
    with pytest.raises(TypeError, match="tuple"):
        kernel.lookup_rows(kernel.lookup({}), [ids[0]])
