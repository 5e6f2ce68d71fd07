"""One line of ``syncproof doctor``: what was checked on which system, whether it passed, and the fix.

Each channel's probe (its :class:`~syncproof.channels.ChannelSpec` ``doctor``) yields these lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, TypeVar

from connectors import AuthenticationFailed, ConnectionFailed, ConnectorError

__all__ = ["DoctorLine", "attempt", "probe"]

T = TypeVar("T")


@dataclass(frozen=True)
class DoctorLine:
    system: str
    check: str
    ok: bool
    detail: str
    fix: str = ""


def attempt(system: str, check: str, action: Callable[[], str], fix: str) -> DoctorLine:
    """Run one read-only probe: passed with what ``action`` says, or failed with the error and the fix."""
    return probe(system, check, action, str, fix)[0]


def probe(system: str, check: str, read: Callable[[], T], shown: Callable[[T], str],
          fix: str) -> tuple[DoctorLine, T | None]:
    """Run one read-only probe and keep what it read, for the checks that go on from it: the line (passed with
    ``shown(value)``, or failed with the error and the fix) and the value (None when it failed).

        line, currency = probe("woocommerce", "authentication", client.currency, "store currency {}".format, fix)
    """
    try:
        value = read()
        return DoctorLine(system, check, True, shown(value)), value
    except (AuthenticationFailed, ConnectionFailed) as exc:  # not a permission: the host, network or credentials
        return DoctorLine(system, check, False, exc.message, exc.hint or fix), None
    except ConnectorError as exc:
        return DoctorLine(system, check, False, exc.message, fix), None
