"""The runtime of recorded runs: clients rebuilt for every scenario, emulators reset.

``--target replay`` needs no emulator and no network: its clients talk to fixed
placeholder base URLs (:data:`PLACEHOLDER_URLS`) with placeholder credentials, and
every request is answered from the scenario's cassette. ``--target record`` talks to
the sandbox emulators (default, ``--record-from sandbox``) or the live accounts
(``--record-from live``) and maps their real base URLs to the same placeholders when
it writes, so a cassette is the same whichever port an emulator listened on.

Before each scenario, :meth:`RecordedRuntime.begin_scenario` puts the emulators back
in the state a recording from the sandbox starts from (record from the sandbox),
builds fresh clients (no cached LWA token, no throttle state carried over) whose
evidence goes through the scenario's scrubber, and opens a fresh in-memory engine
store: a scenario records the same ids whether it runs alone or with all the others.
The clients of every scenario send through one :class:`~connectors.SharedPool`, as a sandbox
run's clients keep their connections from one scenario to the next: which connection carried a
request is nothing a cassette holds.

That state is the emulators' reset state plus the one-time set-up Oracle's settlement
guidance asks for (the settlement customer, and the settlement items *Create Settlement
Items* makes once, during set-up) and the catalogue the features' ``NetSuite has the items:``
tables list (:func:`syncproof.feature_items.feature_items`): :func:`set_up_sandbox_account`
makes it through HTTP when the recording starts, outside every cassette, and the emulators
keep it (``saved_state``), so each scenario finds an account set up once, as a live account
is (and as every sandbox run's scenario after the first finds its items), instead of creating
127 settlement items and the catalogue again. The set-up steps of a scenario still run and
are recorded: they find what exists. Which items that is depends on the feature files alone,
not on the scenarios selected, so a cassette is the same recorded alone or with the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Collection, Mapping, Sequence

import httpx

from connectors import REDACTED, Redactor, SharedPool, indented_json
from connectors.netsuite import NetSuiteCredentials, UnsignedTBA, account_base_url

from .. import channels as channel_registry
from ..channels import Connection
from ..config import Config
from ..engine.store import EngineStore
from ..gzip_evidence import DecodingRedactor
from ..model import CatalogueItem
from ..runtime import Runtime, build_clients, common_options, emulator_connections, start_emulators
from ._format import compact_json
from ._scrub import NOT_JSON, Scrubber

__all__ = ["PLACEHOLDER_URLS", "RecordedRuntime", "ScrubbingRedactor", "open_recorded_runtime", "placeholder_url",
           "set_up_sandbox_account"]


def placeholder_url(system: str) -> str:
    """The base URL ``system`` (netsuite or a channel) has in cassettes and in replayed runs."""
    return f"http://{system}.sandbox.syncproof"


class _Placeholders(dict):
    """System -> placeholder base URL, for NetSuite and every registered channel."""

    def __missing__(self, system: str) -> str:
        return placeholder_url(system)


#: The base URL each system has in cassettes and in replayed runs.
PLACEHOLDER_URLS: dict[str, str] = _Placeholders()
#: Placeholder for the configured NetSuite account id (channel identifiers become ``[<key>]``).
ACCOUNT_PLACEHOLDER = "[netsuite-account]"

_REPLAY_NETSUITE = NetSuiteCredentials("1234567_SB1", "replay-consumer-key", "replay-consumer-secret",
                                       "replay-token-id", "replay-token-secret")


@dataclass
class ScrubbingRedactor(DecodingRedactor):
    """The report's redactor in recorded runs: the cassette's scrubbing rules, then the usual ones (a gzipped
    body shown gunzipped and scrubbed, :mod:`syncproof.gzip_evidence`)."""

    scrubber: Scrubber = field(default_factory=Scrubber)

    def __post_init__(self) -> None:
        self.headers = channel_registry.secret_headers()
        self.keys = channel_registry.secret_keys()

    def header_items(self, headers) -> dict[str, str]:
        """Each value scrubbed once, then the usual rules: :meth:`Scrubber.headers` already scrubbed it as text
        (a second pass would give the same text), so the usual rules read it as :meth:`Redactor.text` does."""
        scrubbed = self.scrubber.headers(list(headers))
        return {k: REDACTED if k.lower() in self.headers else Redactor.text(self, ", ".join(v))
                for k, v in scrubbed.items()}

    def url(self, url: str) -> str:
        return super().url(self.scrubber.url(url))

    def plain_body(self, content: bytes, content_type: str) -> str:
        value = self.scrubber.json_body(content, content_type)
        if value is NOT_JSON:
            return super().plain_body(self.scrubber.body(content, content_type), content_type)
        if "json" in content_type:  # the scrubbed JSON as the report writes JSON, without reading it back
            try:
                return self.text(indented_json(self.scrub_parsed(value, content), content))
            except (ValueError, RecursionError):
                pass
        return super().plain_body(compact_json(value).encode("utf-8"), content_type)

    def text(self, text: str) -> str:
        return self.scrubber.text(super().text(text))


Clients = tuple[Any, Mapping[str, Any]]
Builder = Callable[[Redactor, "Callable[[], float] | None"], Clients]


@dataclass
class RecordedRuntime(Runtime):
    """A :class:`Runtime` for ``record`` and ``replay`` whose clients are rebuilt per scenario."""

    mode: str = "replay"
    source: str = "cassettes"  # where HTTP goes: cassettes, sandbox or live
    hosts: dict[str, str] = field(default_factory=dict)  # real origin -> placeholder
    literals: dict[str, str] = field(default_factory=dict)  # account identifier -> placeholder
    build: Builder | None = field(default=None, repr=False)
    #: the emulators' state every scenario starts from (record from the sandbox; empty: their reset state)
    start_state: dict[str, Any] = field(default_factory=dict, repr=False)
    #: the connections every scenario's clients send through (emulators and placeholders; live: each client's own)
    pool: SharedPool | None = field(default=None, repr=False)

    def begin_scenario(self, scrubber: Scrubber, clock: Callable[[], float] | None = None) -> None:
        """The emulators' starting state, fresh clients (each channel's built when the scenario first talks to
        it) and engine store for the next scenario."""
        self._close_clients()
        if self.sandbox is not None:
            self.sandbox.restore(self.start_state)
        self.redactor = ScrubbingRedactor(scrubber=scrubber)
        assert self.build is not None
        self.netsuite, self.channel_clients = self.build(self.redactor, clock)
        self.store.close()
        self.store = EngineStore()

    def end_scenario(self) -> None:
        self._close_clients()

    def close(self) -> None:
        if self.pool is not None:  # the connections closed before the emulators stop, as a sandbox run's are
            self.pool.shut()
        super().close()

    def _close_clients(self) -> None:
        for client in self.clients:
            client.close()
        self.netsuite = None  # type: ignore[assignment]
        self.channel_clients = {}


def _emulated(connections: dict[str, Connection], clock: Callable[[], float] | None) -> dict[str, Connection]:
    return {name: Connection(c.base_url, c.credentials, clock=clock) for name, c in connections.items()}


def _emulator_clients(config: Config, netsuite: tuple[str, NetSuiteCredentials], connections: dict[str, Connection],
                      on_exchange, sleep, pool: SharedPool, netsuite_auth: httpx.Auth | None = None) -> Builder:
    """A builder of clients for the emulators or for their placeholders (same requests either way), each
    scenario's clients fresh but sending through the same ``pool`` of connections, each channel's built when first
    asked for (a scenario talks to one channel or two)."""

    def build(redactor: Redactor, clock: Callable[[], float] | None) -> Clients:
        common = {**common_options(on_exchange, redactor, sleep), "transport": pool}
        return build_clients(config, (netsuite[0], netsuite[1], None), _emulated(connections, clock), common,
                             netsuite_auth=netsuite_auth, lazy=True)

    return build


def _replay_connections(config: Config) -> dict[str, Connection]:
    return {spec.name: Connection(placeholder_url(spec.name),
                                  {s.name: f"replay-{spec.name}-{s.name}" for s in spec.secrets})
            for spec in channel_registry.specs() if config.channel(spec.name).enabled}


def open_recorded_runtime(
    config: Config,
    *,
    on_exchange=None,
    allow_production_writes: bool = False,
    sleep: Callable[[float], None] | None = None,
    record_from: str = "sandbox",
    catalogue: Sequence[CatalogueItem] = (),
    channels: Collection[str] | None = None,
) -> RecordedRuntime:
    """The runtime for ``--target replay`` or ``--target record`` (from the sandbox or live accounts);
    ``catalogue``: the items a recording from the sandbox makes in the account every scenario starts from;
    ``channels``: those the scenarios use, whose credentials a recording from live accounts needs, None: all)."""
    if config.project.target == "replay":
        pool = SharedPool()
        build = _emulator_clients(config, (placeholder_url("netsuite"), _REPLAY_NETSUITE), _replay_connections(config),
                                  on_exchange, sleep or (lambda seconds: None),  # replayed throttling needs no waiting
                                  pool, UnsignedTBA(_REPLAY_NETSUITE.account_id))
        return _opened(RecordedRuntime(config=config, netsuite=None, mode="replay", source="cassettes",  # type: ignore[arg-type]
                                       build=build, pool=pool))
    if record_from == "sandbox":
        box = start_emulators()
        pool = SharedPool()
        try:
            credentials, connections = emulator_connections(box, config, enabled_only=True)
            build = _emulator_clients(config, (box.emulator("netsuite").url, credentials), connections,
                                      on_exchange, sleep, pool)
            hosts = {box.emulator("netsuite").url: placeholder_url("netsuite")}
            literals = {credentials.account_id: ACCOUNT_PLACEHOLDER}
            for spec in channel_registry.specs():
                emulator = box.emulator(spec.emulator_name)
                hosts.setdefault(emulator.url, placeholder_url(spec.name))
                literals.update(spec.identifier_values(emulator.connection))
            set_up_sandbox_account(config, box.emulator("netsuite").url, credentials, sleep, catalogue)
            return _opened(RecordedRuntime(config=config, netsuite=None, sandbox=box, mode="record",  # type: ignore[arg-type]
                                           source="sandbox", hosts=hosts, literals=literals, build=build,
                                           start_state=box.saved_state(), pool=pool))
        except BaseException:
            pool.shut()
            box.stop()
            raise
    return _opened(_live_recording(config, on_exchange, allow_production_writes, sleep, channels))


def set_up_sandbox_account(config: Config, netsuite_url: str, credentials: NetSuiteCredentials, sleep,
                           catalogue: Sequence[CatalogueItem] = ()) -> None:
    """The sandbox account's one-time settlement set-up and its ``catalogue``, through HTTP and recorded
    nowhere (no evidence either)."""
    from ..engine import SyncEngine

    netsuite, _ = build_clients(config, (netsuite_url, credentials, None), {}, common_options(None, Redactor(), sleep))
    store = EngineStore()
    try:
        engine = SyncEngine.build(netsuite, store, config)
        engine.settlements.set_up()
        engine.books.ensure_items(catalogue)
    finally:
        netsuite.close()
        store.close()


def _live_recording(config: Config, on_exchange, allow_production_writes: bool, sleep,
                    channels: Collection[str] | None) -> RecordedRuntime:
    from .. import runtime as runtime_mod

    def build(redactor: Redactor, clock) -> Clients:
        live = runtime_mod._live_runtime(config, on_exchange, allow_production_writes, sleep, redactor=redactor,
                                         store=EngineStore(), channels=channels)
        live.store.close()
        return live.netsuite, live.channel_clients

    ns = config.netsuite
    hosts = {_origin(ns.base_url or account_base_url(ns.account_id)): placeholder_url("netsuite")}
    literals = {ns.account_id: ACCOUNT_PLACEHOLDER}
    for spec in channel_registry.specs():
        settings = config.channel(spec.name)
        if settings.enabled:
            for origin in spec.live_origins(settings):
                hosts[_origin(origin)] = placeholder_url(spec.name)
        literals.update(spec.identifier_values(settings.options))
    return RecordedRuntime(config=config, netsuite=None, mode="record", source="live", hosts=hosts,  # type: ignore[arg-type]
                           literals=literals, build=build, production_writes=allow_production_writes)


def _opened(rt: RecordedRuntime) -> RecordedRuntime:
    """Build a first set of clients so the runtime is usable outside a scenario too (every channel's, so that a
    setting a client refuses stops the run before its first scenario)."""
    rt.redactor = ScrubbingRedactor(scrubber=Scrubber(rt.hosts, rt.literals))
    assert rt.build is not None
    rt.netsuite, clients = rt.build(rt.redactor, None)
    rt.channel_clients = dict(clients)
    return rt


def _origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def recorded_clock(metadata: dict[str, Any]) -> Callable[[], float] | None:
    """The recording's wall clock, frozen, from a cassette's ``recorded_at``."""
    value = metadata.get("recorded_at")
    if not isinstance(value, str):
        return None
    try:
        instant = datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None
    return lambda: instant
