"""One log line per request: its id, method, route template, status and duration.

The route is the template (``/v1/submissions/{submission_id}``), never the path: a path and its
query carry submitted values. A request id the caller sends in ``X-Request-ID`` is kept if it is
a plain token, so that a partner can quote it; otherwise the hub makes one. Either way it is
answered in ``X-Request-ID``.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("hub.request")
REQUEST_ID_HEADER = "x-request-id"
_PLAIN_REQUEST_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def request_id(scope: Scope) -> str:
    """The request's id (set by :class:`RequestLog`), for other log lines of the same request."""
    return scope.get("state", {}).get("request_id", "")


class RequestLog:
    def __init__(self, app: ASGIApp, route_of: Callable[[Scope], str]):
        self.app = app
        self.route_of = route_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = Headers(scope=scope).get(REQUEST_ID_HEADER, "")
        identifier = sent if _PLAIN_REQUEST_ID.match(sent) else secrets.token_hex(8)
        scope.setdefault("state", {})["request_id"] = identifier
        started = time.perf_counter()
        status = 500  # if no answer starts, the request failed before one could

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = identifier
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info("request", extra={
                "request_id": identifier, "method": scope["method"], "route": self.route_of(scope),
                "status": status, "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            })
