"""WooCommerce REST API v3 emulator (orders with line, shipping, fee and coupon lines; taxes; refunds).

    >>> from sandbox.woocommerce import WooBackend, create_app, DEMO_KEY, DEMO_SECRET
    >>> from sandbox._server import serve
    >>> with serve(create_app(WooBackend())) as server:
    ...     ...  # GET server.url + "/wp-json/wc/v3/orders", basic auth DEMO_KEY:DEMO_SECRET
"""

from .app import MAX_PER_PAGE, create_app
from .models import DEMO_KEY, DEMO_SECRET, GATEWAYS, WooBackend, WooError

__all__ = ["WooBackend", "WooError", "create_app", "DEMO_KEY", "DEMO_SECRET", "GATEWAYS", "MAX_PER_PAGE"]
