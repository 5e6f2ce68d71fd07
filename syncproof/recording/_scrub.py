"""What is removed from an HTTP exchange before it is written to a cassette or a report.

    >>> scrubber = Scrubber(hosts={"http://127.0.0.1:41234": "http://netsuite.sandbox.syncproof"},
    ...                     literals={"1234567_SB1": "[netsuite-account]"}, personal=Pseudonymiser(seed=7))
    >>> scrubber.url("http://127.0.0.1:41234/services/rest/record/v1/customer?x-amz-signature=abc")
    'http://netsuite.sandbox.syncproof/services/rest/record/v1/customer?x-amz-signature=[redacted]'

Rules (header and key names compared case-insensitively):

- **hosts**: each real origin (emulator port, live account host) becomes its fixed
  placeholder (``http://netsuite.sandbox.syncproof``...), in URLs and in bodies;
- **secrets**: the values of secret headers (``Authorization``, cookies, and each
  channel's: ``x-amz-access-token``, ``X-Shopify-Access-Token``...) and of secret query,
  form and JSON keys (each channel's ``refresh_token``, ``client_id``, ``client_secret``,
  ``access_token``, a pre-signed link's ``X-Amz-Signature``/``Credential``/``Security-Token`` or
  Cloud Storage ``Signature``, in URLs and in any text: :data:`connectors.PRESIGNED_SECRET`...)
  become ``[redacted]``; the names come from :func:`syncproof.channels.secret_headers`
  and :func:`~syncproof.channels.secret_keys`;
- **literals**: configured account identifiers (NetSuite account id, shop name), in any
  case and with ``_`` or ``-``, become placeholders;
- **personal data** (only when a :class:`Pseudonymiser` is given): buyer names, emails,
  phone numbers, address lines and coordinates, tax identifiers, IP addresses, user agents and dates
  of birth, as text or as numbers, by key (the core's vendor-neutral keys and each channel's
  ``ChannelSpec.personal``; in lists of name/value entries by the entry's name: ``email``,
  ``BuyerEmail``, ``BuyerName``, ``name`` inside a customer or address, a NetSuite customer reference's ``refName``,
  ``fullName``, a marketplace ``username``, ``phone``, ``address1``, ``city``, ``zip``,
  ``BuyerTaxRegistrationId``, a ``TaxClassifications`` entry's ``Value``, ``taxpayerId``...),
  by column in a tab-separated document, a body or a field holding one (a report document's ``buyer-email``,
  ``recipient-name``, ``ship-address-1``, ``cpf``, ``buyer-vat-number``..., named in its header
  row; the vendor-neutral keys are :mod:`._personal_keys`'s, each vendor's come from its channel's registry
  entry, :attr:`syncproof.channels.ChannelSpec.personal`, with their sources), and any e-mail address
  in text, become Faker values: the same real value always gets the same fake one within a
  cassette, so linked records stay linked. Identifiers derived from them (the SHA-256 prefix
  syncproof uses in customer external ids) are rewritten to match.

Without a pseudonymiser the scrubber only normalises (hosts, secrets, literals): that is
how a replayed request is compared with the recorded one; :func:`match_key` then masks
personal values on both sides.
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
import threading
import weakref
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Hashable, Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from faker import Faker

from connectors import REDACTED, redact_presigned

from ..body_encodings import GZIP_MAGIC, gunzipped, gzipped, read_text, starts_as_json, utf8
from ..channels import on_change, registry_version, secret_headers, secret_keys
from ._format import CompactJSONBody, compact_json, parse_json
from ._json_lines import scrub_json_lines
from ._personal_keys import entry_rule, is_number, is_scalar, personal_kind, personal_member
from ._tabular import scrub_columns

__all__ = ["Scrubber", "Pseudonymiser", "REDACTED", "match_key", "normalised_match_key", "hashable_match_key",
           "hashable", "NOT_JSON",
           "DROPPED_REQUEST_HEADERS",
           "DROPPED_RESPONSE_HEADERS"]

#: Headers that carry nothing a replay needs and differ on every run.
DROPPED_REQUEST_HEADERS = frozenset({"host", "content-length", "user-agent", "accept-encoding", "connection"})
DROPPED_RESPONSE_HEADERS = frozenset({"date", "server", "content-length", "connection", "keep-alive",
                                      "transfer-encoding", "content-encoding"})

#: :meth:`Scrubber.json_body` of a body that is not read as JSON
NOT_JSON: Any = object()

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
#: as long as the shortest text a personal or pre-signed rule changes: a known full name ("a@b.io" is 6,
#: a derived id 16, "Signature=x" 11)
_SHORTEST_NAME = "Ab Cd"


_FAKERS: dict[str, Callable[[Faker], str]] = {
    "email": lambda f: f.safe_email(),
    "phone": lambda f: f.numerify("+1 555-01##-####"),
    "name": lambda f: f.name(),
    "username": lambda f: f.user_name(),
    "first_name": lambda f: f.first_name(),
    "last_name": lambda f: f.last_name(),
    "street": lambda f: f.street_address(),
    "city": lambda f: f.city(),
    "postcode": lambda f: f.postcode(),
    "ip": lambda f: f.ipv4_public(),
    "user_agent": lambda f: f.user_agent(),
    "street_number": lambda f: f.building_number(),
    "latitude": lambda f: str(f.latitude()),
    "longitude": lambda f: str(f.longitude()),
}
#: kinds whose fake stays a JSON number when the real value is one (an address's coordinates); any other kind's
#: number becomes its fake text
_NUMBER_KINDS = frozenset({"latitude", "longitude"})


def _redrawn(faker: Faker, real: str) -> str:
    """``real`` with each digit and letter drawn afresh, case, length and punctuation kept."""
    return "".join(str(faker.random_digit()) if char.isdigit()
                   else faker.random_uppercase_letter() if char.isupper()
                   else faker.random_lowercase_letter() if char.isalpha()
                   else char for char in real)


def _tax_id(faker: Faker, real: str) -> str:
    """A fake tax identifier in the shape of ``real``: each digit and letter drawn afresh (the letters of an
    Italian codice fiscale come from the holder's name and birth date), so ``123.456.789-09`` still reads as a
    CPF. One with fewer than four letters and digits gets eleven digits."""
    if sum(char.isalnum() for char in real) < 4:
        return faker.numerify("#" * 11)
    return _redrawn(faker, real)


#: a date of two-digit day and month and a four-digit year, one separator, and what follows (a time)
_DATE = re.compile(r"(\d{2})([/-])(\d{2})\2(\d{4})(.*)", re.DOTALL)


def _birthdate(faker: Faker, real: str) -> str:
    """A fake date of birth written as ``real`` is: ``25/12/1980`` (day first with ``/``, as the Brazilian
    Market plugin keeps it) or ``12-25-1980T00:00:00`` (month first with ``-``, as its REST answer writes it);
    any other writing gets its digits drawn afresh."""
    match = _DATE.fullmatch(real)
    if match is None:
        return _redrawn(faker, real)
    born = faker.date_of_birth(minimum_age=18, maximum_age=90)
    first, second = (born.month, born.day) if match[2] == "-" else (born.day, born.month)
    return f"{first:02d}{match[2]}{second:02d}{match[2]}{born.year}{match[5]}"


#: kinds whose fake value is drawn in the shape of the real one (a gender, ``F`` or ``Feminino``, gets letters)
_SHAPED_FAKERS: dict[str, Callable[[Faker, str], str]] = {"tax_id": _tax_id, "birthdate": _birthdate,
                                                          "gender": _redrawn}


_FAKER_LOCK = threading.Lock()


@functools.cache
def _shared_faker() -> Faker:
    faker = Faker("en_US")
    faker.seed_instance(0)  # seeded like every pseudonymiser's (its Random is swapped for theirs)
    return faker


@dataclass
class Pseudonymiser:
    """Consistent fake values: the same real value always maps to the same fake one.

        >>> p = Pseudonymiser(seed=1)
        >>> p.fake("email", "ada@lovelace.org") == p.fake("email", "ada@lovelace.org")
        True
    """

    seed: int
    _map: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)
    _fakes: set[str] = field(default_factory=set, repr=False)
    derived: dict[str, str] = field(default_factory=dict, repr=False)
    _random: random.Random | None = field(default=None, init=False, repr=False)
    _names: list[tuple[str, str]] | None = field(default=None, init=False, repr=False)

    def _new(self, kind: str, real: str = "") -> str:
        """A fresh fake value of ``kind`` (for a shaped kind, in the shape of ``real``): what a
        ``Faker("en_US")`` seeded with ``seed`` would give next.

        Making a Faker loads some twenty providers (milliseconds, for every scenario of a recorded
        run); the values depend only on its ``random.Random``, which Faker's ``seed_instance`` makes
        and seeds. So one Faker serves every pseudonymiser, each drawing from its own seeded Random.
        """
        with _FAKER_LOCK:
            if self._random is None:
                self._random = random.Random()
                self._random.seed(self.seed)
            faker = _shared_faker()
            faker.random = self._random  # type: ignore[attr-defined]  # Faker's proxy sets its generator's
            shaped = _SHAPED_FAKERS.get(kind)
            return shaped(faker, real) if shaped is not None else _FAKERS[kind](faker)

    def fake(self, kind: str, real: str) -> str:
        if not real.strip() or real in self._fakes or REDACTED in real:
            return real
        key = (kind, real.lower() if kind == "email" else real)
        if key not in self._map:
            self._names = None
            fake = self._new(kind, real)
            while fake in self._fakes or fake == real:
                fake = self._new(kind, real)
            self._map[key] = fake
            self._fakes.add(fake)
            if kind == "name" and " " in real.strip() and " " in fake:
                # the same person split into first and last name (a NetSuite customer) stays linked
                (real_first, real_last), (fake_first, fake_last) = real.strip().split(" ", 1), fake.split(" ", 1)
                for part, real_part, fake_part in (("first_name", real_first, fake_first),
                                                   ("last_name", real_last, fake_last)):
                    if (part, real_part) not in self._map:
                        self._map[(part, real_part)] = fake_part
                        self._fakes.add(fake_part)
            if kind in ("email", "name"):
                real_hash = hashlib.sha256(real.lower().encode()).hexdigest()
                fake_hash = hashlib.sha256(fake.lower().encode()).hexdigest()
                self.derived[real_hash] = fake_hash
                self.derived[real_hash[:16]] = fake_hash[:16]
        return self._map[key]

    def known(self) -> int:
        """How many real values it has a fake for: while this stays the same, scrubbing a text again gives the
        same text (what it learns, and only that, changes what :meth:`Scrubber.text` replaces)."""
        return len(self._map)

    def known_names(self) -> list[tuple[str, str]]:
        """(real, fake) full names seen so far, longest first (first or last names alone are too common)."""
        return list(self._full_names())

    def _full_names(self) -> list[tuple[str, str]]:
        """:meth:`known_names` itself, not a copy (read, never changed)."""
        if self._names is None:  # worked out again only after a new value was seen
            names = [(real, fake) for (kind, real), fake in self._map.items()
                     if kind == "name" and " " in real.strip() and len(real) >= len(_SHORTEST_NAME)]
            self._names = sorted(names, key=lambda pair: -len(pair[0]))
        return self._names

    @property
    def real_values(self) -> set[str]:
        return {real for _, real in self._map}


#: :meth:`Scrubber._rule` of a key whose value is secret, of one whose text is free text, and of one holding a list of
#: name/value entries (with a pseudonymiser)
_SECRET, _TEXT, _ENTRIES = "secret", "text", "entries"
_NOT_PERSONAL = frozenset({_SECRET, _TEXT, _ENTRIES})  # the rules that are no kind of personal value


class _UntilLearned:
    """What a scrubbing gave, kept while the pseudonymiser learns nothing new: until then the same input
    scrubs to the same output. A result whose own scrubbing learned a value is not kept."""

    def __init__(self, learned: Callable[[], int]) -> None:
        self._learned = learned
        self._at = learned()
        self._kept: dict[Hashable, Any] = {}

    def get(self, key: Any, scrub: Callable[[Any], Any]) -> Any:
        learned = self._learned()
        if learned != self._at:
            self._kept.clear()
            self._at = learned
        kept = self._kept.get(key)
        if kept is not None:
            return kept
        result = scrub(key)
        if self._learned() == learned:
            self._kept[key] = result
        return result


@dataclass(frozen=True)
class _RegistryRules:
    """What a scrubber worked out from the channel registry at ``version``
    (:func:`~syncproof.channels.registry_version`, read before the rest): the secret header and key names, the rule
    of each JSON key met since (:meth:`Scrubber._rule`), and the JSON bodies, texts and URLs scrubbed by them since
    the pseudonymiser last learned a value. A scrubber holds one at a time and puts a new one in place in one
    assignment: what is kept for a registry was worked out by its rules or a newer registry's, never an older one's."""

    version: int
    secret_headers: frozenset[str]
    secret_keys: frozenset[str]
    learned: Callable[[], int]
    rules: dict[tuple[str, str | None], str] = field(default_factory=dict)
    bodies: _UntilLearned = field(init=False)
    texts: _UntilLearned = field(init=False)
    urls: _UntilLearned = field(init=False)

    def __post_init__(self) -> None:
        for name in ("bodies", "texts", "urls"):
            object.__setattr__(self, name, _UntilLearned(self.learned))


#: every scrubber in use, told when the channel registry changes (:meth:`Scrubber.forget`)
_LIVE: weakref.WeakSet[Scrubber] = weakref.WeakSet()
_LIVE_LOCK = threading.Lock()


@on_change
def _registry_changed() -> None:
    with _LIVE_LOCK:
        live = list(_LIVE)
    for scrubber in live:
        scrubber.forget()


class Scrubber:
    """Applies the rules above to URLs, headers and bodies."""

    def __init__(self, hosts: dict[str, str] | None = None, literals: dict[str, str] | None = None,
                 personal: Pseudonymiser | None = None) -> None:
        self.hosts = dict(sorted((hosts or {}).items(), key=lambda kv: -len(kv[0])))
        self.personal = personal
        self._literals = [(re.compile(re.escape(lit).replace("_", "[_-]").replace("\\-", "[_-]"), re.IGNORECASE), ph)
                          for lit, ph in sorted((literals or {}).items(), key=lambda kv: -len(kv[0]))
                          if lit and len(lit) >= 4]
        netlocs: dict[str, str] = {}
        for real, placeholder in self.hosts.items():
            real_netloc, ph_netloc = urlsplit(real).netloc, urlsplit(placeholder).netloc
            if real_netloc and real_netloc != ph_netloc:
                netlocs[real_netloc] = ph_netloc
        self._netlocs = dict(sorted(netlocs.items(), key=lambda kv: -len(kv[0])))
        # what a text must hold for a host or a literal to be replaced in it (one search each, not one per
        # rule), and the shortest text any rule changes
        origins = [re.escape(real) for real in (*self.hosts, *self._netlocs) if real]
        self._any_host = re.compile("|".join(origins)) if origins else None
        self._any_literal = (re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in self._literals),
                                        re.IGNORECASE) if self._literals else None)
        kept = [literal for literal in (literals or {}) if literal and len(literal) >= 4]
        self._folded_literals = ([literal.lower().replace("-", "_") for literal in kept]
                                 if all(literal.isascii() for literal in kept) else None)
        self._shortest = min([len(real) for real in (*self.hosts, *self._netlocs) if real]
                             + [len(literal) for literal in kept] + [len(_SHORTEST_NAME)])
        #: how many personal values its pseudonymiser has learned (:meth:`Pseudonymiser.known`), read at every
        #: text; without a pseudonymiser, ``int()``: none
        self.learned: Callable[[], int] = personal.known if personal is not None else int
        self._forgetting = threading.Lock()
        self._registry = _RegistryRules(-1, frozenset(), frozenset(), self.learned)
        with _LIVE_LOCK:  # told of changes before it reads the registry: a channel registered meanwhile is not missed
            _LIVE.add(self)
        self.forget()

    def forget(self) -> None:
        """Work out again what the channel registry decides (secret names, personal keys) and what was scrubbed by
        it: called when a channel is registered or unregistered, for every scrubber still in use (the report's
        process-wide one among them). What a newer registry's change worked out already (another thread's) is kept."""
        version = registry_version()  # read before the names: they are never older than it says
        headers, keys = secret_headers(), secret_keys()
        with self._forgetting:
            if version < self._registry.version:
                return
            self._registry = _RegistryRules(version, headers, keys, self.learned)

    @property
    def secret_headers(self) -> frozenset[str]:
        """The secret header names (lower case) of the channel registry this scrubber last worked its rules out from."""
        return self._registry.secret_headers

    @property
    def secret_keys(self) -> frozenset[str]:
        """The secret query, form and JSON key names (lower case) of that registry."""
        return self._registry.secret_keys

    # text --------------------------------------------------------------------------------------------
    def text(self, text: str) -> str:
        """Hosts, pre-signed secrets, literals, e-mail addresses and derived ids in free text.

        A scenario's texts come again and again (a GraphQL document, a SKU, a header): a text scrubbed since
        the pseudonymiser last learned a value, which learned nothing itself, is the same text again, kept."""
        if len(text) < self._shortest:
            return text
        return self._registry.texts.get(text, self._scrubbed_text)

    def _scrubbed_text(self, text: str) -> str:
        if self._any_host is not None and self._any_host.search(text):
            for real, placeholder in self.hosts.items():
                text = text.replace(real, placeholder)
            for real, placeholder in self._netlocs.items():
                text = text.replace(real, placeholder)
        text = redact_presigned(text)
        if self._literals and self._holds_literal(text):
            for pattern, placeholder in self._literals:
                text = pattern.sub(placeholder, text)
        if self.personal is not None:
            personal = self.personal
            if "@" in text:  # what every e-mail address holds
                text = _EMAIL.sub(lambda m: personal.fake("email", m.group(0)), text)
            # a few ids, looked for one by one (faster than a pattern), in a copy: another thread's scrubber
            # may learn one meanwhile
            for real, fake in tuple(personal.derived.items()):
                if real in text:
                    text = text.replace(real, fake)
            if len(text) >= len(_SHORTEST_NAME):
                for real, fake in personal._full_names():  # a buyer's name seen in a field, repeated in a note
                    if real in text:
                        text = text.replace(real, fake)
        return text

    def _holds_literal(self, text: str) -> bool:
        """Whether one of the literals' patterns (any case, ``_`` or ``-``) is in ``text``: for ASCII text, in
        its lower case with ``-`` as ``_``; other text, which case-insensitive matching folds otherwise, is
        searched with the patterns themselves."""
        if self._folded_literals is not None and text.isascii():
            folded = text.lower().replace("-", "_")
            return any(literal in folded for literal in self._folded_literals)
        return self._any_literal is not None and self._any_literal.search(text) is not None

    # URLs --------------------------------------------------------------------------------------------
    def url(self, url: str) -> str:
        """Hosts as their placeholders, secret query values redacted, then :meth:`text`. A recorded request's URL is
        scrubbed for its cassette and again for the report's evidence: a URL scrubbed since the pseudonymiser last
        learned a value, which learned nothing itself, is the same URL again, kept."""
        return self._registry.urls.get(url, self._scrubbed_url)

    def _scrubbed_url(self, url: str) -> str:
        for real, placeholder in self.hosts.items():
            if url.startswith(real):
                url = placeholder + url[len(real):]
                break
        parts = urlsplit(url)
        if parts.query:
            pairs = parse_qsl(parts.query, keep_blank_values=True)
            if any(k.lower() in self.secret_keys for k, _ in pairs):
                pairs = [(k, REDACTED if k.lower() in self.secret_keys else v) for k, v in pairs]
                url = urlunsplit(parts._replace(query=urlencode(pairs, safe="[]:/,@")))
        return self.text(url)

    # headers -----------------------------------------------------------------------------------------
    def headers(self, items: Iterable[tuple[str, str]], drop: frozenset[str] = frozenset()) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {}
        for name, value in items:
            low = name.lower()
            if low in drop:
                continue
            result.setdefault(name, []).append(REDACTED if low in self.secret_headers else self.text(str(value)))
        return result

    # bodies ------------------------------------------------------------------------------------------
    def body(self, body: bytes, content_type: str = "") -> bytes:
        """``body`` scrubbed; JSON bodies come back as compact JSON, form bodies re-encoded.

        A gzipped body (a report document, which the connector gunzips itself) is scrubbed inside and
        gzipped again (see :mod:`syncproof.body_encodings`), or kept as it came when nothing in it changed; one that
        does not decompress is not kept: a line saying so stands in for it. Text that is not UTF-8 is read and
        written back as Windows-1252."""
        if body[:2] == GZIP_MAGIC:
            content = gunzipped(body)
            if content is None:
                return (f"[{len(body)} bytes of gzip data that do not decompress, not kept: "
                        "nothing in them could be scrubbed]").encode("utf-8")
            scrubbed = self._plain_body(content, "")
            return body if scrubbed == content else gzipped(scrubbed)
        return self._plain_body(body, content_type)

    def _plain_body(self, body: bytes, content_type: str) -> bytes:
        value = self.json_body(body, content_type)
        if value is not NOT_JSON:
            return CompactJSONBody(compact_json(value).encode("utf-8"))
        if not body:
            return body
        text, encode = read_text(body)
        if "x-www-form-urlencoded" in content_type.lower() and encode is utf8:
            pairs = [(k, self._field(k, None, v)) for k, v in parse_qsl(text, keep_blank_values=True)]
            return urlencode(pairs, safe="[]").encode("utf-8")
        scrubbed = self._free_text(text)
        return body if scrubbed == text else encode(scrubbed)

    def document(self, text: str) -> str:
        """A tab-separated document's personal columns (by the names in its header row: ``buyer-email``,
        ``recipient-name``, ``ship-address-1``...) pseudonymised, each value learned as a field's is (see
        :mod:`._tabular`), and a JSON Lines document's lines scrubbed as JSON bodies are (:mod:`._json_lines`);
        any other text as it is. Without a pseudonymiser, ``text`` itself."""
        if self.personal is None:
            return text
        if "\t" in text:
            text = scrub_columns(text, self.personal.fake)
        if "\n" in text and text.lstrip()[:1] == "{":
            text = scrub_json_lines(text, self.value)
        return text

    def json_body(self, body: bytes, content_type: str = "") -> Any:
        """A JSON ``body`` parsed and scrubbed (what :meth:`body` writes as compact JSON), or
        :data:`NOT_JSON` when :meth:`body` does not read it as JSON.

        A recorded exchange is scrubbed for its cassette and again for the report's evidence: a body
        scrubbed since the pseudonymiser last learned a value, which learned nothing itself, is the
        same value again, kept rather than worked out twice (callers never change it)."""
        return self._registry.bodies.get((body, content_type), self._json_body)

    def _json_body(self, key: tuple[bytes, str]) -> Any:
        value = _parsed_json(*key)
        return value if value is NOT_JSON else self.value(value)

    def value(self, value: Any, key: str | None = None, parent: str | None = None) -> Any:
        """A parsed JSON value with its secrets and personal values replaced."""
        if isinstance(value, dict):
            return self._object(value, key)
        if isinstance(value, list):
            return self._items(value, key, parent)
        if isinstance(value, str):
            return self._field(key, parent, value) if key is not None else self._free_text(value)
        return self.number(key, parent, value) if key is not None else value  # an item of a list under key

    def _items(self, items: list, key: str | None, parent: str | None) -> list:
        """The items of a list under ``key`` inside ``parent``, each as :meth:`value` scrubs it: the rule of ``key``
        (:meth:`_rule`) is looked up once for the list, not once per item."""
        if key is None:
            return [self.value(v, None, parent) for v in items]
        rule = self._rule(key, parent)
        scrubbed: list = []
        for item in items:
            if isinstance(item, str):
                scrubbed.append(self._by_rule(rule, item))
            elif isinstance(item, dict):
                scrubbed.append(self._object(item, key))
            elif isinstance(item, list):
                scrubbed.append(self._items(item, key, parent))
            elif self.personal is not None and rule not in _NOT_PERSONAL and is_number(item):
                scrubbed.append(self.fake_number(rule, item))
            else:
                scrubbed.append(item)
        return scrubbed

    def _object(self, value: dict, parent: str | None) -> dict:
        """The members of a JSON object whose own key is ``parent``: a secret key's value (an object, text or
        a scalar, never a list, whose items are scrubbed one by one) becomes :data:`REDACTED` (null stays as
        it is), a personal value given as a number its fake (:meth:`fake_number`), a list of name/value entries
        is scrubbed as :meth:`_entries` says, and text is scrubbed as :meth:`_field` scrubs it."""
        rules, by_rule = self._registry.rules, self._by_rule
        scrubbed: dict[str, Any] = {}
        for key, member in value.items():
            rule = rules.get((key, parent)) or self._rule(key, parent)
            if isinstance(member, str):
                scrubbed[key] = by_rule(rule, member)
            elif isinstance(member, dict):
                scrubbed[key] = REDACTED if rule is _SECRET else self._object(member, key)
            elif isinstance(member, list):
                scrubbed[key] = (self._entries(member, key, parent) if rule is _ENTRIES
                                 else self._items(member, key, parent))
            elif rule is _SECRET and member is not None:
                scrubbed[key] = REDACTED
            elif is_number(member) and rule not in _NOT_PERSONAL:
                scrubbed[key] = self.fake_number(rule, member)
            else:
                scrubbed[key] = member
        return scrubbed

    def number(self, key: str, parent: str | None, value: Any) -> Any:
        """A value that is not text under ``key`` inside ``parent``: a number under a personal key (``"latitude": 45``,
        ``"zip": 12345``) its fake (:meth:`fake_number`), anything else as it is (the report's scrub
        of scenario results, :func:`syncproof.report.sanitize.scrub`, asks this of every such value)."""
        if self.personal is None or key is None or not is_number(value):
            return value
        rule = self._rule(key, parent)
        return self.fake_number(rule, value) if rule not in _NOT_PERSONAL else value

    def fake_number(self, kind: str, value: Decimal | float | int) -> Any:
        """The fake of a personal value of ``kind`` given as a JSON number: a coordinate's a :class:`~decimal.Decimal`
        (what a parsed body's numbers are, whether the real one was a whole number or not), any other kind's the
        fake text."""
        fake = self.personal.fake(kind, str(value))  # type: ignore[union-attr]  # a personal kind only with one
        return Decimal(fake) if kind in _NUMBER_KINDS else fake

    def _entries(self, items: list, key: str, parent: str | None) -> list:
        """A list of name/value entries under ``key`` (:func:`~._personal_keys.entry_rule`): each item scrubbed as
        any other, and the value of an entry whose name names a personal field a fake
        (:func:`~._personal_keys.personal_member`)."""
        scrubbed = self.value(items, key, parent)
        for index, item in enumerate(items):
            entry = personal_member(item, key)
            if entry is not None:
                scrubbed[index][entry[0]] = self.entry_value(entry[1], item[entry[0]])
        return scrubbed

    def entry_value(self, kind: str, value: str | Decimal | float | int) -> Any:
        """The fake of a personal name/value entry's value of ``kind`` (:func:`is_scalar`): text a fake text, a
        number as :meth:`fake_number` makes it."""
        if isinstance(value, str):
            return self.personal.fake(kind, value)  # type: ignore[union-attr]  # entries only with a pseudonymiser
        return self.fake_number(kind, value)

    def _rule(self, key: str, parent: str | None) -> str:
        """:data:`_SECRET`, the kind of personal value (with a pseudonymiser), :data:`_ENTRIES` (a list of name/value
        entries, with a pseudonymiser) or :data:`_TEXT`: what :meth:`_field` does with text under ``key`` inside
        ``parent`` (and :meth:`_object` with a list), worked out once per scrubber and registry (kept in its
        :class:`_RegistryRules`, which :meth:`_object` reads first itself): one worked out while
        a channel registered or unregistered (another thread) is the older registry's, not kept."""
        registry = self._registry
        known = registry.rules.get((key, parent))
        if known is not None:
            return known
        if key.lower() in registry.secret_keys:
            rule = _SECRET
        elif self.personal is None:
            rule = _TEXT
        else:
            kind = personal_kind(key, parent)
            rule = kind if kind is not None else _ENTRIES if entry_rule(key) is not None else _TEXT
        if registry_version() == registry.version:
            registry.rules[(key, parent)] = rule
        return rule

    def _field(self, key: str, parent: str | None, value: str) -> str:
        """Text under ``key`` inside ``parent``, as its :meth:`_rule` says: a secret's becomes :data:`REDACTED`
        (empty text stays as it is), a personal value's a fake, any other is free text."""
        return self._by_rule(self._rule(key, parent), value)

    def _by_rule(self, rule: str, value: str) -> str:
        """Text scrubbed as a key's :meth:`_rule` says (see :meth:`_field`)."""
        if rule is _TEXT or rule is _ENTRIES:
            return self._free_text(value)
        if rule is _SECRET:
            return REDACTED if value else value
        return self.personal.fake(rule, value)  # type: ignore[union-attr]  # a personal kind only with one

    def _free_text(self, value: str) -> str:
        """Text under a key neither secret nor personal: a field may hold a whole document (:meth:`document`, which
        reads only text with a tab or a line break), then :meth:`text`."""
        return self.text(self.document(value) if "\t" in value or "\n" in value else value)


# --- matching ---------------------------------------------------------------------------------------

_MASK = "[personal]"


def _mask(value: Any, key: str | None = None, parent: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: (_MASK if is_scalar(v) and personal_kind(k, key) else _mask(v, k, key))
                for k, v in value.items()}
    if isinstance(value, list):
        if key is not None and entry_rule(key) is not None:  # name/value entries: an entry's personal value too
            return [_masked_entry(_mask(v, key, parent), personal_member(v, key)) for v in value]
        return [
            (_MASK if is_scalar(v) and key is not None and personal_kind(key, parent) else _mask(v, key, parent))
            for v in value
        ]
    if isinstance(value, str):
        return _EMAIL.sub(_MASK, value)
    return value


def _masked_entry(masked: Any, entry: tuple[str, str] | None) -> Any:
    """An item of a list of name/value entries, masked by :func:`_mask`, with its personal value
    (:func:`~._personal_keys.personal_member`) masked too."""
    if entry is not None:
        masked[entry[0]] = _MASK
    return masked


def normalised_match_key(body: bytes, content_type: str, normalise: Scrubber) -> Any:
    """``match_key(normalise.body(body, content_type))``, a JSON body parsed once rather than twice."""
    value = normalise.json_body(body, content_type)
    if value is not NOT_JSON:
        return ("json", _mask(value))
    return match_key(normalise.body(body, content_type), content_type)


def hashable_match_key(body: bytes, content_type: str, normalise: Scrubber) -> Hashable:
    """``hashable(normalised_match_key(body, content_type, normalise))``: a JSON body's key built
    in one walk (normalised, personal values masked and made hashable at once) rather than three.

    ``hashable`` turns dicts into frozensets of their items and lists into tuples, so that two keys
    are equal exactly when the values they stand for are.
    """
    if normalise.personal is None:
        value = _parsed_json(body, content_type)
        if value is not NOT_JSON:
            return ("json", _MatchWalk(normalise).any(value, None, None))
    return hashable(normalised_match_key(body, content_type, normalise))


def hashable(value: Any) -> Hashable:
    """``value`` (a parsed body) as a hashable value equal to another exactly when the values are equal."""
    if isinstance(value, dict):
        return frozenset((k, hashable(v)) for k, v in value.items())
    if isinstance(value, list):
        return tuple(hashable(v) for v in value)
    if isinstance(value, tuple):
        return tuple(hashable(v) for v in value)
    return value


class _MatchWalk:
    """``hashable(_mask(normalise.value(value, key, parent), key, parent))`` for a scrubber without
    a pseudonymiser, in one walk: :meth:`Scrubber.value`'s rules, then :func:`_mask`'s, per node."""

    def __init__(self, normalise: Scrubber) -> None:
        self.text = normalise.text
        self.secret_keys = normalise.secret_keys

    @staticmethod
    def _masked(text: str, key: str | None, parent: str | None) -> str:
        # _mask of a string that sits under ``key`` in a container whose key is ``parent``
        if key is not None and personal_kind(key, parent):
            return _MASK
        return _EMAIL.sub(_MASK, text) if "@" in text else text

    def any(self, value: Any, key: str | None, parent: str | None) -> Hashable:
        # Scrubber.value(value, key, parent), masked as _mask(..., key, parent) masks it
        if isinstance(value, dict):
            return frozenset((k, self.member(k, v, key)) for k, v in value.items())
        if isinstance(value, list):
            items: list[Hashable] = []
            for v in value:
                if isinstance(v, str):  # value(v, key, parent) then the list's masking of a string
                    text = self.field(key, v) if key is not None else self.text(v)
                    items.append(self._masked(text, key, parent))
                elif (entry := personal_member(v, key)) is not None:  # an entry's personal value, as _mask masks it
                    items.append(frozenset((k, _MASK if k == entry[0] else self.member(k, w, key))
                                           for k, w in v.items()))
                elif is_number(v) and key is not None and personal_kind(key, parent):  # as _mask masks it
                    items.append(_MASK)
                else:
                    items.append(self.any(v, key, parent))
            return tuple(items)
        if isinstance(value, str):
            text = self.field(key, value) if key is not None else self.text(value)
            return _EMAIL.sub(_MASK, text) if "@" in text else text
        return value

    def member(self, key: str, value: Any, parent: str | None) -> Hashable:
        # a member of Scrubber._object(value, parent), masked as a dict's member under ``key``
        secret = key.lower() in self.secret_keys
        if isinstance(value, (dict, list)):
            if secret and not isinstance(value, list):
                return self._masked(REDACTED, key, parent)
            return self.any(value, key, parent)
        if isinstance(value, str):
            return self._masked(self.field(key, value), key, parent)
        if secret and value is not None:
            return self._masked(REDACTED, key, parent)
        if is_number(value) and personal_kind(key, parent):  # a personal value given as a number, as _mask masks it
            return _MASK
        return value

    def field(self, key: str, value: str) -> str:
        # Scrubber._field without a pseudonymiser
        if key.lower() in self.secret_keys:
            return REDACTED if value else value
        return self.text(value)


def _parsed_json(body: bytes, content_type: str) -> Any:
    """The JSON :meth:`Scrubber.json_body` reads (before scrubbing it), or :data:`NOT_JSON`."""
    if not body:
        return NOT_JSON
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return NOT_JSON
    if "json" in content_type.lower() or starts_as_json(text):
        try:
            return parse_json(text)
        except (ValueError, RecursionError):
            return NOT_JSON
    return NOT_JSON


def match_key(body: bytes, content_type: str = "") -> Any:
    """What two request bodies are compared on: parsed JSON or form, personal values masked."""
    if not body:
        return ""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body
    try:
        return ("json", _mask(parse_json(text)))
    except (ValueError, RecursionError):
        pass
    if "=" in text and "\n" not in text.strip():
        pairs = parse_qsl(text, keep_blank_values=True)
        if pairs:
            return ("form", [(k, _MASK if personal_kind(k, None) else _EMAIL.sub(_MASK, v)) for k, v in pairs])
    return ("text", _EMAIL.sub(_MASK, text))


def match_url(url: str) -> tuple:
    parts = urlsplit(url)
    query = sorted((k, _EMAIL.sub(_MASK, v)) for k, v in parse_qsl(parts.query, keep_blank_values=True))
    return (parts.scheme, parts.netloc.lower(), _EMAIL.sub(_MASK, parts.path), tuple(query))
