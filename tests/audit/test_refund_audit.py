"""The refund audits against seeded emulators over loopback HTTP: clean data passes, each
planted mismatch is found with the right row, and nothing else is reported."""

from __future__ import annotations

from decimal import Decimal

from syncproof.audit import NetSuiteView, Progress, ReadOnlyClients, audit_refunds_to_netsuite

EXPECTED = {"wrong_amount": ("RS-MN-3", "SKU"), "wrong_type": ("RS-MN-2", "NetSuite transaction types"),
            "missing_link": ("RS-MN-1", "createdFrom chain"), "missing_refund": ("RS-MN-1", "NetSuite refund record"),
            "duplicate": ("RS-MN-1", "NetSuite refund records for this refund"),
            "wrong_currency": ("RS-MN-3", "currency")}


def _audit(runtime, window, channels=("shopify", "amazon")):
    clients = ReadOnlyClients.of(runtime)
    view = NetSuiteView(clients, runtime.config, window, progress=Progress(enabled=False))
    return clients, [audit_refunds_to_netsuite(clients, runtime.config, window, c, view=view) for c in channels]


def test_clean_data_passes(runtime, window, bench):
    bench.seed(runtime.sandbox, 40, 30, plant_each=0, progress=None)
    clients, results = _audit(runtime, window)
    for result in results:
        assert result.passed, result.check_result().message
        assert result.check_result("RS-MN-3").passed
    assert results[0].audited["shopify refunds"] == 15
    assert results[1].audited["amazon refunds"] == 15


def test_each_planted_mismatch_is_its_row(runtime, window, bench):
    seeder = bench.seed(runtime.sandbox, 240, 240, plant_each=1, progress=None)
    assert sorted(seeder.planted.values()) == sorted(list(bench.KINDS) * 2)
    clients, results = _audit(runtime, window)
    rows = [m for r in results for m in r.mismatches]
    for (channel, order, refund), kind in seeder.planted.items():
        check_id, what = EXPECTED[kind]
        mine = [m for m in rows if (m.channel, m.order, m.refund) == (channel, order, refund)]
        assert any(m.check_id == check_id and m.what.startswith(what) for m in mine), (
            kind,
            [m.to_json() for m in mine],
        )
    planted_keys = set(seeder.planted)
    assert [m.to_json() for m in rows if (m.channel, m.order, m.refund) not in planted_keys] == []


def test_row_contents_for_a_wrong_amount(runtime, window, bench):
    seeder = bench.seed(runtime.sandbox, 20, 20, plant_each=0, progress=None)
    order, bill = seeder.shopify_order(999)
    seeder.shopify_refund(order, bill, "wrong_amount")
    clients, (result,) = _audit(runtime, window, ("shopify",))
    rows = {m.what: m for m in result.mismatches}
    assert set(rows) == {"SKU AU-MUG amount", "total"}
    assert (rows["SKU AU-MUG amount"].expected, rows["SKU AU-MUG amount"].actual) == ("14.50", "15.50")
    check = result.check_result("RS-MN-3")
    assert not check.passed
    assert check.message.startswith("shopify refunds in NetSuite: 2 mismatch(es)")
    assert f"order {order.id}" in check.message
    assert check.evidence[0]["mismatches"][0]["order"] == str(order.id)
    assert result.check_result("RS-MN-1").passed and result.check_result("RS-MN-2").passed


def test_windows_over_the_row_limit_are_split(runtime, window, bench):
    bench.seed(runtime.sandbox, 40, 40, plant_each=0, progress=None)
    clients = ReadOnlyClients.of(runtime)
    notes = []
    progress = Progress(enabled=True)
    progress.note = notes.append
    small = NetSuiteView(clients, runtime.config, window, progress=progress, row_limit=10)
    whole = NetSuiteView(ReadOnlyClients.of(runtime), runtime.config, window, progress=Progress(enabled=False))
    assert sorted(r.id for r in small.records) == sorted(r.id for r in whole.records)
    assert any("splitting" in n for n in notes)


def test_five_fils_off_in_kuwaiti_dinars_is_a_mismatch(runtime, window, bench):
    """KWD has three decimals (ISO 4217 minor unit 3): NetSuite posting the mug 0.005 KWD low is money missing,
    though both amounts round to the same cent."""
    seeder = bench.seed(runtime.sandbox, 4, 4, plant_each=0, progress=None)
    order, bill = seeder.shopify_order(998, currency="KWD")
    seeder.shopify_refund(order, bill, "wrong_amount", off=Decimal("-0.005"))
    clients, (result,) = _audit(runtime, window, ("shopify",))
    rows = {m.what: m for m in result.mismatches}
    assert set(rows) == {"SKU AU-MUG amount", "total"}, [m.to_json() for m in result.mismatches]
    assert (rows["SKU AU-MUG amount"].expected, rows["SKU AU-MUG amount"].actual) == ("14.500", "14.495")
    assert (rows["total"].expected, rows["total"].actual) == ("21.060", "21.055")
    assert {m.order for m in result.mismatches} == {str(order.id)}
    assert not result.check_result("RS-MN-3").passed


def test_kuwaiti_dinar_refunds_posted_to_the_fils_pass(runtime, window, bench):
    seeder = bench.seed(runtime.sandbox, 2, 2, plant_each=0, progress=None)
    order, bill = seeder.shopify_order(997, currency="KWD")
    seeder.shopify_refund(order, bill, None)
    clients, (result,) = _audit(runtime, window, ("shopify",))
    assert result.passed, result.check_result().message


def test_yen_amounts_are_compared_and_shown_to_the_yen(runtime, window, bench):
    """JPY has no minor unit: a refund posted one yen high is a row, its amounts in whole yen."""
    seeder = bench.seed(runtime.sandbox, 2, 2, plant_each=0, progress=None)
    order, bill = seeder.shopify_order(996, currency="JPY")
    seeder.shopify_refund(order, bill, "wrong_amount", off=Decimal("1"))
    clean, clean_bill = seeder.shopify_order(995, currency="JPY")
    seeder.shopify_refund(clean, clean_bill, None)
    clients, (result,) = _audit(runtime, window, ("shopify",))
    rows = {(m.order, m.what): m for m in result.mismatches}
    assert set(rows) == {(str(order.id), "SKU AU-MUG amount"), (str(order.id), "total")}, \
        [m.to_json() for m in result.mismatches]
    mug = rows[(str(order.id), "SKU AU-MUG amount")]
    assert (mug.expected, mug.actual) == ("1450", "1451")
    assert (rows[(str(order.id), "total")].expected, rows[(str(order.id), "total")].actual) == ("2106", "2107")


def test_a_refund_posted_in_another_currency_with_the_same_numbers_is_a_mismatch(runtime, window, bench):
    """A euro refund posted to NetSuite as dollars (the account's base currency), every amount the same number:
    one row naming both currencies, and no amount rows (amounts in two currencies are not compared)."""
    seeder = bench.seed(runtime.sandbox, 2, 2, plant_each=0, progress=None)
    order, bill = seeder.shopify_order(994, currency="EUR")
    seeder.shopify_refund(order, bill, "wrong_currency")
    clean, clean_bill = seeder.shopify_order(993, currency="EUR")
    seeder.shopify_refund(clean, clean_bill, None)
    clients, (result,) = _audit(runtime, window, ("shopify",))
    assert [(m.order, m.check_id, m.what, m.expected, m.actual) for m in result.mismatches] == [
        (str(order.id), "RS-MN-3", "currency (amounts not compared)", "EUR", "USD")]
    assert result.mismatches[0].netsuite.startswith("CashRfnd ")
    check = result.check_result("RS-MN-3")
    assert not check.passed
    assert "currency (amounts not compared): expected EUR, found USD" in check.message
    assert result.check_result("RS-MN-1").passed and result.check_result("RS-MN-2").passed
    assert not result.incomplete


def test_a_netsuite_refund_made_in_another_currency_than_the_cart_refund_is_a_mismatch(runtime, window, bench):
    """NetSuite -> cart: a refund made in NetSuite in euros on a dollar order, pushed to WooCommerce with the
    same numbers, is a row with NetSuite's currency expected."""
    from syncproof.audit import audit_refunds_from_netsuite
    from syncproof.config import parse_config

    config = parse_config({"woocommerce": {"refunds": {"direction": "from_netsuite"}}})
    seeder = bench.Seeder(runtime.sandbox)
    order, bill = seeder.woocommerce_order(1)
    seeder.woocommerce_netsuite_refund(order, bill, "wrong_currency")
    clean, clean_bill = seeder.woocommerce_order(2)
    seeder.woocommerce_netsuite_refund(clean, clean_bill)
    clients = ReadOnlyClients.of(runtime)
    view = NetSuiteView(clients, config, window, progress=Progress(enabled=False))
    result = audit_refunds_from_netsuite(clients, config, window, "woocommerce", view=view)
    assert result.audited["NetSuite refund records"] == 2
    assert [(m.order, m.check_id, m.what, m.expected, m.actual) for m in result.mismatches] == [
        (str(order.id), "RS-NM-3", "currency (amounts not compared)", "EUR", "USD")]
