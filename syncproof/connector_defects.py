"""The defect catalogue: integration bugs the sandbox NetSuite Connector can be told to make.

Each defect reproduces a bug implementation teams meet with a real connector. The
sandbox connector (``sandbox_connector``) takes a comma-separated list of names from
``[sandbox] connector_defects`` or ``$SYNCPROOF_CONNECTOR_DEFECTS`` (the environment
wins) and misbehaves accordingly; every other process only reads this table. A name may
carry the scenarios it is made in, ``name@<-k expression>`` (``"cent_off@discounted_line and
shopify, tax_dropped"``): at each scenario's start the run's pytest plugin tells the connector
which defects apply to it (one without a scope applies to every scenario) and records them in
``results.json`` (each scenario's ``connector_defects``).

Every entry names the check that must catch it (``check_id``) and the scenarios that
show it (``select``: a pytest ``-k`` expression over the scenarios' test names, which are
the scenario titles lower-cased with underscores and the Examples row in brackets, e.g.
``"discounted_line"`` or ``"full_refund and amazon and cash"``; list them with
``pytest steps/test_scenarios.py --collect-only -q``), so a defect run stays short.
``benchmarks/defects.py`` runs the acceptance suite with each defect scoped to its scenarios,
several defects whose scenarios differ in one run and every scenario once with no defect,
and prints "defects caught N/N"; ``tests/integration/test_defect_catalogue.py`` asserts per
defect that each one of its scenarios fails with its check (one failing otherwise does not count).

To add a defect: add a :class:`Defect` to :data:`CATALOGUE` here and make the sandbox
connector honour it (``sandbox_connector/defects.py`` names the hook for each).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from .errors import ConfigError

__all__ = ["Defect", "CATALOGUE", "DEFECT_ENV", "ScopedDefect", "parse_defects", "parse_scoped", "active_defects_text",
           "defects_for", "scoped_defects_for", "by_name"]

DEFECT_ENV = "SYNCPROOF_CONNECTOR_DEFECTS"


@dataclass(frozen=True)
class Defect:
    name: str
    check_id: str
    description: str
    select: str  # pytest -k expression choosing the scenarios that show it


_FULL = "full_refund and shopify and cash"
_SETTINGS = "changing_key"
_KEPT_FEE = "keeps_a_restocking_fee"

CATALOGUE: tuple[Defect, ...] = (
    # --- refunds to NetSuite ------------------------------------------------------------
    Defect("always_return_authorization", "RS-MN-2",
           "makes a return authorization before every refund, whatever the settings say", _FULL),
    Defect("return_authorization_missing", "RS-MN-2",
           "never makes the return authorization the settings call for", f"{_SETTINGS} and return_authorization"),
    Defect("customer_refund_missing", "RS-MN-2",
           "never pays a credit memo out with the customer refund the settings call for",
           f"{_SETTINGS} and customer_refund"),
    Defect("settings_change_ignored", "RS-MN-2",
           "keeps the refund settings it started with; later changes never reach it",
           f"{_SETTINGS} and customer_refund"),
    Defect("settings_retroactive", "RS-SET-1",
           "applies a settings change to refunds already synced (re-posts them the new way)",
           f"{_SETTINGS} and customer_refund"),
    Defect("shipping_dropped", "RS-MN-3", "leaves the refunded shipping off the NetSuite refund", _FULL),
    Defect("charges_on_fee_item", "RS-MN-3",
           "posts refunded shipping and adjustments on the refund settings' negative adjustment item (the fee item) "
           "instead of the positive one, amounts unchanged", _FULL),
    Defect("kept_fee_on_refund_item", "RS-MN-3",
           "posts a fee the merchant kept from a refund (a restocking fee) on the refund settings' positive adjustment "
           "item instead of the negative one, amounts unchanged", f"{_KEPT_FEE} and shopify and cash"),
    Defect("kept_fee_dropped", "RS-MN-3",
           "leaves a fee the merchant kept from a refund off the NetSuite refund, as if the lines were refunded in "
           "full", f"{_KEPT_FEE} and woocommerce and cash"),
    Defect("tax_dropped", "RS-MN-3", "posts refunded lines without their tax", "partial_refund and shopify"),
    Defect("cent_off", "RS-MN-3", "posts the first refunded line one cent high (rounding per unit)",
           "discounted_line"),
    Defect("quantity_one", "RS-MN-3", "posts quantity 1 for every refunded line, keeping the amount",
           "multiquantity_line_is_refunded"),
    Defect("wrong_sku", "RS-MN-3", "posts the refund on the order's first billed line, whichever SKU was refunded",
           "partial_refund and shopify"),
    Defect("refund_not_linked", "KC-1",
           "makes the refund as a standalone record for the customer, not from the order's billing record", _FULL),
    Defect("unsyncable_refund_dropped", "RS-MN-1",
           "drops a refund on an order it never synced without recording an error",
           "never_synced_is_an_exception and shopify"),
    Defect("refund_status_not_updated", "RS-MN-1",
           "posts the refund but never records it against the order in its own status", "partial_refund and shopify"),
    Defect("duplicate_on_rerun", "KC-2", "posts the refund again on its next sync run",
           "second_sync_run and shopify"),
    Defect("rerun_reposts", "KC-2",
           "on its next run deletes the refund it made and posts it again (one record, a new one each run)",
           "second_sync_run and shopify"),
    Defect("channel_not_synced", "KC-3", "never imports Amazon orders: one integration is not covered at all",
           "full_refund and amazon and cash"),
    Defect("refund_in_base_currency", "RS-MN-3",
           "posts every refund in the NetSuite account's base currency (USD), amounts unchanged, whatever the "
           "order's currency (an eBay.de order's EUR refund booked as dollars)", "ebay_refund_in and EUR"),
    Defect("order_refund_as_adjustment", "RS-MN-3",
           "posts a refund made for the whole order (eBay's orderLevelRefundAmount) as one adjustment amount, "
           "without the order's lines and shipping", "full_refund and ebay and cash"),
    # --- refunds from NetSuite -------------------------------------------------------------
    Defect("push_quantity_one", "RS-NM-3", "pushes quantity 1 for every refunded line to the cart",
           "multiquantity_line_refunded_in_netsuite"),
    Defect("push_shipping_dropped", "RS-NM-3", "pushes the refund to the cart without its shipping",
           "refund_with_shipping_reaches"),
    Defect("push_tax_dropped", "RS-NM-3",
           "pushes the refunded lines to the cart without their tax (WooCommerce: no refund_tax by rate)",
           "netsuite_refund_of_an_order_billed and woocommerce and cash"),
    Defect("push_status_not_updated", "RS-NM-2",
           "pushes the refund to the cart but never records it against the order",
           "netsuite_refund_of_an_order_billed and cash"),
    Defect("echo_cart_refund", "RS-NM-2",
           "pushes back to the cart the NetSuite refunds it made from the cart's own refunds",
           "direction_is_changed_to_from_netsuite"),
    Defect("echo_to_netsuite", "RS-MN-1",
           "posts to NetSuite the cart refunds it made itself from NetSuite refunds",
           "direction_is_changed_to_netsuite"),
    Defect("unlinked_refund_pushed", "RS-NM-2",
           "neither reports nor skips a NetSuite refund of an order it never synced: it ignores it silently",
           "never_synced_is_reported"),
    Defect("order_ref_overwritten", "RS-NM-1",
           "writes the cart refund id back into the sales order's order-id field, breaking the link to the order",
           "netsuite_refund_of_an_order_billed and cash"),
    # --- settlements ---------------------------------------------------------------------------
    Defect("settlement_too_early_posted", "AS-2",
           "imports a settlement that starts before go-live plus the wait, as if it qualified",
           "too_soon_after_golive"),
    Defect("unsynced_rows_posted", "AS-1",
           "syncs the orders it left out when a settlement names them, and posts their rows as if matched",
           "never_synced_are_exceptions"),
    Defect("non_order_amounts_lost", "AS-4", "posts the order fees but never the non-order amounts' summary",
           "fees_go_on_the_billed_record and WAREHOUSE_DAMAGE"),
    Defect("cash_sale_for_cash_refund", "AS-4",
           "makes the non-order summary a cash sale even when the seller owes Amazon (a cash refund is due)",
           "fees_go_on_the_billed_record and Storage"),
    Defect("fees_on_wrong_order", "AS-4", "adds each order's fee lines to the billed record of another order",
           "fees_go_on_the_billed_record and WAREHOUSE_DAMAGE"),
    Defect("fees_wrong_sign", "AS-4", "adds the fee lines with the wrong sign (fees as credits)",
           "fees_go_on_the_billed_record and WAREHOUSE_DAMAGE"),
    Defect("settlement_posted_twice", "AS-4", "posts a re-imported settlement a second time",
           "same_settlement_twice"),
    Defect("summary_cent_off", "AS-4", "posts the summary transaction one cent high",
           "fees_go_on_the_billed_record and WAREHOUSE_DAMAGE"),
    Defect("settlement_total_misread", "AS-3",
           "records the settlement's total-amount a cent off (decimal comma misread): its own balance is wrong",
           "an_eu_settlement"),
)


def by_name() -> dict[str, Defect]:
    return {defect.name: defect for defect in CATALOGUE}


@dataclass(frozen=True)
class ScopedDefect:
    """One entry of the defect setting: a defect and the scenarios it is made in (``scope``, a pytest ``-k``
    expression; None: every scenario).

        >>> parse_scoped("cent_off@discounted_line and shopify")[0].scope
        'discounted_line and shopify'
    """

    name: str
    scope: str | None = None

    def applies_to(self, item: Any) -> bool:
        """Whether this defect is made in the scenario of pytest item ``item`` (matched as ``-k`` matches)."""
        if self.scope is None:
            return True
        from _pytest.mark import KeywordMatcher
        from _pytest.mark.expression import Expression

        return Expression.compile(self.scope).evaluate(KeywordMatcher.from_item(item))

    def __str__(self) -> str:
        return self.name if self.scope is None else f"{self.name}@{self.scope}"


def parse_scoped(text: str, *, where: str = "[sandbox] connector_defects") -> tuple[ScopedDefect, ...]:
    """``"cent_off@discounted_line, tax_dropped"`` -> the entries, or one ConfigError naming the unknown defect
    (and the valid ones) or the scope that is not a ``-k`` expression."""
    known = by_name()
    entries = []
    for part in (part.strip() for part in text.split(",")):
        if not part:
            continue
        name, at, scope = (piece.strip() for piece in part.partition("@"))
        if name not in known:
            raise ConfigError(f"{where}: no connector defect named {name!r}",
                              f"use one of: {', '.join(sorted(known))}")
        if at and not scope:
            raise ConfigError(f"{where}: {part!r} names no scenarios after '@'",
                              "write name@<-k expression>, e.g. cent_off@discounted_line, or the name alone")
        if scope:
            from _pytest.mark.expression import Expression

            try:
                Expression.compile(scope)
            except SyntaxError as exc:
                raise ConfigError(f"{where}: the scenarios of {name!r}, {scope!r}, are not a -k expression "
                                  f"({exc.msg})", "write a pytest -k expression such as "
                                  "'full_refund and shopify'") from None
        entries.append(ScopedDefect(name, scope or None))
    return tuple(entries)


def parse_defects(text: str, *, where: str = "[sandbox] connector_defects") -> tuple[str, ...]:
    """``"cent_off, tax_dropped@partial_refund"`` -> the names (scoped or not), or one ConfigError naming the
    unknown one and the valid ones."""
    return tuple(entry.name for entry in parse_scoped(text, where=where))


def active_defects_text(configured: str) -> str:
    """The text naming the active defects: ``$SYNCPROOF_CONNECTOR_DEFECTS`` when set (empty: none), else the
    configured list (``[sandbox] connector_defects``)."""
    env = os.environ.get(DEFECT_ENV)
    return configured if env is None else env


def scoped_defects_for(configured: str) -> tuple[ScopedDefect, ...]:
    """The active defects with their scenarios: ``$SYNCPROOF_CONNECTOR_DEFECTS`` when set, else the configured
    list (:func:`active_defects_text`)."""
    where = DEFECT_ENV if os.environ.get(DEFECT_ENV) is not None else "[sandbox] connector_defects"
    return parse_scoped(active_defects_text(configured), where=where)


def defects_for(configured: str) -> tuple[str, ...]:
    """The active defects' names: ``$SYNCPROOF_CONNECTOR_DEFECTS`` when set, else the configured list."""
    return tuple(entry.name for entry in scoped_defects_for(configured))
