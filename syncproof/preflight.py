"""Live pre-flight: before any scenario of a live run, are the credentials there, do the
hosts resolve, does authentication work, and are the stores set up so that amounts compare
(a WooCommerce store's "Number of decimals" is its currency's minor unit)? One line per
problem, all of them at once.

    problems = preflight(config, open_runtime, channels={"amazon"})
    for problem in problems: print(problem)

A live run that fails here runs no scenario (no 34 failed scenarios and a report
for a missing variable); ``syncproof doctor --target live`` shows the same lines for NetSuite and
every enabled channel, whatever a run would select, and then checks each permission.

``channels`` are the channels the run's scenarios talk to (:func:`syncproof.selection.selected_channels`;
None: every enabled one). An enabled channel no selected scenario uses is neither asked for credentials nor
probed: its credentials, host, login and store set-up cannot change what an Amazon-only run proves, the run
builds no client for it when its credentials are not set, and the run's verdict already says its scenarios
were left out. :func:`unused_channel_lines` says so, one line per such channel. NetSuite's credentials are
always asked for. Writes are refused for every enabled channel alike (``syncproof run`` checks that before
the pre-flight): a channel the selection leaves out must still be declared a test store.
"""

from __future__ import annotations

import functools
import socket
from dataclasses import dataclass
from typing import Any, Callable, Collection, Iterable, Iterator
from urllib.parse import urlsplit

from connectors import ConnectionFailed, ConnectorError
from connectors.netsuite import NetSuiteRecords

from .config import Config
from .errors import SyncproofError

__all__ = ["Problem", "credential_variables", "missing_credentials", "host_problems", "auth_problems",
           "store_problems", "unprobed_channels", "unused_channel_lines", "preflight"]


@dataclass(frozen=True)
class Problem:
    """One thing that stops a live run: which system, what is wrong, how to fix it."""

    system: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.message}; {self.fix}"


def credential_variables(config: Config, channels: Collection[str] | None = None) -> list[tuple[str, str]]:
    """(environment variable, what it holds) for every credential NetSuite and the enabled ``channels`` (None:
    every enabled one) need."""
    from .runtime import NETSUITE_SECRETS

    wanted = [(getattr(config.netsuite, f"{name}_env"), purpose) for name, purpose in NETSUITE_SECRETS]
    for spec in _enabled(config, channels):
        settings = config.channel(spec.name)
        wanted += [(settings.options[s.key], s.purpose) for s in spec.secrets]
    return wanted


def missing_credentials(config: Config, environ: Any = None,
                        channels: Collection[str] | None = None) -> Problem | None:
    """One problem naming every credential variable of NetSuite and the enabled ``channels`` (None: every
    enabled one) that is not set, or None."""
    import os

    env = os.environ if environ is None else environ
    missing = [(name, purpose) for name, purpose in credential_variables(config, channels)
               if not env.get(name, "").strip()]
    if not missing:
        return None
    names = ", ".join(f"{name} ({purpose})" for name, purpose in missing)
    fix = "export " + " ".join(f"{name}=..." for name, _ in missing) + " or put them in a .env file kept out of git"
    unset = {name for name, _ in missing}
    channels_missing = [name for name, wanted in _channel_variables(config, channels) if wanted & unset]
    if channels_missing:  # a channel the project does not sell on is switched off, not given credentials
        fix += "; for a channel you do not test, set " + ", ".join(f"[{c}] enabled = false" for c in channels_missing)
    return Problem("config", f"{len(missing)} credential variable(s) not set: {names}", fix)


def _channel_variables(config: Config, channels: Collection[str] | None) -> list[tuple[str, set[str]]]:
    """(channel, the environment variables its credentials are read from) for every enabled one of ``channels``."""
    return [(spec.name, {config.channel(spec.name).options[s.key] for s in spec.secrets})
            for spec in _enabled(config, channels)]


def _enabled(config: Config, channels: Collection[str] | None) -> list[Any]:
    """The registry entries of the enabled channels ``channels`` names (None: every enabled one)."""
    from . import channels as registry

    return [spec for spec in registry.specs()
            if config.channel(spec.name).enabled and (channels is None or spec.name in channels)]


def _hosts(config: Config, skip: Collection[str]) -> Iterator[tuple[str, str]]:
    from . import channels
    from .runtime import netsuite_url

    yield "netsuite", netsuite_url(config)
    for spec in channels.specs():
        settings = config.channel(spec.name)
        if settings.enabled and spec.name not in skip:
            for origin in spec.live_origins(settings):
                yield spec.name, origin


def host_problems(config: Config, resolve: Callable[..., Any] = socket.getaddrinfo,
                  skip: Collection[str] = ()) -> list[Problem]:
    """One problem per configured host that does not resolve (the hosts of channels ``skip`` left out)."""
    problems = []
    for system, url in _hosts(config, skip):
        parts = urlsplit(url)
        host = parts.hostname or ""
        try:
            resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
        except (OSError, UnicodeError) as exc:
            problems.append(Problem(system, f"the {system} host {host or url!r} does not resolve ({exc})",
                                    f"check the {system} base URL or account in syncproof.toml and your network"))
    return problems


def auth_problems(runtime: Any, skip: Collection[str] = ()) -> list[Problem]:
    """One problem per system whose authentication fails (one cheap read each), channels ``skip`` left out."""
    checks: list[tuple[str, Callable[[], Any]]] = [
        ("netsuite", lambda: NetSuiteRecords(runtime.netsuite).account_count())]
    from . import channels

    for spec in channels.specs():
        client = runtime.client(spec.name)
        if client is not None and spec.authenticate is not None and spec.name not in skip:
            checks.append((spec.name, functools.partial(spec.authenticate, client)))
    problems = []
    for system, check in checks:
        try:
            check()
        except ConnectionFailed as exc:
            problems.append(Problem(system, f"{system}: {exc.message}", exc.hint))
        except ConnectorError as exc:
            problems.append(Problem(system, f"{system} authentication failed: {exc.message}",
                                    exc.hint or f"check the {system} credentials (syncproof doctor --target live)"))
    return problems


def store_problems(runtime: Any, skip: Iterable[str] = ()) -> list[Problem]:
    """One problem per store setting under which a channel's amounts and NetSuite's do not compare (the doctor's
    line for it), for every channel but ``skip`` (those whose authentication failed). A run on such a store could
    pass while the connector drops what the store cannot show, so it does not start."""
    from . import channels

    problems = []
    skipped = set(skip)
    for spec in channels.specs():
        client = runtime.client(spec.name)
        if client is None or spec.name in skipped:
            continue
        for line in spec.store_setup(client):
            if not line.ok:
                problems.append(Problem(spec.name, f"{spec.name} {line.check}: {line.detail}",
                                        line.fix or f"syncproof doctor --target live shows the {spec.name} checks"))
    return problems


def unprobed_channels(config: Config, channels: Collection[str] | None) -> list[str]:
    """The enabled channels none of ``channels`` (the ones the run's scenarios use; None: all) names."""
    from . import channels as registry

    if channels is None:
        return []
    return [spec.name for spec in registry.specs() if config.channel(spec.name).enabled and spec.name not in channels]


def unused_channel_lines(config: Config, channels: Collection[str] | None, environ: Any = None) -> list[str]:
    """One line per enabled channel none of ``channels`` names: what the pre-flight left unchecked, and which of
    its credential variables are not set (not needed by the selection, so not an error)."""
    from .runtime import unset_credentials

    lines = []
    for name in unprobed_channels(config, channels):
        unset = unset_credentials(config, name, environ)
        credentials = f"credentials not set ({', '.join(unset)}) and " if unset else "credentials, "
        lines.append(f"pre-flight: {name}: not used by this selection (no selected scenario uses it); "
                     f"{credentials}host, login and store set-up not checked")
    return lines


def preflight(config: Config, open_runtime: Callable[..., Any],
              channels: Collection[str] | None = None) -> list[Problem]:
    """Every problem that stops a live run, before any scenario: credentials, hosts, authentication, store set-up
    (for NetSuite and the enabled ``channels`` only; None: every enabled channel). ``open_runtime`` is called
    with the config and ``channels=channels``."""
    unused = set(unprobed_channels(config, channels))
    try:
        problems = [p for p in [missing_credentials(config, channels=channels)] if p] + host_problems(config,
                                                                                                    skip=unused)
    except SyncproofError as exc:
        return [Problem("config", exc.message, exc.hint)]
    if problems:
        return problems
    try:
        runtime = open_runtime(config, channels=channels)
    except SyncproofError as exc:
        return [Problem("config", exc.message, exc.hint)]
    try:
        problems = auth_problems(runtime, skip=unused)
        return problems + store_problems(runtime, skip=unused | {p.system for p in problems})
    finally:
        runtime.close()
