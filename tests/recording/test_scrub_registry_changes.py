"""What the scrubbers work out from the channel registry (personal keys, secret names) follows it when it changes.

A scrubber made before a channel is registered (a recording's, or the report's one process-wide scrubber) scrubs by
that channel's rules afterwards, and no longer once it is unregistered; and a registration made while the rules are
being worked out (another thread registering a channel) is not lost to a cache filled with the older registry.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, Iterator, Mapping

import pytest

from syncproof import channels
from syncproof.recording import Pseudonymiser, Scrubber, _scrub
from syncproof.recording._personal_keys import personal_kind
from syncproof.recording._scrub import hashable_match_key
from syncproof.report import sanitize

CARD = "LC-99182-3"


def loyalty_channel(name: str = "acme_loyalty", key: str = "loyalty_card") -> Any:
    return dataclasses.replace(channels.get("woocommerce"), name=name, secret_keys=frozenset({"acme_token"}),
                               personal=channels.PersonalFields(keys={key: "tax_id"}))


def body() -> bytes:
    return json.dumps({"loyalty_card": CARD, "acme_token": "tok-1", "note": "hello"}).encode()


def test_a_scrubber_made_before_a_channel_registers_scrubs_by_its_rules_and_forgets_them_after(registered_channel):
    scrubber = Scrubber(personal=Pseudonymiser(7))
    before = scrubber.body(body(), "application/json").decode()
    assert CARD in before and "tok-1" in before, before
    with registered_channel(loyalty_channel()):
        during = json.loads(scrubber.body(body(), "application/json"))
        assert CARD not in json.dumps(during) and during["acme_token"] == "[redacted]", during
        assert during["note"] == "hello"
    after = scrubber.body(body(), "application/json").decode()
    assert CARD in after and "tok-1" in after, after


def test_request_matching_redacts_a_secret_key_registered_after_its_scrubber_was_made(registered_channel):
    """Replay compares requests normalised by a scrubber made when the replay starts: a channel's secret key
    registered later is redacted on both sides, so two requests differing only in its value match."""
    normalise = Scrubber()
    first = json.dumps({"acme_token": "tok-1", "loyalty_card": CARD}).encode()
    second = json.dumps({"acme_token": "tok-2", "loyalty_card": "LC-00000-1"}).encode()
    assert hashable_match_key(first, "application/json", normalise) != hashable_match_key(
        second, "application/json", normalise)
    with registered_channel(loyalty_channel()):
        assert hashable_match_key(first, "application/json", normalise) == hashable_match_key(
            second, "application/json", normalise)


def test_the_reports_scrubber_follows_the_registry(registered_channel, pseudonymised_evidence):
    evidence = {"request": {"loyalty_card": CARD}, "response_body": json.dumps({"loyalty_card": CARD})}
    with pseudonymised_evidence(3):
        assert CARD in repr(sanitize.scrub(evidence))
        with registered_channel(loyalty_channel()):
            seen = repr(sanitize.scrub(evidence))
            assert CARD not in seen, seen
        assert CARD in repr(sanitize.scrub(evidence))


class _RegistersWhileRead(Mapping[str, str]):
    """A channel's personal keys that register another channel the first time they are read: what another thread
    registering a channel does while this one works out the merged rules."""

    def __init__(self, keys: dict[str, str], register: Any) -> None:
        self._keys, self._register = keys, register

    def __getitem__(self, key: str) -> str:
        return self._keys[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def items(self) -> Any:
        register, self._register = self._register, None
        if register is not None:
            register()
        return self._keys.items()


def test_a_channel_registered_while_the_rules_are_worked_out_is_not_lost(registered_channel):
    late = loyalty_channel("acme_late", key="late_card")
    keys = _RegistersWhileRead({"early_card": "tax_id"}, lambda: channels.register(late))
    early = dataclasses.replace(loyalty_channel("acme_early"), personal=channels.PersonalFields(keys=keys))
    try:
        with registered_channel(early):
            assert personal_kind("early_card", None) in ("tax_id", None)  # worked out while "acme_late" registers
            assert "acme_late" in channels.names()
            assert personal_kind("late_card", None) == "tax_id"
            assert personal_kind("early_card", None) == "tax_id"
    finally:
        channels.unregister("acme_late")
    assert personal_kind("late_card", None) is None


def _registering_once(spec: Any, then: Any) -> Any:
    """``then`` (one of the functions a scrubber works its rules out with), registering ``spec`` just after its first
    answer: what another thread registering a channel at that moment does, between the scrubber's reading the
    registry and its keeping what it read."""
    pending = [spec]

    def called(*args: Any) -> Any:
        answer = then(*args)
        if pending:
            channels.register(pending.pop())
        return answer

    return called


@pytest.fixture
def late() -> Iterator[channels.ChannelSpec]:
    """A channel with a secret key of its own, registered by the test (at a moment it chooses); unregistered after."""
    yield dataclasses.replace(loyalty_channel("acme_late"), secret_keys=frozenset({"late_token"}))
    if "acme_late" in channels.names():
        channels.unregister("acme_late")


def test_a_rule_worked_out_while_a_channel_registers_is_not_kept_for_the_new_registry(monkeypatch, late):
    """A key's rule is worked out from the secret names its scrubber holds and the personal tables: a channel
    registered after the names were read (the scrubber told of it and starting afresh) makes that rule the older
    registry's, which the scrubber does not keep: the next body is scrubbed by the new channel's secret names."""
    scrubber = Scrubber(personal=Pseudonymiser(7))
    monkeypatch.setattr(_scrub, "personal_kind", _registering_once(late, _scrub.personal_kind))
    first = json.dumps({"late_token": "tok-1", "note": "hello"}).encode()
    scrubber.body(first, "application/json")  # scrubbed while "acme_late" registers: by either registry
    assert "acme_late" in channels.names()
    again = json.loads(scrubber.body(json.dumps({"late_token": "tok-2"}).encode(), "application/json"))
    assert again == {"late_token": "[redacted]"}, again


def test_a_scrubber_made_while_a_channel_registers_scrubs_by_its_rules(monkeypatch, late):
    """A scrubber reads the secret names when it is made: a channel registered just after they were read, before
    the scrubber was among those told of changes, still has its secret keys redacted by it."""
    monkeypatch.setattr(_scrub, "secret_keys", _registering_once(late, _scrub.secret_keys))
    scrubber = Scrubber(personal=Pseudonymiser(7))
    assert "acme_late" in channels.names()
    scrubbed = json.loads(scrubber.body(json.dumps({"late_token": "tok-1"}).encode(), "application/json"))
    assert scrubbed == {"late_token": "[redacted]"}, scrubbed


def test_a_body_scrubbed_while_its_scrubber_takes_a_new_registry_in_is_not_kept_for_it(monkeypatch, late):
    """Another thread scrubs a body at each point its scrubber passes while taking in a channel's registration (each
    cache the scrubber makes for the new registry): what it gets then may be the older registry's, but the body is
    scrubbed by the new channel's secret names afterwards."""
    scrubber = Scrubber(personal=Pseudonymiser(7))
    plain = json.dumps({"late_token": "tok-1"}).encode()
    url = "https://acme.example/orders?late_token=tok-1"
    meanwhile: list[tuple[bytes, str]] = []

    class ScrubbedMeanwhile(_scrub._UntilLearned):
        def __init__(self, learned: Any) -> None:
            super().__init__(learned)
            meanwhile.append((scrubber.body(plain, "application/json"), scrubber.url(url)))

    monkeypatch.setattr(_scrub, "_UntilLearned", ScrubbedMeanwhile)
    channels.register(late)
    monkeypatch.undo()
    assert len(meanwhile) >= 3, meanwhile  # the body, text and URL caches of the scrubber
    assert json.loads(scrubber.body(plain, "application/json")) == {"late_token": "[redacted]"}
    assert scrubber.url(url) == "https://acme.example/orders?late_token=[redacted]"
