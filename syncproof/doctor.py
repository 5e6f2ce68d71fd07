"""``syncproof doctor``: are the credentials there, does authentication work, are the permissions granted?

Each check is one line: what was checked, whether it passed, and what to fix. The
checks only read (one SuiteQL query, one list call per record type, then each
channel's probe from its spec: two Shopify queries, one call per SP-API role), so they
are safe on any account.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Iterator

from connectors.netsuite import NetSuiteRecords

from . import channels as channel_registry
from .config import Config
from .errors import SyncproofError
from .probe import DoctorLine, attempt

__all__ = ["DoctorLine", "diagnose", "NETSUITE_RECORD_TYPES"]

#: Record types the suite reads or writes in NetSuite.
NETSUITE_RECORD_TYPES = ("customer", "salesOrder", "cashSale", "invoice", "returnAuthorization", "creditMemo",
                         "cashRefund", "customerRefund", "deposit", "journalEntry")


def _account_count(ns: Any) -> object:
    return NetSuiteRecords(ns).account_count()


def _visible(ns: Any, record_type: str) -> str:
    return f"{len(ns.list_ids(record_type))} record(s) visible"


def _netsuite(runtime: Any) -> Iterator[DoctorLine]:
    ns = runtime.netsuite
    auth = attempt("netsuite", "authentication and SuiteQL",
                   lambda: f"SuiteQL answered ({_account_count(ns)} accounts)",
                   "give the token's role REST Web Services, Log in using Access Tokens and SuiteAnalytics Workbook")
    yield auth
    if not auth.ok:
        return
    for record_type in NETSUITE_RECORD_TYPES:
        yield attempt("netsuite", f"read {record_type}",
                      functools.partial(_visible, ns, record_type),
                      f"give the role at least View on {record_type} (Full where syncproof creates it)")


def diagnose(config: Config, open_runtime: Callable[..., Any]) -> list[DoctorLine]:
    """Run every check for the configured systems; missing credentials (all of them) are a line too."""
    from .preflight import missing_credentials

    missing = missing_credentials(config) if config.project.target == "live" else None
    if missing is not None:
        return [DoctorLine("config", "credentials present", False, missing.message, missing.fix)]
    try:
        runtime = open_runtime(config)
    except SyncproofError as exc:
        return [DoctorLine("config", "credentials present", False, exc.message, exc.hint)]
    lines = [DoctorLine("config", "credentials present", True,
                        "demo credentials (sandbox)" if config.project.target == "sandbox" else "all set")]
    try:
        lines += list(_netsuite(runtime))
        for spec in channel_registry.specs():
            client = runtime.client(spec.name)
            if client is not None:
                lines += list(spec.doctor(client))
    finally:
        runtime.close()
    return lines
