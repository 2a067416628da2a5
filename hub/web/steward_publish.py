"""The steward's page for publishing a period: which months are complete, and publishing one for good.

Publication is :func:`hub.reports.service.publish`, as ``hub reports publish`` does it: it spends
each cohort's reports budget once and stores the releases; a period whose expected partners have
not all submitted is published only with a reason, which is published with its tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session, func, select

from hub.db import SessionDep
from hub.errors import HubError
from hub.models import Release, Submission, SubmissionStatus, utcnow
from hub.reports.completeness import completeness, months_before
from hub.reports.service import PeriodIncomplete, publish
from hub.web.session import check_csrf, signed_in
from hub.web.templating import page

router = APIRouter(prefix="/steward", include_in_schema=False)
Steward = signed_in("steward")
MONTHS_SHOWN = 12
PERIOD = r"^\d{4}(-(0[1-9]|1[0-2]))?$"


@dataclass(frozen=True)
class PeriodLine:
    period: str
    partners: int  # organisations with an accepted submission for it
    missing: str  # the expected partners without one, as the completeness rule says; "" if none
    published: bool


def period_lines(session: Session) -> list[PeriodLine]:
    """The last ended months and the last ended year, newest first."""
    this_month = utcnow().strftime("%Y-%m")
    months = months_before(this_month, MONTHS_SHOWN)[::-1]
    last_year = str(int(this_month[:4]) - 1)
    published = set(session.exec(select(Release.period).where(Release.kind == "standard").distinct()))
    lines = []
    for period in [*months, last_year]:
        partners = session.exec(select(func.count(func.distinct(Submission.organisation_id))).where(
            Submission.period.startswith(period), Submission.status == SubmissionStatus.accepted)).one()
        check = completeness(session, period) if period not in published else None
        lines.append(PeriodLine(period, partners, check.describe() if check else "", period in published))
    return lines


@router.get("/publish", response_class=HTMLResponse)
def publish_page(request: Request, session: SessionDep, web: Steward,
                 done: Annotated[str | None, Query(pattern=PERIOD)] = None):
    return page(request, "steward/publish.html", lines=period_lines(session), done=done)


@router.post("/publish", response_class=HTMLResponse)
def publish_period(request: Request, session: SessionDep, web: Steward,
                   csrf_token: Annotated[str, Form(max_length=100)] = "",
                   period: Annotated[str, Form(max_length=7)] = "",
                   reason: Annotated[str, Form(max_length=500)] = ""):
    check_csrf(web.csrf_token, csrf_token)
    try:
        publish(session, period, force_reason=reason.strip() or None)
    except PeriodIncomplete as error:
        return page(request, "steward/publish.html", status_code=409, lines=period_lines(session),
                    error=error.detail + " (the reason is published with the tables)", asked=period)
    except HubError as error:
        return page(request, "steward/publish.html", status_code=error.status_code, lines=period_lines(session),
                    error=error.detail)
    return RedirectResponse(f"/steward/publish?done={period}", status_code=303)
