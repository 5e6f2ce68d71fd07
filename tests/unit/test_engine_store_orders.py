"""The engine store says which of a settlement's order ids are synced orders."""

from __future__ import annotations

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
