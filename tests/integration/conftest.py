"""Fixtures for integration tests: the real emulators on loopback, real HTTP clients."""

from __future__ import annotations

import pytest

from connectors.netsuite import NetSuiteClient, NetSuiteCredentials
from sandbox import start_sandbox
from syncproof.config import parse_config
from syncproof.engine import SyncEngine
from syncproof.engine.store import EngineStore
from syncproof.runtime import open_runtime


@pytest.fixture(scope="module")
def box():
    sandbox = start_sandbox()
    yield sandbox
    sandbox.stop()


def netsuite_client(box, **kwargs) -> NetSuiteClient:
    demo = box.netsuite_credentials
    credentials = NetSuiteCredentials(demo.account_id, demo.consumer_key, demo.consumer_secret,
                                      demo.token_id, demo.token_secret)
    kwargs.setdefault("sleep", lambda seconds: None)
    return NetSuiteClient.for_account(credentials, base_url=box.netsuite_url, **kwargs)


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
