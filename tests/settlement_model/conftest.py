"""Settlements posted in the NetSuite Connector's model, against the emulators on loopback."""

from __future__ import annotations

import pytest

from syncproof.config import parse_config
from syncproof.runtime import open_runtime


@pytest.fixture(scope="module")
def runtime():
    rt = open_runtime(parse_config({}))
    yield rt
    rt.close()


