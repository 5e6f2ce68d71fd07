"""The WooCommerce doctor judges the store's "Number of decimals" against the currency it read, carried as a value
from one probe to the next (not read back out of the authentication line's text)."""

from __future__ import annotations

from connectors import AuthenticationFailed, ConnectorError
from syncproof.channels.woocommerce import SPEC
from syncproof.probe import DoctorLine, probe


class Store:
    """A WooCommerce client's two doctor reads, answering as a store would."""

    def __init__(self, currency: str | Exception, decimals: int | Exception) -> None:
        self._currency, self._decimals, self.reads = currency, decimals, []

    def _answer(self, name: str, value):
        self.reads.append(name)
        if isinstance(value, Exception):
            raise value
        return value

    def currency(self) -> str:
        return self._answer("currency", self._currency)

    def price_decimals(self) -> int:
        return self._answer("price_decimals", self._decimals)


def test_a_probe_keeps_what_it_read_next_to_its_line():
    line, value = probe("woocommerce", "number of decimals", lambda: 3, "{} decimals".format, "fix it")
    assert (line, value) == (DoctorLine("woocommerce", "number of decimals", True, "3 decimals"), 3)
    refused = ConnectorError("WooCommerce refused settings/general (403)")
    line, value = probe("woocommerce", "number of decimals", lambda: (_ for _ in ()).throw(refused), str, "fix it")
    assert value is None and line == DoctorLine("woocommerce", "number of decimals", False, refused.message, "fix it")


def test_the_decimals_line_is_judged_against_the_currency_the_store_named():
    store = Store("KWD", 2)
    lines = list(SPEC.doctor(store))
    assert [(line.check, line.ok, line.detail) for line in lines] == [
        ("authentication", True, "store currency KWD"),
        ("number of decimals", False, "the store writes amounts with 2 decimals and KWD has 3: its amounts and "
                                      "NetSuite's do not compare to the minor unit")]
    assert lines[1].fix.endswith("Number of decimals to 3, the minor unit of KWD")
    assert store.reads == ["currency", "price_decimals"]  # the currency read once, for both lines


def test_a_store_that_refuses_the_key_gets_one_line_and_no_decimals_check():
    store = Store(AuthenticationFailed("WooCommerce refused the consumer key (401)", hint="renew the key"), 2)
    [line] = SPEC.doctor(store)
    assert (line.check, line.ok, line.fix) == ("authentication", False, "renew the key")
    assert store.reads == ["currency"]


def test_a_store_with_no_currency_gets_a_failed_line_naming_the_setting_not_a_traceback():
    store = Store("", 2)
    lines = list(SPEC.doctor(store))
    assert [(line.check, line.ok) for line in lines] == [("authentication", True), ("number of decimals", False)]
    assert lines[1].detail.startswith("the store's currency is '', not a three-letter ISO 4217 code")
    assert lines[1].fix == "set WooCommerce > Settings > General > Currency"
    assert store.reads == ["currency"]  # no decimals to judge against no currency
