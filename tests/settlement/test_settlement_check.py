import io
import json
import os
import subprocess
import sys
from decimal import Decimal

from rich.console import Console

from sandbox.settlement_generator import GeneratorOptions, write_settlement
from syncproof.settlement_check import EXIT_FAILED, EXIT_OK, EXIT_USAGE, check_file, output_console, render, run_check

from ._build import order_row, v2_bytes


def console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=1000, color_system=None), out  # no wrapping, whatever the tmp path length


def test_check_file_reports_totals(tmp_path):
    path = tmp_path / "s.txt"
    path.write_bytes(v2_bytes([
        order_row("20.00"), order_row("-3.00", "Commission", "ItemFees"),
        order_row("-5.00", transaction_type="Refund"),
        order_row("-1.00", "FBA Inbound Placement Service Fee", "other-transaction", order_id="FBA15ABCD",
                  transaction_type="other-transaction"),
        order_row("-2.00", "FBAPerUnitFulfillmentFee", "ItemFees", order_id="S01-1234567-1234567"),
    ], "9.00"))
    report = check_file(path)
    assert report.balanced and report.status == "balanced"
    assert report.row_count == 5 and report.settlement_id == "12345678901"
    assert report.by_category["order_item"].amount == Decimal("20.00")
    assert report.by_category["order_fee"].amount == Decimal("-5.00")
    assert report.by_category["refund"].amount == Decimal("-5.00")
    assert report.by_transaction_type["Refund"].amount == Decimal("-5.00")
    assert report.foreign_order_count == 2
    assert [(r.order_id, r.kind) for r in report.foreign_order_rows] == [("FBA15ABCD", "fba_shipment"),
                                                                         ("S01-1234567-1234567", "mcf")]
    assert report.to_json()["difference"] == {"amount": "0.00", "currency": "USD"}
    out_console, out = console()
    render(report, out_console)
    text = out.getvalue()
    assert "balanced" in text and "FBA15ABCD is an FBA inbound shipment" in text
    assert "S01-1234567-1234567 is a multi-channel fulfilment order" in text and "merchant-order-id" in text


def test_run_check_exit_codes_and_final_line(tmp_path):
    good, bad, broken = tmp_path / "good.txt", tmp_path / "bad.txt", tmp_path / "broken.txt"
    write_settlement(good, GeneratorOptions(rows=50, seed=1))
    write_settlement(bad, GeneratorOptions(rows=50, seed=2, unbalance=Decimal("0.01")))
    broken.write_bytes(b"not a settlement\n")
    out_console, out = console()
    assert run_check([good], out_console) == EXIT_OK
    assert run_check([good, bad], out_console) == EXIT_FAILED
    assert "NOT balanced" in out.getvalue()
    out_console, out = console()
    assert run_check([broken, good, bad], out_console) == EXIT_FAILED
    assert "broken.txt" in out.getvalue() and "line 1" in out.getvalue()
    assert out.getvalue().splitlines()[-1] == "3 files, 1 balanced, 1 not balanced, 1 unreadable"
    assert run_check([], out_console) == EXIT_USAGE


def test_warns_about_a_file_given_twice_and_the_same_settlement_in_two_files(tmp_path):
    first, copy = tmp_path / "a.txt", tmp_path / "b.txt"
    write_settlement(first, GeneratorOptions(rows=10, seed=5))
    copy.write_bytes(first.read_bytes())
    out = io.StringIO()
    out_console = output_console(out)
    assert run_check([first, first, copy], out_console) == EXIT_OK
    text = out.getvalue()
    assert f"{first} is given more than once: checked once" in text
    assert f"{copy} holds settlement" in text and f"as {first} does" in text
    assert text.splitlines()[-1] == "2 files, 2 balanced, 0 not balanced, 0 unreadable"
    buffer = io.StringIO()
    assert run_check([first, copy], Console(file=buffer), as_json=True) == EXIT_OK
    document = json.loads(buffer.getvalue())
    assert len(document["warnings"]) == 1 and document["summary"]["files"] == 2


class _ClosedAfter(io.StringIO):
    """A pipe whose reader goes away after the first write."""

    def write(self, text: str) -> int:
        if self.getvalue():
            raise BrokenPipeError
        return super().write(text)

    def isatty(self) -> bool:
        return False


def test_a_closed_pipe_ends_quietly_with_the_code_so_far(tmp_path):
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    write_settlement(good, GeneratorOptions(rows=10, seed=1))
    write_settlement(bad, GeneratorOptions(rows=10, seed=2, unbalance=Decimal("1.00")))
    assert run_check([good, bad], output_console(_ClosedAfter())) == EXIT_OK  # stopped before the bad file


def test_piped_output_wraps_nothing_and_head_exits_zero(tmp_path):
    folder = tmp_path / ("a-long-folder-name-" * 8)
    folder.mkdir()
    paths = []
    for seed in range(40):
        path = folder / f"settlement-{seed:02d}-{'x' * 60}.txt"
        write_settlement(path, GeneratorOptions(rows=60, seed=seed, non_order_ids=True, other_transaction_types=True))
        paths.append(str(path))
    command = [sys.executable, "-m", "syncproof", "settlement", "check", *paths]
    env = {**os.environ, "COLUMNS": "80"}
    piped = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert piped.returncode == 0, piped.stderr
    lines = piped.stdout.splitlines()
    for path in paths:
        assert any(line.startswith(f"{path}: settlement ") for line in lines), path
    assert all("│" not in line or line.count("│") == 1 for line in lines)  # no table row broken in two
    assert lines[-1] == "40 files, 40 balanced, 0 not balanced, 0 unreadable"
    head = subprocess.run(["bash", "-c", 'exec 2>&1; "$@" | head -1; exit "${PIPESTATUS[0]}"', "_", *command],
                          capture_output=True, text=True, env=env, timeout=300)
    assert head.returncode == 0 and head.stdout.count("\n") == 1 and "Traceback" not in head.stdout
