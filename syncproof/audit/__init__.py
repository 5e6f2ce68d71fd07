"""Audit runs: read-only reconciliation of refunds and settlements over a window, at scale.

- ``AuditWindow``: ``[since, until)``, from ``--since``/``--until`` (default the last 30 days).
- ``ReadOnlyClients``: copies of the run's clients whose write guard refuses every write.
- ``audit_refunds_to_netsuite`` (RS-MN-1..3), ``audit_refunds_from_netsuite`` (RS-NM-1..3),
  ``audit_settlements`` (AS-1..AS-4), ``audit_payouts`` (RS-MN-1 over a channel's payouts): each returns
  an ``AuditResult``, a table of mismatches (order, refund, what differs, expected, actual); an empty
  table is a pass.

Nothing here reads syncproof's engine store: NetSuite records are matched to channel
orders by the order id on the sales order and the createdFrom links.
"""

from ._clients import READ_ONLY, ReadOnlyClients, read_only
from ._mismatch import AuditResult, Mismatch
from ._progress import Progress
from ._window import AuditWindow
from .payouts import audit_payouts
from .refunds import NetSuiteView, audit_refunds_from_netsuite, audit_refunds_to_netsuite
from .settlements import audit_settlements

__all__ = ["AuditWindow", "ReadOnlyClients", "READ_ONLY", "read_only", "AuditResult", "Mismatch", "Progress",
           "NetSuiteView", "audit_refunds_to_netsuite", "audit_refunds_from_netsuite", "audit_settlements",
           "audit_payouts"]
