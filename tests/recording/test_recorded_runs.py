"""Recorded runs end to end, through the ``syncproof`` command in a subprocess.

- every scenario replays from the committed cassettes with the network blocked;
- recording from the sandbox writes no secret and no personal value to cassettes or reports;
- re-recording one scenario reproduces its committed cassette (apart from volatile values);
- a request the cassette does not hold fails the scenario with one message naming it and
  the command that re-records the scenario; so does a scenario with no cassette.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from syncproof import channels
from syncproof.recording import comparable, dump_cassette, load_cassette

ROOT = Path(__file__).resolve().parents[2]
CASSETTES = ROOT / "cassettes"
COMMITTED = sorted(CASSETTES.rglob("*.yaml"))

NO_NETWORK = '''
import socket

def _blocked(*args, **kwargs):
    raise OSError("network blocked by the replay test")

socket.socket.connect = _blocked
socket.socket.connect_ex = _blocked
socket.create_connection = _blocked

import sandbox, sandbox._launcher

def _no_emulators(*args, **kwargs):
    raise AssertionError("the replay target started the sandbox emulators")

sandbox.start_sandbox = sandbox._launcher.start_sandbox = _no_emulators
'''


def syncproof(*args: str, plugin: str | None = None, tmp_path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    pytest_args = ["-q", "-p", "no:randomly"]
    if plugin:
        (tmp_path / "syncproof_test_plugin.py").write_text(textwrap.dedent(plugin))
        env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), env.get("PYTHONPATH", "")])
        pytest_args += ["-p", "syncproof_test_plugin"]
    split = list(args).index("--") if "--" in args else len(args)
    command = [sys.executable, "-c", "from syncproof.cli import main; main()", "run",
               "--report-dir", str(tmp_path / "report"), *args[:split], "--", *pytest_args, *args[split + 1:]]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def _results(tmp_path: Path) -> dict:
    return json.loads((tmp_path / "report" / "results.json").read_text())


def test_every_scenario_replays_from_the_committed_cassettes_with_the_network_blocked(tmp_path):
    assert COMMITTED, "cassettes/ is empty: run `syncproof run --target record`"
    done = syncproof("--target", "replay", plugin=NO_NETWORK, tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = _results(tmp_path)
    summary = results["summary"]["scenarios"]
    assert summary["passed"] == summary["total"] == len(COMMITTED)
    exchanges = [e for f in results["features"] for s in f["scenarios"]
                 for e in [*s["exchanges"], *(x for step in s["steps"] for x in step.get("exchanges", []))]]
    assert exchanges and all(e["replayed"] for e in exchanges)
    assert {e["url"].split("/")[2] for e in exchanges} <= {f"{name}.sandbox.syncproof"
                                                           for name in ("netsuite", *channels.names())}


LIVE_LIKE = '''
import itertools

import faker

import sandbox, sandbox._launcher, sandbox.shopify.app
from sandbox import amazon, netsuite
from sandbox.netsuite.auth import Credentials
from sandbox.amazon._state import LwaCredentials

SECRETS = {secrets!r}
PEOPLE = {people!r}
_start = sandbox._launcher.start_sandbox


def start_live_like(host="127.0.0.1", faults=None, **options):
    backends = {{
        "netsuite": netsuite.NetSuiteBackend(Credentials(SECRETS["account"], SECRETS["consumer_key"],
                                                         SECRETS["consumer_secret"], SECRETS["token_id"],
                                                         SECRETS["token_secret"])),
        "amazon": amazon.AmazonBackend(LwaCredentials(SECRETS["client_id"], SECRETS["client_secret"],
                                                      SECRETS["refresh_token"]))}}
    return _start(host, **options, backends=backends, live_rate_limits=True)


sandbox.start_sandbox = sandbox._launcher.start_sandbox = start_live_like
sandbox.shopify.app.DEMO_TOKEN = SECRETS["shopify_token"]
_people = itertools.cycle(PEOPLE)


class RealLookingFaker(faker.Faker):
    """Customers with real-looking names and e-mail addresses."""

    def name(self):
        self._person = next(_people)
        return self._person[0]

    def email(self, *args, **kwargs):
        return getattr(self, "_person", PEOPLE[0])[1]


import steps.refund_steps, steps.settlement_steps
steps.refund_steps.Faker = steps.settlement_steps.Faker = RealLookingFaker
'''

SECRETS = {
    "account": "7654321_SB2",
    "consumer_key": "ck0a1b2c3d4e5f60718293a4b5c6d7e8f9LIVE",
    "consumer_secret": "cs9f8e7d6c5b4a39281706f5e4d3c2b1a0LIVE",
    "token_id": "tid3141592653589793238462643383279LIVE",
    "token_secret": "tsk2718281828459045235360287471352LIVE",
    "shopify_token": "shpat_0123456789abcdef0123456789abLIVE",
    "client_id": "amzn1.application-oa2-client.0123456789abcdefLIVE",
    "client_secret": "amzn1.oa2-cs.v1.fedcba9876543210LIVE",
    "refresh_token": "Atzr|IwEBIlivelikeRefreshTokenLIVE",
}
PEOPLE = [("Zebulon Quackenbush", "zebulon.quackenbush@apollo-guidance.test"),
          ("Philomena Oyelaran", "p.oyelaran@kestrel-mail.test")]


@pytest.mark.integration
def test_recording_writes_no_secret_and_no_personal_value(tmp_path):
    cassettes = tmp_path / "cassettes"
    plugin = LIVE_LIKE.format(secrets=SECRETS, people=PEOPLE)
    done = syncproof("--target", "record", "--", "--cassette-dir", str(cassettes), plugin=plugin, tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    written = [p for p in [*cassettes.rglob("*"), *(tmp_path / "report").rglob("*")] if p.is_file()]
    assert len(list(cassettes.rglob("*.yaml"))) == len(COMMITTED)
    forbidden = [*SECRETS.values(), "7654321-sb2", "Atza|"]
    for name, email in PEOPLE:
        forbidden += [*name.split(), email, email.split("@")[0], hashlib.sha256(email.encode()).hexdigest()[:16]]
    for path in written:
        text = path.read_bytes().decode("utf-8", errors="replace").lower()
        leaks = [value for value in forbidden if value.lower() in text]
        assert not leaks, f"{path} contains {leaks}"
        assert not re.search(r"x-amz-(signature|credential|security-token)=(?!\[redacted\]|%5bredacted%5d)", text), path
    cassette_text = "".join(p.read_text() for p in cassettes.rglob("*.yaml"))
    assert "[redacted]" in cassette_text and "Quackenbush" not in cassette_text
    assert "example" in cassette_text  # the personal values were replaced by fakes, not dropped


def _committed(name: str) -> Path:
    [path] = [p for p in COMMITTED if p.name == name]
    return path


@pytest.mark.integration
@pytest.mark.parametrize("name", [
    "a-full-refund-on-channel-of-an-order-billed-as-billing[amazon-a-cash-sale-a-cash-refund].yaml",
    "a-settlement-that-starts-too-soon-after-go-live-is-flagged.yaml",  # starts from the settlement set-up
    "a-partial-refund-on-channel-of-one-line[ebay].yaml",  # eBay order ids drawn again from the same seed
])
def test_rerecording_one_scenario_reproduces_its_committed_cassette(tmp_path, name):
    committed = _committed(name)
    keyword = re.search(r'-k "([^"]+)"', load_cassette(committed).metadata["rerecord"]).group(1)
    done = syncproof("--target", "record", "-k", keyword, "--", "--cassette-dir", str(tmp_path / "c"),
                     tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    [fresh] = list((tmp_path / "c").rglob("*.yaml"))
    assert fresh.relative_to(tmp_path / "c") == committed.relative_to(CASSETTES)
    assert comparable(fresh.read_text()) == comparable(committed.read_text())


def test_a_request_the_cassette_does_not_hold_fails_with_one_message(tmp_path):
    folder = tmp_path / "c"
    shutil.copytree(CASSETTES, folder)
    path = folder / _committed("a-partial-refund-on-channel-of-one-line[shopify].yaml").relative_to(CASSETTES)
    cassette = load_cassette(path)
    dropped = cassette.interactions.pop()
    path.write_text(dump_cassette(cassette))
    keyword = re.search(r'-k "([^"]+)"', cassette.metadata["rerecord"]).group(1)
    done = syncproof("--target", "replay", "-k", keyword, "--", "--cassette-dir", str(folder), tmp_path=tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    message = next(line for line in output.splitlines() if "holds no" in line)
    assert f"holds no {dropped.request.method} {dropped.request.uri.split('?')[0]}" in message
    assert f'syncproof run --target record -k "{keyword}"' in message
    assert "replay:" in message, message
    assert "Traceback" not in output
    failure = _results(tmp_path)["failures"][0] if _results(tmp_path)["failures"] else None
    assert failure is not None and failure["category"] == "configuration"


def test_a_scenario_without_a_cassette_says_how_to_record_it(tmp_path):
    (tmp_path / "empty").mkdir()
    done = syncproof("--target", "replay", "-k", "test_the_refund_settings_are_shown", "--", "--cassette-dir",
                     str(tmp_path / "empty"), tmp_path=tmp_path)
    assert done.returncode != 0
    assert "not found: this scenario has not been recorded" in done.stdout
    assert 'record it with `syncproof run --target record -k "test_the_refund_settings_are_shown"' in done.stdout


def test_each_cassettes_rerecord_command_selects_exactly_its_scenario():
    from _pytest.mark.expression import Expression

    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-n", "0", "-p", "no:randomly",
                           "steps/test_scenarios.py"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    names = [line.split("::", 1)[1] for line in done.stdout.splitlines() if "::" in line]
    assert len(names) == len(COMMITTED)
    for path in COMMITTED:
        keyword = re.search(r'-k "([^"]+)"', load_cassette(path).metadata["rerecord"]).group(1)
        expression = Expression.compile(keyword)
        selected = [n for n in names if expression.evaluate(lambda ident, n=n: ident.lower() in n.lower())]
        assert len(selected) == 1, (path.name, keyword, selected)


def test_a_settlement_cassette_finds_the_settlement_set_up_and_creates_no_item():
    """A recording from the sandbox makes the one-time settlement set-up once, outside every cassette: a
    settlement scenario's own set-up step finds every settlement item and creates none."""
    from syncproof.engine.settlement_connector import settlement_item_labels

    cassette = load_cassette(_committed("a-settlement-that-starts-too-soon-after-go-live-is-flagged.yaml"))
    created = [i.request.uri for i in cassette.interactions
               if i.request.method == "POST" and "/record/v1/otherChargeSaleItem" in i.request.uri]
    assert created == []
    answers = b"".join(i.response.body for i in cassette.interactions if "/query/v1/suiteql" in i.request.uri)
    assert [name for name in settlement_item_labels() if f'"{name}"'.encode() not in answers] == []


def test_a_scenarios_items_step_finds_the_catalogue_in_one_query_and_creates_no_item():
    """A recording from the sandbox makes the items the features' tables list once, outside every cassette, as
    every sandbox run's scenario after the first finds them: the items step asks for its table's SKUs in one
    SuiteQL query, finds them all and creates none."""
    from syncproof.feature_items import feature_items

    catalogue = {item.sku for item in feature_items(ROOT / "features")}
    cassette = load_cassette(_committed("a-partial-refund-on-channel-of-one-line[shopify].yaml"))
    item_writes = [i.request.uri for i in cassette.interactions
                   if i.request.method in ("PUT", "POST") and "SaleItem" in i.request.uri]
    assert item_writes == []
    lookup = next(i for i in cassette.interactions if b"FROM item WHERE itemid IN" in i.request.body)
    assert all(sku.encode() in lookup.request.body for sku in catalogue)  # the Background's whole table at once
    answer = json.loads(lookup.response.body)
    assert {row["itemid"] for row in answer["items"]} == catalogue
