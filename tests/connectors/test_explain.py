"""Every failure is a stable code and words a data officer can act on."""

from __future__ import annotations

import httpx
import pytest

from connectors.errors import ConfigurationError, FileRejected, HubRequestFailed
from connectors.explain import explain
from connectors.oauth import TokenError

HUB = "https://hub.example.org"


@pytest.mark.parametrize("error, code, words", [
    (FileRejected("cases.csv: is empty"), "file_rejected", "cases.csv: is empty"),
    (ConfigurationError("HUB_URL is not set"), "configuration", "HUB_URL is not set"),
    (TokenError("the hub refused a token (401 invalid_client)", "invalid_client"), "credentials_refused",
     "https://hub.example.org does not accept this client"),
    (TokenError("the hub refused a token (400 invalid_scope)", "invalid_scope"), "credentials_refused",
     "scopes submissions:write"),
    (HubRequestFailed(f"the hub at {HUB} could not be reached (ConnectError)"), "hub_unreachable",
     "check HUB_URL, this computer's network connection"),
    (httpx.ConnectError("refused"), "hub_unreachable", f"the hub at {HUB} could not be reached"),
    (HubRequestFailed("the hub refused POST (403 Forbidden): x", status=403, body={"error": "Forbidden"}),
     "hub_refused", "ask the hub steward"),
    (HubRequestFailed("the hub refused POST (401 Unauthorized): x", status=401), "hub_refused", "clock"),
    (HubRequestFailed("the hub refused PUT (503 Service Unavailable): x", status=503), "hub_refused",
     "try again later"),
    (HubRequestFailed("... holds 0 record(s) ...", status=409, body={"error": "WouldShrinkMonth"}),
     "would_shrink_month", "holds 0 record(s)"),
    (HubRequestFailed("the hub refused PUT (409 UploadExpired): x", status=409, body={"error": "UploadExpired"}),
     "upload_expired", "run the same command again"),
    (HubRequestFailed("the hub refused POST (422 FuturePeriod): x", status=422, body={"error": "FuturePeriod"}),
     "future_period", "date and time zone of this computer"),
    (KeyError("Sunita"), "unexpected", "unexpected failure (KeyError)"),
])
def test_each_failure_has_a_code_and_a_hint(error, code, words):
    failure = explain(error, HUB)
    assert failure.error == code and words in failure.detail
    assert "Sunita" not in failure.detail  # an unexpected error's text could quote a cell
