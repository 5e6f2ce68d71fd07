"""What steps and the engine call while a scenario runs.

These functions attach evidence to the scenario (and step) running now. They
are no-ops outside a scenario, so library code can call them unconditionally::

    from syncproof.report import record_check, record_exchange
    result = checks.refund_total(netsuite_refund, marketplace_refund)
    record_check(result)
    if not result.passed:
        raise CheckFailed(result)

``connectors.ApiClient(on_exchange=record_exchange)`` routes every HTTP
exchange to the step that made it.
"""

from __future__ import annotations

import threading
from typing import Any

from syncproof.verdict import _plain

from .records import ScenarioRecord
from .sanitize import scrub

__all__ = ["record_check", "record_exchange", "record_settlement", "record_note", "record_connector_defects",
           "set_run_metadata", "current_scenario", "run_metadata"]

_lock = threading.RLock()
_current: ScenarioRecord | None = None
_run_metadata: dict[str, Any] = {}


def _activate(record: ScenarioRecord | None) -> None:
    """Make ``record`` the scenario that record_* calls attach to (collector use)."""
    global _current
    with _lock:
        _current = record


def current_scenario() -> ScenarioRecord | None:
    """The scenario running now, or None."""
    return _current


def _to_json(value: Any) -> Any:
    return value.to_json() if hasattr(value, "to_json") else _plain(value)


def record_check(result: Any) -> None:
    """Record a :class:`~syncproof.verdict.CheckResult` (passed or not) for the running scenario."""
    with _lock:
        if _current is None:
            return
        data = scrub(_to_json(result))
        step = _current.current_step()
        data["step"] = _current.steps.index(step) if step else None
        _current.checks.append(data)


def record_exchange(exchange: Any) -> None:
    """Record one redacted HTTP :class:`~connectors.Exchange`, attributed to the running step.

    Bodies longer than :data:`~syncproof.report.sanitize.MAX_BODY_CHARS` are cut.
    """
    with _lock:
        if _current is None:
            return
        data = scrub(_to_json(exchange))
        step = _current.current_step()
        (step.exchanges if step else _current.exchanges).append(data)


def record_settlement(data: dict[str, Any]) -> None:
    """Record one settlement's reconciliation.

    Expected keys (all optional but ``id``): ``id``, ``period`` (``{"start", "end"}``
    or text), ``currency``, ``balance`` (``{"expected", "actual", "balanced"}`` or an
    amount), ``totals`` (category -> amount), ``deposit``, ``posted``, ``exceptions``
    (list of row dicts: ``order_id``, ``type``, ``sku``, ``amount``, ``reason``...).
    Amounts stay strings (or ``{"amount", "currency"}`` dicts), never floats.
    """
    with _lock:
        if _current is None:
            return
        _current.settlements.append(scrub(_to_json(data)))


def record_note(text: str) -> None:
    """Record a free-text note for the running scenario (shown under the scenario)."""
    with _lock:
        if _current is None:
            return
        _current.notes.append(scrub(str(text)))


def record_connector_defects(names: list[str]) -> None:
    """Record the defects the sandbox connector makes in the running scenario (its ``connector_defects``)."""
    with _lock:
        if _current is None:
            return
        _current.connector_defects = list(names)


def set_run_metadata(data: dict[str, Any]) -> None:
    """Set what the run was against: ``target``, ``driver``, ``netsuite_account``, ``stores``,
    ``go_live_date``, and any other key. Account and store identifiers are masked, and then
    masked wherever they appear in the report. Calls merge; later keys win.
    """
    from .environment import mask_metadata

    with _lock:
        _run_metadata.update(mask_metadata(_to_json(dict(data))))


def run_metadata() -> dict[str, Any]:
    """A copy of the run metadata set so far."""
    with _lock:
        return dict(_run_metadata)


def _reset() -> None:
    """Forget the run metadata (at the start of a session)."""
    with _lock:
        _run_metadata.clear()
