"""Changing a channel's refund settings, validated against the file's rules and NetSuite.

A change returns a new :class:`~syncproof.config.Config`; syncs read the settings when
they run, so a change governs the next sync only and earlier refunds stay untouched.
"""

from __future__ import annotations

from typing import Any

from connectors.netsuite import NetSuiteRecords

from .config import Config, RefundSettings, validate_refund_settings
from .errors import SettingsRefused

__all__ = ["change_refund_setting", "check_settings_in_netsuite"]


def check_settings_in_netsuite(channel: str, settings: RefundSettings, books: NetSuiteRecords) -> None:
    """Refuse adjustment items that do not exist in the NetSuite account."""
    names = [settings.positive_adjustment_item, settings.negative_adjustment_item]
    found = books.item_ids(names)
    for key, name in (("positive_adjustment_item", names[0]), ("negative_adjustment_item", names[1])):
        if name not in found:
            raise SettingsRefused(
                f"[{channel}.refunds] {key}: no NetSuite item has itemId {name!r}",
                "create it in NetSuite as an Other Charge for Sale item, or name an existing one")


def change_refund_setting(config: Config, channel: str, key: str, value: Any,
                          books: NetSuiteRecords | None = None) -> Config:
    """``config`` with ``[<channel>.refunds] key = value``, or SettingsRefused/ConfigError saying why not."""
    settings = config.channel(channel).refunds.changed(f"{channel}.refunds", key, value)
    validate_refund_settings(channel, settings)
    if books is not None:
        check_settings_in_netsuite(channel, settings, books)
    return config.with_refund_settings(channel, settings)
