"""A request body limit per route, enforced while the body streams.

A body whose declared length is past its route's limit is refused with 413 before a byte of it is
read; one sent without a length (chunked) is counted as it arrives and refused at the first piece
past the limit. Either way the body is never held whole. A route's limit is the ``max_body_size``
given to its decorator (the chunk upload's), else ``max_body_bytes``. Both answers carry the hub's
error body (Starlette's own limit answers plain text, so it is not used).
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.edge.routes import matched_route

TOO_LARGE = "the request body is larger than this route accepts"


class BodyTooLarge(HTTPException):
    """Raised from ``receive``: FastAPI lets an HTTPException through its body parsing untouched."""

    def __init__(self) -> None:
        super().__init__(status_code=413, detail=TOO_LARGE)


def route_body_limit(app: FastAPI, default: int) -> Callable[[Scope], int]:
    """The limit of the route a request goes to (``default`` for a path no route matches fully)."""

    def limit_of(scope: Scope) -> int:
        route = matched_route(app, scope)
        return (getattr(route, "max_body_size", None) if route is not None else None) or default

    return limit_of


class BodyLimit:
    def __init__(self, app: ASGIApp, limit_of: Callable[[Scope], int]):
        self.app = app
        self.limit_of = limit_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_of(scope)
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            response = JSONResponse({"error": "PayloadTooLarge", "detail": TOO_LARGE}, status_code=413,
                                    headers={"Connection": "close"})
            await response(scope, receive, send)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        await self.app(scope, counted_receive, send)
