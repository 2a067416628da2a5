"""The steward's pages: the queue of release requests, and the decision on each.

The decision goes through :mod:`hub.releases.service` (``approve`` computes the release and
debits each cohort's research budget in one transaction; ``reject`` records the reason): this
module only shows what a request costs and what would be left, it never debits anything itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session, select

from hub.budget.service import accounts, default_total_rho, rho_of_epsilon
from hub.config import get_settings
from hub.db import SessionDep
from hub.errors import HubError
from hub.models import BudgetPurpose, Organisation, ReleaseRequest, RequestStatus
from hub.releases import service
from hub.releases.compute import DATASET
from hub.releases.schemas import ReleaseRequestPublic
from hub.reports.dimensions import catalogue
from hub.web.errors import PageError
from hub.web.session import check_csrf, signed_in
from hub.web.templating import page
from privacy.dp.budget import epsilon_text, rho_to_epsilon

router = APIRouter(prefix="/steward", include_in_schema=False)
Steward = signed_in("steward")
DONE = {"approved": "The request was approved: its table was computed once and the budget debited.",
        "rejected": "The request was rejected; the researcher sees your reason."}


@dataclass(frozen=True)
class CohortPreview:
    cohort: str
    left_now: str  # epsilon, rounded down
    left_after: str | None  # epsilon left if approved; None if the cohort cannot afford it
    affordable: bool


@dataclass(frozen=True)
class RequestCard:
    request: ReleaseRequestPublic
    organisation: str
    asked_by: str
    tables: str
    filters: list[str]
    cohorts: list[CohortPreview]


def _epsilon_left(rho: Decimal) -> str:
    return epsilon_text(rho_to_epsilon(rho, get_settings().privacy_delta), down=True) if rho > 0 else "0.0000"


def _card(session: Session, request: ReleaseRequest, organisations: dict[str, str], left: dict[str, Decimal]) -> RequestCard:
    public = service.to_public(session, request)
    labels = {name: info.label for name, info in catalogue().items()} | {"year": "Year", "month": "Month"}
    cost = rho_of_epsilon(Decimal(request.epsilon))
    previews = []
    for line in public.cost:
        now = left.get(line.cohort, default_total_rho(BudgetPurpose.research))
        previews.append(CohortPreview(line.cohort, _epsilon_left(now),
                                      _epsilon_left(now - cost) if line.affordable else None, line.affordable))
    return RequestCard(
        public, organisations.get(request.organisation_id, "?"), request.client_id,
        " × ".join(labels.get(name, name) for name in request.dimensions),
        [f"{labels.get(name, name)}: {', '.join(values)}" for name, values in request.filters.items()], previews)


def cards(session: Session, web_caller, status: str | None) -> list[RequestCard]:
    requests = service.list_requests(session, web_caller, status)
    organisations = dict(session.exec(select(Organisation.id, Organisation.name)).all())
    left = {a.cohort: a.remaining_rho for a in accounts(session, DATASET) if a.purpose == BudgetPurpose.research}
    return [_card(session, r, organisations, left) for r in requests]


@router.get("/requests", response_class=HTMLResponse)
def queue(request: Request, session: SessionDep, web: Steward,
          status: Annotated[str, Query(pattern="^(pending|approved|rejected|all)$")] = "pending",
          done: Annotated[str | None, Query(max_length=20)] = None):
    found = cards(session, web.caller, None if status == "all" else status)
    return page(request, "steward/queue.html", cards=found, status=status, done=DONE.get(done or ""),
                pending=RequestStatus.pending)


def _decide(decision) -> None:
    try:
        decision()
    except HubError as error:  # raised again as a page: the session still rolls back, nothing is spent
        raise PageError(error.status_code, error.detail) from None


@router.post("/requests/{request_id}/approve")
def approve(request_id: str, session: SessionDep, web: Steward,
            csrf_token: Annotated[str, Form(max_length=100)] = ""):
    check_csrf(web.csrf_token, csrf_token)
    _decide(lambda: service.approve(session, web.caller, request_id))
    return RedirectResponse("/steward/requests?done=approved", status_code=303)


@router.post("/requests/{request_id}/reject")
def reject(request_id: str, session: SessionDep, web: Steward,
           csrf_token: Annotated[str, Form(max_length=100)] = "",
           reason: Annotated[str, Form(max_length=2000)] = ""):
    check_csrf(web.csrf_token, csrf_token)
    if len(reason.strip()) < 3:
        raise PageError(422, "a rejection needs a reason of at least 3 characters, for the researcher")
    _decide(lambda: service.reject(session, web.caller, request_id, reason.strip()))
    return RedirectResponse("/steward/requests?done=rejected", status_code=303)
