"""Live progress of a run as JSON lines, for ``syncproof ui`` to follow.

When ``$SYNCPROOF_EVENTS`` names a file, the collector appends one JSON object per
line as the run goes: ``scenario`` (started), ``step`` (running, passed, failed),
``finished`` (a scenario's outcome with its failing check and evidence), ``person``
(a step waits for a person) and ``run`` (the run's results are written; ``interrupted``
says whether Ctrl-C or a stop ended it before all its scenarios ran). Without the variable
nothing is written.
"""

from __future__ import annotations

import json
import os
import threading
from typing import Any

__all__ = ["ENV", "emit"]

ENV = "SYNCPROOF_EVENTS"
_lock = threading.Lock()


def emit(kind: str, **data: Any) -> None:
    """Append one event (``{"type": kind, ...}``) to ``$SYNCPROOF_EVENTS``, if set."""
    path = os.environ.get(ENV)
    if not path:
        return
    line = json.dumps({"type": kind, **data}, ensure_ascii=False, default=str) + "\n"
    with _lock, open(path, "a", encoding="utf-8") as out:
        out.write(line)
        out.flush()
