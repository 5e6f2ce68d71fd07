"""The WooCommerce emulator as the sandbox launcher starts it (see :mod:`sandbox._emulator`).

WooCommerce's REST API creates products and orders itself, so the emulator needs no
seeding routes: scenarios place their orders through ``POST /orders`` as on a real store.
"""

from __future__ import annotations

from typing import Any

from .._emulator import Emulator

__all__ = ["emulator"]


def emulator(backend: Any = None, *, live_rate_limits: bool = False) -> Emulator:
    from . import WooBackend, create_app

    backend = backend or WooBackend()
    return Emulator("woocommerce", backend, create_app(backend),
                    connection={"consumer_key": backend.consumer_key, "consumer_secret": backend.consumer_secret})
