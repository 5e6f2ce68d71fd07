"""Concurrency governance is on by default, at the base service tier's limit, and the client copes.

Oracle help, "Sample Scenario" (Web Services and RESTlet Concurrency Governance): "Company ABC,
which has a standard service tier and one SuiteCloud Plus license [...] The account-level
concurrency limit of this customer is 15 (5+10)" and "The first 15 requests will succeed, and
the 16th concurrent request will result in an error." (so 5 without a licence). Oracle help,
"NetSuite AI Connector Service And Concurrency Governance": "If your request exceeds your
concurrency limit, you see an error for Too Many Requests". The REST error code
``CONCURRENCY_LIMIT_EXCEEDED`` is the emulator's existing choice (no Oracle page found naming it).
"""

from __future__ import annotations

import threading

import pytest

from connectors.netsuite import NetSuiteClient, NetSuiteCredentials
from sandbox.netsuite import DEMO_CREDENTIALS, NetSuiteBackend

pytestmark = pytest.mark.integration


def test_a_new_account_governs_concurrency_at_five_requests():
    assert NetSuiteBackend(seed_defaults=False).throttle.limit == 5
    assert NetSuiteBackend(seed_defaults=False, concurrency_limit=None).throttle.limit is None


def _client(netsuite, **kwargs) -> NetSuiteClient:
    c = DEMO_CREDENTIALS
    return NetSuiteClient.for_account(NetSuiteCredentials(c.account_id, c.consumer_key, c.consumer_secret,
                                                          c.token_id, c.token_secret), base_url=netsuite.url,
                                      **kwargs)


def test_the_client_retries_a_request_refused_over_the_limit(netsuite, backend):
    backend.throttle.limit = 5
    for _ in range(5):  # five requests of another integration in flight
        assert backend.throttle.enter()
    waits: list[float] = []

    def sleep(seconds: float) -> None:  # the other requests end while the client waits
        waits.append(seconds)
        for _ in range(5):
            backend.throttle.leave()

    with _client(netsuite, sleep=sleep) as client:
        account = client.get("account", "1")
    assert account["acctName"] == "Checking"
    assert len(waits) == 1 and backend.throttle.refused == 1


def test_a_client_at_the_limit_is_never_refused(netsuite, backend):
    backend.throttle.limit = 5
    errors: list[BaseException] = []
    with _client(netsuite, max_concurrency=5, sleep=lambda s: None) as client:
        def read() -> None:
            try:
                for _ in range(4):
                    client.suiteql_page("SELECT id FROM account ORDER BY id")
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
        threads = [threading.Thread(target=read) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not errors
    assert backend.throttle.refused == 0
