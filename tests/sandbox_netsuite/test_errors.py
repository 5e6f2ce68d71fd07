"""Error bodies exactly as NetSuite sends them: 404, 400, 401."""

from __future__ import annotations

import httpx
import pytest
from ns_helpers import Api, TbaAuth

from sandbox.netsuite import DEMO_CREDENTIALS, Credentials
from syncproof.model import json_loads as loads

pytestmark = pytest.mark.integration

ERROR_TYPE = "application/vnd.oracle.resource+json; type=error"


def test_missing_record_is_a_404_in_netsuite_shape(api):
    response = api.send("GET", "/record/v1/salesOrder/424242")

    assert response.status_code == 404
    assert response.headers["content-type"] == ERROR_TYPE
    body = loads(response.text)
    assert set(body) == {"type", "title", "status", "o:errorDetails"}
    assert body["type"] == "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.5"
    assert body["title"] == "Not Found" and body["status"] == 404
    (detail,) = body["o:errorDetails"]
    assert detail["o:errorCode"] == "NONEXISTENT_ID"
    assert detail["detail"] and detail["o:errorPath"] == "id"


def test_missing_external_id_is_a_404(api):
    response = api.send("GET", "/record/v1/salesOrder/eid:nope")

    assert response.status_code == 404
    assert loads(response.text)["o:errorDetails"][0]["o:errorCode"] == "NONEXISTENT_ID"


def test_unknown_item_on_a_line_is_invalid_content_with_its_path(api, catalog, backend):
    response = api.send("POST", "/record/v1/salesOrder", {
        "entity": {"id": catalog["customer"]},
        "item": {"items": [{"item": {"id": catalog["mug"]}, "quantity": 1, "rate": 1},
                           {"item": {"id": "9999"}, "amount": 1}]}})

    assert response.status_code == 400
    assert response.headers["content-type"] == ERROR_TYPE
    body = loads(response.text)
    assert body["title"] == "Bad Request"
    assert body["type"] == "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1"
    detail = body["o:errorDetails"][0]
    assert detail["o:errorCode"] == "INVALID_CONTENT"
    assert detail["o:errorPath"] == "item.items[1].item"
    assert "9999" in detail["detail"]
    assert backend.records("salesOrder") == []


def test_unknown_customer_is_invalid_key_or_ref(api, catalog):
    response = api.send("POST", "/record/v1/salesOrder", {
        "entity": {"id": "777777"}, "item": {"items": [{"item": {"id": catalog["mug"]}, "rate": 1}]}})

    assert response.status_code == 400
    detail = loads(response.text)["o:errorDetails"][0]
    assert (detail["o:errorCode"], detail["o:errorPath"]) == ("INVALID_KEY_OR_REF", "entity")


def test_missing_required_value_is_a_user_error(api, catalog):
    response = api.send("POST", "/record/v1/invoice", {"entity": {"id": catalog["customer"]}})

    assert response.status_code == 400
    assert loads(response.text)["o:errorDetails"][0]["o:errorCode"] == "USER_ERROR"


def test_float_noise_is_not_accepted_as_money(api, catalog):
    response = api.send("POST", "/record/v1/salesOrder", {"entity": {"id": catalog["customer"]},
                        "item": {"items": [{"item": {"id": catalog["mug"]}, "rate": "abc"}]}})

    assert response.status_code == 400
    assert loads(response.text)["o:errorDetails"][0]["o:errorCode"] == "INVALID_CONTENT"


def _assert_invalid_login(response: httpx.Response) -> None:
    assert response.status_code == 401
    assert response.headers["content-type"] == ERROR_TYPE
    body = loads(response.text)
    assert body["title"] == "Unauthorized"
    assert body["o:errorDetails"][0]["o:errorCode"] == "INVALID_LOGIN"


def test_unsigned_request_is_401(netsuite, backend):
    _assert_invalid_login(httpx.get(netsuite.url + "/services/rest/record/v1/account/1"))


def test_wrong_token_secret_is_401(netsuite, backend):
    api = Api(netsuite.url, TbaAuth(DEMO_CREDENTIALS, token_secret="not-the-secret"))
    _assert_invalid_login(api.send("GET", "/record/v1/account/1"))


def test_wrong_realm_is_401(netsuite, backend):
    api = Api(netsuite.url, TbaAuth(DEMO_CREDENTIALS, realm="7654321"))
    _assert_invalid_login(api.send("GET", "/record/v1/account/1"))


def test_wrong_consumer_key_is_401(netsuite, backend):
    other = Credentials(DEMO_CREDENTIALS.account_id, "someone-else", DEMO_CREDENTIALS.consumer_secret,
                        DEMO_CREDENTIALS.token_id, DEMO_CREDENTIALS.token_secret)
    _assert_invalid_login(Api(netsuite.url, TbaAuth(other)).send("GET", "/record/v1/account/1"))


def test_signature_covers_the_query_string(netsuite, backend):
    signed = httpx.Request("GET", netsuite.url + "/services/rest/record/v1/account/1?expandSubResources=true")
    header = next(TbaAuth(DEMO_CREDENTIALS).auth_flow(signed)).headers["Authorization"]

    tampered = httpx.get(netsuite.url + "/services/rest/record/v1/account/1?expandSubResources=false",
                         headers={"Authorization": header})

    _assert_invalid_login(tampered)


def test_reused_nonce_is_refused(netsuite, backend):
    request = httpx.Request("GET", netsuite.url + "/services/rest/record/v1/account/1")
    header = next(TbaAuth(DEMO_CREDENTIALS).auth_flow(request)).headers["Authorization"]

    first = httpx.get(str(request.url), headers={"Authorization": header})
    replay = httpx.get(str(request.url), headers={"Authorization": header})

    assert first.status_code == 200
    _assert_invalid_login(replay)


def test_verification_can_be_switched_off(netsuite, backend):
    backend.verify_signatures = False

    assert httpx.get(netsuite.url + "/services/rest/record/v1/account/1").status_code == 200
