"""pytest wiring only: the syncproof plugin and the step definitions."""

pytest_plugins = [
    "syncproof.pytest_plugin",
    "steps.common_steps",
    "steps.netsuite_steps",
    "steps.refund_steps",
    "steps.settlement_steps",
    "steps.audit_steps",
    "steps.external_refund_steps",
]
