"""The footprint table the checks own: which NetSuite records a channel refund must leave.

Sources (Oracle NetSuite help, as cited in syncproof/footprints.toml):
- "NetSuite Connector Refund Sync FAQ" / "NetSuite Connector Refund Sync Management": refund sync
  has the effect of the Refund button: a cash sale gets a cash refund, an invoice a credit memo.
- "Best Practice for Refund Syncs": to NetSuite the connector syncs a cash refund or credit memo;
  from NetSuite it syncs cash refunds and credit memos created from orders it synced.
- "Refunds and Exchanges in NetSuite Connector": the Refund Settings options "Only sync a cash
  refund / a return authorization against a matching record"; one direction per account.
The customer refund paying out a credit memo is syncproof's setting; no Oracle page found confirms
that the NetSuite Connector makes one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from syncproof.config import RefundSettings
from syncproof.errors import ConfigError
from syncproof.footprints import MODELS, FootprintError, expected_refund_records, model_for_posting, refund_rows

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize(("billing", "ra", "cr", "types"), [
    ("cash_sale", False, False, ("CashRfnd",)),
    ("cash_sale", True, False, ("RtnAuth", "CashRfnd")),
    ("cash_sale", False, True, ("CashRfnd",)),  # a cash refund pays out itself: no customer refund
    ("invoice", False, False, ("CustCred",)),
    ("invoice", False, True, ("CustCred", "CustRfnd")),
    ("invoice", True, False, ("RtnAuth", "CustCred")),
    ("invoice", True, True, ("RtnAuth", "CustCred", "CustRfnd")),
])
def test_refund_to_netsuite_records_follow_billing_record_and_settings(model, billing, ra, cr, types):
    footprint = expected_refund_records(model, billing, RefundSettings(return_authorization=ra, customer_refund=cr))
    assert footprint.types == types


def test_each_record_is_made_from_the_one_before_it_or_the_billing_record():
    footprint = expected_refund_records("netsuite_connector", "invoice",
                                        RefundSettings(return_authorization=True, customer_refund=True))
    ra, memo, payout = footprint.records
    assert (ra.created_from, memo.created_from, payout.applies_to) == ("CustInvc", "RtnAuth", "CustCred")
    assert footprint.describe() == "RtnAuth from CustInvc, then CustCred from RtnAuth, then CustRfnd from CustCred"


def test_refunds_from_netsuite_leave_no_connector_record_in_netsuite():
    settings = RefundSettings(direction="from_netsuite", return_authorization=True)
    assert expected_refund_records("netsuite_connector", "cash_sale", settings).types == ()


def test_every_combination_has_exactly_one_row():
    for model in MODELS:
        for billing in ("cash_sale", "invoice"):
            for direction in ("to_netsuite", "from_netsuite"):
                for ra in (False, True):
                    for cr in (False, True):
                        expected_refund_records(model, billing, RefundSettings(direction=direction,
                                                return_authorization=ra, customer_refund=cr))
    assert all(row["model"] in (*MODELS, "*") for row in refund_rows())


def test_unknown_model_is_one_line_naming_the_valid_ones():
    with pytest.raises(FootprintError) as caught:
        expected_refund_records("celigo", "invoice", RefundSettings())
    assert str(caught.value) == ("connector model 'celigo' does not exist; "
                                 "use one of: netsuite_connector, summary_posting")
    assert isinstance(caught.value, ConfigError)


def test_posting_option_names_its_model():
    assert model_for_posting("deposit") == "summary_posting"
    assert model_for_posting("journal_entry") == "summary_posting"
    assert model_for_posting("netsuite_connector") == "netsuite_connector"
    with pytest.raises(FootprintError, match=r"\[settlement\] posting = 'ledger'.*use one of: netsuite_connector"):
        model_for_posting("ledger")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found.add(base)
    return found


@pytest.mark.parametrize("module", [*sorted(str(p.relative_to(ROOT)) for p in (ROOT / "syncproof/checks").glob("*.py")),
                                    "syncproof/footprints.py"])
def test_checks_never_import_the_code_that_syncs(module):
    """The checks' expectations are independent of the sync: no engine, sandbox or sandbox connector."""
    forbidden = ("syncproof.engine", ".engine", "sandbox", "sandbox_connector")
    bad = [name for name in _imports(ROOT / module)
           if any(name == f or name.startswith(f + ".") for f in forbidden)]
    assert bad == []
