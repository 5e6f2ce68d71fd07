"""syncproof's thin sync engine: it performs the syncs the scenarios check.

- ``netsuite_records``: NetSuite operations in the domain's words (items, customers,
  sales orders, billing, refunds by transform, the createdFrom chain).
- ``store``: the engine's own record of orders, refunds, settlements and sync errors.
- ``orders``, ``refunds``, ``settlements``: the syncs themselves.

The engine never builds HTTP requests; it calls the connectors.
"""
