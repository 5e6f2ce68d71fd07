"""Embedded emulators of NetSuite, Shopify and the Selling Partner API, moto-style.

One package per API (``netsuite``, ``shopify``, ``amazon``), each with its state in
``models``, its HTTP routes in a separate module, and a ``launch`` module the launcher
starts it from. :func:`start_sandbox` starts them on loopback for the ``sandbox``
target; it, :func:`fault_plan` and :func:`seeding_client` are syncproof's only way in;
:func:`settlement_bytes` writes the settlement files the Amazon emulator publishes.
"""

from ._launcher import (
                        FaultPlanError,
                        RunningEmulator,
                        Sandbox,
                        emulator_names,
                        fault_plan,
                        seeding_client,
                        start_sandbox,
)
from .settlement_generator import GeneratorOptions, SettlementOrder, settlement_bytes

__all__ = ["Sandbox", "RunningEmulator", "start_sandbox", "fault_plan", "FaultPlanError", "seeding_client",
           "emulator_names", "GeneratorOptions", "SettlementOrder", "settlement_bytes"]
