"""A recording that fails leaves the committed cassettes as they were.

Each scenario's recording is held until the scenario passed, and only then written over its
cassette; here every NetSuite request is refused (a 500 on every call), the
scenarios fail, and the cassettes must be byte for byte what they were.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.channel_tables import others_off

ROOT = Path(__file__).resolve().parents[2]


def test_a_failed_recording_from_live_keeps_the_committed_cassettes(tmp_path):
    """Recording from "live" accounts (emulators on loopback here) whose customer writes all fail."""
    from sandbox import start_sandbox
    from sandbox._faults import FaultPlan

    box = start_sandbox(faults=FaultPlan(seed=1, rates={"500": 1.0}, vendors=["netsuite"], match="/record/v1/customer"))
    try:
        cassettes = tmp_path / "cassettes"
        shutil.copytree(ROOT / "cassettes" / "netsuite_records", cassettes / "netsuite_records")
        before = {p: p.read_bytes() for p in cassettes.rglob("*") if p.is_file()}
        ns = box.netsuite_credentials
        config = tmp_path / "syncproof.toml"
        config.write_text(f'[netsuite]\naccount_id = "{ns.account_id}"\nbase_url = "{box.netsuite_url}"\n'
                          + others_off())
        env = {**os.environ, "NO_COLOR": "1", "NETSUITE_CONSUMER_KEY": ns.consumer_key,
               "NETSUITE_CONSUMER_SECRET": ns.consumer_secret, "NETSUITE_TOKEN_ID": ns.token_id,
               "NETSUITE_TOKEN_SECRET": ns.token_secret}
        done = subprocess.run(
            [sys.executable, "-m", "syncproof", "run", "--config", str(config), "--target", "record", "-m", "netsuite",
             "--report-dir", str(tmp_path / "out"), "--", "--record-from", "live", "--cassette-dir", str(cassettes),
             "-p", "no:randomly"], cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    finally:
        box.stop()
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    assert "syncproof run tag sp" in done.stdout  # recording from live tags its records for cleanup
    after = {p: p.read_bytes() for p in cassettes.rglob("*") if p.is_file()}
    assert after == before
    assert not any(p.name == ".recording" for p in cassettes.rglob("*"))


def test_a_passing_recording_replaces_its_cassette(tmp_path):
    cassettes = tmp_path / "cassettes"
    shutil.copytree(ROOT / "cassettes" / "netsuite_records", cassettes / "netsuite_records")
    stale = next(cassettes.rglob("*.yaml"))
    stale.write_text(stale.read_text().replace("recorded_at:", "recorded_at_was:", 1))
    done = subprocess.run(
        [sys.executable, "-m", "syncproof", "run", "--target", "record", "-m", "netsuite",
         "--report-dir", str(tmp_path / "out"), "--", "--cassette-dir", str(cassettes), "-p", "no:randomly"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "recorded_at_was:" not in stale.read_text()
