"""What the report says about where and how the run happened.

:func:`gather` collects what the collector can find out itself (versions of
syncproof and its key libraries, the git commit of the features, who ran it,
on which host, Python); :func:`mask_metadata` masks the identifiers in the
run metadata the CLI hands over (NetSuite account, store names).
"""

from __future__ import annotations

import getpass
import platform
import socket
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from .sanitize import add_literals, mask_identifier

__all__ = ["gather", "git_commit", "mask_metadata", "is_identifier_key", "IDENTIFIER_KEYS"]

_PACKAGES = ("syncproof", "pytest", "pytest-bdd", "pytest-xdist", "httpx", "jinja2")
#: Metadata keys whose values identify a customer account or store and are masked.
IDENTIFIER_KEYS = frozenset({"netsuite_account", "account", "account_id", "stores", "store", "shop",
                             "seller_id", "merchant_id", "marketplace_id", "realm"})
_IDENTIFIER_SUFFIXES = ("_account", "_account_id", "_store", "_stores", "_shop", "_seller_id", "_merchant_id")


def is_identifier_key(key: str) -> bool:
    """Whether a metadata key names an account or store identifier (``shopify_store``...)."""
    key = key.lower()
    return key in IDENTIFIER_KEYS or key.endswith(_IDENTIFIER_SUFFIXES)


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def git_commit(path: Path) -> dict[str, Any] | None:
    """The commit (and whether the tree is dirty) of the git repository holding ``path``."""
    try:
        def git(*args: str) -> str:
            return subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True,
                                  timeout=5, check=True).stdout.strip()
        commit = git("rev-parse", "HEAD")
        dirty = bool(git("status", "--porcelain", "--", "."))
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": commit, "dirty": dirty} if commit else None


def _user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return None


def gather(rootdir: Path, features_dir: Path | None = None) -> dict[str, Any]:
    """Versions, git commit of the features, user, host and Python of this run."""
    return {
        "versions": {name: v for name in _PACKAGES if (v := _version(name))},
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "git": git_commit(features_dir if features_dir and features_dir.exists() else rootdir),
        "user": _user(),
        "host": socket.gethostname(),
        "rootdir": str(rootdir),
    }


def _mask(value: Any) -> Any:
    if isinstance(value, str) and " " in value.strip():  # a description ("sandbox emulator"), not an id
        return value
    if isinstance(value, str):
        add_literals(value)
        return mask_identifier(value)
    if isinstance(value, (list, tuple)):
        return [_mask(v) for v in value]
    if isinstance(value, dict):
        return {k: _mask(v) for k, v in value.items()}
    return value


def mask_metadata(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of run metadata with account and store identifiers masked.

    The masked values are also registered so they are masked anywhere else in
    the report (evidence, messages).
    """
    out: dict[str, Any] = {}
    for key, value in data.items():
        if is_identifier_key(key):
            out[key] = _mask(value)
        elif isinstance(value, dict) and key.lower() not in ("versions",):
            out[key] = {k: (_mask(v) if is_identifier_key(k) else v) for k, v in value.items()}
        else:
            out[key] = value
    return out
