"""Every failure of a connector command as a stable code and words a data officer can act on.

>>> failure = explain(TokenError("the hub refused a token (401 invalid_client)", "invalid_client"), "https://hub.example")
>>> failure.error, failure.detail.split(":")[0] + ":" + failure.detail.split(":")[1]
('credentials_refused', 'the hub at https://hub.example does not accept this client (401 invalid_client)')
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import httpx

from connectors.errors import ConfigurationError, FileRejected, HubRequestFailed
from connectors.oauth import TokenError

_CREDENTIALS = ("check HUB_CLIENT_ID and HUB_CLIENT_SECRET (or the key file HUB_CLIENT_KEY) against what the "
                "hub steward gave you, that the client has not been revoked, and that this computer's clock is right")
_TOKEN_HINTS = {
    "invalid_client": f"does not accept this client (401 invalid_client): {_CREDENTIALS}",
    "invalid_scope": "does not let this client push submissions (invalid_scope): ask the hub steward to give "
                     "the client the scopes submissions:write and submissions:read",
    "unauthorized_client": "does not let this client use the client-credentials grant (unauthorized_client): "
                           "ask the hub steward to check the client's registration",
}
_STATUS_HINTS = {
    401: "the hub did not accept the access token: check this computer's clock and that HUB_URL is the hub "
         "the client was registered on",
    403: "the client may not do this: ask the hub steward to give it the scopes submissions:write and "
         "submissions:read",
    413: "the upload is larger than the hub accepts: push again with a smaller --chunk-rows",
    429: "the hub is busy and asked to slow down: try again in a few minutes",
}


@dataclass(frozen=True)
class Failure:
    """What the command prints: ``error`` is stable (for scripts), ``detail`` is for people."""

    error: str
    detail: str
    status: int | None = None
    hub_error: str | None = None

    def as_json(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value is not None}


def _hub_refusal(error: HubRequestFailed, hub_url: str | None) -> Failure:
    name = error.body.get("error")
    if error.status is None:
        where = f"the hub at {hub_url}" if hub_url and hub_url not in str(error) else "the hub"
        return Failure("hub_unreachable", f"{error}: {where} did not answer; check HUB_URL, this computer's "
                                          "network connection and any proxy")
    if name == "WouldShrinkMonth":
        return Failure("would_shrink_month", str(error), error.status, name)
    if name == "UploadExpired":
        return Failure("upload_expired", f"{error}. In short: the hub gives an upload a limited time (hours) from "
                       "its start to be completed, and this one was started too long ago, so the hub has set it "
                       "aside and keeps nothing of it. Nothing is lost on this computer: run the same command again "
                       "and the file is pushed from the beginning", error.status, name)
    if name == "FuturePeriod":
        return Failure("future_period", f"{error}. In short: the hub does not take a month that has not begun "
                       "yet. Check --period, and the date and time zone of this computer", error.status, name)
    hint = _STATUS_HINTS.get(error.status)
    if hint is None and error.status >= 500:
        hint = "the hub failed; nothing was lost on this computer: try again later, and tell the hub steward if it persists"
    detail = f"{error}; {hint}" if hint else str(error)
    return Failure("hub_refused", detail, error.status, name)


def explain(error: BaseException, hub_url: str | None = None) -> Failure:
    """The failure behind ``error``; an unexpected one is named by its type only (its text could quote a cell)."""
    if isinstance(error, FileRejected):
        return Failure("file_rejected", str(error))
    if isinstance(error, ConfigurationError):
        return Failure("configuration", str(error))
    if isinstance(error, TokenError):
        hint = _TOKEN_HINTS.get(error.oauth_error or "")
        where = f"the hub at {hub_url}" if hub_url else "the hub"
        return Failure("credentials_refused", f"{where} {hint}" if hint else f"{error}; {_CREDENTIALS}")
    if isinstance(error, HubRequestFailed):
        return _hub_refusal(error, hub_url)
    if isinstance(error, httpx.HTTPError):
        return Failure("hub_unreachable", f"the hub at {hub_url or '(HUB_URL)'} could not be reached "
                                          f"({type(error).__name__}): check HUB_URL, this computer's network "
                                          "connection and any proxy")
    return Failure("unexpected", f"unexpected failure ({type(error).__name__}); set HUB_CONNECTOR_DEBUG=1 for details")
