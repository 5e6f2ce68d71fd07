"""The production guard decides on the host each request goes to, through real HTTP.

A logging HTTP proxy on loopback stands in for the production NetSuite host: the
clients reach "1234567.suitetalk.api.netsuite.com" through it (``HTTP_PROXY``), so
every request that would have left for production is in its log.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import pytest

from connectors.netsuite import is_sandbox_account, is_sandbox_host
from syncproof.config import parse_config
from syncproof.errors import ConfigError
from syncproof.runtime import netsuite_url
from tests.channel_tables import others_off

from ._helpers import run

PRODUCTION = "http://1234567.suitetalk.api.netsuite.com"
TAG = "sp20261126093000-1a2b"
LIVE_ENV = {"NETSUITE_CONSUMER_KEY": "ck", "NETSUITE_CONSUMER_SECRET": "cs", "NETSUITE_TOKEN_ID": "ti",
            "NETSUITE_TOKEN_SECRET": "ts", "SHOPIFY_ACCESS_TOKEN": "shpat_x"}


class _Production(BaseHTTPRequestHandler):
    log: list[tuple[str, str]] = []

    def _answer(self) -> None:
        self.log.append((self.command, self.path))
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        body = json.dumps({"items": [{"id": "7", "type": "CashSale", "tranid": "CS7", "entityid": "C7"}],
                           "count": 1, "offset": 0, "totalResults": 1, "hasMore": False, "links": []}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_DELETE = do_PATCH = do_PUT = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def production() -> Iterator[tuple[str, list[tuple[str, str]]]]:
    _Production.log = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Production)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Production.log
    server.shutdown()
    server.server_close()


def test_cleanup_with_a_sandbox_account_id_and_a_production_base_url_deletes_nothing(tmp_path, production):
    proxy, log = production
    config = tmp_path / "syncproof.toml"
    config.write_text(f'[netsuite]\naccount_id = "1234567_SB1"\nbase_url = "{PRODUCTION}"\n'
                      + others_off())
    result = run("cleanup", "--run", TAG, "--config", str(config), cwd=tmp_path,
                 env={**LIVE_ENV, "HTTP_PROXY": proxy, "http_proxy": proxy, "NO_PROXY": "", "no_proxy": ""})
    assert [method for method, _ in log] and all(method == "POST" and "suiteql" in path for method, path in log), log
    assert "is a production NetSuite host" in result.stdout
    assert result.returncode == 1, result.stdout + result.stderr  # refused deletions are a failure
    assert "Traceback" not in result.stderr


def test_a_production_host_refuses_writes_whatever_the_account_id_says(tmp_path, production):
    from connectors import WriteRefused
    from connectors.netsuite import NetSuiteAuth, NetSuiteClient, NetSuiteCredentials

    proxy, log = production
    import httpx

    credentials = NetSuiteCredentials("1234567_SB1", "ck", "cs", "ti", "ts")
    client = NetSuiteClient(PRODUCTION, auth=NetSuiteAuth(credentials),
                            transport=httpx.HTTPTransport(proxy=proxy))
    with pytest.raises(WriteRefused, match="1234567.suitetalk.api.netsuite.com is a production NetSuite host"):
        client.upsert("customer", "x", {"firstName": "No"})
    with pytest.raises(WriteRefused):
        client.delete("cashSale", "7")
    assert list(client.suiteql("SELECT id FROM transaction ORDER BY id"))  # reads still go
    assert [method for method, _ in log] == ["POST"]


def test_an_account_id_carrying_a_host_is_neither_valid_nor_a_sandbox():
    sneaky = "1234567.suitetalk.api.netsuite.com#_SB1"
    assert not is_sandbox_account(sneaky)
    with pytest.raises(ConfigError, match="is not a NetSuite account id"):
        netsuite_url(parse_config({"netsuite": {"account_id": sneaky}}))


@pytest.mark.parametrize("host, sandbox", [
    ("1234567-sb1.suitetalk.api.netsuite.com", True), ("tstdrv12-rp.suitetalk.api.netsuite.com", True),
    ("1234567.suitetalk.api.netsuite.com", False), ("1234567-sb1.suitetalk.api.netsuite.com.evil.test", False),
    ("127.0.0.1", True), ("netsuite.sandbox.syncproof", True), ("system.netsuite.com", False)])
def test_sandbox_hosts(host, sandbox):
    assert is_sandbox_host(host) is sandbox
