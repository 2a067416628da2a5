"""The hub's FastAPI application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from hub.auth.keys import signing_key
from hub.auth.router import router as auth_router
from hub.catalogue.router import router as catalogue_router
from hub.config import get_settings
from hub.errors import install_error_handlers
from hub.ratelimit.limiter import RateLimiter, configured_store
from hub.releases.router import router as releases_router
from hub.reports.pages import router as report_pages_router
from hub.reports.router import router as reports_router
from hub.submissions.router import router as submissions_router
from hub.web.application import HubApplication
from hub.web.body_limit import BodyLimit, route_body_limit
from hub.web.logs import configure_logging
from hub.web.openapi import install_openapi


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Fail at start, with the key loader's message, rather than at the first token request.
    # The background linker is not started here: that would start one per web worker. ``hub serve``
    # starts one for the whole server, and ``hub linker`` runs one on its own.
    signing_key()
    yield


def create_app() -> FastAPI:
    settings = get_settings()
    configure_logging(settings)
    app = HubApplication(
        title="Counter-trafficking data hub",
        version="0.1.0",
        description="Partners submit case records; only differentially private aggregates leave the hub.",
        lifespan=lifespan,
    )
    # Every body is refused with 413 as soon as it streams past its route's limit.
    app.add_middleware(BodyLimit, limit_of=route_body_limit(app, settings.max_body_bytes))
    app.state.rate_limiter = RateLimiter(configured_store())
    install_error_handlers(app)
    install_openapi(app, token_url=settings.issuer.rstrip("/") + "/oauth/token")
    app.include_router(auth_router)
    app.include_router(catalogue_router)
    app.include_router(submissions_router, prefix="/v1")
    app.include_router(reports_router, prefix="/v1")
    app.include_router(releases_router, prefix="/v1")
    app.include_router(report_pages_router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict:
        return {"status": "ok"}

    return app
