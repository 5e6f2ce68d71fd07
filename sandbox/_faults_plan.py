"""What to break and when: :class:`FaultPlan`, parsed from ``SYNCPROOF_FAULTS`` or a dict.

The syntax is documented in :mod:`sandbox._faults`; this module only parses and checks it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from ._emulator import emulator_names

__all__ = [
    "ENV_VAR",
    "KINDS",
    "VENDORS",
    "FaultPlan",
    "FaultPlanError",
    "ScheduledFault",
]

#: The environment variable :meth:`FaultPlan.from_env` reads.
ENV_VAR = "SYNCPROOF_FAULTS"
#: Every fault kind, in the order random draws are mapped onto them.
KINDS = ("429", "500", "502", "503", "timeout", "reset", "slow", "lost_response")
#: The emulators a plan can name: every emulator package.
VENDORS = emulator_names()
DEFAULT_EXCLUDE = r"^/__sandbox__/"
_PLAN_KEYS = ("seed", "rate", "kinds", "hold", "delay", "vendors", "methods", "match", "exclude", "at")
_DICT_KEYS = ("seed", "rate", "kinds", "rates", "hold", "delay", "vendors", "methods", "match", "exclude",
              "schedule")


class FaultPlanError(ValueError):
    """A fault plan that cannot be used; the message names the item and the fix."""


def _compile(pattern: str, what: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise FaultPlanError(f"{what} {pattern!r} is not a valid regular expression ({exc})") from None


def _kind(value: str, what: str = "fault kind") -> str:
    kind = str(value).strip()
    if kind not in KINDS:
        raise FaultPlanError(f"unknown {what} {kind!r}: use one of {', '.join(KINDS)}")
    return kind


def _names(value: Any, allowed: Iterable[str] | None, what: str) -> tuple[str, ...]:
    items = value.split("+") if isinstance(value, str) else list(value)
    names = tuple(str(v).strip() for v in items if str(v).strip())
    if allowed is not None:
        allowed = tuple(allowed)
        for name in names:
            if name not in allowed:
                raise FaultPlanError(f"unknown {what} {name!r}: use one of {', '.join(allowed)}")
    return names


def _number(value: Any, what: str, *, probability: bool = False) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise FaultPlanError(f"{what} must be a number, not {value!r}") from None
    if number < 0 or (probability and number > 1):
        raise FaultPlanError(f"{what} must be {'between 0 and 1' if probability else 'zero or more'}, not {value!r}")
    return number


@dataclass(frozen=True)
class ScheduledFault:
    """The ``nth`` request (1-based) matching ``method`` and the ``path`` regex gets ``kind``.

        >>> ScheduledFault.parse("netsuite.lost_response@1:PUT:/customer/eid:")
        ScheduledFault(kind='lost_response', nth=1, method='PUT', path='/customer/eid:', vendor='netsuite')
    """

    kind: str
    nth: int = 1
    method: str = "*"
    path: str = ""
    vendor: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", _kind(self.kind))
        object.__setattr__(self, "method", str(self.method).upper() or "*")
        if not isinstance(self.nth, int) or isinstance(self.nth, bool) or self.nth < 1:
            raise FaultPlanError(f"the request number of a scheduled {self.kind} must be 1 or more, not {self.nth!r}")
        if self.vendor is not None and self.vendor not in VENDORS:
            raise FaultPlanError(
                f"unknown vendor {self.vendor!r} in a scheduled fault: use one of {', '.join(VENDORS)}"
            )
        _compile(self.path, "the path pattern of a scheduled fault")

    @classmethod
    def parse(cls, text: str) -> "ScheduledFault":
        """``[VENDOR.]KIND@N:METHOD:REGEX`` (METHOD ``*`` for any; REGEX may contain ``:``)."""
        head, sep, rest = text.partition("@")
        parts = rest.split(":", 2)
        if not sep or len(parts) < 2:
            raise FaultPlanError(f"scheduled fault {text!r} must look like [vendor.]kind@N:METHOD:path-regex, "
                                 f"e.g. netsuite.lost_response@1:PUT:/customer/eid:")
        vendor, dot, kind = head.rpartition(".")
        try:
            nth = int(parts[0])
        except ValueError:
            raise FaultPlanError(f"scheduled fault {text!r}: {parts[0]!r} is not a request number") from None
        return cls(kind=kind, nth=nth, method=parts[1] or "*", path=parts[2] if len(parts) > 2 else "",
                   vendor=vendor if dot else None)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | str) -> "ScheduledFault":
        if isinstance(data, str):
            return cls.parse(data)
        unknown = set(data) - {"kind", "nth", "method", "path", "vendor"}
        if unknown:
            raise FaultPlanError(f"unknown key {sorted(unknown)[0]!r} in a scheduled fault; "
                                 f"known: kind, nth, method, path, vendor")
        if "kind" not in data:
            raise FaultPlanError("a scheduled fault needs a kind")
        return cls(kind=data["kind"], nth=data.get("nth", 1), method=data.get("method", "*"),
                   path=data.get("path", ""), vendor=data.get("vendor"))

    def matches(self, vendor: str, method: str, path: str) -> bool:
        return ((self.vendor is None or self.vendor == vendor)
                and self.method in ("*", method.upper())
                and re.search(self.path, path) is not None)

    def spec(self) -> str:
        return f"{self.vendor + '.' if self.vendor else ''}{self.kind}@{self.nth}:{self.method}:{self.path}"


@dataclass(frozen=True)
class FaultPlan:
    """Which faults to inject, how often, and the seed that makes a run repeat exactly.

        >>> plan = FaultPlan.parse("seed=42,rate=0.1,kinds=429+500+lost_response")
        >>> plan.rates
        {'429': 0.0333..., '500': 0.0333..., 'lost_response': 0.0333...}
        >>> FaultPlan(seed=7, schedule=(ScheduledFault("reset", 2, "GET", "/orders"),))
    """

    seed: int = 0
    #: probability per eligible request, per kind (their sum is at most 1)
    rates: Mapping[str, float] = field(default_factory=dict)
    schedule: tuple[ScheduledFault, ...] = ()
    #: seconds a ``timeout`` holds the request before dropping the connection
    hold: float = 2.0
    #: seconds a ``slow`` answer is delayed
    delay: float = 0.3
    #: the emulators random faults apply to (scheduled faults name their own vendor)
    vendors: frozenset[str] = frozenset(VENDORS)
    #: random faults only for these methods (None: every method)
    methods: frozenset[str] | None = None
    #: random faults only for paths this regex finds ("" matches every path)
    match: str = ""
    #: paths never faulted, random or scheduled (the emulators' control routes)
    exclude: str = DEFAULT_EXCLUDE

    def __post_init__(self) -> None:
        rates = {}
        for kind, rate in dict(self.rates).items():
            rates[_kind(kind)] = _number(rate, f"the rate of {kind}", probability=True)
        if sum(rates.values()) > 1 + 1e-9:
            raise FaultPlanError(f"the fault rates add up to {sum(rates.values()):g}; their sum must be at most 1")
        object.__setattr__(self, "rates", {k: rates[k] for k in KINDS if rates.get(k)})
        object.__setattr__(self, "schedule", tuple(self.schedule))
        object.__setattr__(self, "hold", _number(self.hold, "hold"))
        object.__setattr__(self, "delay", _number(self.delay, "delay"))
        object.__setattr__(self, "vendors", frozenset(_names(self.vendors, VENDORS, "vendor")))
        if self.methods is not None:
            object.__setattr__(self, "methods", frozenset(m.upper() for m in _names(self.methods, None, "method")))
        try:
            object.__setattr__(self, "seed", int(self.seed))
        except (TypeError, ValueError):
            raise FaultPlanError(f"seed must be an integer, not {self.seed!r}") from None
        _compile(self.match, "match")
        _compile(self.exclude, "exclude")

    # --- constructors -----------------------------------------------------------------
    @classmethod
    def parse(cls, text: str) -> "FaultPlan":
        """A plan from the ``SYNCPROOF_FAULTS`` syntax (see :mod:`sandbox._faults`)."""
        values: dict[str, Any] = {}
        rates: dict[str, float] = {}
        schedule: list[ScheduledFault] = []
        for item in (part.strip() for part in text.split(",")):
            if not item:
                continue
            key, sep, value = item.partition("=")
            key, value = key.strip(), value.strip()
            if not sep:
                raise FaultPlanError(f"{ENV_VAR} item {item!r} must be key=value (e.g. seed=42, rate=0.1)")
            if key == "at":
                schedule.append(ScheduledFault.parse(value))
            elif key in KINDS:
                rates[key] = _number(value, f"the rate of {key}", probability=True)
            elif key in _PLAN_KEYS:
                if key in values:
                    raise FaultPlanError(f"{ENV_VAR} gives {key} twice")
                values[key] = value
            else:
                raise FaultPlanError(f"unknown {ENV_VAR} key {key!r}; known: {', '.join(_PLAN_KEYS)} "
                                     f"or a fault kind ({', '.join(KINDS)}) with its rate")
        return cls._build(values, rates, schedule)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "FaultPlan":
        """A plan from a mapping (a ``[sandbox.faults]`` table of ``syncproof.toml``).

            >>> FaultPlan.from_dict({"seed": 42, "rate": 0.1, "kinds": ["429", "500"],
            ...                      "rates": {"lost_response": 0.01},
            ...                      "schedule": [{"kind": "reset", "nth": 2, "method": "GET", "path": "/orders"}]})
        """
        unknown = set(data) - set(_DICT_KEYS)
        if unknown:
            raise FaultPlanError(f"unknown fault plan key {sorted(unknown)[0]!r}; known: {', '.join(_DICT_KEYS)}")
        rates_in = data.get("rates") or {}
        if not isinstance(rates_in, Mapping):
            raise FaultPlanError("rates must be a table of fault kind = probability")
        rates = {_kind(k): _number(v, f"the rate of {k}", probability=True) for k, v in rates_in.items()}
        schedule = [ScheduledFault.from_dict(entry) for entry in data.get("schedule") or ()]
        values = {k: v for k, v in data.items() if k not in ("rates", "schedule")}
        return cls._build(values, rates, schedule)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, name: str = ENV_VAR) -> "FaultPlan | None":
        """The plan in ``$SYNCPROOF_FAULTS``, or None when it is unset or empty."""
        text = (os.environ if environ is None else environ).get(name, "").strip()
        if not text:
            return None
        try:
            return cls.parse(text)
        except FaultPlanError as exc:
            raise FaultPlanError(f"{name}: {exc}") from None

    @classmethod
    def _build(cls, values: dict[str, Any], rates: dict[str, float],
               schedule: list[ScheduledFault]) -> "FaultPlan":
        spread: dict[str, float] = {}
        if "rate" in values:
            rate = _number(values["rate"], "rate", probability=True)
            kinds = _names(values["kinds"], KINDS, "fault kind") if "kinds" in values else KINDS
            if not kinds:
                raise FaultPlanError("kinds is empty: name at least one fault kind, e.g. kinds=429+500")
            spread = {k: rate / len(kinds) for k in kinds}
        elif "kinds" in values:
            raise FaultPlanError("kinds needs a rate (e.g. rate=0.1,kinds=429+500) or per-kind rates (429=0.05)")
        options: dict[str, Any] = {"rates": {**spread, **rates}, "schedule": tuple(schedule)}
        for key in ("seed", "hold", "delay", "match", "exclude"):
            if key in values:
                options[key] = values[key]
        if "vendors" in values:
            options["vendors"] = _names(values["vendors"], VENDORS, "vendor")
        if "methods" in values:
            options["methods"] = _names(values["methods"], None, "method")
        return cls(**options)

    # --- views ----------------------------------------------------------------------
    @property
    def total_rate(self) -> float:
        return sum(self.rates.values())

    def spec(self) -> str:
        """This plan in the ``SYNCPROOF_FAULTS`` syntax (``FaultPlan.parse(plan.spec()) == plan``)."""
        items = [f"seed={self.seed}"]
        items += [f"{kind}={rate!r}" for kind, rate in self.rates.items()]
        defaults = FaultPlan()
        if self.hold != defaults.hold:
            items.append(f"hold={self.hold!r}")
        if self.delay != defaults.delay:
            items.append(f"delay={self.delay!r}")
        if self.vendors != defaults.vendors:
            items.append("vendors=" + "+".join(v for v in VENDORS if v in self.vendors))
        if self.methods is not None:
            items.append("methods=" + "+".join(sorted(self.methods)))
        if self.match:
            items.append(f"match={self.match}")
        if self.exclude != defaults.exclude:
            items.append(f"exclude={self.exclude}")
        items += [f"at={entry.spec()}" for entry in self.schedule]
        return ",".join(items)

    def __str__(self) -> str:
        return self.spec()
