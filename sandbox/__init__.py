"""Embedded emulators of NetSuite, Shopify and the Selling Partner API, moto-style.

One package per API (``netsuite``, ``shopify``, ``amazon``), each with its state in
``models`` and its HTTP routes in a separate module. :func:`start_sandbox` starts all
three on loopback for the ``sandbox`` target; :func:`settlement_bytes` writes the
settlement files the Amazon emulator publishes.
"""

from ._launcher import Sandbox, start_sandbox
from .settlement_generator import GeneratorOptions, SettlementOrder, settlement_bytes

__all__ = ["Sandbox", "start_sandbox", "GeneratorOptions", "SettlementOrder", "settlement_bytes"]
