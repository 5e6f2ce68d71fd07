"""A replayed NetSuite request carries its realm, no TBA signature, and the report shows it redacted."""

from __future__ import annotations

from syncproof.config import parse_config
from syncproof.recording import ScenarioCassette, ScenarioId, open_recorded_runtime
from syncproof.recording._format import CassetteFile, Interaction, RecordedRequest, RecordedResponse, write_cassette

CUSTOMER = "http://netsuite.sandbox.syncproof/services/rest/record/v1/customer/7"


def test_a_replayed_netsuite_request_is_not_signed_and_its_evidence_shows_the_header_redacted(tmp_path):
    path = tmp_path / "feature" / "scenario.yaml"
    write_cassette(path, CassetteFile(str(path), [Interaction(
        RecordedRequest("GET", CUSTOMER, {"Authorization": ["[redacted]"]}, b""),
        RecordedResponse(200, "OK", {"Content-Type": ["application/json"]}, b'{"id": "7"}'))],
        {"recorded_from": "sandbox"}))
    exchanges: list = []
    runtime = open_recorded_runtime(parse_config({}, None).with_overrides(target="replay"),
                                    on_exchange=exchanges.append)
    cassette = ScenarioCassette(ScenarioId("feature", "scenario"), path, "replay")
    try:
        with cassette.recording(runtime):
            response = runtime.netsuite.request("GET", CUSTOMER)
    finally:
        runtime.close()
    assert response.json() == {"id": "7"}
    assert response.request.headers["Authorization"] == 'OAuth realm="1234567_SB1"'
    assert [e.request_headers.get("Authorization") for e in exchanges] == ["[redacted]"]
    assert all(e.replayed for e in exchanges)
