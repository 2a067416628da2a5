"""Unhandled errors end at the hub's edge, as a 500 and one line naming the exception's type.

Starlette answers an unhandled error with our handler's 500, then raises it again so that the
server can log it; uvicorn then logs the full traceback, whose frames and message can hold what
the request carried (a PostgreSQL error repeats the value that broke a constraint). This layer,
outside Starlette's, stops the exception instead.
"""

from __future__ import annotations

import logging

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.edge.request_log import request_id

log = logging.getLogger("hub.errors")
FAILED = {"error": "InternalError", "detail": "the hub failed; nothing was stored"}


class ContainUnhandled:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as error:  # every kind: nothing passes this layer
            if scope["type"] != "http":
                raise
            log.error("unhandled error", extra={"exception": type(error).__name__, "request_id": request_id(scope)})
            if not started:
                await JSONResponse(FAILED, status_code=500)(scope, receive, send)
