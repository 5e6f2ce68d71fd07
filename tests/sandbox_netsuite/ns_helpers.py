"""Test helpers for the NetSuite emulator: a TBA-signing httpx auth and a small signed client."""

from __future__ import annotations

from typing import Any

import httpx
from oauthlib.oauth1 import Client as OAuthClient

from sandbox.netsuite import DEMO_CREDENTIALS, Credentials
from syncproof.model import json_dumps as dumps
from syncproof.model import json_loads as loads

__all__ = ["TbaAuth", "Api"]


class TbaAuth(httpx.Auth):
    """Signs each request as a NetSuite TBA client does; the JSON body is not signed."""

    def __init__(self, credentials: Credentials, realm: str | None = None,
                 token_secret: str | None = None) -> None:
        self.credentials = credentials
        self.realm = realm or credentials.account_id
        self.token_secret = token_secret or credentials.token_secret

    def auth_flow(self, request: httpx.Request):
        c = self.credentials
        client = OAuthClient(c.consumer_key, c.consumer_secret, c.token_id, self.token_secret,
                             signature_method="HMAC-SHA256", realm=self.realm)
        _, headers, _ = client.sign(str(request.url), request.method)
        request.headers["Authorization"] = headers["Authorization"]
        yield request


class Api:
    """A signed client for the REST base, with helpers that return what the tests check."""

    def __init__(self, url: str, auth: httpx.Auth | None = None) -> None:
        self.url = url
        self.http = httpx.Client(base_url=url + "/services/rest", auth=auth or TbaAuth(DEMO_CREDENTIALS),
                                 timeout=30)

    def send(self, method: str, path: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        content = None if body is None else dumps(body)
        headers = kwargs.pop("headers", {})
        if content is not None:
            headers.setdefault("content-type", "application/json")
        return self.http.request(method, path, content=content, headers=headers, **kwargs)

    def create(self, record_type: str, body: dict[str, Any]) -> str:
        response = self.send("POST", f"/record/v1/{record_type}", body)
        assert response.status_code == 204, response.text
        return response.headers["location"].rsplit("/", 1)[1]

    def transform(self, from_type: str, from_id: str, to_type: str, body: Any = None,
                  replace: str | None = None) -> str:
        params = {"replace": replace} if replace else {}
        response = self.send("POST", f"/record/v1/{from_type}/{from_id}/!transform/{to_type}", body,
                             params=params)
        assert response.status_code == 204, response.text
        location = response.headers["location"]
        assert f"/services/rest/record/v1/{to_type}/" in location
        return location.rsplit("/", 1)[1]

    def get(self, record_type: str, key: str, expand: bool = True) -> dict[str, Any]:
        params = {"expandSubResources": "true"} if expand else {}
        response = self.send("GET", f"/record/v1/{record_type}/{key}", params=params)
        assert response.status_code == 200, response.text
        return loads(response.text)

    def suiteql(self, q: str, limit: int = 1000, offset: int = 0, prefer: str | None = "transient"):
        headers = {"prefer": prefer} if prefer else {}
        return self.send("POST", "/query/v1/suiteql", {"q": q}, headers=headers,
                         params={"limit": limit, "offset": offset})
