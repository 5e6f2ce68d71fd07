"""``syncproof doctor``: are the credentials there, does authentication work, are the permissions granted?

Each check is one line: what was checked, whether it passed, and what to fix. The
checks only read (one SuiteQL query, one list call per record type, one call per
SP-API role, two Shopify queries), so they are safe on any account.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterator

from connectors import AuthenticationFailed, ConnectionFailed, ConnectorError
from connectors.netsuite import NetSuiteRecords
from connectors.shopify import ALL_ORDERS_SCOPE, ORDER_WINDOW_DAYS

from .config import Config
from .errors import SyncproofError

__all__ = ["DoctorLine", "diagnose", "NETSUITE_RECORD_TYPES", "SHOPIFY_SCOPES"]

#: Record types the suite reads or writes in NetSuite.
NETSUITE_RECORD_TYPES = ("customer", "salesOrder", "cashSale", "invoice", "returnAuthorization", "creditMemo",
                         "cashRefund", "customerRefund", "deposit", "journalEntry")
#: Shopify access scopes the refund scenarios need.
SHOPIFY_SCOPES = ("read_orders", "write_orders")


@dataclass(frozen=True)
class DoctorLine:
    system: str
    check: str
    ok: bool
    detail: str
    fix: str = ""


def _account_count(ns: Any) -> object:
    return NetSuiteRecords(ns).account_count()


def _visible(ns: Any, record_type: str) -> str:
    return f"{len(ns.list_ids(record_type))} record(s) visible"


def _attempt(system: str, check: str, action: Callable[[], str], fix: str) -> DoctorLine:
    try:
        return DoctorLine(system, check, True, action())
    except (AuthenticationFailed, ConnectionFailed) as exc:  # not a permission: the host, network or credentials
        return DoctorLine(system, check, False, exc.message, exc.hint or fix)
    except ConnectorError as exc:
        return DoctorLine(system, check, False, exc.message, fix)


def _netsuite(runtime: Any) -> Iterator[DoctorLine]:
    ns = runtime.netsuite
    auth = _attempt(
        "netsuite",
        "authentication and SuiteQL",
        lambda: f"SuiteQL answered ({_account_count(ns)} accounts)",
        "give the token's role REST Web Services, Log in using Access Tokens and SuiteAnalytics Workbook",
    )
    yield auth
    if not auth.ok:
        return
    for record_type in NETSUITE_RECORD_TYPES:
        yield _attempt("netsuite", f"read {record_type}",
                       functools.partial(_visible, ns, record_type),
                       f"give the role at least View on {record_type} (Full where syncproof creates it)")


def _shopify(runtime: Any) -> Iterator[DoctorLine]:
    shop = runtime.shopify
    auth = _attempt("shopify", "authentication", lambda: f"shop {shop.shop()['name']!r}",
                    "check SHOPIFY_ACCESS_TOKEN and [shopify] shop")
    yield auth
    if not auth.ok:
        return
    try:
        granted = set(shop.access_scopes())
    except ConnectorError as exc:
        yield DoctorLine(
            "shopify", "access scopes", False, exc.message, "reinstall the app with read_orders, write_orders"
        )
        return
    for scope in SHOPIFY_SCOPES:
        yield DoctorLine(
            "shopify",
            f"scope {scope}",
            scope in granted,
            "granted" if scope in granted else "not granted",
            "" if scope in granted else f"add {scope} to the custom app's Admin API scopes and reinstall it",
        )
    all_orders = ALL_ORDERS_SCOPE in granted
    yield DoctorLine(  # not needed for the scenarios; without it audits cannot reach older orders
        "shopify",
        f"scope {ALL_ORDERS_SCOPE}",
        True,
        "granted" if all_orders else f"not granted: only orders from the last {ORDER_WINDOW_DAYS} days are visible, "
        "so an audit reaching further back is refused",
        "" if all_orders else f"add {ALL_ORDERS_SCOPE} to the custom app's Admin API scopes to audit older orders",
    )


def _amazon(runtime: Any) -> Iterator[DoctorLine]:
    amazon = runtime.amazon
    since = datetime.now(timezone.utc) - timedelta(days=2)
    token = _attempt("amazon", "Login with Amazon token", lambda: (amazon.lwa.access_token(), "token issued")[1],
                     "check AMAZON_LWA_CLIENT_ID, AMAZON_LWA_CLIENT_SECRET and AMAZON_LWA_REFRESH_TOKEN")
    yield token
    if not token.ok:
        return
    yield _attempt(
        "amazon",
        "Orders role (getOrders)",
        lambda: (next(amazon.get_orders_json(created_after=since), None), "answered")[1],
        "grant the application the Orders role (Inventory and Order Tracking) and re-authorise it",
    )
    yield _attempt("amazon", "Finances role (listTransactions)",
                   lambda: (next(amazon.list_transactions(since), None), "answered")[1],
                   "grant the application the Finance and Accounting role and re-authorise it")
    yield _attempt("amazon", "Reports role (getReports)",
                   lambda: (next(amazon.settlement_reports(created_since=since), None), "answered")[1],
                   "grant the application the Finance and Accounting role (settlement reports) and re-authorise it")


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
        if runtime.shopify is not None:
            lines += list(_shopify(runtime))
        if runtime.amazon is not None:
            lines += list(_amazon(runtime))
    finally:
        runtime.close()
    return lines
