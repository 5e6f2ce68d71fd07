"""The sandbox connector's refusals reach the user in one line, whatever their body."""

from __future__ import annotations

import httpx
import pytest

from syncproof.config import parse_config
from syncproof.connector_driver import ConnectorStatus
from syncproof.errors import SyncproofError


def test_a_refusal_whose_body_is_not_json_is_one_line():
    def refuse(request):
        return httpx.Response(502, text="<html><body>\n Bad gateway\n</body></html>")

    status = ConnectorStatus("http://connector.invalid", transport=httpx.MockTransport(refuse))
    for call in (lambda: status.scenario_defects(["cent_off"]), lambda: status.push_settings(parse_config({}))):
        with pytest.raises(SyncproofError) as caught:
            call()
        line = str(caught.value)
        assert "\n" not in line and "HTTP 502: <html><body> Bad gateway </body></html>" in line, line
    status.close()
