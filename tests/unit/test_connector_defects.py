"""The defect catalogue's names, parsing and spread over the check ids."""

from __future__ import annotations

import pytest

from syncproof.config import load_config
from syncproof.connector_defects import CATALOGUE, DEFECT_ENV, defects_for, parse_defects
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


def test_environment_overrides_the_file(monkeypatch):
    monkeypatch.setenv(DEFECT_ENV, "wrong_sku")
    assert defects_for("cent_off") == ("wrong_sku",)
    monkeypatch.delenv(DEFECT_ENV)
    assert defects_for("cent_off") == ("cent_off",)


def test_config_key_is_validated_when_the_file_is_read(tmp_path):
    path = tmp_path / "syncproof.toml"
    path.write_text('[sandbox]\nconnector_defects = "quantity_one"\n')
    assert load_config(path).sandbox_connector_defects == "quantity_one"
    path.write_text('[sandbox]\nconnector_defects = "no_such_defect"\n')
    with pytest.raises(ConfigError, match=r"\[sandbox\] connector_defects: no connector defect named 'no_such_defect'"):
        load_config(path)
