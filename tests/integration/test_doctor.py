"""syncproof doctor against the emulators: one line per check, failures say what to fix."""

from __future__ import annotations

from syncproof import channels
from syncproof.config import parse_config
from syncproof.doctor import diagnose
from syncproof.runtime import open_runtime

from ._helpers import run


def test_sandbox_passes_every_check():
    lines = diagnose(parse_config({}), open_runtime)
    assert lines and all(line.ok for line in lines), [ln for ln in lines if not ln.ok]
    assert {line.system for line in lines} == {"config", "netsuite", *channels.names()}


def test_a_missing_scope_is_named_with_the_fix():
    def runtime_without_write_scope(config):
        rt = open_runtime(config)
        rt.sandbox.shopify.access_scopes = ("read_orders",)
        return rt

    lines = diagnose(parse_config({}), runtime_without_write_scope)
    failed = [line for line in lines if not line.ok]
    assert [(line.system, line.check) for line in failed] == [("shopify", "scope write_orders")]
    assert "write_orders" in failed[0].fix


def test_refused_netsuite_credentials_stop_the_netsuite_checks():
    def runtime_with_wrong_secret(config):
        rt = open_runtime(config)
        rt.netsuite._http.auth.credentials = type(rt.netsuite._http.auth.credentials)(
            rt.netsuite._http.auth.credentials.account_id, "k", "s", "t", "wrong")
        return rt

    lines = diagnose(parse_config({}), runtime_with_wrong_secret)
    netsuite = [line for line in lines if line.system == "netsuite"]
    assert len(netsuite) == 1 and not netsuite[0].ok
    assert "NETSUITE_TOKEN_SECRET" in netsuite[0].fix


def test_doctor_command_on_a_live_config_without_credentials(tmp_path):
    (tmp_path / "syncproof.toml").write_text("[project]\ntarget = 'live'\n")
    env = {name: "" for name in ("NETSUITE_CONSUMER_KEY", "NETSUITE_CONSUMER_SECRET", "NETSUITE_TOKEN_ID",
                                 "NETSUITE_TOKEN_SECRET")}
    result = run("doctor", "--config", str(tmp_path / "syncproof.toml"), env=env)
    assert result.returncode == 1
    assert "NETSUITE_CONSUMER_KEY" in result.stdout and "fix:" in result.stdout
