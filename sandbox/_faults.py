"""Fault injection for the emulators: an ASGI middleware that breaks requests on purpose.

    >>> from sandbox._faults import FaultInjector, FaultPlan
    >>> plan = FaultPlan.parse("seed=42,rate=0.1,kinds=429+500+502+503+timeout+reset+slow+lost_response")
    >>> app = FaultInjector(netsuite.create_app(backend), plan, vendor="netsuite")
    >>> ...                                   # serve it, run the sync
    >>> app.stats.faults                      # {'429': 3, 'lost_response': 1, ...}

or for all three emulators at once: ``start_sandbox(faults=plan)``, then ``box.faults["netsuite"].stats``.

Fault kinds, and what a client sees
-----------------------------------

=================  =====================================================  =================================
kind               what the injector does                                 the client sees
=================  =====================================================  =================================
``429``            answers the vendor's throttling signal (see            an answer to retry
                   :mod:`sandbox._faults_answers`); the request is not
                   applied. Shopify's GraphQL API throttles with HTTP 200.
``500`` ``502``    answers that status with the vendor's error body where  an error answer
``503``            it has one, plain text otherwise; not applied
``timeout``        reads the request but never passes it on; holds it      ``httpx.ReadTimeout`` (when its
                   ``hold`` seconds (or until the client hangs up), then   read timeout < ``hold``)
                   closes the connection
``reset``          reads the request, does not apply it, and resets the    ``httpx.ReadError``
                   connection (TCP RST) without answering                  (connection reset by peer)
``slow``           applies the request and answers ``delay`` seconds late  a normal, late answer
``lost_response``  **applies the request** (the inner app runs to the end,  ``httpx.RemoteProtocolError``
                   so a write commits), then closes the connection instead  (server disconnected without
                   of sending the answer                                    sending a response)
=================  =====================================================  =================================

A connection is dropped through the uvicorn transport behind the ASGI ``send``
callable (abort with ``SO_LINGER`` 0 for a reset, close for the others), so the
client gets no byte of an answer. Under a server that hides its transport, the
injector starts a response announcing a one-byte body and ends without sending
it; the server then closes the connection and the client sees
``RemoteProtocolError`` (incomplete body).

Plan syntax (``SYNCPROOF_FAULTS``)
----------------------------------

Comma-separated ``key=value`` items::

    SYNCPROOF_FAULTS="seed=42,rate=0.1,kinds=429+500+502+503+timeout+reset+slow+lost_response"
    SYNCPROOF_FAULTS="seed=7,429=0.05,lost_response=0.01,vendors=netsuite,methods=POST+PUT"
    SYNCPROOF_FAULTS="seed=1,at=netsuite.lost_response@1:PUT:/record/v1/customer/eid:,at=reset@3:GET:^/orders"

``seed=N``
    seeds the random draws (default 0); each emulator draws from ``Random("N:vendor")``,
    so the same seed and the same requests in the same order give the same faults.
``rate=P`` and ``kinds=K+K+...``
    probability ``P`` (0..1) that an eligible request gets a fault, spread evenly over
    ``kinds`` (default: every kind).
``KIND=P``
    the probability of one kind (``429=0.05``, ``lost_response=0.01``); overrides its share
    of ``rate``. All probabilities together must be at most 1.
``at=[VENDOR.]KIND@N:METHOD:REGEX``
    a scheduled fault, repeatable: the ``N``-th request (1-based, counted per emulator)
    whose method is ``METHOD`` (``*`` for any) and whose path contains a match of
    ``REGEX`` gets ``KIND``; only on ``VENDOR`` (netsuite, shopify, amazon) when given.
    A scheduled fault wins over a random one; it applies whatever ``vendors``,
    ``methods`` and ``match`` say.
``hold=S``
    seconds a ``timeout`` holds the request (default 2.0).
``delay=S``
    seconds a ``slow`` answer waits (default 0.3).
``vendors=V+V``
    emulators random faults apply to (default all three).
``methods=M+M``
    methods random faults apply to (default all).
``match=REGEX``
    random faults only for paths where ``REGEX`` matches (default every path).
``exclude=REGEX``
    paths never faulted (default ``^/__sandbox__/``, the emulators' control routes;
    ``exclude=`` faults those too).

Regular expressions in this syntax cannot contain a comma (write ``\\x2c``).
The same plan as a mapping, for a ``syncproof.toml`` table (:meth:`FaultPlan.from_dict`)::

    [sandbox.faults]
    seed = 42
    rate = 0.1
    kinds = ["429", "500", "lost_response"]
    rates = {slow = 0.05}
    hold = 2.0
    schedule = [{kind = "lost_response", nth = 1, method = "PUT", path = "/eid:", vendor = "netsuite"},
                "reset@3:GET:^/orders"]

``FaultPlan.from_env()`` reads ``$SYNCPROOF_FAULTS`` (None when unset); ``plan.spec()``
writes a plan back in this syntax, so a failing run can print how to repeat it.
"""

from __future__ import annotations

import asyncio
import random
import re
import socket
import struct
import threading
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

from ._faults_answers import STATUS_KINDS, answer
from ._faults_plan import ENV_VAR, KINDS, VENDORS, FaultPlan, FaultPlanError, ScheduledFault

__all__ = [
    "ENV_VAR",
    "KINDS",
    "VENDORS",
    "FaultEvent",
    "FaultInjector",
    "FaultPlan",
    "FaultPlanError",
    "FaultStats",
    "ScheduledFault",
]

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class FaultEvent:
    """One injected fault: the request's number at this emulator, its method and path, the kind."""

    seq: int
    method: str
    path: str
    kind: str
    scheduled: bool = False


@dataclass(frozen=True)
class FaultStats:
    """A snapshot of an injector's counters.

    ``requests`` counts every HTTP request seen, ``eligible`` those not excluded,
    ``faults`` the faults injected per kind (every kind present, zero or more),
    ``events`` each fault in the order injected.
    """

    vendor: str
    requests: int
    eligible: int
    faults: dict[str, int]
    events: tuple[FaultEvent, ...] = field(repr=False)

    @property
    def injected(self) -> int:
        return sum(self.faults.values())

    def sequence(self) -> list[tuple[str, str, str]]:
        """``(method, path, kind)`` of each fault: equal for two runs with the same seed and requests."""
        return [(e.method, e.path, e.kind) for e in self.events]


class FaultInjector:
    """ASGI middleware that injects the faults of a :class:`FaultPlan` into one emulator.

        >>> app = FaultInjector(shopify.create_app(backend), FaultPlan(rates={"429": 0.2}), vendor="shopify")
        >>> app.stats.faults["429"]
        0

    ``vendor`` (netsuite, shopify or amazon) decides how the error answers look.
    ``configure(plan)`` swaps the plan and starts the counters and the random
    sequence afresh; it is safe to call while the server runs.
    """

    def __init__(self, app: Callable[..., Awaitable[None]], plan: FaultPlan | None = None, *,
                 vendor: str) -> None:
        if vendor not in VENDORS:
            raise FaultPlanError(f"unknown vendor {vendor!r}: use one of {', '.join(VENDORS)}")
        self.app = app
        self.vendor = vendor
        self._lock = threading.Lock()
        self.configure(plan or FaultPlan())

    # --- configuration and counters -------------------------------------------------------
    def configure(self, plan: FaultPlan) -> None:
        with self._lock:
            self.plan = plan
            self._rng = random.Random(f"{plan.seed}:{self.vendor}")
            self._match = re.compile(plan.match)
            self._exclude = re.compile(plan.exclude) if plan.exclude else None
            self._matched = [0] * len(plan.schedule)
            self._requests = 0
            self._eligible = 0
            self._faults = dict.fromkeys(KINDS, 0)
            self._events: list[FaultEvent] = []

    def reset(self) -> None:
        """Zero the counters and restart the random sequence, keeping the plan."""
        self.configure(self.plan)

    @property
    def stats(self) -> FaultStats:
        with self._lock:
            return FaultStats(self.vendor, self._requests, self._eligible, dict(self._faults),
                              tuple(self._events))

    def decide(self, method: str, path: str) -> str | None:
        """Count a request and return the fault it gets, or None (one random draw per eligible request)."""
        return self._decide(method, path)[0]

    def _decide(self, method: str, path: str) -> tuple[str | None, int]:
        with self._lock:
            plan = self.plan
            self._requests += 1
            seq = self._requests
            if self._exclude is not None and self._exclude.search(path):
                return None, seq
            self._eligible += 1
            kind: str | None = None
            scheduled = False
            for index, entry in enumerate(plan.schedule):
                if entry.matches(self.vendor, method, path):
                    self._matched[index] += 1
                    if kind is None and self._matched[index] == entry.nth:
                        kind, scheduled = entry.kind, True
            if plan.rates:
                draw = self._rng.random()
                if kind is None and self._randomly_eligible(plan, method, path):
                    kind = self._pick(plan, draw)
            if kind is None:
                return None, seq
            self._faults[kind] += 1
            self._events.append(FaultEvent(seq, method, path, kind, scheduled))
            return kind, seq

    def _randomly_eligible(self, plan: FaultPlan, method: str, path: str) -> bool:
        return (self.vendor in plan.vendors
                and (plan.methods is None or method.upper() in plan.methods)
                and self._match.search(path) is not None)

    @staticmethod
    def _pick(plan: FaultPlan, draw: float) -> str | None:
        edge = 0.0
        for kind, rate in plan.rates.items():  # in KINDS order
            edge += rate
            if draw < edge:
                return kind
        return None

    # --- ASGI ---------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        kind, seq = self._decide(scope["method"], scope["path"])
        if kind is None:
            await self.app(scope, receive, send)
        elif kind in STATUS_KINDS:
            await _drain(receive)
            status, headers, body = answer(self.vendor, kind, scope["method"], scope["path"], seq)
            await send({"type": "http.response.start", "status": status,
                        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in
                                    [*headers, ("content-length", str(len(body)))]]})
            await send({"type": "http.response.body", "body": body, "more_body": False})
        elif kind == "slow":
            await self.app(scope, receive, _delayed(send, self.plan.delay))
        elif kind == "timeout":
            await _drain(receive)
            await _hold(receive, self.plan.hold)
            await _drop(send, reset=False)
        elif kind == "reset":
            await _drain(receive)
            await _drop(send, reset=True)
        elif kind == "lost_response":
            await self.app(scope, receive, _discard)
            await _drop(send, reset=False)
        else:  # pragma: no cover - KINDS and this dispatch are kept in step
            raise AssertionError(kind)


# --- helpers ------------------------------------------------------------------------------
async def _discard(message: dict[str, Any]) -> None:
    """The inner app's answer to a lost_response goes nowhere."""


async def _drain(receive: Receive) -> None:
    """Read the whole request body (so the request has really arrived)."""
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


async def _hold(receive: Receive, seconds: float) -> None:
    """Wait ``seconds``, or until the client hangs up."""
    try:
        async with asyncio.timeout(seconds):
            while (await receive())["type"] != "http.disconnect":
                pass
    except TimeoutError:
        pass


def _delayed(send: Send, seconds: float) -> Send:
    started = False

    async def delayed_send(message: dict[str, Any]) -> None:
        nonlocal started
        if not started:
            started = True
            await asyncio.sleep(seconds)
        await send(message)

    return delayed_send


def _transport_of(send: Send) -> asyncio.Transport | None:
    """The connection behind uvicorn's ``send`` (a bound method of its request cycle)."""
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    return transport if isinstance(transport, asyncio.Transport) else None


async def _drop(send: Send, *, reset: bool) -> None:
    """Close the connection without answering: a TCP reset when ``reset``, else an orderly close."""
    transport = _transport_of(send)
    if transport is None:
        # no transport in reach: announce a body and never send it; the server closes the connection
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", b"1")]})
        return
    if reset:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
        transport.abort()
    else:
        transport.close()
    # let the server see the connection is gone before the app returns, so it sends nothing itself
    for _ in range(3):
        await asyncio.sleep(0)
