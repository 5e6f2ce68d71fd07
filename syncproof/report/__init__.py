"""The acceptance report: collection during the run, results.json, HTML and companions, sign-off.

Modules, one concern each::

    collector        pytest plugin (``-p syncproof.report.collector``): hooks that fill the records
    recorder         record_check / record_exchange / record_settlement / record_note / set_run_metadata
    records          ScenarioRecord, StepRecord: one scenario as it runs
    classify         failure categories for step exceptions
    sanitize         second-line redaction, body bounds, identifier masking
    checks_catalog   the DESIGN.md check ids (matrix rows), tag and channel parsing
    environment      versions, git commit, user and host of the run
    merge            merging pytest-xdist workers' parts
    results          the results document (schema, verdict, matrix), canonical hash
    html             the self-contained HTML page (templates/report.html.j2)
    junit, cucumber  JUnit XML and Cucumber JSON companions
    outputs          writing all files to the report directory
    signoff          sign, verify, render (re-render without running)
    terminal         rich summary and progress lines

Steps and the engine use::

    from syncproof.report import record_check, record_exchange, record_settlement, record_note
"""

from .recorder import (
    record_check,
    record_exchange,
    record_note,
    record_settlement,
    run_metadata,
    set_run_metadata,
)
from .results import SCHEMA, build_results, canonical_bytes, load_results, results_hash
from .signoff import DECISIONS, SignOffError, VerifyResult, render, sign, verify
from .terminal import summary_text, terminal_summary

__all__ = [
    "record_check", "record_exchange", "record_note", "record_settlement", "set_run_metadata",
    "run_metadata", "SCHEMA", "build_results", "canonical_bytes", "load_results", "results_hash",
    "DECISIONS", "SignOffError", "VerifyResult", "render", "sign", "verify",
    "summary_text", "terminal_summary",
]
