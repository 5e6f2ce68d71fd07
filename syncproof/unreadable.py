"""A feature file or step module that cannot be collected, as one line naming the file, the line and the fix.

The line is worked out where the exception is, in the process that collected the file, and kept on
its collection report (``syncproof_unreadable``). pytest-xdist carries a report's attributes from a
worker to the controller, so ``syncproof run`` prints the same line with ``-n 2`` as in one process,
where the exception itself never reaches the controller.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

__all__ = ["ATTRIBUTE", "line_for", "unreadable_line"]

#: the collection report's attribute holding the line
ATTRIBUTE = "syncproof_unreadable"


def line_for(nodeid: str, exc: BaseException) -> str:
    """The line for ``exc``, raised while collecting ``nodeid``."""
    from pytest_bdd.exceptions import GherkinParseError

    if isinstance(exc, GherkinParseError):
        where = exc.filename or nodeid
        if where.startswith(os.getcwd() + os.sep):
            where = os.path.relpath(where)
        return (f"{where}, line {exc.line}: the feature file does not parse ({exc.message.rstrip('.')}); "
                f"fix that line")
    first = (str(exc).strip().splitlines() or [""])[0]
    return (f"{nodeid or 'the scenarios'} could not be collected ({type(exc).__name__}: {first}); fix it, "
            f"or run syncproof --debug run for the traceback")


def unreadable_line(report: pytest.CollectReport) -> str:
    """The line for a failed collection report: the one kept where it was collected, else its crash line."""
    kept = getattr(report, ATTRIBUTE, None)
    if kept:
        return str(kept)
    crash = getattr(report.longrepr, "reprcrash", None)
    first = (str(getattr(crash, "message", None) or report.longrepr or "").strip().splitlines() or [""])[0]
    return (f"{report.nodeid or 'the scenarios'} could not be collected ({first}); fix it, "
            f"or run syncproof --debug run for the traceback")


def pytest_exception_interact(node: Any, call: pytest.CallInfo[Any],
                              report: pytest.CollectReport | pytest.TestReport) -> None:
    if isinstance(report, pytest.CollectReport) and call.excinfo is not None:
        setattr(report, ATTRIBUTE, line_for(node.nodeid, call.excinfo.value))
