"""Errors a user can cause, each printed as one line naming the problem and the fix.

    SyncproofError               base: ``message`` and ``hint``
    ├── ConfigError              syncproof.toml is wrong (file, table, key named)
    │   └── MissingSecret        a credential's environment variable is not set
    ├── SettingsRefused          a refund setting or combination is not allowed
    └── ProductionWriteRefused   a write aimed at a production account or store
"""

from __future__ import annotations

__all__ = ["SyncproofError", "ConfigError", "MissingSecret", "SettingsRefused", "ProductionWriteRefused"]


class SyncproofError(Exception):
    """A problem the user can fix; ``str()`` is one line: what, where, how to fix."""

    category = "configuration"

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}; {self.hint}" if self.hint else self.message


class ConfigError(SyncproofError):
    """``syncproof.toml`` (or a command-line option) is invalid."""


class MissingSecret(ConfigError):
    """A credential is read from an environment variable that is not set."""


class SettingsRefused(ConfigError):
    """A refund or settlement setting, or a combination of them, is not allowed."""


class ProductionWriteRefused(SyncproofError):
    """A write was aimed at an account or store not declared as a sandbox or test store."""
