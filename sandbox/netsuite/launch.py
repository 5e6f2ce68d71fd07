"""The NetSuite emulator as the sandbox launcher starts it (see :mod:`sandbox._emulator`)."""

from __future__ import annotations

from typing import Any

from .._emulator import Emulator
from .models import NetSuiteBackend
from .responses import create_app

__all__ = ["emulator"]


def emulator(backend: Any = None, *, live_rate_limits: bool = False) -> Emulator:
    backend = backend or NetSuiteBackend()
    demo = backend.credentials
    return Emulator("netsuite", backend, create_app(backend), connection={
        "account_id": demo.account_id, "consumer_key": demo.consumer_key, "consumer_secret": demo.consumer_secret,
        "token_id": demo.token_id, "token_secret": demo.token_secret})
