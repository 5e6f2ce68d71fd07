"""A recorded run's scenario gets the clients of the channels it talks to, made when it first asks for them."""

from __future__ import annotations

from syncproof.config import parse_config
from syncproof.recording import ScenarioCassette, ScenarioId, open_recorded_runtime
from syncproof.recording._format import CassetteFile, write_cassette


def test_a_replayed_scenario_makes_only_the_channel_clients_it_asks_for_and_closes_them(tmp_path):
    path = tmp_path / "feature" / "scenario.yaml"
    write_cassette(path, CassetteFile(str(path), [], {"recorded_from": "sandbox"}))
    runtime = open_recorded_runtime(parse_config({}, None).with_overrides(target="replay"))
    enabled = runtime.channels
    cassette = ScenarioCassette(ScenarioId("feature", "scenario"), path, "replay")
    try:
        with cassette.recording(runtime):
            before = list(runtime.clients)
            shopify = runtime.client("shopify")
            after = list(runtime.clients)
            assert runtime.client("shopify") is shopify
            assert runtime.shopify is shopify
    finally:
        runtime.close()
    assert "shopify" in enabled and len(enabled) > 1
    assert before == [after[0]] and after == [after[0], shopify]
    assert shopify._http.is_closed
