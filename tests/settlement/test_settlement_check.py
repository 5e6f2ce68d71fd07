import io
from decimal import Decimal

from rich.console import Console

from sandbox.settlement_generator import GeneratorOptions, write_settlement
from syncproof.settlement_check import EXIT_FAILED, EXIT_OK, EXIT_USAGE, check_file, render, run_check

from ._build import order_row, v2_bytes


def console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=120, color_system=None), out


def test_check_file_reports_totals(tmp_path):
    path = tmp_path / "s.txt"
    path.write_bytes(v2_bytes([
        order_row("20.00"), order_row("-3.00", "Commission", "ItemFees"),
        order_row("-5.00", transaction_type="Refund"),
        order_row("-1.00", "FBA Inbound Placement Service Fee", "other-transaction", order_id="FBA15ABCD",
                  transaction_type="other-transaction"),
    ], "11.00"))
    report = check_file(path)
    assert report.balanced and report.status == "balanced"
    assert report.row_count == 4 and report.settlement_id == "12345678901"
    assert report.by_category["order_item"].amount == Decimal("20.00")
    assert report.by_category["order_fee"].amount == Decimal("-3.00")
    assert report.by_category["refund"].amount == Decimal("-5.00")
    assert report.by_transaction_type["Refund"].amount == Decimal("-5.00")
    assert report.foreign_order_count == 1 and report.foreign_order_rows[0].order_id == "FBA15ABCD"
    assert report.to_json()["difference"] == {"amount": "0.00", "currency": "USD"}
    out_console, out = console()
    render(report, out_console)
    assert "balanced" in out.getvalue() and "FBA15ABCD" in out.getvalue()


def test_run_check_exit_codes(tmp_path):
    good, bad, broken = tmp_path / "good.txt", tmp_path / "bad.txt", tmp_path / "broken.txt"
    write_settlement(good, GeneratorOptions(rows=50, seed=1))
    write_settlement(bad, GeneratorOptions(rows=50, seed=1, unbalance=Decimal("0.01")))
    broken.write_bytes(b"not a settlement\n")
    out_console, out = console()
    assert run_check([good], out_console) == EXIT_OK
    assert run_check([good, bad], out_console) == EXIT_FAILED
    assert "NOT balanced" in out.getvalue()
    out_console, out = console()
    assert run_check([broken, good], out_console) == EXIT_FAILED
    assert "broken.txt" in out.getvalue() and "line 1" in out.getvalue()
    assert run_check([], out_console) == EXIT_USAGE
