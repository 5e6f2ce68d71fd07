"""Fixtures for the audit tests: emulators on loopback, seeded as the connector would have posted."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_seeder():
    """``benchmarks/audit.py`` as a module (its Seeder is shared with these tests)."""
    spec = importlib.util.spec_from_file_location("audit_benchmark", ROOT / "benchmarks" / "audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return load_seeder()


@pytest.fixture
def runtime():
    from syncproof.config import parse_config
    from syncproof.runtime import open_runtime

    rt = open_runtime(parse_config({}))
    # the audits page through hundreds of orders; the cost throttle is not what they test, so the
    # emulated bucket refills at once instead of making each test wait on a real clock
    httpx.post(rt.sandbox.shopify_url + "/__sandbox__/throttle", json={"restoreRate": 1_000_000}).raise_for_status()
    yield rt
    rt.close()


@pytest.fixture
def window():
    from syncproof.audit import AuditWindow

    # the window must end after the seeding, however long a busy machine takes to seed
    now = dt.datetime.now(dt.timezone.utc)
    return AuditWindow(now - dt.timedelta(days=1), now + dt.timedelta(hours=1))
