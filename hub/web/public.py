"""Public pages: the landing page, the catalogue, a page per report, its downloads, the documents, /docs.

Public on purpose (the explicit exception to authenticated routes): a published report is a
differentially private aggregate, meant for governments and the public; reading it spends
nothing. Only standard releases that were published are served here; a custom release stays
with its requester and the stewards (``/v1/releases``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse

from hub.catalogue.docs import markdown_html
from hub.db import SessionDep
from hub.errors import NotFound
from hub.reports import service
from hub.reports.render import release_csv
from hub.reports.schemas import ReleasePublic
from hub.web.catalogue import catalogue, theme_names, theme_of
from hub.web.errors import PageError
from hub.web.report_view import report_view
from hub.web.session import web_context
from hub.web.templating import page
from schemas import load_schema

# web_context: a signed-in reader sees their own pages in the menu.
router = APIRouter(include_in_schema=False, dependencies=[Depends(web_context)])
YEAR = r"^\d{4}$"


@router.get("/", response_class=HTMLResponse)
def landing(request: Request):
    return page(request, "landing.html", schema=load_schema("case-v1"))


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request, session: SessionDep,
                 year: Annotated[str | None, Query(pattern=YEAR)] = None,
                 theme: Annotated[str | None, Query(max_length=40)] = None):
    themes = theme_names()
    found = catalogue(session, year or None, theme if theme in themes else None)
    return page(request, "catalogue.html", catalogue=found, themes=themes, theme_of=theme_of)


# The downloads come before the page: "{release_id}" would also match "abc.csv".
@router.get("/reports/{release_id}.csv")
def report_csv(release_id: str, session: SessionDep):
    release = service.get_report(session, release_id)
    return PlainTextResponse(release_csv(release), media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{release.report}-{release.period}.csv"'})


@router.get("/reports/{release_id}.json", response_model=ReleasePublic)
def report_json(release_id: str, session: SessionDep):
    return service.get_report(session, release_id)


@router.get("/reports/{release_id}", response_class=HTMLResponse)
def report_page(release_id: str, request: Request, session: SessionDep):
    try:
        release = service.get_report(session, release_id)
    except NotFound as error:
        raise PageError(404, error.detail) from None
    return page(request, "report.html", view=report_view(session, release))


@router.get("/privacy", response_class=HTMLResponse)
def privacy_page(request: Request):
    title, body = markdown_html("privacy")
    return page(request, "document.html", title=title, body=body)


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request):
    """Swagger UI, from the hub's own copy: no CDN, so it works offline and tells no third party."""
    return page(request, "swagger.html")


@router.get("/docs/oauth2-redirect", response_class=HTMLResponse)
def api_docs_oauth_redirect(request: Request):
    return page(request, "swagger_redirect.html")
