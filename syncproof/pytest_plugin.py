"""The pytest plugin that runs syncproof's Gherkin scenarios.

It adds the run's options (``--target``, ``--driver``, ``--syncproof-config``...),
loads ``syncproof.toml``, opens the run's :class:`~syncproof.runtime.Runtime` once per
session (starting the sandbox emulators when the target is ``sandbox``), hands every
HTTP exchange to the report, and gives each scenario a fresh :class:`ScenarioContext`.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timezone
from typing import Any

import pytest

from .channels import names as channel_names
from .channels import specs as channel_specs
from .config import DRIVERS, TARGETS, Config, load_config, load_dotenv_file
from .connector_defects import ScopedDefect, scoped_defects_for
from .errors import SyncproofError
from .report.checks_catalog import CHECK_IDS, CHECK_TITLES
from .report.recorder import record_connector_defects, record_exchange, set_run_metadata
from .scenario import ScenarioContext

__all__ = ["ScenarioContext"]

pytest_plugins = ["syncproof.report.collector", "syncproof.stopping", "syncproof.unreadable"]

_CONFIG_KEY = pytest.StashKey[Config]()
_RUN_TAG_KEY = pytest.StashKey[str]()
_CALL_REPORT = pytest.StashKey[pytest.TestReport]()
_DEFECTS_KEY = pytest.StashKey[tuple[ScopedDefect, ...]]()


def run_tag_for(target: str, record_from: str = "sandbox") -> str:
    """Runs that write to live accounts (live, and recording from live) get a unique tag for
    ``syncproof cleanup --run``; other targets stay deterministic."""
    if target != "live" and not (target == "record" and record_from == "live"):
        return ""
    return f"sp{datetime.now(timezone.utc):%Y%m%d%H%M%S}-{secrets.token_hex(2)}"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("syncproof", "syncproof acceptance run")
    group.addoption("--syncproof-config", default=None, help="path of syncproof.toml (default: ./syncproof.toml)")
    group.addoption("--target", default=None, choices=TARGETS,
                    help="where HTTP goes (overrides [project] target)")
    group.addoption("--driver", default=None, choices=DRIVERS,
                    help="who performs the syncs (overrides [project] driver)")
    group.addoption("--interactive", action="store_true", default=False,
                    help="let steps that need a person prompt for it")
    group.addoption("--allow-production-writes", action="store_true", default=False,
                    help="allow writes to accounts not declared sandbox/test (printed in the report)")
    # record/replay (syncproof.recording)
    group.addoption("--cassette-dir", default=None,
                    help="cassettes of --target record/replay (default: cassettes/ under the rootdir)")
    group.addoption("--record-from", default="sandbox", choices=("sandbox", "live"),
                    help="--target record: record the sandbox emulators (default) or the live accounts")


#: Tags naming an area of the suite (each channel's name is one too).
AREA_TAGS = ("netsuite", "refunds", "settings", "to_netsuite", "from_netsuite", "settlement", "audit",
             "interactive", "engine")


def pytest_configure(config: pytest.Config) -> None:
    for tag in CHECK_IDS:
        config.addinivalue_line("markers", f"{tag}: scenario proves check {tag}: {CHECK_TITLES[tag]}")
    for tag in (*AREA_TAGS, *channel_names()):
        config.addinivalue_line("markers", f"{tag}: scenario area {tag}")
    load_dotenv_file()
    try:
        loaded = load_config(config.getoption("--syncproof-config", None))
        loaded = loaded.with_overrides(target=config.getoption("--target", None),
                                       driver=config.getoption("--driver", None))
    except SyncproofError as exc:
        raise pytest.UsageError(str(exc)) from None
    if loaded.project.target == "sandbox":
        from .runtime import check_fault_plan

        try:
            check_fault_plan(loaded)  # a bad plan is one line now, not an error in every scenario
            if loaded.project.driver == "connector":
                config.stash[_DEFECTS_KEY] = scoped_defects_for(loaded.sandbox_connector_defects)
        except SyncproofError as exc:
            raise pytest.UsageError(str(exc)) from None
    config.stash[_CONFIG_KEY] = loaded
    if loaded.project.target == "live" or config.getoption("--record-from", "sandbox") == "live":
        from .report.sanitize import pseudonymise_personal_data

        pseudonymise_personal_data(seed=secrets.randbits(32))  # real customers: their data never reaches the report
    config.stash[_RUN_TAG_KEY] = run_tag_for(loaded.project.target, config.getoption("--record-from", "sandbox"))
    set_run_metadata({**_run_metadata(loaded, config), "run_tag": config.stash[_RUN_TAG_KEY] or None})


def pytest_sessionstart(session: pytest.Session) -> None:
    tag = session.config.stash.get(_RUN_TAG_KEY, "")
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if tag and reporter is not None:
        reporter.write_line(f"syncproof run tag {tag}: everything this run creates carries it "
                            f"(undo with `syncproof cleanup --run {tag}`)")


def _run_metadata(cfg: Config, config: pytest.Config) -> dict[str, Any]:
    from connectors.netsuite import is_sandbox_account

    from .report.configuration import configuration_under_test

    recorded = ({"record_from": config.getoption("--record-from", "sandbox")}
                if cfg.project.target == "record" else {})
    return {**recorded, "configuration": configuration_under_test(cfg),
        "project": cfg.project.name,
        "target": cfg.project.target,
        "driver": cfg.project.driver,
        "go_live": cfg.project.go_live.isoformat(),
        "settlement_wait_weeks": cfg.project.settlement_wait_weeks,
        "netsuite_account": cfg.netsuite.account_id if cfg.project.target != "sandbox" else "sandbox emulator",
        "netsuite_account_kind": "sandbox" if is_sandbox_account(cfg.netsuite.account_id) else "production",
        **{f"{spec.name}_store": next((cfg.channel(spec.name).options.get(k) for k in spec.identifiers), None)
           if cfg.project.target != "sandbox" else "sandbox emulator"
           for spec in channel_specs() if spec.identifiers},
        "allow_production_writes": bool(config.getoption("--allow-production-writes", False)),
        "interactive": bool(config.getoption("--interactive", False)),
    }


@pytest.fixture(scope="session")
def syncproof_config(pytestconfig: pytest.Config) -> Config:
    """The validated ``syncproof.toml`` with command-line overrides applied."""
    return pytestconfig.stash[_CONFIG_KEY]


@pytest.fixture(scope="session")
def runtime(syncproof_config: Config, pytestconfig: pytest.Config, request: pytest.FixtureRequest):
    """The run's clients (and sandbox emulators), opened once per session; on live accounts, an enabled channel
    none of the collected scenarios uses needs no credentials (:func:`~syncproof.runtime.live_connections`)."""
    from .runtime import open_runtime
    from .selection import scenario_channels

    record_from = pytestconfig.getoption("--record-from", "sandbox")
    catalogue = []
    if syncproof_config.project.target == "record" and record_from == "sandbox":
        from .feature_items import feature_items

        catalogue = feature_items(pytestconfig.rootpath / "features")
    rt = open_runtime(syncproof_config, on_exchange=record_exchange,
                      allow_production_writes=pytestconfig.getoption("--allow-production-writes"),
                      record_from=record_from, catalogue=catalogue,
                      channels=scenario_channels(request.session.items))
    rt.interactive = bool(pytestconfig.getoption("--interactive"))
    rt.run_tag = pytestconfig.stash[_RUN_TAG_KEY]
    yield rt
    rt.close()


# --- record/replay: one cassette per scenario (syncproof.recording) ------------------------------

@pytest.fixture(autouse=True)
def _syncproof_cassette(request: pytest.FixtureRequest, syncproof_config: Config):
    """With --target record or replay, wrap each scenario's HTTP in its cassette."""
    target = syncproof_config.project.target
    if target not in ("record", "replay"):
        yield None
        return
    from pathlib import Path

    from .recording import scenario_cassette, scenario_id

    scenario = scenario_id(request.node)
    if scenario is None:
        yield None
        return
    opts = request.config
    folder = Path(opts.getoption("--cassette-dir") or Path(opts.rootpath) / "cassettes")
    extra = "--record-from live" if opts.getoption("--record-from", "sandbox") == "live" else ""
    if opts.getoption("--cassette-dir"):
        extra = f"{extra} --cassette-dir {opts.getoption('--cassette-dir')}".strip()
    cassette = scenario_cassette(scenario, folder, target, record_extra=extra, root=Path(opts.rootpath))
    with cassette.recording(request.getfixturevalue("runtime"), request.getfixturevalue("ctx")):
        yield cassette
    call = request.node.stash.get(_CALL_REPORT, None)
    if target == "record" and not cassette.keep(passed=bool(call is not None and call.passed and not cassette.misses)):
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"cassette {cassette.display_path} kept as it was: the scenario did not pass")
    if cassette.misses:
        # a step caught the error (e.g. as a refused setting): the scenario must still fail on it
        rep = request.node.stash.get(_CALL_REPORT, None)
        if rep is None or rep.passed or str(cassette.misses[0]) not in str(rep.longrepr):
            pytest.fail(str(cassette.misses[0]), pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.stash[_CALL_REPORT] = report  # read by _syncproof_cassette's teardown
    return report


@pytest.fixture
def ctx(request: pytest.FixtureRequest, syncproof_config: Config) -> ScenarioContext:
    """A fresh context per scenario on the run's settings; its seed and run id derive from the scenario's node id."""
    digest = hashlib.sha256(request.node.nodeid.encode()).hexdigest()
    tag = request.config.stash.get(_RUN_TAG_KEY, "")
    return ScenarioContext(seed=int(digest[:8], 16), run_id=f"{tag}-{digest[:6]}" if tag else f"sp-{digest[:10]}",
                           config=syncproof_config)


@pytest.hookimpl(trylast=True)  # after -k, -m and the audit's deselection
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A scoped connector defect whose scenarios are none of those selected would never be made: refused in one
    line (in one process; under ``-n`` each worker collects on its own and the check is left out)."""
    if not items or hasattr(config, "workerinput"):
        return
    for entry in config.stash.get(_DEFECTS_KEY, ()):
        if entry.scope is not None and not any(entry.applies_to(item) for item in items):
            raise pytest.UsageError(
                f"connector defect {str(entry)!r}: {entry.scope!r} matches none of the {len(items)} scenarios "
                f"selected, so it would never be made; fix the scope after '@' (pytest steps/test_scenarios.py "
                f"--collect-only -q lists the scenarios) or select its scenarios")


@pytest.fixture(autouse=True)
def _scenario_connector_defects(request: pytest.FixtureRequest) -> None:
    """With connector defects set (sandbox target, connector driver), tell the sandbox connector at the
    scenario's start which of them apply to it (a scoped one only where its ``-k`` expression matches the
    scenario, as ``-k`` would) and record the defects the connector answers it makes as the scenario's
    ``connector_defects``; the scenario errors when those are not the ones asked for."""
    defects = request.config.stash.get(_DEFECTS_KEY, ())
    if not defects:
        return
    here = list(dict.fromkeys(entry.name for entry in defects if entry.applies_to(request.node)))
    try:  # also when none applies here: the previous scenario's stop
        made = request.getfixturevalue("runtime").connector_status.scenario_defects(here)
    except SyncproofError as exc:
        pytest.fail(str(exc), pytrace=False)
    record_connector_defects(made)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Under ``--driver connector``, scenarios that need the connector's own record are skipped on a real one.

    ``@engine`` scenarios read what the connector recorded (exceptions, reruns, settings): the
    sandbox NetSuite Connector exposes that, a real connector does not.
    """
    if item.get_closest_marker("engine") is None:
        return
    config = item.config.stash[_CONFIG_KEY]
    if config.project.driver != "connector":
        return
    if config.project.target != "sandbox":
        pytest.skip("reads the connector's own record (exceptions, reruns, settings), which only the sandbox "
                    "NetSuite Connector exposes; with a real connector check its dashboard")
