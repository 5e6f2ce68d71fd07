"""Configuration text for tests that talk to some channels only: every other registered channel switched off.

A test writing ``[shopify]`` and ``[amazon]`` tables itself adds ``others_off("shopify", "amazon")`` so a
channel registered later (its table enabled by default) stays out of the test's run.

    >>> others_off("shopify", "amazon")
    '[woocommerce]\\nenabled = false\\n'
"""

from __future__ import annotations

from syncproof import channels

__all__ = ["others_off", "others_off_table", "secret_variables"]


def _others(kept: tuple[str, ...]) -> list[str]:
    return [name for name in channels.names() if name not in kept]


def others_off(*kept: str) -> str:
    """TOML switching off every registered channel not named in ``kept``."""
    return "".join(f"[{name}]\nenabled = false\n" for name in _others(kept))


def others_off_table(*kept: str) -> dict[str, dict[str, bool]]:
    """The same as a parsed configuration's tables."""
    return {name: {"enabled": False} for name in _others(kept)}


def secret_variables(*names: str) -> tuple[str, ...]:
    """The default environment variables of the secrets of channels ``names`` (every channel when none given)."""
    specs = [s for s in channels.specs() if not names or s.name in names]
    return tuple(secret.env for spec in specs for secret in spec.secrets)
