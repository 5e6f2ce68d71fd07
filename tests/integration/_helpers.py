"""Helpers the integration tests share (the fixtures are in conftest.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from connectors.netsuite import NetSuiteClient, NetSuiteCredentials

ROOT = Path(__file__).resolve().parents[2]
SYNCPROOF = [sys.executable, "-m", "syncproof"]


def run(*args: str, cwd: Path = ROOT, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*SYNCPROOF, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "NO_COLOR": "1", **(env or {})})


def copy_of(folder: Path, target: Path) -> Path:
    """``folder``'s files copied into ``target`` (a test's own report folder)."""
    shutil.copytree(folder, target, dirs_exist_ok=True)
    return target


def netsuite_client(box, **kwargs) -> NetSuiteClient:
    demo = box.netsuite_credentials
    credentials = NetSuiteCredentials(demo.account_id, demo.consumer_key, demo.consumer_secret,
                                      demo.token_id, demo.token_secret)
    kwargs.setdefault("sleep", lambda seconds: None)
    return NetSuiteClient.for_account(credentials, base_url=box.netsuite_url, **kwargs)


