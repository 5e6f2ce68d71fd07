"""Fixtures for the report's black-box tests: a small feature project run with pytester."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

FEATURE = '''\
@refunds
Feature: Marketplace refunds reach NetSuite
    Refunds processed in the marketplace are posted to NetSuite
    as the transaction type the refund settings call for.

    Background:
        Given the sandbox target

    @RS-MN-1 @RS-MN-3 @shopify
    Scenario: Full refund of order 1001 posts a credit memo
        When the marketplace refunds order 1001 with lines
            | sku       | qty | amount |
            | SKU-RED-1 | 1   | 10.00  |
        Then NetSuite holds a matching refund

    @RS-MN-3 @amazon
    Scenario: Partial refund of order 2002 is short by a cent
        When the marketplace refunds order 2002 with lines
            | sku        | qty | amount |
            | SKU-BLUE-7 | 2   | 19.99  |
        Then the refund total matches the marketplace

    @RS-MN-2 @shopify
    Scenario: NetSuite refuses the credit memo
        When NetSuite is asked for the credit memo
        Then NetSuite holds a matching refund

    @RS-MN-2
    Scenario Outline: Transaction type follows the refund settings
        When the refund settings say <type> on <channel>
        Then NetSuite creates a <type>

        Examples:
            | channel | type          |
            | shopify | cash refund   |
            | amazon  | credit memo   |

    @AS-3 @amazon
    Scenario: Settlement 555 balances
        Then settlement 555 balances
'''

STEPS = '''\
import pytest
from pytest_bdd import given, when, then, scenarios, parsers

from connectors import NetSuiteError
from connectors import DEFAULT_REDACTOR, Exchange
from syncproof.report import record_check, record_exchange, record_note, record_settlement, set_run_metadata
from syncproof.verdict import CheckFailed, CheckResult

scenarios("features")

SECRET = "secret-token-123"


def exchange(url, body):
    r = DEFAULT_REDACTOR
    return Exchange(
        system="netsuite", method="GET", url=r.url(url + "?access_token=" + SECRET), status=200,
        duration_ms=12.5,
        request_headers=r.header_items([("Authorization", "Bearer " + SECRET), ("Accept", "application/json")]),
        request_body="", response_headers=r.header_items([("Content-Type", "application/json")]),
        response_body=r.body(body.encode(), "application/json"))


@given("the sandbox target")
def sandbox():
    set_run_metadata({"target": "sandbox", "driver": "engine", "netsuite_account": "TSTDRV1234567",
                      "go_live_date": "2026-12-01"})


@when(parsers.parse("the marketplace refunds order {order} with lines"))
def refund(order, datatable):
    record_exchange(exchange("https://ns.example.test/record/v1/creditMemo/" + order,
                             '{"id": "CM-' + order + '", "total": "10.00"}'))


@then("NetSuite holds a matching refund")
def matching():
    record_check(CheckResult.compare("RS-MN-3", "refund total", expected="10.00 USD", actual="10.00 USD",
                                     where="order #1001"))
    record_note("credit memo CM-1001 found")


@then("the refund total matches the marketplace")
def refund_total():
    ev = exchange("https://ns.example.test/record/v1/creditMemo/2002", '{"total": "39.97"}').to_json()
    result = CheckResult.compare(
        "RS-MN-3", "refund total",
        expected={"sku": "SKU-BLUE-7", "qty": 2, "total": {"amount": "39.98", "currency": "USD"}},
        actual={"sku": "SKU-BLUE-7", "qty": 2, "total": {"amount": "39.97", "currency": "USD"}},
        where="order #2002, SKU SKU-BLUE-7", evidence=[ev])
    record_check(result)
    raise CheckFailed(result)


@when("NetSuite is asked for the credit memo")
def netsuite_error():
    raise NetSuiteError("NetSuite answered 400 INVALID_FLD_VALUE for POST /creditMemo",
                        status=400, code="INVALID_FLD_VALUE")


@when(parsers.parse("the refund settings say {kind} on {channel}"))
def settings(kind, channel):
    pass


@then(parsers.parse("NetSuite creates a {kind}"))
def creates(kind):
    record_check(CheckResult.compare("RS-MN-2", "transaction type", expected=kind, actual=kind,
                                     where="order #3003"))


@then("settlement 555 balances")
def settlement():
    record_settlement({
        "id": "555", "period": {"start": "2026-12-15", "end": "2026-12-29"}, "currency": "USD",
        "balance": {"expected": "1234.56", "actual": "1234.56", "balanced": True},
        "totals": {"order": "1500.00", "refund": "-200.00", "fees": "-65.44"},
        "exceptions": [{"order_id": "114-999", "type": "Order", "sku": "SKU-GHOST-9", "amount": "12.00",
                        "reason": "order never synced"}],
    })
'''


class Project:
    """A feature project in a pytester directory, run with the collector."""

    def __init__(self, pytester: pytest.Pytester, shared: "SharedRuns") -> None:
        self.pytester = pytester
        self.shared = shared
        (pytester.path / "features").mkdir()
        (pytester.path / "features" / "refunds.feature").write_text(FEATURE)
        pytester.makepyfile(test_refunds=STEPS)
        self.untouched = self._files()

    def _files(self) -> dict[str, str]:
        return {p.relative_to(self.pytester.path).as_posix(): p.read_text()
                for p in self.pytester.path.rglob("*") if p.is_file()}

    def run(self, *args: str, out: str = "out") -> "Run":
        # only the plugins the project uses: an autoloaded plugin's distribution is assert-rewritten in every run
        result = self.pytester.runpytest_subprocess(
            "--disable-plugin-autoload", "-p", "pytest-bdd", "-p", "xdist",
            "-p", "syncproof.report.collector", f"--syncproof-report-dir={out}", "-p", "no:cacheprovider", *args)
        return Run(result, self.pytester.path / out)

    def shared_run(self, *args: str) -> "Run":
        """The untouched project run with ``args``, as :meth:`run` gives it, run once per test process.

        Each test gets its own copy of the outputs in ``out`` (to read, sign, tamper with); a test
        that changes the project first calls :meth:`run`.
        """
        assert self._files() == self.untouched, "the project was changed or run before: use run()"
        out = self.pytester.path / "out"
        if args not in self.shared.runs:
            run = self.run(*args)
            kept = self.shared.folder / f"run-{len(self.shared.runs)}"
            shutil.copytree(out, kept)
            self.shared.runs[args] = (run.result, kept)
            return run
        result, kept = self.shared.runs[args]
        shutil.copytree(kept, out)
        return Run(result, out)


class SharedRuns:
    """The outputs of the untouched project's runs, by arguments (see :meth:`Project.shared_run`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.runs: dict[tuple[str, ...], tuple[pytest.RunResult, Path]] = {}


class Run:
    def __init__(self, result: pytest.RunResult, out: Path) -> None:
        self.result = result
        self.out = out

    @property
    def results(self) -> dict:
        return json.loads((self.out / "results.json").read_text())

    def text(self, name: str) -> str:
        return (self.out / name).read_text()

    def all_outputs(self) -> str:
        """Every file the run wrote, the history's copies and index included (bytes read leniently)."""
        return "".join(p.read_bytes().decode("utf-8", "replace") for p in sorted(self.out.rglob("*")) if p.is_file())


@pytest.fixture(scope="session")
def shared_runs(tmp_path_factory: pytest.TempPathFactory) -> SharedRuns:
    return SharedRuns(tmp_path_factory.mktemp("shared-runs"))


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, shared_runs: SharedRuns) -> Project:
    repo = Path(__file__).resolve().parents[2]
    monkeypatch.setenv("PYTHONPATH", str(repo))
    return Project(pytester, shared_runs)
