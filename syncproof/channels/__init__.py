"""The channels syncproof tests (marketplaces and carts connected to NetSuite), one :class:`ChannelSpec` each.

:data:`CHANNEL_MODULES` is the registry: one line per channel, naming the module whose
``SPEC`` describes it. Everything else (the ``[<channel>]`` config tables, the clients
of every target, ``--channel`` choices, the doctor, the audit, the scrubbing rules,
the emulators the sandbox starts) reads the specs, in this order.

    >>> [spec.name for spec in specs()]
    ['shopify', 'amazon', 'woocommerce', 'ebay']

A channel's scenario actions, on a run's runtime::

    shop = channel_for(runtime, "shopify")
    order = shop.place_order(lines, shipping=None, customer=("Ada Lovelace", "ada@example.com"), note="")
"""

from __future__ import annotations

import importlib
import itertools
import threading
from typing import Any, Callable

from ..errors import SyncproofError
from ._spec import (
    ChannelActions,
    ChannelSpec,
    Connection,
    FeeKeepingActions,
    PersonalEntries,
    PersonalFields,
    Secret,
    normalised_key,
)

__all__ = ["CHANNEL_MODULES", "ChannelActions", "ChannelSpec", "Connection", "FeeKeepingActions", "PersonalEntries",
           "PersonalFields", "Secret", "channel_for", "get", "names", "normalised_key", "on_change", "register",
           "registry_version", "secret_headers", "secret_keys", "specs", "unregister"]

#: The registry: the module holding each channel's ``SPEC``. A new channel is one line here.
CHANNEL_MODULES: tuple[str, ...] = (
    "syncproof.channels.shopify",
    "syncproof.channels.amazon",
    "syncproof.channels.woocommerce",
    "syncproof.channels.ebay",
)

_registered: dict[str, ChannelSpec] = {}
#: "headers", "keys": (the registry version they were worked out at, the names)
_secret_names: dict[str, tuple[int, frozenset[str]]] = {}
_listeners: list[Callable[[], None]] = []
_versions = itertools.count(1)
_version = 0  # what registry_version() says: a new number at every change
_changing = threading.Lock()


def _loaded() -> dict[str, ChannelSpec]:
    if not _registered:
        for module in CHANNEL_MODULES:
            spec = importlib.import_module(module).SPEC
            _registered[spec.name] = spec
    return _registered


def register(spec: ChannelSpec) -> ChannelSpec:
    """Add ``spec`` to the registry (after the built-in channels); refused when it names the entries of a list of
    name/value entries another channel names too by other members (:class:`PersonalEntries`)."""
    _check_entries(spec, [s for s in _loaded().values() if s.name != spec.name])
    _loaded()[spec.name] = spec
    _changed()
    return spec


def _check_entries(spec: ChannelSpec, others: list[ChannelSpec]) -> None:
    """One line naming both channels when ``spec`` reads a list of name/value entries another channel reads too with
    another name or value member: the scrubber reads each list's entries one way."""
    members = {normalised_key(e.container): (other.name, e) for other in others for e in other.personal.entries}
    for entries in spec.personal.entries:
        known = members.get(normalised_key(entries.container))
        if known is not None and ((normalised_key(known[1].name), normalised_key(known[1].value))
                                  != (normalised_key(entries.name), normalised_key(entries.value))):
            raise SyncproofError(
                f"channel {spec.name!r} reads the entries of {entries.container!r} as {entries.name!r}/"
                f"{entries.value!r}, channel {known[0]!r} as {known[1].name!r}/{known[1].value!r}",
                "name the same name and value members in both channels' PersonalEntries")


def unregister(name: str) -> None:
    _loaded().pop(name, None)
    _changed()


def on_change(listener: Callable[[], None]) -> Callable[[], None]:
    """Call ``listener`` whenever a channel is registered or unregistered (to forget what was worked out from the
    specs); usable as a decorator."""
    _listeners.append(listener)
    return listener


def registry_version() -> int:
    """A number that changes whenever a channel is registered or unregistered: what is worked out from the specs is
    kept with the version it was worked out at, and worked out again once the version is another. Read it before
    reading the specs: a registration in between makes the kept value older than its version says, never newer."""
    return _version


def _changed() -> None:
    global _version
    with _changing:
        _version = next(_versions)
    for listener in _listeners:
        listener()


def specs() -> tuple[ChannelSpec, ...]:
    return tuple(_loaded().values())


def names() -> tuple[str, ...]:
    return tuple(_loaded())


def get(name: str) -> ChannelSpec:
    """The spec of channel ``name``; an unknown name is one line naming the known ones."""
    try:
        return _loaded()[name]
    except KeyError:
        raise SyncproofError(f"unknown channel {name!r}", f"use one of: {', '.join(names())}") from None


def channel_for(runtime: Any, name: str) -> Any:
    """The scenario actions of channel ``name`` on the run's target: a :class:`ChannelActions`, with the
    channel's own extras (Amazon's ``settle``)."""
    spec = get(name)
    if runtime.client(name) is None:
        raise SyncproofError(f"{spec.title} is not configured for this run", f"set [{name}] enabled = true")
    return spec.actions(runtime)


def secret_headers() -> frozenset[str]:
    """Header names whose values are secrets: the HTTP plumbing's and every channel's (lower case)."""
    from connectors import SECRET_HEADERS

    return _secret_names_of("headers", lambda spec: spec.secret_headers, SECRET_HEADERS)


def secret_keys() -> frozenset[str]:
    """Query, form and JSON keys whose values are secrets: the HTTP plumbing's and every channel's."""
    from connectors import SECRET_KEYS

    return _secret_names_of("keys", lambda spec: spec.secret_keys, SECRET_KEYS)


def _secret_names_of(what: str, names: Callable[[ChannelSpec], frozenset[str]], plumbing: Any) -> frozenset[str]:
    version = registry_version()
    kept = _secret_names.get(what)
    if kept is None or kept[0] != version:
        kept = _secret_names[what] = (version, frozenset(plumbing).union(*(names(s) for s in specs())))
    return kept[1]
