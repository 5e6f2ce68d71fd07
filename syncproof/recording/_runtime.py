"""The runtime of recorded runs: clients rebuilt for every scenario, emulators reset.

``--target replay`` needs no emulator and no network: its clients talk to fixed
placeholder base URLs (:data:`PLACEHOLDER_URLS`) with placeholder credentials, and
every request is answered from the scenario's cassette. ``--target record`` talks to
the sandbox emulators (default, ``--record-from sandbox``) or the live accounts
(``--record-from live``) and maps their real base URLs to the same placeholders when
it writes, so a cassette is the same whichever port an emulator listened on.

Before each scenario, :meth:`RecordedRuntime.begin_scenario` resets the emulators'
state (record from the sandbox), builds fresh clients (no cached LWA token, no
throttle state carried over) whose evidence goes through the scenario's scrubber, and
opens a fresh in-memory engine store: a scenario records the same ids whether it
runs alone or with all the others.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from connectors import Redactor
from connectors.netsuite import NetSuiteClient, NetSuiteCredentials, account_base_url

from ..config import Config
from ..engine.store import EngineStore
from ..runtime import Runtime
from ._scrub import Scrubber

__all__ = ["PLACEHOLDER_URLS", "RecordedRuntime", "ScrubbingRedactor", "open_recorded_runtime"]

#: The base URL each system has in cassettes and in replayed runs.
PLACEHOLDER_URLS = {
    "netsuite": "http://netsuite.sandbox.syncproof",
    "shopify": "http://shopify.sandbox.syncproof",
    "amazon": "http://amazon.sandbox.syncproof",
}
#: Placeholders for configured account identifiers.
ACCOUNT_PLACEHOLDER = "[netsuite-account]"
SHOP_PLACEHOLDER = "[shop]"

_REPLAY_NETSUITE = NetSuiteCredentials("1234567_SB1", "replay-consumer-key", "replay-consumer-secret",
                                       "replay-token-id", "replay-token-secret")
_REPLAY_SHOPIFY_TOKEN = "replay-shopify-token"
_REPLAY_LWA = ("replay-lwa-client-id", "replay-lwa-client-secret", "replay-lwa-refresh-token")


@dataclass
class ScrubbingRedactor(Redactor):
    """The report's redactor in recorded runs: the cassette's scrubbing rules, then the usual ones."""

    scrubber: Scrubber = field(default_factory=Scrubber)

    def header_items(self, headers) -> dict[str, str]:
        scrubbed = self.scrubber.headers(list(headers))
        return super().header_items((k, ", ".join(v)) for k, v in scrubbed.items())

    def url(self, url: str) -> str:
        return super().url(self.scrubber.url(url))

    def body(self, content: bytes, content_type: str) -> str:
        return super().body(self.scrubber.body(content, content_type), content_type)

    def text(self, text: str) -> str:
        return self.scrubber.text(super().text(text))


Builder = Callable[[Redactor, "Callable[[], float] | None"], tuple[Any, Any, Any]]


@dataclass
class RecordedRuntime(Runtime):
    """A :class:`Runtime` for ``record`` and ``replay`` whose clients are rebuilt per scenario."""

    mode: str = "replay"
    source: str = "cassettes"  # where HTTP goes: cassettes, sandbox or live
    hosts: dict[str, str] = field(default_factory=dict)  # real origin -> placeholder
    literals: dict[str, str] = field(default_factory=dict)  # account identifier -> placeholder
    build: Builder | None = field(default=None, repr=False)

    def begin_scenario(self, scrubber: Scrubber, clock: Callable[[], float] | None = None) -> None:
        """Fresh emulator state, clients and engine store for the next scenario."""
        self._close_clients()
        if self.sandbox is not None:
            reset_emulators(self.sandbox)
        self.redactor = ScrubbingRedactor(scrubber=scrubber)
        assert self.build is not None
        self.netsuite, self.shopify, self.amazon = self.build(self.redactor, clock)
        self.store.close()
        self.store = EngineStore()

    def end_scenario(self) -> None:
        self._close_clients()

    def _close_clients(self) -> None:
        for client in self.clients:
            client.close()
        self.netsuite = self.shopify = self.amazon = None  # type: ignore[assignment]


def reset_emulators(box: Any) -> None:
    """Forget every record in the three emulators (ids start again from their first value)."""
    box.netsuite.reset()
    box.shopify.reset()
    amazon = box.amazon
    if callable(getattr(amazon, "reset", None)):
        amazon.reset()
    else:  # the Amazon emulator has no reset() yet: re-initialise it in place (its app keeps the object)
        type(amazon).__init__(amazon, amazon.credentials, clock=amazon.clock, seller_id=amazon.seller_id,
                              orders_page_size=amazon.orders_page_size,
                              order_items_page_size=amazon.order_items_page_size,
                              transactions_page_size=amazon.transactions_page_size,
                              token_lifetime=amazon.token_lifetime)


def _emulator_clients(config: Config, urls: dict[str, str], netsuite: NetSuiteCredentials, shopify_token: str,
                      lwa: tuple[str, str, str], lwa_url: str, on_exchange, sleep) -> Builder:
    """A builder of clients for the emulators or for their placeholders (same requests either way)."""

    def build(redactor: Redactor, clock: Callable[[], float] | None) -> tuple[Any, Any, Any]:
        common: dict[str, Any] = {"on_exchange": on_exchange, "redactor": redactor}
        if sleep is not None:
            common["sleep"] = sleep
        ns = NetSuiteClient.for_account(netsuite, base_url=urls["netsuite"],
                                        max_concurrency=config.netsuite.max_concurrency, **common)
        shop = amazon = None
        if config.shopify.enabled:
            from connectors.shopify import ShopifyClient

            shop = ShopifyClient(shop=urls["shopify"], access_token=shopify_token,
                                 api_version=config.shopify.options["api_version"], **common)
        if config.amazon.enabled:
            from connectors.amazon import AmazonClient, LwaCredentials

            amazon = AmazonClient(LwaCredentials(*lwa), base_url=urls["amazon"], lwa_token_url=lwa_url,
                                  marketplace_ids=(config.amazon.options["marketplace_id"],),
                                  clock=clock or time.time, **common)
        return ns, shop, amazon

    return build


def open_recorded_runtime(
    config: Config,
    *,
    on_exchange=None,
    allow_production_writes: bool = False,
    sleep: Callable[[float], None] | None = None,
    record_from: str = "sandbox",
) -> RecordedRuntime:
    """The runtime for ``--target replay`` or ``--target record`` (from the sandbox or live accounts)."""
    if config.project.target == "replay":
        build = _emulator_clients(config, PLACEHOLDER_URLS, _REPLAY_NETSUITE, _REPLAY_SHOPIFY_TOKEN, _REPLAY_LWA,
                                  PLACEHOLDER_URLS["amazon"] + "/auth/o2/token", on_exchange,
                                  sleep or (lambda seconds: None))  # replayed throttling needs no waiting
        return _opened(RecordedRuntime(config=config, netsuite=None, mode="replay", source="cassettes",  # type: ignore[arg-type]
                                       build=build))
    if record_from == "sandbox":
        from sandbox import start_sandbox

        box = start_sandbox()
        try:
            demo = box.netsuite_credentials
            lwa = box.amazon_credentials
            build = _emulator_clients(
                config, {"netsuite": box.netsuite_url, "shopify": box.shopify_url, "amazon": box.amazon_url},
                NetSuiteCredentials.of(demo),
                box.shopify_token, (lwa.client_id, lwa.client_secret, lwa.refresh_token), box.amazon_lwa_url,
                on_exchange, sleep)
            hosts = {box.netsuite_url: PLACEHOLDER_URLS["netsuite"], box.shopify_url: PLACEHOLDER_URLS["shopify"],
                     box.amazon_url: PLACEHOLDER_URLS["amazon"]}
            literals = {demo.account_id: ACCOUNT_PLACEHOLDER, box.shopify_shop: SHOP_PLACEHOLDER}
            return _opened(RecordedRuntime(config=config, netsuite=None, sandbox=box, mode="record",  # type: ignore[arg-type]
                                           source="sandbox", hosts=hosts, literals=literals, build=build))
        except BaseException:
            box.stop()
            raise
    return _opened(_live_recording(config, on_exchange, allow_production_writes, sleep))


def _live_recording(config: Config, on_exchange, allow_production_writes: bool, sleep) -> RecordedRuntime:
    from connectors.amazon import endpoint_for

    from .. import runtime as runtime_mod

    def build(redactor: Redactor, clock) -> tuple[Any, Any, Any]:
        live = runtime_mod._live_runtime(config, on_exchange, allow_production_writes, sleep, redactor=redactor,
                                         store=EngineStore())
        live.store.close()
        return live.netsuite, live.shopify, live.amazon

    ns, shop, amazon = config.netsuite, config.shopify, config.amazon
    hosts = {_origin(ns.base_url or account_base_url(ns.account_id)): PLACEHOLDER_URLS["netsuite"]}
    if shop.enabled:
        hosts[_origin(shop.base_url or f"https://{shop.options['shop']}.myshopify.com")] = PLACEHOLDER_URLS["shopify"]
    if amazon.enabled:
        hosts[_origin(amazon.base_url or endpoint_for(amazon.options["region"]))] = PLACEHOLDER_URLS["amazon"]
        hosts[_origin(amazon.options["lwa_url"])] = PLACEHOLDER_URLS["amazon"]
    literals = {ns.account_id: ACCOUNT_PLACEHOLDER}
    if shop.options.get("shop"):
        literals[shop.options["shop"]] = SHOP_PLACEHOLDER
    return RecordedRuntime(config=config, netsuite=None, mode="record", source="live", hosts=hosts,  # type: ignore[arg-type]
                           literals=literals, build=build, production_writes=allow_production_writes)


def _opened(rt: RecordedRuntime) -> RecordedRuntime:
    """Build a first set of clients so the runtime is usable outside a scenario too."""
    rt.redactor = ScrubbingRedactor(scrubber=Scrubber(rt.hosts, rt.literals))
    assert rt.build is not None
    rt.netsuite, rt.shopify, rt.amazon = rt.build(rt.redactor, None)
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
