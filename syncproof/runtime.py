"""The systems a run talks to, built once for the run's target.

    >>> with open_runtime(load_config()) as rt:      # target "sandbox": emulators on loopback
    ...     rt.netsuite.suiteql("SELECT id FROM item ORDER BY id")

- ``sandbox``: the embedded emulators are started on loopback with demo credentials.
- ``live``: the accounts in ``syncproof.toml``, credentials from the
  environment; writes are refused unless the NetSuite account is a sandbox or
  release-preview account and each store is declared a test store.
- ``record`` and ``replay``: see :mod:`syncproof.recording` (record from the sandbox
  emulators or the live accounts into ``cassettes/``; replay from them, no network).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

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

from .config import Config, secret
from .engine.store import EngineStore
from .errors import ConfigError

__all__ = ["Runtime", "open_runtime"]


@dataclass
class Runtime:
    """The clients of one run, and the sandbox emulators when the target is ``sandbox``."""

    config: Config
    netsuite: NetSuiteClient
    shopify: Any = None
    amazon: Any = None
    sandbox: Any = None
    redactor: Redactor = field(default_factory=Redactor)
    production_writes: bool = False
    interactive: bool = False
    run_tag: str = ""  # live runs: written into the memo of every NetSuite record made, for cleanup
    store: EngineStore = field(default_factory=EngineStore)
    connector_status: Any = None  # the sandbox NetSuite Connector's status API (connector driver on the sandbox)

    @property
    def clients(self) -> list[Any]:
        return [c for c in (self.netsuite, self.shopify, self.amazon) if c is not None]

    def engine(self, config: Config | None = None):
        """syncproof's sync engine on this run's NetSuite client and store (``config`` for settings changes)."""
        from .engine import SyncEngine

        return SyncEngine.build(self.netsuite, self.store, config or self.config, run_tag=self.run_tag)

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


def _live_redactor(literals: tuple[str, ...]) -> Redactor:
    """Secrets and identifiers redacted; personal data pseudonymised when the run turned that on."""
    from .report.sanitize import personal_scrubber

    scrubber = personal_scrubber()
    if scrubber is None:
        return Redactor(literals=literals)
    from .recording import ScrubbingRedactor

    return ScrubbingRedactor(literals=literals, scrubber=scrubber)


def _guard(reason: str | None) -> WriteGuard | None:
    return WriteGuard(reason, hint="use a sandbox account and test stores, or pass --allow-production-writes "
                      "if you really mean to write to production") if reason else None


def open_runtime(config: Config, *, on_exchange: Callable[[Exchange], None] | None = None,
                 allow_production_writes: bool = False, transport_factory: Callable[[str], Any] | None = None,
                 sleep: Callable[[float], None] | None = None, record_from: str = "sandbox") -> Runtime:
    """Build the clients for ``config.project.target``."""
    target = config.project.target
    if target == "sandbox":
        return _sandbox_runtime(config, on_exchange, sleep)
    if target in ("replay", "record"):
        # recorded runs (syncproof.recording): placeholder base URLs, clients rebuilt per scenario
        from .recording import open_recorded_runtime

        return open_recorded_runtime(config, on_exchange=on_exchange, allow_production_writes=allow_production_writes,
                                     sleep=sleep, record_from=record_from)
    return _live_runtime(config, on_exchange, allow_production_writes, sleep)


def _common(on_exchange, redactor, sleep) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"on_exchange": on_exchange, "redactor": redactor}
    if sleep is not None:
        kwargs["sleep"] = sleep
    return kwargs


def _sandbox_runtime(config: Config, on_exchange, sleep) -> Runtime:
    from sandbox import start_sandbox  # only the sandbox target needs the emulators

    box = start_sandbox(faults=fault_plan(config), connector=sandbox_connector_options(config))
    redactor = Redactor()
    common = _common(on_exchange, redactor, sleep)
    try:
        demo = box.netsuite_credentials
        netsuite = NetSuiteClient.for_account(NetSuiteCredentials.of(demo), base_url=box.netsuite_url,
                                              max_concurrency=config.netsuite.max_concurrency, **common)
        shopify = amazon = None
        if box.shopify_url:
            from connectors.shopify import ShopifyClient

            shopify = ShopifyClient(shop=box.shopify_url, access_token=box.shopify_token,
                                    api_version=config.shopify.options["api_version"], **common)
        if box.amazon_url:
            from connectors.amazon import AmazonClient, LwaCredentials

            lwa = box.amazon_credentials
            amazon = AmazonClient(
                LwaCredentials(lwa.client_id, lwa.client_secret, lwa.refresh_token),
                base_url=box.amazon_url,
                lwa_token_url=box.amazon_lwa_url,
                marketplace_ids=(config.amazon.options["marketplace_id"],),
                **common,
            )
    except BaseException:
        box.stop()
        raise
    status = None
    if box.connector_url:
        from .connector_driver import ConnectorStatus

        status = ConnectorStatus(box.connector_url)
    return Runtime(config=config, netsuite=netsuite, shopify=shopify, amazon=amazon, sandbox=box, redactor=redactor,
                   connector_status=status)


def sandbox_connector_options(config: Config, *, always: bool = False) -> dict[str, Any] | None:
    """How to start the sandbox NetSuite Connector: only when the connector driver (or ``always``) needs it."""
    if not always and config.project.driver != "connector":
        return None
    from .connector_defects import defects_for

    return {"config": str(config.path) if config.path else None,
            "defects": ",".join(defects_for(config.sandbox_connector_defects)), "interval": 1.0}


def fault_plan(config: Config):
    """The emulators' fault plan: ``$SYNCPROOF_FAULTS``, else ``[sandbox] faults``, else none."""
    from sandbox._faults import FaultPlan, FaultPlanError

    try:
        plan = FaultPlan.from_env()
        if plan is None and config.sandbox_faults.strip():
            plan = FaultPlan.parse(config.sandbox_faults)
    except FaultPlanError as exc:
        raise ConfigError(
            f"fault plan: {exc}", "see `syncproof init` for the syntax, e.g. faults = \"seed=42,rate=0.1\""
        ) from None
    return plan


def _live_runtime(config: Config, on_exchange, allow_production_writes: bool, sleep, *,
                  redactor: Redactor | None = None, store: EngineStore | None = None) -> Runtime:
    ns = config.netsuite
    credentials = NetSuiteCredentials(
        account_id=ns.account_id,
        consumer_key=secret(ns.consumer_key_env, "NetSuite integration record consumer key"),
        consumer_secret=secret(ns.consumer_secret_env, "NetSuite integration record consumer secret"),
        token_id=secret(ns.token_id_env, "NetSuite access token id"),
        token_secret=secret(ns.token_secret_env, "NetSuite access token secret"),
    )
    redactor = redactor or _live_redactor(tuple(v for v in (ns.account_id, config.shopify.options.get("shop")) if v))
    common = _common(on_exchange, redactor, sleep)
    ns_guard = None if allow_production_writes or is_sandbox_account(ns.account_id) else (
        f"NetSuite account {ns.account_id} is not a sandbox (_SB) or release-preview (_RP) account")
    netsuite = NetSuiteClient(netsuite_url(config), auth=NetSuiteAuth(credentials),
                              allow_production_writes=allow_production_writes, max_concurrency=ns.max_concurrency,
                              write_guard=_guard(ns_guard), **common)
    shopify = amazon = None
    if config.shopify.enabled:
        from connectors.shopify import ShopifyClient

        opts = config.shopify.options
        guard = None if allow_production_writes or config.shopify.test_store else (
            "the Shopify store is not declared a test store ([shopify] test_store = true)")
        shopify = ShopifyClient(shop=config.shopify.base_url or opts["shop"],
                                access_token=secret(opts["access_token_env"], "Shopify Admin API access token"),
                                api_version=opts["api_version"], write_guard=_guard(guard), **common)
    if config.amazon.enabled:
        from connectors.amazon import AmazonClient, LwaCredentials

        opts = config.amazon.options
        credentials = LwaCredentials(
            client_id=secret(opts["client_id_env"], "Login with Amazon client id"),
            client_secret=secret(opts["client_secret_env"], "Login with Amazon client secret"),
            refresh_token=secret(opts["refresh_token_env"], "Login with Amazon refresh token"))
        amazon = AmazonClient(credentials, region=opts["region"], base_url=config.amazon.base_url or None,
                              lwa_token_url=opts["lwa_url"], marketplace_ids=(opts["marketplace_id"],), **common)
    store = store or EngineStore(Path(".syncproof") / f"engine-{config.project.target}.sqlite3")
    return Runtime(config=config, netsuite=netsuite, shopify=shopify, amazon=amazon, redactor=redactor,
                   production_writes=allow_production_writes, store=store)

