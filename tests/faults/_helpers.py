"""Helpers the fault-injection tests share (the fixtures are in conftest.py)."""

from __future__ import annotations

import httpx

from connectors import RetryPolicy
from connectors.netsuite import NetSuiteClient, NetSuiteCredentials
from sandbox import Sandbox
from sandbox._faults import FaultPlan, ScheduledFault

#: retries without waiting: the tests' clients sleep through ``Sleeps``, never for real
FAST = RetryPolicy(max_attempts=4, base_delay=0.001, max_delay=0.01)
#: a timeout no busy machine reaches; a ``timeout`` fault holds the request briefly and then
#: closes the connection unanswered, which the clients meet as the same transport failure as a
#: read timeout, without the test racing a real clock (tests/faults/test_wire.py shows both)
CLIENT_TIMEOUT = httpx.Timeout(60.0)
HOLD = 0.05


class Sleeps(list):
    """The pauses a client asked for, recorded instead of slept."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def once(kind: str, method: str = "*", path: str = "", nth: int = 1) -> FaultPlan:
    """A plan with a single scheduled fault: the ``nth`` request matching method and path gets ``kind``."""
    return FaultPlan(schedule=(ScheduledFault(kind, nth, method, path),), hold=HOLD, delay=0.05)


def netsuite_client(box: Sandbox, sleeps: Sleeps, **options) -> NetSuiteClient:
    demo = box.netsuite_credentials
    credentials = NetSuiteCredentials(demo.account_id, demo.consumer_key, demo.consumer_secret,
                                      demo.token_id, demo.token_secret)
    options = {"retry": FAST, "sleep": sleeps, "timeout": CLIENT_TIMEOUT, **options}
    return NetSuiteClient.for_account(credentials, base_url=box.netsuite_url, **options)
