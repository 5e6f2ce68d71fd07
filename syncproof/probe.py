"""One line of ``syncproof doctor``: what was checked on which system, whether it passed, and the fix.

Each channel's probe (its :class:`~syncproof.channels.ChannelSpec` ``doctor``) yields these lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from connectors import AuthenticationFailed, ConnectionFailed, ConnectorError

__all__ = ["DoctorLine", "attempt"]


@dataclass(frozen=True)
class DoctorLine:
    system: str
    check: str
    ok: bool
    detail: str
    fix: str = ""


def attempt(system: str, check: str, action: Callable[[], str], fix: str) -> DoctorLine:
    """Run one read-only probe: passed with what ``action`` says, or failed with the error and the fix."""
    try:
        return DoctorLine(system, check, True, action())
    except (AuthenticationFailed, ConnectionFailed) as exc:  # not a permission: the host, network or credentials
        return DoctorLine(system, check, False, exc.message, exc.hint or fix)
    except ConnectorError as exc:
        return DoctorLine(system, check, False, exc.message, fix)
