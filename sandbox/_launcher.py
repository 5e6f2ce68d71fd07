"""Start all three emulators on loopback for a sandbox run.

    >>> box = start_sandbox()
    >>> box.urls()
    {'netsuite': 'http://127.0.0.1:41234', 'shopify': 'http://127.0.0.1:41235', 'amazon': 'http://127.0.0.1:41236'}
    >>> box.stop()

With ``connector={...}`` the sandbox NetSuite Connector is started too, as a process of its
own (``python -m sandbox_connector``) polling the three emulators; ``box.connector_url`` is
its status API::

    >>> box = start_sandbox(connector={"config": None, "defects": "cent_off", "interval": 1.0})

With a fault plan each emulator is wrapped in its own :class:`~sandbox._faults.FaultInjector`::

    >>> box = start_sandbox(faults=FaultPlan.parse("seed=42,rate=0.1,kinds=429+lost_response"))
    >>> box.faults["netsuite"].stats.faults
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable

from ._faults import FaultInjector, FaultPlan
from ._server import RunningServer, start

__all__ = ["Sandbox", "start_sandbox"]


@dataclass
class Sandbox:
    """The running emulators, their state (``netsuite``, ``shopify``, ``amazon``) and demo credentials.

    ``faults`` maps each emulator's name to its fault injector when started with a plan.
    """

    netsuite: Any
    shopify: Any
    amazon: Any
    servers: dict[str, RunningServer] = field(default_factory=dict)
    faults: dict[str, FaultInjector] = field(default_factory=dict)
    connector: subprocess.Popen | None = None
    connector_url: str | None = None

    @property
    def netsuite_url(self) -> str:
        return self.servers["netsuite"].url

    @property
    def netsuite_credentials(self) -> Any:
        return self.netsuite.credentials

    @property
    def shopify_url(self) -> str:
        return self.servers["shopify"].url

    @property
    def shopify_shop(self) -> str:
        from .shopify import DEMO_SHOP

        return DEMO_SHOP

    @property
    def shopify_token(self) -> str:
        from .shopify import DEMO_TOKEN

        return DEMO_TOKEN

    @property
    def amazon_url(self) -> str:
        return self.servers["amazon"].url

    @property
    def amazon_lwa_url(self) -> str:
        return self.servers["amazon"].url + "/auth/o2/token"

    @property
    def amazon_credentials(self) -> Any:
        return self.amazon.credentials

    def urls(self) -> dict[str, str]:
        return {name: server.url for name, server in self.servers.items()}

    def stop(self) -> None:
        if self.connector is not None:
            stop_connector(self.connector)
            self.connector = None
        for server in self.servers.values():
            server.stop()
        self.servers.clear()


#: Requests per second the sandbox's SP-API advertises in ``x-amzn-RateLimit-Limit``:
#: generous, so a sandbox run is not paced like a live one (getReports allows 0.0222/s).
SANDBOX_SP_API_RATE = "50"


def start_sandbox(host: str = "127.0.0.1", faults: FaultPlan | None = None, *,
                  live_rate_limits: bool = False, connector: dict[str, Any] | None = None) -> Sandbox:
    """Start the NetSuite, Shopify and Amazon emulators, each on a free loopback port.

    With ``faults``, each emulator answers through a :class:`FaultInjector` following that plan.
    With ``live_rate_limits`` the SP-API emulator advertises Amazon's real usage-plan rates.
    """
    from . import amazon, netsuite, shopify

    box = Sandbox(netsuite=netsuite.NetSuiteBackend(), shopify=shopify.ShopifyBackend(),
                  amazon=amazon.AmazonBackend())
    if not live_rate_limits:
        box.amazon.rate_limits = {operation: SANDBOX_SP_API_RATE for operation in box.amazon.rate_limits}
    apps: dict[str, Callable[..., Awaitable[None]]] = {
        "netsuite": netsuite.create_app(box.netsuite), "shopify": shopify.create_app(box.shopify),
        "amazon": amazon.create_app(box.amazon)}
    try:
        for name, app in apps.items():
            if faults is not None:
                app = box.faults[name] = FaultInjector(app, faults, vendor=name)
            box.servers[name] = start(app, host, name=name)
        if connector is not None:
            box.connector, box.connector_url = start_connector(box, connector, host)
    except BaseException:
        box.stop()
        raise
    return box


def start_connector(box: Sandbox, options: dict[str, Any], host: str) -> tuple[subprocess.Popen, str]:
    """Start the sandbox NetSuite Connector process on the running emulators; return it and its status URL.

    ``options``: ``config`` (path of syncproof.toml or None), ``defects`` (names), ``interval`` (seconds).
    The spec goes in on stdin, the status URL comes back as the first line on stdout; closing
    stdin stops the process.
    """
    ns, lwa = box.netsuite_credentials, box.amazon_credentials
    spec = {**options, "host": host,
            "netsuite": {"url": box.netsuite_url, "account_id": ns.account_id, "consumer_key": ns.consumer_key,
                         "consumer_secret": ns.consumer_secret, "token_id": ns.token_id,
                         "token_secret": ns.token_secret},
            "shopify": {"url": box.shopify_url, "token": box.shopify_token},
            "amazon": {"url": box.amazon_url, "lwa_url": box.amazon_lwa_url, "client_id": lwa.client_id,
                       "client_secret": lwa.client_secret, "refresh_token": lwa.refresh_token}}
    root = str(Path(__file__).resolve().parents[1])  # sandbox_connector sits next to this package
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen([sys.executable, "-m", "sandbox_connector"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True, env=env)
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(json.dumps(spec) + "\n")
    process.stdin.flush()
    line = process.stdout.readline()
    if not line:
        process.wait(timeout=10)
        raise RuntimeError(f"the sandbox NetSuite Connector did not start (exit code {process.returncode})")
    return process, str(json.loads(line)["url"])


def stop_connector(process: subprocess.Popen) -> None:
    """Close the connector's stdin (its signal to stop) and wait for it."""
    try:
        if process.stdin is not None:
            process.stdin.close()
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
