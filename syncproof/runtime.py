"""The systems a run talks to, built once for the run's target.

    with open_runtime(load_config()) as rt:      # target "sandbox": emulators on loopback
        rt.netsuite.suiteql("SELECT id FROM item ORDER BY id")
        rt.client("shopify")                      # each channel's client, by name (rt.channels)

- ``sandbox``: the embedded emulators are started on loopback with demo credentials.
- ``live``: the accounts in ``syncproof.toml``, credentials from the
  environment; writes are refused unless the NetSuite account is a sandbox or
  release-preview account and each store is declared a test store.
- ``record`` and ``replay``: see :mod:`syncproof.recording` (record from the sandbox
  emulators or the live accounts into ``cassettes/``; replay from them, no network).

Every channel's client comes from its :class:`~syncproof.channels.ChannelSpec`: the
runtime only decides, per target, the :class:`~syncproof.channels.Connection` (where
and with which credentials) each client gets.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Collection, Mapping, Sequence
from urllib.parse import urlsplit

import httpx

from connectors import Exchange, Redactor, WriteGuard
from connectors.netsuite import (
    NetSuiteAuth,
    NetSuiteClient,
    NetSuiteCredentials,
    account_base_url,
    is_sandbox_account,
    is_sandbox_host,
    is_valid_account_id,
)

from . import channels as channel_registry
from .channel_clients import ChannelClients, built_clients
from .channels import Connection
from .config import Config, secret
from .engine.store import EngineStore
from .errors import ConfigError
from .gzip_evidence import DecodingRedactor
from .model import CatalogueItem

__all__ = ["Runtime", "open_runtime", "build_clients", "check_fault_plan", "redactor_for", "unset_credentials"]

#: NetSuite's token-based credentials: name, and what it is (for the missing-secret line).
NETSUITE_SECRETS = (("consumer_key", "NetSuite integration record consumer key"),
                    ("consumer_secret", "NetSuite integration record consumer secret"),
                    ("token_id", "NetSuite access token id"),
                    ("token_secret", "NetSuite access token secret"))


@dataclass
class Runtime:
    """The clients of one run (NetSuite, and each channel's by name), and the sandbox emulators on ``sandbox``."""

    config: Config
    netsuite: NetSuiteClient
    channel_clients: Mapping[str, Any] = field(default_factory=dict)
    sandbox: Any = None
    redactor: Redactor = field(default_factory=Redactor)
    production_writes: bool = False
    interactive: bool = False
    run_tag: str = ""  # live runs: written into the memo of every NetSuite record made, for cleanup
    store: EngineStore = field(default_factory=EngineStore)
    connector_status: Any = None  # the sandbox NetSuite Connector's status API (connector driver on the sandbox)

    def client(self, channel: str) -> Any:
        """Channel ``channel``'s client, or None when this run does not talk to it."""
        return self.channel_clients.get(channel)

    @property
    def channels(self) -> tuple[str, ...]:
        """The channels this run talks to, in registry order."""
        return tuple(name for name, client in self.channel_clients.items() if client is not None)

    def __getattr__(self, name: str) -> Any:
        if name in channel_registry.names():  # runtime.shopify is runtime.client("shopify")
            return (self.__dict__.get("channel_clients") or {}).get(name)
        raise AttributeError(name)

    @property
    def clients(self) -> list[Any]:
        """The clients there are to close: NetSuite's and each channel's built so far."""
        return [c for c in (self.netsuite, *built_clients(self.channel_clients)) if c is not None]

    def engine(self, config: Config | None = None):
        """syncproof's sync engine on this run's NetSuite client and store (``config`` for settings changes)."""
        from .engine import SyncEngine

        return SyncEngine.build(self.netsuite, self.store, config or self.config, run_tag=self.run_tag)

    def sync(self, config: Config | None = None) -> Any:
        """Who performs the syncs a scenario checks, as the driver says: a :class:`~syncproof.scenario_sync.Sync`
        on ``config`` (a scenario's settings; default the run's)."""
        from .scenario_sync import scenario_sync

        return scenario_sync(self, config or self.config)

    def close(self) -> None:
        if self.connector_status is not None:
            self.connector_status.close()
        for client in self.clients:
            client.close()
        self.store.close()
        if self.sandbox is not None:
            self.sandbox.stop()

    def __enter__(self) -> "Runtime":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _guard(reason: str | None) -> WriteGuard | None:
    return WriteGuard(reason, hint="use a sandbox account and test stores, or pass --allow-production-writes "
                      "if you really mean to write to production") if reason else None


def redactor_for(literals: tuple[str, ...] = ()) -> Redactor:
    """The run's redactor: every channel's secret header and key names, and the account identifiers; a gzipped
    body (a report document) is shown gunzipped (:class:`~syncproof.gzip_evidence.DecodingRedactor`)."""
    return DecodingRedactor(headers=channel_registry.secret_headers(), keys=channel_registry.secret_keys(),
                            literals=literals)


def build_clients(config: Config, netsuite: tuple[str | None, NetSuiteCredentials, WriteGuard | None],
                  connections: Mapping[str, Connection], common: dict[str, Any], *,
                  allow_production_writes: bool = False, netsuite_auth: httpx.Auth | None = None,
                  lazy: bool = False) -> tuple[NetSuiteClient, Mapping[str, Any]]:
    """The NetSuite client (at ``netsuite``'s base URL, else the configured one; TBA-signed with the credentials
    unless ``netsuite_auth`` is given) and one client per channel in ``connections`` (registry order); ``lazy``:
    each channel's client built when first asked for (:class:`~syncproof.channel_clients.ChannelClients`)."""
    base_url, credentials, guard = netsuite
    extra: dict[str, Any] = {"write_guard": guard} if guard is not None else {}
    if base_url is None:  # live: the configured host, guarded on its own
        ns = NetSuiteClient(netsuite_url(config), auth=NetSuiteAuth(credentials),
                            allow_production_writes=allow_production_writes,
                            max_concurrency=config.netsuite.max_concurrency, **extra, **common)
    else:
        ns = NetSuiteClient.for_account(credentials, base_url=base_url, auth=netsuite_auth,
                                        max_concurrency=config.netsuite.max_concurrency, **extra, **common)
    factories = {spec.name: _client_factory(spec, config, connections[spec.name], common)
                 for spec in channel_registry.specs() if spec.name in connections}
    if lazy:
        return ns, ChannelClients(factories)
    return ns, {name: make() for name, make in factories.items()}


def _client_factory(spec: channel_registry.ChannelSpec, config: Config, connection: Connection,
                    common: dict[str, Any]) -> Callable[[], Any]:
    return lambda: spec.client(config.channel(spec.name), connection, **common)


def netsuite_url(config: Config) -> str:
    """The NetSuite REST base URL every request goes to: ``[netsuite] base_url``, else derived from the account id."""
    ns = config.netsuite
    if not is_valid_account_id(ns.account_id):
        raise ConfigError(f"[netsuite] account_id {ns.account_id!r} is not a NetSuite account id",
                          "write it as shown under Setup > Company > Company Information, e.g. 1234567_SB1")
    return ns.base_url or account_base_url(ns.account_id)


def netsuite_host_is_sandbox(config: Config) -> bool:
    """Whether the host NetSuite requests go to is a sandbox or release-preview host."""
    return is_sandbox_host(urlsplit(netsuite_url(config)).hostname or "")


def common_options(on_exchange, redactor: Redactor, sleep) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"on_exchange": on_exchange, "redactor": redactor}
    if sleep is not None:
        kwargs["sleep"] = sleep
    return kwargs


def open_runtime(config: Config, *, on_exchange: Callable[[Exchange], None] | None = None,
                 allow_production_writes: bool = False, sleep: Callable[[float], None] | None = None,
                 record_from: str = "sandbox", catalogue: Sequence[CatalogueItem] = (),
                 channels: Collection[str] | None = None) -> Runtime:
    """Build the clients for ``config.project.target`` (``catalogue``: the items a recording from the sandbox
    makes once, see :func:`~syncproof.recording.open_recorded_runtime`; ``channels``: those the run's scenarios
    use, None: every one, whose credentials a live account must have, see :func:`live_connections`)."""
    target = config.project.target
    if target == "sandbox":
        return _sandbox_runtime(config, on_exchange, sleep)
    if target in ("replay", "record"):
        # recorded runs (syncproof.recording): placeholder base URLs, clients rebuilt per scenario
        from .recording import open_recorded_runtime

        return open_recorded_runtime(config, on_exchange=on_exchange, allow_production_writes=allow_production_writes,
                                     sleep=sleep, record_from=record_from, catalogue=catalogue,
                                     channels=channels)
    return _live_runtime(config, on_exchange, allow_production_writes, sleep, channels=channels)


# --- sandbox ----------------------------------------------------------------------------------------

def emulator_names() -> tuple[str, ...]:
    """The emulators a sandbox run starts: NetSuite and each channel's."""
    return tuple(dict.fromkeys(("netsuite", *(spec.emulator_name for spec in channel_registry.specs()))))


def _fault_error(exc: Exception) -> ConfigError:
    return ConfigError(f"fault plan: {exc}", "see `syncproof init` for the syntax, e.g. faults = \"seed=42,rate=0.1\"")


def check_fault_plan(config: Config) -> None:
    """Refuse a bad fault plan (``$SYNCPROOF_FAULTS`` or ``[sandbox] faults``) with one line, before anything runs."""
    from sandbox import FaultPlanError, fault_plan

    try:
        fault_plan(config.sandbox_faults)
    except FaultPlanError as exc:
        raise _fault_error(exc) from None


def start_emulators(faults: str | dict[str, Any] | None = None, connector: dict[str, Any] | None = None) -> Any:
    """The sandbox launcher's emulators for this run (with the fault plan ``faults`` spells, and the sandbox
    NetSuite Connector when ``connector`` says how to start it)."""
    from sandbox import FaultPlanError, start_sandbox  # only the sandbox and record targets need the emulators

    try:
        return start_sandbox(faults=faults, emulators=emulator_names(), connector=connector)
    except FaultPlanError as exc:
        raise _fault_error(exc) from None


def emulator_connections(box: Any, config: Config, *,
                         enabled_only: bool) -> tuple[NetSuiteCredentials, dict[str, Connection]]:
    """The NetSuite demo credentials and a :class:`Connection` per channel to the running emulators."""
    demo = box.emulator("netsuite").connection
    credentials = NetSuiteCredentials.of(demo)
    connections = {}
    for spec in channel_registry.specs():
        if enabled_only and not config.channel(spec.name).enabled:
            continue
        emulator = box.emulator(spec.emulator_name)
        connections[spec.name] = Connection(emulator.url, dict(emulator.connection))
    return credentials, connections


def _sandbox_runtime(config: Config, on_exchange, sleep) -> Runtime:
    box = start_emulators(config.sandbox_faults, sandbox_connector_options(config))
    redactor = redactor_for()
    try:
        credentials, connections = emulator_connections(box, config, enabled_only=False)
        netsuite, clients = build_clients(config, (box.emulator("netsuite").url, credentials, None), connections,
                                          common_options(on_exchange, redactor, sleep))
    except BaseException:
        box.stop()
        raise
    status = None
    if box.connector_url:
        from .connector_driver import ConnectorStatus

        status = ConnectorStatus(box.connector_url)
    return Runtime(config=config, netsuite=netsuite, channel_clients=clients, sandbox=box, redactor=redactor,
                   connector_status=status)


def sandbox_connector_options(config: Config, *, always: bool = False) -> dict[str, Any] | None:
    """How to start the sandbox NetSuite Connector: only when the connector driver (or ``always``, a connector
    with no run of scenarios around it, which refuses a defect scoped to scenarios) needs it."""
    if not always and config.project.driver != "connector":
        return None
    from .connector_defects import scoped_defects_for

    # a defect scoped to some scenarios is made only in them: the pytest plugin names it at each one's start
    entries = scoped_defects_for(config.sandbox_connector_defects)
    scoped = [entry for entry in entries if entry.scope is not None]
    if always and scoped:
        raise ConfigError(f"connector defect {str(scoped[0])!r}: a sandbox connector started on its own runs no "
                          f"scenarios, so a defect scoped to some would never be made",
                          f"name it without '@{scoped[0].scope}' to make it all along, or run the scenarios with "
                          f"syncproof run --driver connector")
    everywhere = [entry.name for entry in entries if entry.scope is None]
    return {"config": str(config.path) if config.path else None, "defects": ",".join(everywhere), "interval": 1.0}


# --- live ------------------------------------------------------------------------------------------

def _live_redactor(literals: tuple[str, ...]) -> Redactor:
    """Secrets and identifiers redacted; personal data pseudonymised when the run turned that on."""
    from .report.sanitize import personal_scrubber

    scrubber = personal_scrubber()
    if scrubber is None:
        return redactor_for(literals)
    from .recording import ScrubbingRedactor

    return ScrubbingRedactor(literals=literals, scrubber=scrubber)


def account_literals(config: Config) -> tuple[str, ...]:
    """The configured account identifiers (NetSuite account id, shop names...) to mask in evidence."""
    values = [config.netsuite.account_id]
    for spec in channel_registry.specs():
        values += spec.identifier_values(config.channel(spec.name).options)
    return tuple(v for v in values if v)


def unset_credentials(config: Config, channel: str, environ: Mapping[str, str] | None = None) -> list[str]:
    """The environment variables of enabled channel ``channel``'s credentials that are not set."""
    env = os.environ if environ is None else environ
    settings = config.channel(channel)
    return [settings.options[s.key] for s in channel_registry.get(channel).secrets
            if not env.get(settings.options[s.key], "").strip()]


def live_connections(config: Config, allow_production_writes: bool,
                     channels: Collection[str] | None = None) -> dict[str, Connection]:
    """A :class:`Connection` per enabled channel: credentials from the environment, writes guarded. An enabled
    channel none of ``channels`` (those the run's scenarios use; None: every one) names gets none when its
    credentials are not set: the run does not talk to it, and a missing one is no error."""
    connections = {}
    for spec in channel_registry.specs():
        settings = config.channel(spec.name)
        if not settings.enabled:
            continue
        if channels is not None and spec.name not in channels and unset_credentials(config, spec.name):
            continue
        credentials = {s.name: secret(settings.options[s.key], s.purpose) for s in spec.secrets}
        reason = None if allow_production_writes or settings.test_store or not spec.guard_writes else (
            f"the {spec.title} store is not declared a test store ([{spec.name}] test_store = true)")
        connections[spec.name] = Connection(None, credentials, write_guard=_guard(reason))
    return connections


def _live_runtime(config: Config, on_exchange, allow_production_writes: bool, sleep, *,
                  redactor: Redactor | None = None, store: EngineStore | None = None,
                  channels: Collection[str] | None = None) -> Runtime:
    ns = config.netsuite
    values = {name: secret(getattr(ns, f"{name}_env"), purpose) for name, purpose in NETSUITE_SECRETS}
    credentials = NetSuiteCredentials(account_id=ns.account_id, **values)
    redactor = redactor or _live_redactor(account_literals(config))
    ns_guard = None if allow_production_writes or is_sandbox_account(ns.account_id) else (
        f"NetSuite account {ns.account_id} is not a sandbox (_SB) or release-preview (_RP) account")
    netsuite, clients = build_clients(config, (None, credentials, _guard(ns_guard)),
                                      live_connections(config, allow_production_writes, channels),
                                      common_options(on_exchange, redactor, sleep),
                                      allow_production_writes=allow_production_writes)
    store = store or EngineStore(Path(".syncproof") / f"engine-{config.project.target}.sqlite3")
    return Runtime(config=config, netsuite=netsuite, channel_clients=clients, redactor=redactor,
                   production_writes=allow_production_writes, store=store)
