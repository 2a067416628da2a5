"""The hub's FastAPI application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from hub.audit.router import router as audit_router
from hub.auth.keys import signing_key
from hub.auth.router import router as auth_router
from hub.catalogue.router import router as catalogue_router
from hub.config import get_settings
from hub.edge.application import HubApplication
from hub.edge.body_limit import BodyLimit, route_body_limit
from hub.edge.logs import configure_logging
from hub.edge.openapi import install_openapi
from hub.errors import install_error_handlers
from hub.keys.master import master_keys
from hub.ratelimit.limiter import RateLimiter, configured_store
from hub.releases.router import router as releases_router
from hub.reports.router import router as reports_router
from hub.submissions.router import router as submissions_router
from hub.web.authorize import router as web_authorize_router
from hub.web.errors import PageError, page_error_handler
from hub.web.partner import router as web_partner_router
from hub.web.public import router as web_public_router
from hub.web.request_form import router as web_request_form_router
from hub.web.researcher import router as web_researcher_router
from hub.web.signin import router as web_signin_router
from hub.web.steward import router as web_steward_router
from hub.web.steward_partners import router as web_steward_partners_router
from hub.web.steward_publish import router as web_steward_publish_router
from hub.web.upload import router as web_upload_router
from hub.web.templating import STATIC, STATIC_URL, SWAGGER_URL


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
    configure_logging(settings)
    app = HubApplication(
        title="Counter-trafficking data hub",
        version="0.1.0",
        description="Partners submit case records; only differentially private aggregates leave the hub.",
        lifespan=lifespan,
        # /docs is the hub's own page (hub.web.public), with Swagger UI served from the hub, not a CDN.
        docs_url=None,
        redoc_url=None,
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
    app.include_router(web_public_router)
    app.include_router(web_signin_router)
    app.include_router(web_authorize_router)
    app.include_router(web_steward_router)
    app.include_router(web_steward_partners_router)
    app.include_router(web_steward_publish_router)
    app.include_router(web_partner_router)
    app.include_router(web_upload_router)
    app.include_router(web_request_form_router)
    app.include_router(web_researcher_router)
    app.add_exception_handler(PageError, page_error_handler)
    app.mount(STATIC_URL, StaticFiles(directory=STATIC), name="web-static")
    app.mount(SWAGGER_URL, StaticFiles(directory=swagger_ui_path), name="swagger-ui")
    app.include_router(audit_router, prefix="/v1")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict:
        return {"status": "ok"}

    return app
