"""Routes of release requests and custom releases."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from hub.auth.dependencies import RequireScope
from hub.auth.scopes import Scope
from hub.db import SessionDep
from hub.releases import service
from hub.releases.schemas import Decision, ReleaseRequestCreate, ReleaseRequestPublic
from hub.reports.render import release_csv
from hub.reports.schemas import ReleasePublic
from hub.edge.json_body import JsonBody, json_body_openapi

router = APIRouter(tags=["releases"])
Requester = RequireScope(Scope.RELEASES_REQUEST)
Steward = RequireScope(Scope.RELEASES_APPROVE)
Involved = RequireScope(Scope.RELEASES_REQUEST, Scope.RELEASES_APPROVE)


@router.post("/release-requests", status_code=201, response_model=ReleaseRequestPublic,
             openapi_extra=json_body_openapi(ReleaseRequestCreate))
def create_request(session: SessionDep, caller: Requester, body: JsonBody(ReleaseRequestCreate)):
    """Ask for a custom table; the answer shows its expected error and cost before anyone approves it."""
    return service.to_public(session, service.create_request(session, caller, body))


@router.get("/release-requests", response_model=list[ReleaseRequestPublic])
def list_requests(session: SessionDep, caller: Involved,
                  status: Annotated[str | None, Query(pattern="^(pending|approved|rejected)$")] = None):
    """Your organisation's requests; a steward sees every request."""
    return [service.to_public(session, r) for r in service.list_requests(session, caller, status)]


@router.get("/release-requests/{request_id}", response_model=ReleaseRequestPublic)
def read_request(request_id: str, session: SessionDep, caller: Involved):
    return service.to_public(session, service.get_request(session, caller, request_id))


@router.post("/release-requests/{request_id}/approve", response_model=ReleaseRequestPublic)
def approve(request_id: str, session: SessionDep, caller: Steward):
    """Compute the release once and debit each cohort's research budget (409 if a cohort lacks budget)."""
    return service.to_public(session, service.approve(session, caller, request_id))


@router.post("/release-requests/{request_id}/reject", response_model=ReleaseRequestPublic,
             openapi_extra=json_body_openapi(Decision))
def reject(request_id: str, session: SessionDep, caller: Steward, body: JsonBody(Decision)):
    return service.to_public(session, service.reject(session, caller, request_id, body.reason))


@router.get("/releases/{release_id}", response_model=ReleasePublic, responses={200: {"content": {"text/csv": {}}}})
def read_release(release_id: str, session: SessionDep, caller: Involved,
                 format: Annotated[str, Query(pattern="^(json|csv)$")] = "json"):
    """A custom release, as stored: asking again spends nothing and answers the same numbers."""
    release = service.get_release(session, caller, release_id)
    if format == "csv":
        return PlainTextResponse(release_csv(release), media_type="text/csv")
    return release
