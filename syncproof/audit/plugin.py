"""pytest options of audit runs: the window (``--since``, ``--until``) and the audit fixtures.

Audit scenarios (tagged ``@audit``) read whatever the target holds over the window,
so they run only when asked for: with ``--since``/``--until``, ``--audit``, or a ``-m``
expression naming ``audit``.
"""

from __future__ import annotations

import pytest

from syncproof.errors import SyncproofError

from ._clients import ReadOnlyClients
from ._progress import Progress
from ._window import AuditWindow, check_vendor_windows

_WINDOW_KEY = pytest.StashKey[AuditWindow]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("syncproof-audit", "syncproof audit runs (read-only)")
    group.addoption("--since", default=None, help="audit window start, YYYY-MM-DD or ISO time (default: 30 days "
                    "before --until)")
    group.addoption("--until", default=None, help="audit window end, exclusive (default: now)")
    group.addoption("--audit", action="store_true", default=False, help="run the @audit scenarios")


def _requested(config: pytest.Config) -> bool:
    return bool(config.getoption("--audit") or config.getoption("--since") or config.getoption("--until")
                or "audit" in (config.getoption("markexpr", "") or ""))


def pytest_configure(config: pytest.Config) -> None:
    try:
        window = AuditWindow.parse(config.getoption("--since"), config.getoption("--until"))
        if _requested(config):
            _check_vendor_windows(config, window)
    except SyncproofError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[_WINDOW_KEY] = window


def _check_vendor_windows(config: pytest.Config, window: AuditWindow) -> None:
    from syncproof.config import load_config

    try:
        loaded = load_config(config.getoption("--syncproof-config", None))
    except SyncproofError:
        loaded = None  # syncproof's own plugin reports a bad configuration
    check_vendor_windows(loaded, window)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _requested(config):
        return
    kept: list[pytest.Item] = []
    skipped: list[pytest.Item] = []
    for item in items:
        (skipped if item.get_closest_marker("audit") else kept).append(item)
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = kept


@pytest.fixture(scope="session")
def audit_window(pytestconfig: pytest.Config) -> AuditWindow:
    """The window the audit scenarios look at."""
    return pytestconfig.stash[_WINDOW_KEY]


@pytest.fixture
def audit_clients(runtime) -> ReadOnlyClients:
    """Read-only copies of the run's clients: a write raises WriteRefused."""
    return ReadOnlyClients.of(runtime)


@pytest.fixture(scope="session")
def audit_progress() -> Progress:
    return Progress()
