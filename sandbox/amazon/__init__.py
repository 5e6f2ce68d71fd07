"""Emulated Login with Amazon and Selling Partner API (Orders v0, Finances 2024-06-19, Reports 2021-06-30).

    >>> from sandbox.amazon import AmazonBackend, create_app, DEMO_CREDENTIALS
    >>> from sandbox._server import serve
    >>> backend = AmazonBackend()
    >>> with serve(create_app(backend), name="amazon") as server:
    ...     ...  # point the connector's base URL and LWA endpoint at server.url
"""

from ._state import DEMO_CREDENTIALS, DEMO_MARKETPLACE_ID, EmulatorClock, LwaCredentials
from .app import create_app
from .models import SETTLEMENT_REPORT_TYPE, AmazonBackend

__all__ = [
    "AmazonBackend",
    "create_app",
    "DEMO_CREDENTIALS",
    "DEMO_MARKETPLACE_ID",
    "EmulatorClock",
    "LwaCredentials",
    "SETTLEMENT_REPORT_TYPE",
]
