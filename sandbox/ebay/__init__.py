"""Emulated eBay: the identity endpoint (refresh-token grant) and the Sell APIs syncproof uses
(Fulfillment v1 orders and issueRefund, Finances v1 transactions and payouts).

    >>> from sandbox.ebay import EbayBackend, create_app
    >>> from sandbox._server import serve
    >>> backend = EbayBackend()
    >>> with serve(create_app(backend), name="ebay") as server:
    ...     ...  # point the connector's base URL at server.url
"""

from .app import create_app
from .models import DEMO_KEYSET, MARKETPLACE_CURRENCY, SCOPES, EbayBackend, EbayKeyset

__all__ = ["EbayBackend", "EbayKeyset", "DEMO_KEYSET", "MARKETPLACE_CURRENCY", "SCOPES", "create_app"]
