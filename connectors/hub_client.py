"""The few calls the connector makes to the hub's submissions API, with retries.

Connection failures, 429 and 5xx answers are retried with exponential backoff; every call is
safe to repeat (creation carries an ``Idempotency-Key``, a chunk sent twice answers the same,
completion answers the same receipt). A 401 gets one fresh access token and one more try.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import httpx

from connectors.errors import ConfigurationError, HubRequestFailed

if TYPE_CHECKING:
    from connectors.oauth import TokenSource

RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER_S = 300.0
_sleep = time.sleep  # looked up when a client is made, so that tests can skip the waiting


class HubClient:
    """Submissions API calls over an injected ``httpx.Client``.

    With a ``base_url`` on the client, paths are relative to it; otherwise ``hub_url`` is used.
    """

    def __init__(self, http: httpx.Client, tokens: TokenSource | None, *, hub_url: str | None = None,
                 attempts: int = 5, first_backoff_s: float = 0.5, sleep: Callable[[float], None] | None = None):
        if not str(http.base_url).strip("/") and not hub_url:
            raise ConfigurationError("the hub's address is not set (HUB_URL)")
        self.http = http
        self.tokens = tokens
        self.prefix = "" if str(http.base_url).strip("/") else hub_url.rstrip("/")
        self.attempts = attempts
        self.first_backoff_s = first_backoff_s
        self.sleep = sleep or _sleep

    @property
    def address(self) -> str:
        """Which hub this is, for keeping resume state apart between hubs."""
        return self.prefix or str(self.http.base_url)

    def create_submission(self, body: dict, idempotency_key: str) -> dict:
        return self._call("POST", "/v1/submissions", json=body, headers={"Idempotency-Key": idempotency_key})

    def read_submission(self, submission_id: str) -> dict:
        return self._call("GET", f"/v1/submissions/{submission_id}")

    def put_chunk(self, submission_id: str, seq: int, body: bytes) -> dict:
        return self._call("PUT", f"/v1/submissions/{submission_id}/chunks/{seq}", content=body,
                          headers={"Content-Type": "application/json"})

    def complete(self, submission_id: str, expected_chunks: int, random_pairs: dict, *, replace: bool = False) -> dict:
        """Complete a submission, with the level counts of the file's random pairs (privacy.random_pairs).

        ``replace`` confirms a replacement that empties the month or leaves it under half its size."""
        return self._call("POST", f"/v1/submissions/{submission_id}/complete",
                          json={"expected_chunks": expected_chunks, "random_pairs": random_pairs, "replace": replace})

    def abandon(self, submission_id: str) -> dict:
        """Give up an open submission: the hub deletes what it received of it."""
        return self._call("POST", f"/v1/submissions/{submission_id}/abandon")

    def restore(self, submission_id: str) -> dict:
        """Make a superseded version of a month current again."""
        return self._call("POST", f"/v1/submissions/{submission_id}/restore")

    def versions(self, period: str) -> list[dict]:
        """Every version of the organisation's period, newest first."""
        return self._call("GET", "/v1/submissions", params={"period": period})

    def receipt(self, submission_id: str) -> dict:
        return self._call("GET", f"/v1/submissions/{submission_id}/receipt")

    def _headers(self, extra: dict | None) -> dict:
        headers = dict(extra or {})
        if self.tokens is not None:
            headers["Authorization"] = f"Bearer {self.tokens.token(self.http)}"
        return headers

    def _call(self, method: str, path: str, *, headers: dict | None = None, **body) -> dict:
        refreshed_token = False
        for attempt in range(1, self.attempts + 1):
            try:
                response = self.http.request(method, self.prefix + path, headers=self._headers(headers), **body)
            except httpx.TransportError as error:
                if attempt == self.attempts:
                    raise HubRequestFailed(
                        f"the hub at {self.address} could not be reached ({type(error).__name__})"
                    ) from None
                self.sleep(self.first_backoff_s * 2 ** (attempt - 1))
                continue
            if response.status_code == 401 and self.tokens is not None and not refreshed_token:
                refreshed_token = True
                self.tokens.invalidate()
                continue
            if response.status_code in RETRIED_STATUSES and attempt < self.attempts:
                self.sleep(max(self.first_backoff_s * 2 ** (attempt - 1), _retry_after(response)))
                continue
            if response.is_success:
                return response.json()
            raise _refusal(method, path, response)
        raise HubRequestFailed(f"the hub did not answer {method} {path} after {self.attempts} attempts")


def _retry_after(response: httpx.Response) -> float:
    """The seconds a 429 asks to wait (``Retry-After``), at most a few minutes; 0 when it says none."""
    value = response.headers.get("retry-after", "")
    return min(float(value), MAX_RETRY_AFTER_S) if value.isdigit() else 0.0


def _refusal(method: str, path: str, response: httpx.Response) -> HubRequestFailed:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    name = body.get("error") or response.reason_phrase
    detail = body.get("detail") or "no detail given"
    return HubRequestFailed(
        f"the hub refused {method} {path} ({response.status_code} {name}): {detail}",
        status=response.status_code,
        body=body,
    )
