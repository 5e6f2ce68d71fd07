"""Which keys of a body hold personal data, and what kind of fake value each gets.

    >>> personal_kind("BuyerEmail", None), personal_kind("name", "shippingAddress"), personal_kind("name", None)
    ('email', 'name', None)
    >>> column_kind("ship-postal-code"), column_kind("ship-service-level"), column_kind("buyer-email")
    ('postcode', None, 'email')

Keys are compared normalised (lower case, no ``_``, ``-`` or space: ``Ship Address 1`` is
``ship-address-1``). A tab-separated document's column (:mod:`._tabular`) is personal when its name
is a personal key (``buyer-email``, ``recipient-name``), or a party's word (``ship``, ``bill``,
``billing``, ``buyer``, ``recipient``) followed by a key that is personal inside that party's address
(``ship-city``, ``bill-address-1``, ``buyer-phone-number``, ``bill-name``).

The rules are the union of two tables: the vendor-neutral keys below (an e-mail address, a phone number, a
person's names, address lines, city and postcode, wherever a vendor puts them; NetSuite's customer references,
NetSuite being every run's system of record), and every registered channel's
:attr:`~syncproof.channels.ChannelSpec.personal` (a marketplace's own names for a buyer's tax identifier, legal
name or business address, with the vendor source of each), merged once for each version of the channel registry
(:func:`~syncproof.channels.registry_version`), so that what is worked out while a channel registers is never kept as
current. A list of name/value entries (WooCommerce's ``meta_data``) holds a personal value in an entry whose
name a channel names (:func:`entry_rule`, :func:`personal_member`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..channels import normalised_key as _norm
from ..channels import on_change, registry_version, specs

__all__ = ["personal_kind", "column_kind", "entry_rule", "personal_member", "is_number", "is_scalar"]


#: Personal keys and the kind of fake value they get (keys normalised: lower case, no _, - or space).
PERSONAL_KEYS: dict[str, str] = {
    **dict.fromkeys(("email", "buyeremail", "contactemail", "customeremail", "emailaddress"), "email"),
    **dict.fromkeys(("phone", "phonenumber", "buyerphone", "mobile", "mobilephone", "homephone"), "phone"),
    **dict.fromkeys(("buyername", "recipientname", "customername", "shiptoname", "billtoname",
                     "addressee", "attention"), "name"),
    **dict.fromkeys(("firstname", "givenname"), "first_name"),
    **dict.fromkeys(("lastname", "familyname", "surname"), "last_name"),
    **dict.fromkeys(("address1", "address2", "address3", "addressline1", "addressline2", "addressline3",
                     "addr1", "addr2", "addr3", "street", "streetaddress"), "street"),
    **dict.fromkeys(("city",), "city"),
    **dict.fromkeys(("zip", "zipcode", "postalcode", "postcode"), "postcode"),
}
#: Keys that are personal only inside a container about a person or an address (a ``name`` or ``fullName`` of a
#: customer or an address, a marketplace buyer's ``username``), and the kind of fake value they get.
CONTAINED_KEYS: dict[str, str] = {"name": "name", "displayname": "name", "fullname": "name", "username": "username"}
#: containers about a person or an address (``addressbookaddress``: a NetSuite customer's address book entry)
PERSON_CONTAINERS = frozenset({"customer", "shippingaddress", "billingaddress", "buyer", "defaultaddress", "address",
                               "shipto", "billto", "addressbookaddress", "recipient", "addresses"})
#: Keys personal only inside the container named: NetSuite references to a customer
#: (``"entity": {"id": "201", "refName": "Ada Lovelace"}``).
CONTAINED_BY: dict[str, dict[str, str]] = {
    container: dict.fromkeys(("refname", "altname", "entityid"), "name") for container in ("entity", "customer")}


@dataclass(frozen=True)
class _Tables:
    """The core's rules and every registered channel's, normalised."""

    keys: dict[str, str]
    person_containers: frozenset[str]
    contained: dict[str, dict[str, str]]
    entries: dict[str, EntryRule]  # container -> (name member, value member, names)


#: a list of name/value entries: (the member naming an entry, the member holding its value, personal names -> kind),
#: all normalised
EntryRule = tuple[str, str, dict[str, str]]


@functools.lru_cache(maxsize=2)
def _tables(version: int) -> _Tables:
    """The tables at registry ``version`` (:func:`~syncproof.channels.registry_version`, read before the specs are):
    the core's and each channel's :attr:`~syncproof.channels.ChannelSpec.personal`, merged and normalised in one
    pass."""
    keys, containers = dict(PERSONAL_KEYS), set(PERSON_CONTAINERS)
    contained = {container: dict(names) for container, names in CONTAINED_BY.items()}
    entries: dict[str, EntryRule] = {}
    for fields in (spec.personal for spec in specs()):
        keys.update({_norm(k): kind for k, kind in fields.keys.items()})
        containers.update(_norm(c) for c in fields.person_containers)
        for container, names in fields.contained.items():
            contained.setdefault(_norm(container), {}).update({_norm(k): kind for k, kind in names.items()})
        for e in fields.entries:  # channels agree on a list's name and value members (channels.register sees to it)
            rule = entries.setdefault(_norm(e.container), (_norm(e.name), _norm(e.value), {}))
            rule[2].update({_norm(n): kind for n, kind in e.names.items()})
    return _Tables(keys, frozenset(containers), contained, entries)


def personal_kind(key: str, parent: str | None) -> str | None:
    """The kind of personal value stored under ``key`` (inside ``parent``), or None."""
    return _personal_kind(key, parent, registry_version())


@functools.lru_cache(maxsize=4096)
def _personal_kind(key: str, parent: str | None, version: int) -> str | None:
    tables = _tables(version)
    norm = _norm(key)
    if norm in tables.keys:
        return tables.keys[norm]
    if parent is None:
        return None
    container = _norm(parent)
    if norm in CONTAINED_KEYS and container in tables.person_containers:
        return CONTAINED_KEYS[norm]
    return tables.contained.get(container, {}).get(norm)


def entry_rule(container: str) -> EntryRule | None:
    """How the objects of a list under ``container`` name a personal value, when it is a list of name/value
    entries a channel names (WooCommerce's ``meta_data``); else None."""
    return _entry_rule(container, registry_version())


@functools.lru_cache(maxsize=1024)
def _entry_rule(container: str, version: int) -> EntryRule | None:
    return _tables(version).entries.get(_norm(container))


def is_number(value: Any) -> bool:
    """Whether ``value`` is a JSON number as parsed (a :class:`~decimal.Decimal`, a float or an int; a bool is not)."""
    return isinstance(value, (Decimal, float, int)) and not isinstance(value, bool)


def is_scalar(value: Any) -> bool:
    """Whether ``value`` is text or a number (:func:`is_number`): what a personal entry's fake replaces (an object or a
    list is scrubbed by its own keys)."""
    return isinstance(value, str) or is_number(value)


def personal_member(item: Any, container: str | None) -> tuple[str, str] | None:
    """For an object ``item`` under ``container`` (an item of a list of name/value entries, :func:`entry_rule`:
    ``{"key": "_billing_cpf", "value": "853.513.468-93"}`` in WooCommerce's ``meta_data``): the member holding a
    personal value and the kind of fake it gets, when the entry's name names a personal field and its value is text
    or a number (:func:`is_scalar`); else None. Members are read in any case, as every key is. The cassette's
    scrubbing, request matching (both walks) and the report's second scrub all ask this."""
    rule = entry_rule(container) if container is not None and isinstance(item, dict) else None
    if rule is None:
        return None
    members = {_norm(member): member for member in item if isinstance(member, str)}
    name_member, value_member = members.get(rule[0]), members.get(rule[1])
    name = item.get(name_member) if name_member is not None else None
    kind = rule[2].get(_norm(name)) if isinstance(name, str) else None
    if kind is None or value_member is None or not is_scalar(item[value_member]):
        return None
    return value_member, kind


#: the first word of a column about a party to an order (short or in full: ``bill-city``, ``billing-city``), and
#: the container its other words are read in
_PARTIES = {"ship": "shipto", "shipping": "shipto", "bill": "billto", "billing": "billto", "buyer": "buyer",
            "recipient": "recipient"}
_FIRST_WORD = re.compile(r"[-_ ]")


def column_kind(name: str) -> str | None:
    """The kind of personal value a tab-separated document's column named ``name`` holds, or None."""
    return _column_kind(name, registry_version())


@functools.lru_cache(maxsize=1024)
def _column_kind(name: str, version: int) -> str | None:
    name = name.strip().lstrip("\ufeff")
    kind = _personal_kind(name, None, version)
    if kind is not None:
        return kind
    words = _FIRST_WORD.split(name, maxsplit=1)
    container = _PARTIES.get(words[0].lower()) if len(words) == 2 else None
    return _personal_kind(words[1], container, version) if container is not None and words[1] else None


@on_change
def _forget() -> None:
    """A channel was registered or unregistered: what was worked out at the earlier versions is no longer asked for
    (each is kept with its version, so a value worked out while the registry changed is never read as current)."""
    for cached in (_tables, _personal_kind, _entry_rule, _column_kind):
        cached.cache_clear()
