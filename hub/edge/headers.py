"""Security headers on every answer, errors and public pages included.

The hub's pages load nothing from elsewhere: scripts, styles, images and what a page fetches come
from the hub itself (no inline script; inline styles, which the chart library sets, are allowed).
The API documentation (Swagger UI, served by the hub too) also starts a worker. No page of the hub
may be framed. HSTS is sent when the hub is
reached over https (its public URL is https, or the request came over TLS, as the proxy forwards it).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
DOCS_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; "
               "form-action 'self'")
# The upload page and its worker run Pyodide: WebAssembly compiled from the hub's own file, which
# script-src allows only with 'wasm-unsafe-eval' (no JavaScript eval is allowed).
UPLOAD_POLICY = PAGE_POLICY.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'") + "; worker-src 'self'"
UPLOAD_PATHS = frozenset({"/partner/upload", "/static/web/upload-worker.js"})
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})
HSTS = "max-age=31536000; includeSubDomains"
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",  # frame-ancestors' predecessor, for old browsers
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, public_url_is_https: bool):
        self.app = app
        self.public_url_is_https = public_url_is_https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        policy = DOCS_POLICY if path in DOCS_PATHS else UPLOAD_POLICY if path in UPLOAD_PATHS else PAGE_POLICY
        over_tls = self.public_url_is_https or scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS.items():
                    headers[name] = value
                headers["Content-Security-Policy"] = policy
                if over_tls:
                    headers["Strict-Transport-Security"] = HSTS
            await send(message)

        await self.app(scope, receive, send_with_headers)
