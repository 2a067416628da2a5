"""Sending a request body piece by piece straight to the ASGI app, counting what the app pulls.

Starlette's TestClient reads a streamed body whole before the app sees it, so it cannot show
whether the hub stopped reading early; this can.
"""

from __future__ import annotations

from dataclasses import dataclass

import anyio

MIB = 1024 * 1024


@dataclass
class Exchange:
    status: int
    pieces_read: int


def stream_body(app, method: str, path: str, *, pieces: int, piece_size: int = MIB,
                headers: dict[str, str] | None = None) -> Exchange:
    """Send ``pieces`` body pieces of ``piece_size`` bytes (with no Content-Length unless given)."""
    read = 0
    status = 0
    raw_headers = [(b"content-type", b"application/json")]
    raw_headers += [(name.lower().encode(), value.encode()) for name, value in (headers or {}).items()]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"", "headers": raw_headers,
        "client": ("192.0.2.1", 50000), "server": ("testserver", 80),
    }

    async def receive() -> dict:
        nonlocal read
        if read < pieces:
            read += 1
            return {"type": "http.request", "body": b" " * piece_size, "more_body": read < pieces}
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    async def run() -> None:
        await app(scope, receive, send)

    anyio.run(run)
    return Exchange(status=status, pieces_read=read)
