"""Live reports carry no customer's personal data: it is pseudonymised as in cassettes.

A live-target run against the emulators on loopback (standing in for the customer's
accounts); the emulators' own records hold the "real" names and emails, and none of
them may appear in results.json or report.html.
"""

from __future__ import annotations

import os
import re
import subprocess

from syncproof.report import sanitize
from tests.channel_tables import others_off

from ._helpers import ROOT, SYNCPROOF


def test_a_live_report_holds_no_buyer_name_or_email(tmp_path, box):
    box.netsuite.reset()
    box.shopify.reset()
    ns = box.netsuite_credentials
    config = tmp_path / "syncproof.toml"
    config.write_text(f'[project]\ntarget = "live"\n[netsuite]\naccount_id = "{ns.account_id}"\n'
                      f'base_url = "{box.netsuite_url}"\n[shopify]\nbase_url = "{box.shopify_url}"\n'
                      'test_store = true\n' + others_off("shopify"))
    env = {**os.environ, "NO_COLOR": "1", "NETSUITE_CONSUMER_KEY": ns.consumer_key,
           "NETSUITE_CONSUMER_SECRET": ns.consumer_secret, "NETSUITE_TOKEN_ID": ns.token_id,
           "NETSUITE_TOKEN_SECRET": ns.token_secret, "SHOPIFY_ACCESS_TOKEN": box.shopify_token}
    out = tmp_path / "out"
    (ROOT / ".syncproof" / "engine-live.sqlite3").unlink(missing_ok=True)  # the emulators were reset: so is the store
    done = subprocess.run([*SYNCPROOF, "run", "--config", str(config), "--report-dir", str(out),
                           "-k", "full and shopify and cash", "--", "-p", "no:randomly"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert (out / "results.json").exists(), done.stdout[-3000:] + done.stderr[-3000:]
    emails = {o["email"] for o in box.shopify.snapshot()["orders"] if o.get("email")}
    names = {f"{c.get('firstName')} {c.get('lastName')}" for c in box.netsuite.records("customer")}
    assert emails and names, done.stdout[-3000:] + done.stderr[-2000:]
    for name in ("results.json", "report.html"):
        text = (out / name).read_text()
        leaked = [value for value in emails | names if value in text]
        assert leaked == [], f"{name} shows {leaked}"
    assert re.search(r"[\w.]+@[\w.]+", (out / "results.json").read_text())  # the evidence is there, pseudonymised


def test_evidence_notes_are_pseudonymised_when_it_is_on():
    try:
        sanitize.pseudonymise_personal_data(seed=3)
        seen = sanitize.scrub({"customer": {"email": "ada@lovelace.org", "firstName": "Ada"},
                               "buyer_name": "Ada Lovelace",
                               "note": "refund for Ada Lovelace (ada@lovelace.org)"})
    finally:
        sanitize.clear_literals()
    text = repr(seen)
    assert "ada@lovelace.org" not in text and "Ada Lovelace" not in text, text
    assert seen["customer"]["email"] in seen["note"]  # the same person keeps the same pseudonym
