"""NetSuite TBA signing reproduces Oracle's published examples exactly."""

import httpx
import pytest

from connectors.netsuite import NetSuiteAuth, NetSuiteCredentials, account_base_url, is_sandbox_account, realm_for

ORACLE_EXAMPLE = NetSuiteCredentials(
    account_id="123456",
    consumer_key="ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4",
    consumer_secret="d26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9e8b5",
    token_id="2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc",
    token_secret="c29a677df7d5439a458c063654187e3d678d73aca8e3c9d8bea1478a3eb0d295",
)


def _signature(method: str, url: str, body: bytes | None = None) -> str:
    auth = NetSuiteAuth(ORACLE_EXAMPLE, nonce=lambda: "fjaLirsIcCGVZWzBX0pg", timestamp=lambda: "1508242306")
    request = httpx.Request(method, url, content=body, headers={"Content-Type": "application/json"} if body else {})
    signed = next(auth.auth_flow(request))
    header = signed.headers["Authorization"]
    assert header.startswith('OAuth realm="123456"')
    assert 'oauth_signature_method="HMAC-SHA256"' in header
    assert "oauth_body_hash" not in header
    raw = header.split('oauth_signature="', 1)[1].split('"', 1)[0]
    from urllib.parse import unquote
    return unquote(raw)


def test_get_record_signs_like_oracles_example():
    url = "https://123456.suitetalk.api.netsuite.com/services/rest/record/v1/employee/40"
    assert _signature("GET", url) == "B5OIWznZ2YP0OB7VrJrGkYsTh+8H+5T9Hag+o92q0zY="


def test_restlet_post_with_query_parameters_signs_like_oracles_example():
    url = ("https://123456.restlets.api.netsuite.com/app/site/hosting/restlet.nl"
           "?script=6&deploy=1&customParam=someValue&testParam=someOtherValue")
    assert _signature("POST", url) == "+KK4SKNgz4ZiILGLwOMtfYlgcXSy1eis8ldE9X90azQ="
    # NetSuite does not sign JSON bodies: the same request with a body signs the same way
    assert _signature("POST", url, body=b'{"a": 1}') == "+KK4SKNgz4ZiILGLwOMtfYlgcXSy1eis8ldE9X90azQ="


def test_a_different_secret_gives_a_different_signature():
    other = NetSuiteCredentials(**{**ORACLE_EXAMPLE.__dict__, "token_secret": "x" * 64})
    auth = NetSuiteAuth(other, nonce=lambda: "fjaLirsIcCGVZWzBX0pg", timestamp=lambda: "1508242306")
    header = auth.authorization("GET", "https://123456.suitetalk.api.netsuite.com/services/rest/record/v1/employee/40")
    assert "B5OIWznZ2YP0OB7VrJrGkYsTh" not in header


@pytest.mark.parametrize("account, url, realm, sandbox", [
    ("1234567_SB1", "https://1234567-sb1.suitetalk.api.netsuite.com", "1234567_SB1", True),
    ("1234567", "https://1234567.suitetalk.api.netsuite.com", "1234567", False),
    ("tstdrv123_rp", "https://tstdrv123-rp.suitetalk.api.netsuite.com", "TSTDRV123_RP", True),
])
def test_account_urls_and_realms(account, url, realm, sandbox):
    assert account_base_url(account) == url
    assert realm_for(account) == realm
    assert is_sandbox_account(account) is sandbox


def test_credentials_repr_hides_secrets():
    assert ORACLE_EXAMPLE.consumer_secret not in repr(ORACLE_EXAMPLE)
    assert ORACLE_EXAMPLE.token_secret not in repr(ORACLE_EXAMPLE)


@pytest.mark.parametrize("method, url", [
    ("GET", "https://123456.suitetalk.api.netsuite.com/services/rest/record/v1/employee/40"),
    ("POST", "https://123456.suitetalk.api.netsuite.com/services/rest/query/v1/suiteql?limit=1000&offset=2000"),
    ("get", "HTTP://LocalHost:80/services/rest/record/v1/customer?q=a%20b+c&q=&z=%E2%82%AC&a=1&a=0"),
    ("PATCH", "http://127.0.0.1:41234/services/rest/record/v1/salesOrder/eid:amazon-order-113-1;x=1?replace=item#top"),
    ("DELETE", "https://[::1]:8443/p/a%2Fb?oauth_extra=a%2520b&oauth_signature=dropped&empty"),
    ("PUT", "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/cashSale/eid:amazon-bill-1"),
])
def test_the_header_is_the_one_oauthlibs_client_writes(method, url):
    """The header is exactly what oauthlib's client writes for the same credentials, nonce and time."""
    from oauthlib.oauth1 import SIGNATURE_HMAC_SHA256, SIGNATURE_TYPE_AUTH_HEADER
    from oauthlib.oauth1 import Client as OAuth1Client

    credentials = NetSuiteCredentials("1234567_sb1", "c k~1", "s/e&c=ret", "t\"o,k", "t%s€")
    auth = NetSuiteAuth(credentials, nonce=lambda: "n0nce+=/", timestamp=lambda: "1508242306")
    reference = OAuth1Client(
        credentials.consumer_key, client_secret=credentials.consumer_secret,
        resource_owner_key=credentials.token_id, resource_owner_secret=credentials.token_secret,
        signature_method=SIGNATURE_HMAC_SHA256, signature_type=SIGNATURE_TYPE_AUTH_HEADER,
        realm=realm_for(credentials.account_id), nonce="n0nce+=/", timestamp="1508242306")
    assert auth.authorization(method, url) == reference.sign(url, http_method=method)[1]["Authorization"]


def test_a_query_oauthlib_refuses_is_refused_the_same_way():
    auth = NetSuiteAuth(ORACLE_EXAMPLE)
    with pytest.raises(ValueError, match="Invalid hex encoding"):
        auth.authorization("GET", "https://123456.suitetalk.api.netsuite.com/x?a=%zz")
