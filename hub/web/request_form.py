"""A researcher's request form: dimensions from the schema, months, epsilon; the expected error as it changes.

The estimate is the release service's own (``to_public`` of a request that is never stored),
so the form shows exactly what the request will show once filed, and nothing here judges a
request: :func:`hub.releases.service.create_request` does, when the form is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import ValidationError

from hub.db import SessionDep
from hub.errors import HubError
from hub.models import ReleaseRequest, utcnow
from hub.releases import service
from hub.releases.compute import DATASET
from hub.releases.schemas import ReleaseRequestCreate
from hub.reports.dimensions import catalogue
from hub.web.errors import PageError
from hub.web.session import check_csrf, signed_in
from hub.web.templating import page

router = APIRouter(prefix="/researcher", include_in_schema=False)
Researcher = signed_in("researcher")
MONTHS_OFFERED = 36
ESTIMATE_PURPOSE = "an estimate shown before a request is filed"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def past_months(count: int = MONTHS_OFFERED) -> list[str]:
    """The last ``count`` months that have ended, newest first."""
    year, month = utcnow().year, utcnow().month
    found = []
    for _ in range(count):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        found.append(f"{year}-{month:02d}")
    return found


def _months(first: str, last: str) -> list[str]:
    first, last = sorted((first, last))
    return [m for m in past_months() if first <= m <= last]


def _body(dimensions: list[str], first: str, last: str, epsilon: str, purpose: str) -> ReleaseRequestCreate:
    """The request as the API would receive it; a sentence for the reader if it is malformed."""
    try:
        return ReleaseRequestCreate(dimensions=dimensions, cohorts=_months(first, last) or [first],
                                    epsilon=Decimal(epsilon), purpose=purpose)
    except (ValidationError, InvalidOperation):
        raise PageError(422, "choose one to three dimensions, the months, an epsilon between 0.001 and 5 and, "
                        "to file it, a purpose of at least 10 characters") from None


@router.get("/requests/new", response_class=HTMLResponse)
def new_request(request: Request, web: Researcher):
    dimensions = [Choice(d.name, d.label) for d in catalogue().values()]
    dimensions += [Choice("year", "Year first identified"), Choice("month", "Month first identified")]
    return page(request, "researcher/new_request.html", dimensions=dimensions, months=past_months())


@router.get("/requests/estimate")
def estimate(session: SessionDep, web: Researcher,
             dimension: Annotated[list[str], Query(max_length=3)] = [],  # noqa: B006 - FastAPI's form of a list
             first: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$")] = "",
             last: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$")] = "",
             epsilon: Annotated[str, Query(max_length=12)] = ""):
    """Cells, expected error and cost of a request not filed yet (the service's figures; nothing is stored)."""
    try:
        body = _body(dimension, first, last or first, epsilon, ESTIMATE_PURPOSE)
        draft = ReleaseRequest(organisation_id=web.caller.organisation_id, client_id=web.caller.client_id,
                               dataset=DATASET, dimensions=body.dimensions, filters={}, cohorts=sorted(body.cohorts),
                               statistic=body.statistic, epsilon=body.epsilon, purpose=body.purpose)
        public = service.to_public(session, draft)
    except (PageError, HubError) as error:
        return JSONResponse({"error": getattr(error, "message", None) or error.detail}, status_code=422)
    return {"cells": public.cells, "expected_error": public.expected_error, "epsilon": public.epsilon,
            "delta": public.delta, "cost": [c.model_dump() for c in public.cost]}


@router.post("/requests")
def file_request(session: SessionDep, web: Researcher,
                 csrf_token: Annotated[str, Form(max_length=100)] = "",
                 dimension: Annotated[list[str], Form()] = [],  # noqa: B006
                 first: Annotated[str, Form(max_length=7)] = "",
                 last: Annotated[str, Form(max_length=7)] = "",
                 epsilon: Annotated[str, Form(max_length=12)] = "",
                 purpose: Annotated[str, Form(max_length=2000)] = ""):
    check_csrf(web.csrf_token, csrf_token)
    body = _body(dimension, first, last or first, epsilon, purpose.strip())
    try:
        service.create_request(session, web.caller, body)
    except HubError as error:
        raise PageError(error.status_code, error.detail) from None
    return RedirectResponse("/researcher/requests?filed=1", status_code=303)
