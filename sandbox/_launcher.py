"""Start emulators on loopback for a sandbox run: the one door from syncproof into the sandbox.

    >>> box = start_sandbox()                       # every emulator package: netsuite, shopify, amazon
    >>> box.urls()
    {'netsuite': 'http://127.0.0.1:41234', 'shopify': 'http://127.0.0.1:41235', 'amazon': 'http://127.0.0.1:41236'}
    >>> box.emulator("shopify").connection          # demo credentials and identifiers
    {'access_token': 'shpat_...', 'shop': 'syncproof-demo'}
    >>> state = box.saved_state()                   # restored later with box.restore(state)
    >>> box.stop()

With ``connector={...}`` the sandbox NetSuite Connector is started too, as a process of its
own (``python -m sandbox_connector``) polling the emulators; ``box.connector_url`` is
its status API::

    >>> box = start_sandbox(connector={"config": None, "defects": "cent_off", "interval": 1.0})

Each emulator comes from its package's ``launch`` module (:mod:`sandbox._emulator`), so
the launcher names no emulator. With a fault plan (a :class:`FaultPlan` or its text,
``"seed=42,rate=0.1"``; ``$SYNCPROOF_FAULTS`` overrides the text) each emulator is
wrapped in its own :class:`~sandbox._faults.FaultInjector`::

    >>> box = start_sandbox(faults="seed=42,rate=0.1,kinds=429+lost_response")
    >>> box.faults["netsuite"].stats.faults

:func:`fault_plan` checks a plan's text up front; :func:`seeding_client` reaches an
emulator's sandbox-only seed routes through the caller's HTTP client.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from ._emulator import Emulator, Send, emulator_names
from ._faults import FaultInjector, FaultPlan, FaultPlanError
from ._server import RunningServer, start, stop_all

__all__ = ["Sandbox", "RunningEmulator", "start_sandbox", "fault_plan", "FaultPlanError", "seeding_client",
           "emulator_names"]


def _launch(name: str) -> Any:
    try:
        return importlib.import_module(f"{__package__}.{name}.launch")
    except ModuleNotFoundError as exc:
        if exc.name not in (f"{__package__}.{name}", f"{__package__}.{name}.launch"):
            raise
        raise LookupError(f"no emulator {name!r} in the sandbox (emulators: {', '.join(emulator_names())})") from None


@dataclass
class RunningEmulator:
    """An emulator serving on loopback: its state (``backend``), server and demo connection."""

    emulator: Emulator
    server: RunningServer

    @property
    def name(self) -> str:
        return self.emulator.name

    @property
    def backend(self) -> Any:
        return self.emulator.backend

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def connection(self) -> dict[str, str]:
        return self.emulator.connection

    def reset(self) -> None:
        self.emulator.forget()


@dataclass
class Sandbox:
    """The running emulators by name; ``box.<name>`` is an emulator's state (``box.netsuite``...).

    ``faults`` maps each emulator's name to its fault injector when started with a plan.
    """

    emulators: dict[str, RunningEmulator] = field(default_factory=dict)
    faults: dict[str, FaultInjector] = field(default_factory=dict)
    connector: subprocess.Popen | None = None
    connector_url: str | None = None

    def emulator(self, name: str) -> RunningEmulator:
        try:
            return self.emulators[name]
        except KeyError:
            raise LookupError(f"the sandbox runs no {name!r} emulator (running: {', '.join(self.emulators)})") from None

    def __getattr__(self, name: str) -> Any:
        emulators = self.__dict__.get("emulators") or {}
        if name in emulators:
            return emulators[name].backend
        raise AttributeError(name)

    @property
    def servers(self) -> dict[str, RunningServer]:
        return {name: e.server for name, e in self.emulators.items()}

    def urls(self) -> dict[str, str]:
        return {name: e.url for name, e in self.emulators.items()}

    def reset(self) -> None:
        """Forget every record in every emulator."""
        for running in self.emulators.values():
            running.reset()

    def saved_state(self) -> dict[str, Any]:
        """Every emulator's state as it stands, for :meth:`restore` (None for one that cannot keep its state)."""
        return {name: running.emulator.saved_state() for name, running in self.emulators.items()}

    def restore(self, state: dict[str, Any]) -> None:
        """Every emulator as :meth:`saved_state` kept it; one that kept none forgets every record, as by reset."""
        for name, running in self.emulators.items():
            running.emulator.restore(state.get(name))

    # the demo connection of each emulator, by the names tests and benchmarks use
    @property
    def netsuite_url(self) -> str:
        return self.emulator("netsuite").url

    @property
    def netsuite_credentials(self) -> Any:
        return self.emulator("netsuite").backend.credentials

    @property
    def shopify_url(self) -> str:
        return self.emulator("shopify").url

    @property
    def shopify_shop(self) -> str:
        return self.emulator("shopify").connection["shop"]

    @property
    def shopify_token(self) -> str:
        return self.emulator("shopify").connection["access_token"]

    @property
    def amazon_url(self) -> str:
        return self.emulator("amazon").url

    @property
    def amazon_lwa_url(self) -> str:
        return self.emulator("amazon").url + "/auth/o2/token"

    @property
    def amazon_credentials(self) -> Any:
        return self.emulator("amazon").backend.credentials

    def stop(self) -> None:
        if self.connector is not None:
            stop_connector(self.connector)
            self.connector = None
        stop_all(running.server for running in self.emulators.values())
        self.emulators.clear()


def fault_plan(text: str | Mapping[str, Any] | None = None,
               environ: Mapping[str, str] | None = None) -> FaultPlan | None:
    """The plan ``$SYNCPROOF_FAULTS`` names, else the one ``text`` spells (or a ``[sandbox.faults]`` table
    gives), else None; FaultPlanError when invalid."""
    plan = FaultPlan.from_env(environ)
    if plan is None and isinstance(text, Mapping):
        plan = FaultPlan.from_dict(text)
    elif plan is None and isinstance(text, str) and text.strip():
        plan = FaultPlan.parse(text)
    return plan


def start_sandbox(host: str = "127.0.0.1", faults: FaultPlan | str | Mapping[str, Any] | None = None, *,
                  emulators: Iterable[str] | None = None, backends: Mapping[str, Any] | None = None,
                  live_rate_limits: bool = False, connector: dict[str, Any] | None = None) -> Sandbox:
    """Start ``emulators`` (default: every emulator package), each on a free loopback port.

    With ``faults`` (a plan, or its text with ``$SYNCPROOF_FAULTS`` overriding it), each
    emulator answers through a :class:`FaultInjector` following that plan. ``backends``
    gives an emulator a prepared state. With ``live_rate_limits`` the emulators advertise
    the vendors' real rates. With ``connector`` (see :func:`start_connector`) the sandbox
    NetSuite Connector polls them.
    """
    plan = fault_plan(faults) if isinstance(faults, (str, Mapping)) else faults
    names = list(dict.fromkeys(emulators if emulators is not None else emulator_names()))
    box = Sandbox()
    try:
        if connector is not None:  # its imports run while the emulators start; it waits for their URLs
            box.connector = spawn_connector()
        for name in names:
            emulator = _launch(name).emulator((backends or {}).get(name), live_rate_limits=live_rate_limits)
            app = emulator.app
            if plan is not None:
                app = box.faults[name] = FaultInjector(app, plan, vendor=name)
            box.emulators[name] = RunningEmulator(emulator, start(app, host, name=name))
        if box.connector is not None and connector is not None:
            box.connector_url = start_connector(box, box.connector, connector, host)
    except BaseException:
        box.stop()
        raise
    return box


def spawn_connector() -> subprocess.Popen:
    """The sandbox NetSuite Connector's process (``python -m sandbox_connector``), waiting for its spec on stdin."""
    root = str(Path(__file__).resolve().parents[1])  # sandbox_connector sits next to this package
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen([sys.executable, "-m", "sandbox_connector"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=env)


def start_connector(box: Sandbox, process: subprocess.Popen, options: dict[str, Any], host: str) -> str:
    """Start the spawned sandbox NetSuite Connector ``process`` on the running emulators; return its status URL.

    ``options``: ``config`` (path of syncproof.toml or None), ``defects`` (names), ``interval`` (seconds).
    The connector is given every emulator's URL and demo connection: ``netsuite``, and ``channels`` by
    emulator name (it builds each channel's client through the channel's spec).
    The spec goes in on stdin, the status URL comes back as the first line on stdout; closing
    stdin stops the process.
    """
    def where(running: RunningEmulator) -> dict[str, Any]:
        return {"base_url": running.url, "credentials": dict(running.connection)}

    spec = {**options, "host": host, "netsuite": where(box.emulator("netsuite")),
            "channels": {name: where(running) for name, running in box.emulators.items() if name != "netsuite"}}
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(json.dumps(spec) + "\n")
    process.stdin.flush()
    line = process.stdout.readline()
    if not line:
        process.wait(timeout=10)
        raise RuntimeError(f"the sandbox NetSuite Connector did not start (exit code {process.returncode})")
    return str(json.loads(line)["url"])


def stop_connector(process: subprocess.Popen) -> None:
    """Close the connector's stdin (its signal to stop) and wait for it."""
    try:
        if process.stdin is not None:
            process.stdin.close()
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def seeding_client(emulator: str, send: Send) -> Any:
    """The seeding client of ``emulator`` (its sandbox-only routes), sending through ``send``."""
    return _launch(emulator).seeding(send)
