"""``python -m sandbox.netsuite``: run the NetSuite emulator on loopback."""

from .server import main

main()
