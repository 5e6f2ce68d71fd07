"""The live pre-flight's line for missing credentials names the variables and how to switch a channel off."""

from syncproof import channels
from syncproof.config import parse_config
from syncproof.preflight import credential_variables, missing_credentials


def _all_set(config):
    return {name: "x" for name, _ in credential_variables(config)}


def test_a_channel_without_credentials_is_named_with_the_setting_that_switches_it_off():
    config = parse_config({})
    woo_env = {config.channel("woocommerce").options[s.key] for s in channels.get("woocommerce").secrets}
    env = {name: value for name, value in _all_set(config).items() if name not in woo_env}
    problem = missing_credentials(config, env)
    assert problem is not None
    assert all(name in problem.message for name in woo_env)
    assert "[woocommerce] enabled = false" in problem.fix
    assert "[shopify] enabled = false" not in problem.fix  # its credentials are all there


def test_only_netsuite_credentials_missing_names_no_channel():
    config = parse_config({})
    netsuite_only = [name for name, _ in credential_variables(config) if name.startswith("NETSUITE")]
    env = {name: value for name, value in _all_set(config).items() if name not in netsuite_only}
    problem = missing_credentials(config, env)
    assert problem is not None and "enabled = false" not in problem.fix


def test_every_credential_set_is_no_problem():
    config = parse_config({})
    assert missing_credentials(config, _all_set(config)) is None
