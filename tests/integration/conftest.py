"""Fixtures for integration tests: the real emulators on loopback, real HTTP clients."""

from __future__ import annotations

import pytest

from sandbox import start_sandbox
from syncproof.config import parse_config
from syncproof.engine import SyncEngine
from syncproof.engine.store import EngineStore
from syncproof.runtime import open_runtime

from ._helpers import netsuite_client, run


@pytest.fixture(scope="module")
def box():
    sandbox = start_sandbox()
    yield sandbox
    sandbox.stop()


@pytest.fixture(scope="session")
def netsuite_run(tmp_path_factory):
    """``syncproof run -m netsuite`` on the sandbox, run once per test process: its completed process and its
    report folder. Tests read the output, and change only a copy of the folder (:func:`copy_of`)."""
    out = tmp_path_factory.mktemp("netsuite-run")
    done = run("run", "-m", "netsuite", "--report-dir", str(out), "--", "-p", "no:randomly")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done, out


@pytest.fixture
def netsuite(box):
    box.netsuite.reset()
    client = netsuite_client(box)
    yield client
    client.close()


@pytest.fixture(scope="module")
def runtime():
    rt = open_runtime(parse_config({}))
    yield rt
    rt.close()


@pytest.fixture
def engine(runtime):
    return SyncEngine.build(runtime.netsuite, EngineStore(), runtime.config)
