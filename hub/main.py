"""The hub's FastAPI application."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from hub.audit.router import router as audit_router
from hub.auth.keys import signing_key
from hub.auth.router import router as auth_router
from hub.catalogue.router import router as catalogue_router
from hub.config import get_settings
from hub.errors import install_error_handlers
from hub.keys.master import master_keys
from hub.releases.router import router as releases_router
from hub.reports.pages import router as report_pages_router
from hub.reports.router import router as reports_router
from hub.submissions.router import router as submissions_router


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Fail at start, with the key loaders' messages, rather than at the first token request or upload.
    # The background linker is not started here: that would start one per web worker. ``hub serve``
    # starts one for the whole server, and ``hub linker`` runs one on its own.
    signing_key()
    master_keys()
    yield


def create_app() -> FastAPI:
    settings = get_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # httpx logs every request URL at INFO; the hub's own log says what matters.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    app = FastAPI(
        title="Counter-trafficking data hub",
        version="0.1.0",
        description="Partners submit case records; only differentially private aggregates leave the hub.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.include_router(auth_router)
    app.include_router(catalogue_router)
    app.include_router(submissions_router, prefix="/v1")
    app.include_router(reports_router, prefix="/v1")
    app.include_router(releases_router, prefix="/v1")
    app.include_router(audit_router, prefix="/v1")
    app.include_router(report_pages_router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict:
        return {"status": "ok"}

    return app
