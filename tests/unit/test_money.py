from decimal import Decimal

import pytest

from syncproof.model import Money, MoneyError, TransactionType, json_dumps, json_loads


def test_money_refuses_float():
    with pytest.raises(MoneyError, match="float"):
        Money(19.99, "USD")


def test_money_refuses_mixed_currencies():
    with pytest.raises(MoneyError, match="USD with EUR"):
        Money("1.00", "USD") + Money("1.00", "EUR")


def test_rounding_is_half_up_to_the_minor_unit():
    assert Money("2.675", "USD").rounded().amount == Decimal("2.68")
    assert Money("2.665", "USD").rounded().amount == Decimal("2.67")  # not banker's rounding
    assert Money("100.5", "JPY").rounded().amount == Decimal("101")
    assert Money("1.2345", "KWD").rounded().amount == Decimal("1.235")


def test_sum_of_cents_is_exact():
    total = Money.total([Money("0.10", "USD")] * 3, "USD")
    assert total == Money("0.30", "USD")
    assert str(total) == "0.30 USD"


def test_transaction_types_carry_suiteql_codes_and_record_names():
    assert TransactionType.CASH_REFUND.value == "CashRfnd"
    assert TransactionType.CREDIT_MEMO.record_type == "creditMemo"
    assert TransactionType.from_record_type("returnAuthorization") is TransactionType.RETURN_AUTHORIZATION
    assert TransactionType.from_label("customer refund") is TransactionType.CUSTOMER_REFUND
    codes = {t.value for t in TransactionType}
    assert codes == {"SalesOrd", "CashSale", "CustInvc", "RtnAuth", "CustCred", "CashRfnd", "CustRfnd",
                     "CustPymt", "Deposit", "Journal"}


def test_json_round_trip_keeps_decimals_exact():
    text = json_dumps({"rate": Decimal("14.50"), "lines": [Decimal("-0.01")], "money": Money("3.1", "USD")})
    assert text == '{"rate": 14.50, "lines": [-0.01], "money": 3.10}'
    assert json_loads(text)["rate"] == Decimal("14.50")
    with pytest.raises(MoneyError):
        json_dumps({"rate": 0.1})


def test_indented_json_rounds_money_per_currency_and_refuses_floats():
    assert json_dumps({"a": Money(Decimal("1.005"), "USD")}, indent=2) == '{\n  "a": 1.01\n}'
    with pytest.raises(MoneyError, match="float"):
        json_dumps({"a": 1.5}, indent=2)


@pytest.mark.parametrize(("currency", "amount", "rounded"), [
    # ISO 4217 list one, "minor unit" column (as published in the Unicode/ICU and browser currency
    # data generated from it): every currency not named there has two decimals
    ("BIF", "1500.5", "1501"), ("PYG", "70000.4", "70000"), ("XPF", "119.5", "120"), ("VUV", "99.5", "100"),
    ("IQD", "1.2345", "1.235"), ("LYD", "4.0005", "4.001"),
    ("CLF", "0.12345", "0.1235"), ("UYW", "1.00005", "1.0001"),
    ("HUF", "350.125", "350.13"), ("EUR", "1.005", "1.01"),
])
def test_each_currency_rounds_to_its_iso_minor_unit(currency, amount, rounded):
    assert str(Money(amount, currency).rounded().amount) == rounded
