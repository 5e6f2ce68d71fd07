"""Test data for a channel whose real API cannot create it (a buyer's order): the emulator's seeding client."""

from __future__ import annotations

from typing import Any

__all__ = ["emulator_seeding"]


def emulator_seeding(client: Any, channel: str) -> Any:
    """Channel ``channel``'s emulator seeding client, sending through a plain client on ``client``'s plumbing
    (its base URL, evidence and redaction); seeding the emulator is not a write to the channel."""
    from connectors import ApiClient
    from sandbox import seeding_client

    class _Seeder(ApiClient):
        system = f"{channel}-sandbox"

        def is_write(self, request: Any) -> bool:
            return False

    seeder = _Seeder(client.base_url, on_exchange=client.on_exchange, redactor=client.redactor)

    def send(method: str, path: str, *, content: bytes, content_type: str, params: Any = None) -> bytes:
        return seeder.request(method, path, content=content, params=params,
                              headers={"Content-Type": content_type}).content

    return seeding_client(channel, send)
