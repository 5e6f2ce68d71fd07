"""Changing a channel's refund settings, validated against the file's rules and NetSuite.

A change returns a new :class:`~syncproof.config.Config`; syncs read the settings when
they run, so a change governs the next sync only and earlier refunds stay untouched.
"""

from __future__ import annotations

from typing import Any

from connectors.netsuite import NetSuiteRecords

from .config import Config, RefundSettings, validate_refund_settings
from .errors import SettingsRefused
from .footprints import refund_charge_items

__all__ = ["change_refund_setting", "check_settings_in_netsuite"]


def check_settings_in_netsuite(channel: str, settings: RefundSettings, books: NetSuiteRecords) -> None:
    """Refuse adjustment items that do not exist in the NetSuite account, or are not of the item type the
    footprint's ``[refund_lines]`` calls for: Oracle NetSuite help, "Best Practice for Refund Syncs" (Generic
    Refund Items): "The best practice is to create Other Charge For Sale items to represent those partial or
    nonitem-specific refunds". One SuiteQL query reads both items' ids and types (none when both were read
    before), so a refund posted on an item of another type is refused here, not found at refund time."""
    rule = refund_charge_items()
    names = [settings.positive_adjustment_item, settings.negative_adjustment_item]
    types = books.item_types(names)
    for key, name in (("positive_adjustment_item", names[0]), ("negative_adjustment_item", names[1])):
        if name not in types:
            raise SettingsRefused(
                f"[{channel}.refunds] {key}: no NetSuite item has itemId {name!r}",
                "create it in NetSuite as an Other Charge for Sale item, or name an existing one")
        if types[name] != rule.item_type:
            kind = f"of type {types[name]}" if types[name] else "of an unknown type"
            raise SettingsRefused(
                f"[{channel}.refunds] {key}: NetSuite item {name!r} is {kind}, not an {rule.item_type_name} item "
                f"({rule.item_type}); Oracle's Best Practice for Refund Syncs: \"create Other Charge For Sale items\" "
                "for partial and non-item refunds",
                f"name an Other Charge for Sale item in {key}, or create one in NetSuite and name it there")


def change_refund_setting(config: Config, channel: str, key: str, value: Any,
                          books: NetSuiteRecords | None = None) -> Config:
    """``config`` with ``[<channel>.refunds] key = value``, or SettingsRefused/ConfigError saying why not."""
    settings = config.channel(channel).refunds.changed(f"{channel}.refunds", key, value)
    validate_refund_settings(channel, settings)
    if books is not None:
        check_settings_in_netsuite(channel, settings, books)
    return config.with_refund_settings(channel, settings)
