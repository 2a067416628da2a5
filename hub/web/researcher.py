"""A researcher's pages: their organisation's requests, each with its status, and approved releases' downloads."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse

from hub.db import SessionDep
from hub.errors import NotFound
from hub.releases import service
from hub.reports.render import release_csv
from hub.web.errors import PageError
from hub.web.request_cards import request_cards
from hub.web.session import signed_in
from hub.web.templating import page

router = APIRouter(prefix="/researcher", include_in_schema=False)
Researcher = signed_in("researcher")


@router.get("/requests", response_class=HTMLResponse)
def requests(request: Request, session: SessionDep, web: Researcher, filed: bool = False):
    return page(request, "researcher/requests.html", cards=request_cards(session, web.caller, None), filed=filed)


@router.get("/releases/{release_id}.csv")
def release_download(release_id: str, session: SessionDep, web: Researcher):
    try:
        release = service.get_release(session, web.caller, release_id)
    except NotFound as error:
        raise PageError(404, error.detail) from None
    return PlainTextResponse(release_csv(release), media_type="text/csv",
                             headers={"Content-Disposition": f'attachment; filename="release-{release.id}.csv"'})
