"""The eBay emulator as the sandbox launcher starts it, and its seeding client.

eBay offers no API that places a buyer's order or opens a buyer's return request, so
the emulator has sandbox-only routes (``/__sandbox__/...``) for them; :class:`EbaySeeding`
builds those requests and sends them through the caller's HTTP client (``send``), so the
seeding is recorded in cassettes and shown in reports like any other exchange. Refunds
are not seeded: they go through the real ``issueRefund`` call.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from syncproof.model import OrderLine, Shipping, json_dumps

from .._emulator import Emulator, JsonSeeding, Send

__all__ = ["EbaySeeding", "emulator", "seeding", "fault_answer"]

#: what each Sell API answers when eBay itself fails (the contracts' 500 errorIds)
_INTERNAL = {"/sell/fulfillment/": (34900, "API_FULFILLMENT"), "/sell/finances/": (135000, "API_FINANCES")}
_PLAIN = {502: b"Bad Gateway", 503: b"Service Unavailable", 500: b"Internal Server Error"}


def emulator(backend: Any = None, *, live_rate_limits: bool = False) -> Emulator:
    from . import EbayBackend, create_app

    backend = backend or EbayBackend()
    keyset = backend.keyset
    return Emulator("ebay", backend, create_app(backend), reset=backend.reset, connection={
        "client_id": keyset.client_id, "client_secret": keyset.client_secret, "refresh_token": keyset.refresh_token})


class EbaySeeding(JsonSeeding):
    """Buyers' orders, buyers' return requests and payouts made in the emulator through its sandbox-only routes."""

    def order(self, lines: Sequence[OrderLine], *, shipping: Shipping | None, buyer: tuple[str, str],
              currency: str, marketplace_id: str) -> dict[str, Any]:
        """A paid order of ``lines``; the answer is the Fulfillment API ``Order`` (``orderId``, ``creationDate``)."""
        name, email = buyer
        body: dict[str, Any] = {
            "lines": [{"sku": line.sku, "quantity": line.quantity, "title": line.title or line.sku,
                       "unit_price": line.unit_price.amount, "tax": line.tax.amount, "discount": line.discount.amount}
                      for line in lines],
            "buyer": {"username": email.split("@", 1)[0].replace(".", "_"), "full_name": name, "email": email},
            "currency": currency, "marketplace_id": marketplace_id}
        if shipping is not None:
            body["shipping"], body["shipping_tax"] = shipping.amount.amount, shipping.tax.amount
        return self._post("/__sandbox__/orders", body)

    def return_request(self, order_id: str, lines: Mapping[str, int] | None = None) -> dict[str, Any]:
        """The buyer asks for money back on ``lines`` (lineItemId -> quantity), or on the whole order."""
        return self._post(f"/__sandbox__/orders/{order_id}/return_requests",
                          {"lines": dict(lines) if lines else None})

    def payout(self, adjust: str | None = None, status: str = "SUCCEEDED") -> dict[str, Any]:
        """eBay pays out what the seller's account holds (``adjust``: a payout amount out of step with its
        transactions by that much, to show an audit catching it; ``status``: the payout's PayoutStatusEnum value)."""
        return self._post("/__sandbox__/payouts", {**({"adjust": adjust} if adjust else {}), "status": status})


def fault_answer(status: int, method: str, path: str, request_id: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """An injected fault as eBay answers it: OAuth-shaped at the identity endpoint, ``errors[]`` on the Sell APIs
    (429 too many requests; 500 the API's internal error), plain text from the edge for 502 and 503."""
    headers = [("x-ebay-c-request-id", request_id)]
    if path.startswith("/identity/"):
        error = "server_error" if status == 500 else "temporarily_unavailable"
        return status, [("content-type", "application/json"), *headers], json_dumps(
            {"error": error, "error_description": "the authorization server is unavailable"}).encode()
    if status == 429:
        body = {"errors": [{"errorId": 2001, "domain": "ACCESS", "category": "REQUEST",
                            "message": "Too many requests. The request limit has been reached for the resource."}]}
        return 429, [("content-type", "application/json"), *headers], json_dumps(body).encode()
    if status == 500:
        error_id, domain = next((v for k, v in _INTERNAL.items() if path.startswith(k)), (34900, "API_FULFILLMENT"))
        body = {"errors": [{"errorId": error_id, "domain": domain, "category": "APPLICATION",
                            "message": "There was a problem with an eBay internal system or process. Contact eBay "
                                       "developer support for assistance."}]}
        return 500, [("content-type", "application/json"), *headers], json_dumps(body).encode()
    return status, [("content-type", "text/plain; charset=utf-8"), *headers], _PLAIN.get(status, b"Error")


def seeding(send: Send) -> EbaySeeding:
    return EbaySeeding(send)
