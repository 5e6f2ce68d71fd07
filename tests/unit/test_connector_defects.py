"""The defect catalogue's names, parsing and spread over the check ids."""

from __future__ import annotations

import pytest

from syncproof.config import load_config
from syncproof.connector_defects import (
    CATALOGUE,
    DEFECT_ENV,
    ScopedDefect,
    defects_for,
    parse_defects,
    parse_scoped,
    scoped_defects_for,
)
from syncproof.errors import ConfigError


def test_names_are_unique_and_each_names_a_known_check():
    from syncproof.pytest_plugin import CHECK_IDS

    names = [d.name for d in CATALOGUE]
    assert len(names) == len(set(names))
    assert {d.check_id for d in CATALOGUE} <= set(CHECK_IDS)
    assert len(CATALOGUE) >= 20


def test_list_is_parsed_and_an_unknown_name_is_one_line_with_the_valid_ones():
    assert parse_defects(" cent_off,tax_dropped ,") == ("cent_off", "tax_dropped")
    with pytest.raises(ConfigError) as caught:
        parse_defects("cent_of")
    line = str(caught.value)
    assert "\n" not in line and "no connector defect named 'cent_of'" in line and "cent_off" in line


def test_a_name_may_carry_the_scenarios_it_is_made_in():
    assert parse_scoped("cent_off@discounted_line and shopify, tax_dropped") == (
        ScopedDefect("cent_off", "discounted_line and shopify"), ScopedDefect("tax_dropped"))
    assert parse_defects("cent_off@discounted_line,tax_dropped") == ("cent_off", "tax_dropped")
    assert str(ScopedDefect("cent_off", "discounted_line")) == "cent_off@discounted_line"


@pytest.mark.parametrize(("text", "says"), [
    ("cent_off@(discounted_line and", "the scenarios of 'cent_off', '(discounted_line and', are not a -k expression"),
    ("cent_off@ ", "'cent_off@' names no scenarios after '@'"),
    ("cent_of@discounted_line", "no connector defect named 'cent_of'"),
])
def test_a_scope_that_is_not_a_k_expression_is_one_line(text, says):
    with pytest.raises(ConfigError) as caught:
        parse_scoped(text)
    line = str(caught.value)
    assert "\n" not in line and says in line


def test_environment_overrides_the_file(monkeypatch):
    monkeypatch.setenv(DEFECT_ENV, "wrong_sku")
    assert defects_for("cent_off") == ("wrong_sku",)
    assert scoped_defects_for("cent_off") == (ScopedDefect("wrong_sku"),)
    monkeypatch.delenv(DEFECT_ENV)
    assert defects_for("cent_off") == ("cent_off",)
    assert scoped_defects_for("cent_off@discounted_line") == (ScopedDefect("cent_off", "discounted_line"),)


def test_config_key_is_validated_when_the_file_is_read(tmp_path):
    path = tmp_path / "syncproof.toml"
    path.write_text('[sandbox]\nconnector_defects = "quantity_one"\n')
    assert load_config(path).sandbox_connector_defects == "quantity_one"
    path.write_text('[sandbox]\nconnector_defects = "no_such_defect"\n')
    with pytest.raises(ConfigError, match=r"\[sandbox\] connector_defects: no connector defect named 'no_such_defect'"):
        load_config(path)
    path.write_text('[sandbox]\nconnector_defects = "quantity_one@multiquantity and"\n')
    with pytest.raises(ConfigError, match=r"connector_defects: the scenarios of 'quantity_one', 'multiquantity and', "
                                          r"are not a -k expression"):
        load_config(path)


def test_settlement_posted_twice_patches_the_posting_module_only_while_its_sync_runs():
    from sandbox_connector import settlement_defects
    from syncproof.engine import settlement_connector

    before = (settlement_connector.has_settlement_lines, settlement_connector.post_summary)
    with settlement_defects._posted_again(frozenset({"settlement_posted_twice"}), 1):
        assert settlement_connector.has_settlement_lines(None, "1", "2") is False
    assert (settlement_connector.has_settlement_lines, settlement_connector.post_summary) == before
