"""What syncproof knows about one marketplace or cart: a :class:`ChannelSpec`.

A spec is the only place a channel is described. The core reads every channel's
settings table, secrets, client, scenario actions, audit reader, doctor probe,
emulator and scrubbing rules from it, so adding a channel is a connector module, an
emulator package, a spec module and one line in :mod:`syncproof.channels`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Protocol, Sequence, runtime_checkable

from ..settings_keys import Key, key

if TYPE_CHECKING:
    from ..config import ChannelConfig, RefundSettings
    from ..model import Money, Order, OrderLine, Refund, Shipping
    from ..probe import DoctorLine

__all__ = ["ChannelActions", "ChannelSpec", "Connection", "FeeKeepingActions", "PersonalEntries", "PersonalFields",
           "Secret", "normalised_key"]


@dataclass(frozen=True)
class Secret:
    """A credential the channel's client needs, read from the environment variable its ``<name>_env`` key names."""

    name: str  # what the client factory receives it as, e.g. "access_token"
    env: str  # default environment variable, e.g. "SHOPIFY_ACCESS_TOKEN"
    doc: str  # what it is, for the key's comment, e.g. "the Admin API access token"
    purpose: str  # for the missing-secret line, e.g. "Shopify Admin API access token"

    @property
    def key(self) -> str:
        return f"{self.name}_env"


@dataclass(frozen=True)
class Connection:
    """Where one channel's client connects on the run's target, and with which credentials.

    ``base_url`` is the emulator's address (``sandbox``, ``record`` from the sandbox) or
    its fixed placeholder (``replay``); it is None on ``live``, where the client derives
    its host from the channel's settings.
    """

    base_url: str | None
    credentials: Mapping[str, str]
    write_guard: Any = None
    clock: Callable[[], float] | None = None

    @property
    def emulated(self) -> bool:
        return self.base_url is not None


class ChannelActions(Protocol):
    """What a scenario does in a channel: place a test order, refund it, read refunds back."""

    name: str

    @property
    def currency(self) -> str: ...

    def place_order(self, lines: Sequence[OrderLine], *, shipping: Shipping | None,
                    customer: tuple[str, str], note: str) -> Order: ...

    def refund(self, order: Order, quantities: Mapping[str, int], *, shipping: bool, note: str) -> Refund: ...

    def refunds(self, order: Order) -> list[Refund]: ...

    def order(self, order: Order) -> Order: ...


@runtime_checkable
class FeeKeepingActions(Protocol):
    """The scenario actions of a channel whose API refunds less than the refunded lines come to, the merchant
    keeping the difference as a fee (a restocking fee): the channel refund then has a negative adjustment."""

    def refund_keeping_fee(self, order: Order, quantities: Mapping[str, int], fee: Money, *, shipping: bool,
                           note: str) -> Refund: ...


def normalised_key(key: str) -> str:
    """``key`` as personal field names are compared: lower case, without ``_``, ``-`` or spaces."""
    return key.lower().replace("_", "").replace("-", "").replace(" ", "")


@dataclass(frozen=True)
class PersonalEntries:
    """A list of name/value entries in which an entry whose name names a personal field holds a personal value:
    ``PersonalEntries("meta_data", {"_billing_cpf": "tax_id"})`` fakes the ``value`` of an entry
    ``{"id": 7, "key": "_billing_cpf", "value": "853.513.468-93"}`` in a ``meta_data`` list.

    ``container`` is the list's key, ``names`` each personal entry name and the kind of fake value its value gets;
    ``name``/``value`` are the members holding an entry's name and its value. Two channels naming entries of the same
    list add up their names, and must agree on these two members (:func:`~syncproof.channels.register` refuses
    one that does not).
    """

    container: str
    names: Mapping[str, str]
    name: str = "key"
    value: str = "value"


@dataclass(frozen=True)
class PersonalFields:
    """Where a channel's bodies and report documents hold personal data, and the kind of fake value it gets
    (``email``, ``phone``, ``name``, ``street``, ``city``, ``postcode``, ``tax_id``...; see
    :mod:`syncproof.recording`). Names are compared as the scrubber compares keys: in any case, without ``_``,
    ``-`` or spaces.

    - ``keys``: keys personal wherever they appear: a JSON member, a form field, a report document's column;
    - ``person_containers``: containers about a person or an address, inside which a ``name``, ``fullName``,
      ``displayName`` or ``username`` is personal;
    - ``contained``: keys personal only inside the container named (``{"TaxClassifications": {"Value": "tax_id"}}``);
    - ``entries``: lists of name/value entries (:class:`PersonalEntries`).
    """

    keys: Mapping[str, str] = field(default_factory=dict)
    person_containers: frozenset[str] = frozenset()
    contained: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    entries: tuple[PersonalEntries, ...] = ()


def _no_doctor(client: Any) -> Iterator[DoctorLine]:
    return iter(())


@dataclass(frozen=True)
class ChannelSpec:
    """One marketplace or cart, described once.

    - ``keys``: the channel's own keys of its ``[<name>]`` table (``enabled``, the secrets'
      ``*_env`` keys, ``test_store`` and ``billing`` are added to every channel's table);
    - ``secrets``: the credentials, each read from the variable its ``*_env`` key names;
    - ``client``: builds the connector's client for a :class:`Connection` (every target);
    - ``actions``: the scenario adapter over the run (:class:`ChannelActions`);
    - ``audit_refunds``: the audit's reader, ``(client, window, progress) -> {order id: refunds}``;
    - ``doctor``: the read-only probe, ``client -> DoctorLine...``; ``authenticate``: one cheap read that
      proves the credentials (the live pre-flight); ``store_setup``: the doctor's lines on the store's own settings
      under which no amount compares (a failing one stops a live run at its pre-flight, as a failed login does);
    - ``emulator``: the sandbox package emulating it (started by :func:`sandbox.start_sandbox`);
    - ``live_origins``: the real hosts a live client talks to (mapped to placeholders in cassettes);
    - ``identifiers``: setting keys whose values identify the account (masked as ``[<key>]``);
    - ``secret_headers``, ``secret_keys``: header and query/body key names whose values are secrets;
    - ``personal``: the keys, containers and report columns of the channel's own formats that hold personal data
      (:class:`PersonalFields`; the vendor-neutral ones, ``email``, ``phone``, ``address1``..., are the core's);
    - ``claims_order_id``: whether a NetSuite record's channel order id is one of this channel's (the audit's
      fallback for records whose sales order does not name its channel);
    - ``netsuite_name``: the channel's name in the sales order's channel field (``[netsuite] channel_field``),
      its ``title`` when empty (:attr:`netsuite_channel`);
    - ``refund_directions``: the refund directions the channel supports, ``direction_refused`` why not others;
    - ``poll_orders``: the orders a connector polling the channel sees as new or updated since a time,
      ``(client, since) -> [Order]``; a channel without it is not polled by the sandbox connector;
    - ``poll_refunds``: the channel's refunds a connector polling it sees, on the orders of that poll or
      since the poll's start, ``(client, orders, since) -> [Refund]``;
    - ``extra``: capabilities only some channels have (Amazon: ``settlements``).
    """

    name: str
    title: str
    keys: tuple[Key, ...]
    secrets: tuple[Secret, ...]
    client: Callable[..., Any]  # (settings: ChannelConfig, connection: Connection, **common) -> client
    actions: Callable[[Any], ChannelActions]
    audit_refunds: Callable[[Any, Any, Any], dict[str, list[Refund]]]  # (client, AuditWindow, Progress | None)
    claims_order_id: Callable[[str], bool]
    live_origins: Callable[[ChannelConfig], Iterable[str]]
    doctor: Callable[[Any], Iterator[DoctorLine]] = _no_doctor
    authenticate: Callable[[Any], Any] | None = None  # one cheap read proving the credentials (live pre-flight)
    store_setup: Callable[[Any], Iterator[DoctorLine]] = _no_doctor  # settings a live run stops on (pre-flight)
    emulator: str = ""
    test_store_doc: str = "declare the store a development/test store (required for writes)"
    guard_writes: bool = True
    identifiers: tuple[str, ...] = ()
    secret_headers: frozenset[str] = frozenset()
    secret_keys: frozenset[str] = frozenset()
    personal: PersonalFields = PersonalFields()
    refund_directions: tuple[str, ...] = ("to_netsuite", "from_netsuite")
    direction_refused: str = ""
    cleanup_note: str = "test orders of the run stay in {title}: remove them there (their note carries {tag})"
    poll_orders: Callable[[Any, datetime], list[Order]] | None = None
    poll_refunds: Callable[[Any, list[Order], datetime], list[Refund]] | None = None
    netsuite_name: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def emulator_name(self) -> str:
        return self.emulator or self.name

    @property
    def netsuite_channel(self) -> str:
        """What the connector writes in the sales order's channel field for this channel's orders."""
        return self.netsuite_name or self.title

    def table(self) -> tuple[Key, ...]:
        """Every key of the ``[<name>]`` table, in the order ``syncproof init`` writes them."""
        return (
            key("enabled", bool, True, f"run the {self.title} scenarios"),
            *self.keys,
            *(key(s.key, str, s.env, f"environment variable holding {s.doc}") for s in self.secrets),
            key("test_store", bool, False, self.test_store_doc),
            key("billing", str, "cash_sale", "NetSuite billing record for orders", ("cash_sale", "invoice")),
        )

    def identifier_values(self, values: Mapping[str, Any]) -> dict[str, str]:
        """Account identifiers among ``values`` (settings or an emulator's connection) -> their placeholder."""
        return {str(values[k]): f"[{k}]" for k in self.identifiers if values.get(k)}

    def validate_refunds(self, settings: RefundSettings) -> str | None:
        """Why ``settings`` cannot work on this channel, or None."""
        if settings.direction not in self.refund_directions:
            return self.direction_refused or (f"{self.title} refunds sync only "
                                               + " or ".join(self.refund_directions))
        return None
