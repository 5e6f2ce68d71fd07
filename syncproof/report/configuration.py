"""The configuration under test, as the report's run details show it (never a secret).

Refund settings per enabled channel, the settlement posting model and accounts, and
on the sandbox the active fault plan and connector defects (the environment's when it
overrides the file's). Keys that name where a secret is read from (``*_env``) are left
out; the values of secrets are never in the configuration in the first place.
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any

from ..connector_defects import active_defects_text

__all__ = ["configuration_under_test"]


def _public(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if isinstance(value, dict):
        return {str(k): _public(v) for k, v in value.items() if not str(k).endswith(("_env", "secret", "token"))}
    if isinstance(value, (list, tuple)):
        return [_public(v) for v in value]
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def configuration_under_test(cfg: Any) -> dict[str, Any]:
    """``{"refund settings": {channel: {...}}, "settlement": {...}, "fault plan": ..., ...}``."""
    out: dict[str, Any] = {}
    refunds = {}
    for channel in (getattr(cfg, "channels", None) or {}).values():  # every registered channel, in registry order
        if channel.enabled:
            refunds[channel.name] = {"billing": channel.billing, **_public(channel.refunds)}
    out["refund settings"] = refunds
    settlement = getattr(cfg, "settlement", None)
    if settlement is not None:
        out["settlement"] = _public(settlement)
    if cfg.project.target == "sandbox":
        out["fault plan"] = os.environ.get("SYNCPROOF_FAULTS") or str(cfg.sandbox_faults or "none")
        # what the run makes: $SYNCPROOF_CONNECTOR_DEFECTS when set, as the run itself reads it
        defects = active_defects_text(getattr(cfg, "sandbox_connector_defects", "") or "")
        out["connector defects"] = defects.strip() or "none"
    return out
