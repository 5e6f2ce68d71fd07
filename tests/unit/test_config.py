import datetime as dt

import pytest

from syncproof.config import load_config, parse_config, secret, set_in_file, starter_file
from syncproof.errors import ConfigError, MissingSecret, SettingsRefused


def write(tmp_path, text):
    path = tmp_path / "syncproof.toml"
    path.write_text(text)
    return path


def test_unknown_key_names_file_table_key_and_suggests(tmp_path):
    path = write(tmp_path, "[shopify.refunds]\ninvoice_refnd = 'credit_memo'\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert str(path) in message and "[shopify.refunds]" in message and "invoice_refnd" in message
    assert 'did you mean "invoice_refund"' in message


def test_unknown_table_is_refused_with_suggestion(tmp_path):
    with pytest.raises(ConfigError, match='did you mean "netsuite"'):
        load_config(write(tmp_path, "[netsuit]\naccount_id = '1'\n"))


def test_bad_date_says_how_to_write_it(tmp_path):
    with pytest.raises(ConfigError, match=r"go_live is not a date: '2026-13-40'.*YYYY-MM-DD"):
        load_config(write(tmp_path, "[project]\ngo_live = '2026-13-40'\n"))


def test_toml_date_is_accepted(tmp_path):
    cfg = load_config(write(tmp_path, "[project]\ngo_live = 2026-10-01\nsettlement_wait_weeks = 4\n"))
    assert cfg.project.go_live == dt.date(2026, 10, 1)
    assert cfg.project.settlement_wait_weeks == 4


def test_missing_secret_names_the_variable():
    with pytest.raises(MissingSecret) as info:
        secret("NETSUITE_TOKEN_SECRET", "NetSuite access token secret", environ={})
    assert "NETSUITE_TOKEN_SECRET" in str(info.value) and "export" in str(info.value)


def test_invalid_toml_names_the_file(tmp_path):
    path = write(tmp_path, "[project\nname = 1\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)


def test_missing_file_suggests_init(tmp_path):
    with pytest.raises(ConfigError, match="syncproof init"):
        load_config(tmp_path / "nope.toml")


def test_credit_memo_for_cash_sale_is_refused_with_reason():
    with pytest.raises(SettingsRefused, match="cash sale with a cash refund"):
        parse_config({"shopify": {"refunds": {"cash_sale_refund": "credit_memo"}}})


def test_amazon_refunds_cannot_come_from_netsuite():
    with pytest.raises(SettingsRefused, match="Seller Central"):
        parse_config({"amazon": {"refunds": {"direction": "from_netsuite"}}})


def test_choice_typo_is_suggested():
    with pytest.raises(ConfigError, match='did you mean "sandbox"'):
        parse_config({"project": {"target": "sandbx"}})


def test_starter_file_is_valid_and_documents_every_key():
    import tomllib

    text = starter_file()
    cfg = parse_config(tomllib.loads(text))
    assert cfg.shopify.refunds.invoice_refund == "credit_memo"
    assert "# create a return authorization first" in text


def test_set_in_file_keeps_comments_and_refuses_invalid(tmp_path):
    path = write(tmp_path, "# my settings\n[shopify.refunds]\n# keep me\ncustomer_refund = false\n")
    set_in_file(path, "shopify.refunds", "customer_refund", "true")
    set_in_file(path, "shopify.refunds", "return_authorization", "true")
    text = path.read_text()
    assert "# keep me" in text and "customer_refund = true" in text and "return_authorization = true" in text
    assert load_config(path).shopify.refunds.customer_refund is True
    with pytest.raises(SettingsRefused):
        set_in_file(path, "shopify.refunds", "cash_sale_refund", "credit_memo")
    assert "credit_memo" not in path.read_text()


def test_dotenv_file_fills_missing_variables_without_overriding(tmp_path, monkeypatch):
    from syncproof.config import load_dotenv_file

    (tmp_path / ".env").write_text("NETSUITE_TOKEN_ID=from-file\nNETSUITE_TOKEN_SECRET=file-secret\n")
    monkeypatch.setenv("NETSUITE_TOKEN_SECRET", "from-env")
    monkeypatch.delenv("NETSUITE_TOKEN_ID", raising=False)
    assert load_dotenv_file(tmp_path / ".env")
    import os

    assert os.environ["NETSUITE_TOKEN_ID"] == "from-file"
    assert os.environ["NETSUITE_TOKEN_SECRET"] == "from-env"
    monkeypatch.delenv("NETSUITE_TOKEN_ID")
