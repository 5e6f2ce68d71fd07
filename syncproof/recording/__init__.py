"""Recorded runs: one scrubbed cassette (laid out after vcrpy's) per scenario, written by ``--target record``
and replayed, with the network blocked, by ``--target replay``.

    from syncproof.recording import load_cassette, CassetteError
    cassette = load_cassette("cassettes/refund_settings/the-refund-settings-are-shown.yaml")
    len(cassette.interactions), cassette.metadata["recorded_at"]

Modules: ``_scenario`` (cassette path and re-record command of a scenario), ``_format``
(the YAML file, :func:`load_cassette`), ``_scrub`` (what never reaches a cassette or a
report; ``_personal_keys`` the keys and columns holding personal data, the vendor-neutral ones and every
channel's own, ``_tabular`` tab-separated and
``_json_lines`` JSON Lines documents), ``_record`` (the recording of a scenario's exchanges),
``_replay`` (answering from a cassette), ``_session`` (a scenario's cassette: recording or replaying
it, unrecorded requests), ``_runtime`` (placeholder base URLs, per-scenario reset and clients),
``_errors``. A gzipped body is read by :mod:`syncproof.body_encodings` (and shown gunzipped in the report's evidence by
:mod:`syncproof.gzip_evidence`, which the run's redactor uses without importing this package).
"""

from ._compare import comparable
from ._errors import CassetteError, UnrecordedRequest
from ._format import CassetteFile, Interaction, dump_cassette, load_cassette, parse_cassette
from ._runtime import PLACEHOLDER_URLS, RecordedRuntime, ScrubbingRedactor, open_recorded_runtime
from ._scenario import ScenarioId, scenario_id, slug
from ._scrub import Pseudonymiser, Scrubber
from ._session import ScenarioCassette, scenario_cassette

__all__ = [
    "CassetteError",
    "UnrecordedRequest",
    "comparable",
    "CassetteFile",
    "Interaction",
    "load_cassette",
    "parse_cassette",
    "dump_cassette",
    "PLACEHOLDER_URLS",
    "RecordedRuntime",
    "ScrubbingRedactor",
    "open_recorded_runtime",
    "ScenarioId",
    "scenario_id",
    "slug",
    "Pseudonymiser",
    "Scrubber",
    "ScenarioCassette",
    "scenario_cassette",
]
