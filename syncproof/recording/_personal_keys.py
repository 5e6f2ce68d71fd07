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
name or business address, with the vendor source of each), worked out once until a channel is registered or
unregistered. A list of name/value entries (WooCommerce's ``meta_data``) holds a personal value in an entry whose
name a channel names (:func:`entry_rule`, :func:`personal_entry`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ..channels import PersonalEntries, on_change, personal_fields
from ..channels import normalised_key as _norm

__all__ = ["personal_kind", "column_kind", "entry_rule", "personal_entry"]


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
    entries: dict[str, tuple[str, str, dict[str, str]]]  # container -> (name member, value member, names)


@functools.cache
def _tables() -> _Tables:
    channels = personal_fields()
    contained = {container: dict(keys) for container, keys in CONTAINED_BY.items()}
    for container, keys in channels.contained.items():
        contained.setdefault(_norm(container), {}).update({_norm(k): kind for k, kind in keys.items()})
    return _Tables(
        keys={**PERSONAL_KEYS, **{_norm(k): kind for k, kind in channels.keys.items()}},
        person_containers=PERSON_CONTAINERS | {_norm(c) for c in channels.person_containers},
        contained=contained,
        entries=_entry_rules(channels.entries))


def _entry_rules(entries: Iterable[PersonalEntries]) -> dict[str, tuple[str, str, dict[str, str]]]:
    """Each list's rule, normalised: the names every channel naming its entries names (channels agree on the name
    and value members, :func:`syncproof.channels.register` sees to it)."""
    rules: dict[str, tuple[str, str, dict[str, str]]] = {}
    for e in entries:
        names = rules.setdefault(_norm(e.container), (_norm(e.name), _norm(e.value), {}))[2]
        names.update({_norm(n): kind for n, kind in e.names.items()})
    return rules


@functools.lru_cache(maxsize=4096)
def personal_kind(key: str, parent: str | None) -> str | None:
    """The kind of personal value stored under ``key`` (inside ``parent``), or None."""
    tables = _tables()
    norm = _norm(key)
    if norm in tables.keys:
        return tables.keys[norm]
    if parent is None:
        return None
    container = _norm(parent)
    if norm in CONTAINED_KEYS and container in tables.person_containers:
        return CONTAINED_KEYS[norm]
    return tables.contained.get(container, {}).get(norm)


#: a list of name/value entries: (the member naming an entry, the member holding its value, personal names -> kind),
#: all normalised
EntryRule = tuple[str, str, dict[str, str]]


@functools.lru_cache(maxsize=1024)
def entry_rule(container: str) -> EntryRule | None:
    """How the objects of a list under ``container`` name a personal value, when it is a list of name/value
    entries a channel names (WooCommerce's ``meta_data``); else None."""
    return _tables().entries.get(_norm(container))


def personal_entry(entry: Mapping[str, Any], rule: EntryRule) -> tuple[str, str] | None:
    """For an object ``entry`` of a list of name/value entries (its :func:`entry_rule`): the member holding a
    personal value and its kind, when the entry's name names a personal field; else None."""
    members = {_norm(member): member for member in entry if isinstance(member, str)}  # in any case, as keys are
    name_member = members.get(rule[0])
    name = entry.get(name_member) if name_member is not None else None
    kind = rule[2].get(_norm(name)) if isinstance(name, str) else None
    return (members[rule[1]], kind) if kind is not None and rule[1] in members else None


#: the first word of a column about a party to an order (short or in full: ``bill-city``, ``billing-city``), and
#: the container its other words are read in
_PARTIES = {"ship": "shipto", "shipping": "shipto", "bill": "billto", "billing": "billto", "buyer": "buyer",
            "recipient": "recipient"}
_FIRST_WORD = re.compile(r"[-_ ]")


@functools.lru_cache(maxsize=1024)
def column_kind(name: str) -> str | None:
    """The kind of personal value a tab-separated document's column named ``name`` holds, or None."""
    name = name.strip().lstrip("\ufeff")
    kind = personal_kind(name, None)
    if kind is not None:
        return kind
    words = _FIRST_WORD.split(name, maxsplit=1)
    container = _PARTIES.get(words[0].lower()) if len(words) == 2 else None
    return personal_kind(words[1], container) if container is not None and words[1] else None


@on_change
def _forget() -> None:
    """A channel was registered or unregistered: its rules are worked out again when next asked."""
    for cached in (_tables, personal_kind, entry_rule, column_kind):
        cached.cache_clear()
